"""Background runs (queue, stop, errors) and the student's CSV upload."""
import threading
import time

import numpy as np
import pytest
import torch

from training.datasets import MAX_CSV_ROWS, parse_csv
from training.config import Config
from training.presets import PRESETS
from training.runner import Run

QUICK = Config(activations=("relu",), seeds=1, n=100, epochs=20, width=4, log_every=1)


def wait(run, timeout=60):
    deadline = time.monotonic() + timeout
    while not run.finished:
        assert time.monotonic() < deadline, f"run still {run.state}"
        time.sleep(0.02)


def test_a_run_finishes_in_the_background():
    run = Run(QUICK)
    wait(run)
    assert run.state == "done" and run.latest.done and run.progress == 1.0


def test_later_runs_queue_for_a_slot_and_a_queued_run_can_be_stopped():
    slots = threading.BoundedSemaphore(1)
    slots.acquire()  # the server is busy
    run = Run(QUICK, slots=slots)
    time.sleep(0.3)
    assert run.state == "queued" and run.latest is None
    slots.release()
    wait(run)
    assert run.state == "done"
    slots.acquire()
    queued = Run(QUICK, slots=slots)
    queued.stop()
    wait(queued)
    assert queued.state == "stopped"
    slots.release()


def test_stop_ends_a_running_run():
    run = Run(Config(activations=("relu",), seeds=1, n=100, epochs=2000, width=4, log_every=1))
    while run.latest is None:
        time.sleep(0.01)
    run.stop()
    wait(run)
    assert run.state == "stopped" and run.latest.stopped and run.latest.step < 2000


def test_bad_request_fails_in_the_caller():
    with pytest.raises(ValueError, match="width"):
        Run(Config(width=100_000))


@pytest.mark.skipif(torch.cuda.is_available(), reason="needs a server without a GPU")
def test_an_error_in_a_run_is_kept_in_the_run_with_its_message():
    """A run asking for the GPU of a server that has none fails in its thread; the page reads why."""
    run = Run(Config(activations=("relu",), seeds=1, n=100, epochs=5, device="cuda"))
    wait(run)
    assert run.state == "error" and run.latest is None
    assert run.error == "ValueError: no CUDA device on this server; choose CPU"


def test_presets_are_valid_configs():
    for name, overrides in PRESETS.items():
        Config(**overrides).validate()


def csv_text(n=30, seed=0):
    pts = np.random.default_rng(seed).normal(size=(n, 2))
    return "x,y,label\n" + "\n".join(f"{a:.4f},{b:.4f},{int(a > b)}" for a, b in pts)


def test_csv_upload_parses_and_standardises():
    d = parse_csv(csv_text().encode())
    assert d.name == "custom" and d.n_features == 2 and d.n_classes == 2
    assert len(d.x_train) + len(d.x_test) == 30 and len(d.x_test) == 9
    assert abs(float(d.x_train.mean())) < 1e-5
    assert parse_csv(csv_text().split("\n", 1)[1]).x_train.shape == d.x_train.shape  # no header is fine


@pytest.mark.parametrize("text, message", [
    ("x,y,label\n1,2,0\n", "between 10"),
    ("\n".join(["1,2,0"] * (MAX_CSV_ROWS + 1)), "between 10"),
    ("\n".join(["1,2,0,5"] * 20), "3 columns|exactly 3"),
    ("\n".join(["1,2,0"] * 19 + ["1,abc,1"]), "not three numbers"),
    ("\n".join(["1,2,0"] * 19 + ["1,nan,1"]), "finite"),
    ("\n".join(["1,2,0"] * 19 + ["1,2,0.5"]), "whole numbers"),
    ("\n".join(["1,2,0"] * 20), "two classes"),
])
def test_csv_upload_rejects_bad_files_with_a_clear_message(text, message):
    with pytest.raises(ValueError, match=message):
        parse_csv(text)


def test_csv_upload_over_the_size_limit_is_refused_before_it_is_read():
    with pytest.raises(ValueError, match="300 kB; the limit is 200 kB"):
        parse_csv(b"1" * 300_000)
    with pytest.raises(ValueError, match="not UTF-8"):  # under the limit, the same bytes are read
        parse_csv(b"\xff" * 1000)
