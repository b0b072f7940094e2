"""Runs in the worker pool (queue, stop, clients that leave, caps, exit) and the student's CSV upload."""
import os
import time

import numpy as np
import pytest
import torch

from training.config import Config
from training.datasets import MAX_CSV_ROWS, parse_csv
from training.presets import PRESETS
from training.runner import Pool, compare, train_in_background

QUICK = Config(activations=("relu",), seeds=1, n=100, epochs=20, width=4, log_every=1)
#: Long enough to be running while a test looks: 19,600 steps (about 10 s on an idle core).
LONG = Config(activations=("relu",), seeds=1, n=1000, epochs=280, width=16, batch_size=10, snapshot_every=0.05)


def wait(job, timeout=60, touch=True):
    deadline = time.monotonic() + timeout
    while not job.finished:
        assert time.monotonic() < deadline, f"run still {job.state}"
        if touch:
            job.touch()
        time.sleep(0.02)


def wait_for(condition, timeout=60, touch=()):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline
        assert not any(job.state == "error" for job in touch), [job.error for job in touch]
        for job in touch:
            job.touch()
        time.sleep(0.02)


@pytest.fixture
def one_worker():
    pool = Pool(workers=1)
    yield pool
    pool.close()


def test_a_run_trains_in_a_worker_process_and_sends_snapshots():
    job = train_in_background(QUICK, QUICK.validate())
    versions = []
    while not job.finished:
        job.touch()
        versions.append(job.version)
        time.sleep(0.01)
    assert job.state == "done" and job.latest.done and job.progress == 1.0
    assert job.pid is not None and job.pid != os.getpid()  # not in this (the web server's) process
    assert job.version >= 1 and versions == sorted(versions)
    r = job.latest
    assert r.trainer is None and r.points[0].shape == (70, 2)  # no models in the message, the points to draw
    assert len(r.units) == 1 and r.unit_outputs(0)[0].shape == (900, 4)  # every unit over the 30 × 30 plane


def test_later_runs_queue_with_their_place_and_a_stopped_queued_run_never_starts(one_worker):
    first = one_worker.submit(compare, LONG, estimate=30.0)
    wait_for(lambda: first.state == "running", touch=[first])
    second = one_worker.submit(compare, QUICK, estimate=2.0)
    third = one_worker.submit(compare, QUICK, estimate=2.0)
    ahead, seconds = third.place()
    assert second.place()[0] == 0 and ahead == 1
    assert seconds >= second.place()[1] + 2.0 * one_worker.speed > 0  # behind the running run and the one ahead
    second.stop()
    assert second.state == "stopped"  # at once: it was only waiting
    assert third.place()[0] == 0
    first.stop()
    wait(first)
    wait(third)
    assert first.state == "stopped" and first.latest.stopped and first.latest.step < first.latest.steps
    assert third.state == "done"
    assert second.started is None and second.pid is None and second.latest is None  # it never ran


def test_stop_ends_a_running_run(one_worker):
    job = one_worker.submit(compare, LONG, estimate=30.0)
    wait_for(lambda: job.latest is not None, touch=[job])
    job.stop()
    wait(job)
    assert job.state == "stopped" and job.latest.stopped and job.why_stopped == "stop"


@pytest.mark.slow
def test_a_run_whose_client_left_is_stopped_and_frees_its_worker():
    pool = Pool(workers=1, idle_timeout=1.0)
    try:
        gone = pool.submit(compare, LONG, estimate=30.0)
        wait_for(lambda: gone.state == "running")
        wait(gone, touch=False)  # nobody polls it
        assert gone.state == "stopped" and gone.why_stopped == "idle"
        after = pool.submit(compare, QUICK, estimate=1.0)
        wait(after)
        assert after.state == "done"  # the worker was free again
    finally:
        pool.close()


@pytest.mark.slow
def test_a_queued_run_whose_client_left_never_starts():
    pool = Pool(workers=1, idle_timeout=1.0)
    try:
        busy = pool.submit(compare, LONG, estimate=30.0)
        wait_for(lambda: busy.state == "running", touch=[busy])
        left = pool.submit(compare, QUICK, estimate=1.0)
        wait_for(lambda: left.finished, touch=[busy])  # busy's client stays, left's does not
        assert left.state == "stopped" and left.why_stopped == "idle" and busy.state == "running"
        busy.stop()
        wait(busy)
        time.sleep(0.5)
        assert left.started is None and left.latest is None
    finally:
        pool.close()


def test_a_run_whose_session_is_still_connected_goes_on_without_polls():
    pool = Pool(workers=1, idle_timeout=0.5)
    try:
        job = pool.submit(compare, QUICK.__class__(**{**QUICK.__dict__, "epochs": 300}), estimate=1.0,
                          alive=lambda: True)
        wait(job, touch=False)
        assert job.state == "done"
    finally:
        pool.close()


@pytest.mark.skipif(torch.cuda.is_available(), reason="needs a server without a GPU")
def test_an_error_in_a_run_is_kept_in_the_run_with_its_message(one_worker):
    """A run asking for the GPU of a server that has none fails in its worker; the page reads why."""
    job = one_worker.submit(compare, Config(activations=("relu",), seeds=1, n=100, epochs=5, device="cuda"))
    wait(job)
    assert job.state == "error" and job.latest is None
    assert job.error == "ValueError: no CUDA device on this server; choose CPU"


def test_the_worker_stops_a_run_at_the_hard_cap_of_cpu_time():
    pool = Pool(workers=1, cpu_limit=0.5)
    try:
        job = pool.submit(compare, LONG)
        wait(job)
        assert job.state == "stopped" and job.why_stopped == "time" and job.latest.step < job.latest.steps
    finally:
        pool.close()


def test_the_worker_refuses_memory_beyond_the_hard_cap():
    pool = Pool(workers=1, memory=100_000_000)
    try:
        big = Config(activations=("relu", "crelu"), seeds=2, n=5000, width=128, depth=8, epochs=1, batch_size=250)
        job = pool.submit(compare, big)
        wait(job)
        assert job.state == "error" and "more memory than the server allows one run" in job.error
        small = pool.submit(compare, QUICK)  # the next worker is fine
        wait(small)
        assert small.state == "done"
    finally:
        pool.close()


def test_closing_the_pool_stops_its_runs_and_ends_its_workers():
    pool = Pool(workers=2)
    jobs = [pool.submit(compare, LONG) for _ in range(3)]
    wait_for(lambda: jobs[0].state == jobs[1].state == "running", touch=jobs)
    pids = [j.pid for j in jobs[:2]]
    pool.close()
    assert [j.state for j in jobs] == ["stopped"] * 3 and {j.why_stopped for j in jobs} == {"exit"}
    for pid in pids:
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)
    with pytest.raises(RuntimeError, match="shutting down"):
        pool.submit(compare, QUICK)


def app_in_the_worker(progress=None, stop=None):
    """What a worker holds of the app: the Streamlit modules it imported, and its main script's globals."""
    import sys
    from types import SimpleNamespace

    main = sys.modules.get("__mp_main__")
    return SimpleNamespace(stopped=False, imported=sorted(m for m in sys.modules if m.startswith(("streamlit", "runtime"))),
                           ran=None if main is None else sorted(k for k in vars(main) if not k.startswith("__")))


def test_workers_start_without_running_the_app_script(monkeypatch):
    """Streamlit installs the app script it runs as __main__, and a new worker re-imports the main
    script: app.py runs nothing there (its ``if __name__ == "__main__":``), and no one patches
    multiprocessing to skip it."""
    import multiprocessing.spawn
    import sys
    import types

    from runtime.harness import ROOT

    assert multiprocessing.spawn.get_preparation_data.__module__ == "multiprocessing.spawn"
    script = types.ModuleType("__main__")
    script.__file__ = str(ROOT / "app.py")  # as Streamlit's script runner sets it
    monkeypatch.setitem(sys.modules, "__main__", script)
    pool = Pool(workers=1)
    try:
        job = pool.submit(app_in_the_worker)
        wait(job)
        assert job.state == "done", job.error
        r = job.latest
        assert r.ran == [] and r.imported == []  # app.py was re-imported, and ran nothing: no Streamlit, no pages
    finally:
        pool.close()


def test_a_function_a_worker_cannot_import_fails_its_run_not_the_worker(one_worker, monkeypatch):
    import sys
    import types

    with pytest.raises(Exception, match="pickle"):  # a lambda cannot travel: refused at once
        one_worker.submit(lambda progress=None, stop=None: None)
    only_here = types.ModuleType("only_in_the_web_process")
    exec("def train(progress=None, stop=None):\n    return None", only_here.__dict__)
    monkeypatch.setitem(sys.modules, "only_in_the_web_process", only_here)
    job = one_worker.submit(only_here.train)
    wait(job)
    assert job.state == "error" and "only_in_the_web_process" in job.error
    after = one_worker.submit(compare, QUICK)  # the worker pool goes on
    wait(after)
    assert after.state == "done"


def test_bad_request_fails_in_the_caller():
    with pytest.raises(ValueError, match="width"):
        Config(width=100_000).validate()  # where the request comes in, before anything queues


def test_a_request_is_validated_once_and_an_upload_parsed_once(monkeypatch):
    data = parse_csv(csv_text(n=60).encode())
    cost = QUICK.validate(data)
    assert cost == QUICK.cost(data) and cost.seconds > 0
    counted = []
    for name, real in (("validate", Config.validate), ("cost", Config.cost)):
        monkeypatch.setattr(Config, name, lambda self, *a, real=real, name=name: counted.append(name) or real(self, *a))
    monkeypatch.setattr("training.datasets.parse_csv", lambda *a, **k: counted.append("parse_csv"))
    job = train_in_background(QUICK, cost, data)  # the worker gets the parsed points and the cost
    r = compare(QUICK, data, cost)  # what the worker runs, here where the calls are counted
    assert counted == [] and r.done and r.points[0].shape == (len(data.y_train), 2)
    wait(job)
    assert job.state == "done" and job.latest.points[0].shape == (len(data.y_train), 2)


def test_presets_are_valid_configs():
    for overrides in PRESETS.values():
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


@pytest.mark.parametrize("first", ["nan,1,0", "inf,1,0", "-inf,0.5,1", "NaN,1,0"])
def test_a_first_row_of_non_finite_numbers_is_data_not_a_header(first):
    with pytest.raises(ValueError, match="finite"):
        parse_csv("\n".join([first] + ["1,2,0", "2,1,1"] * 10))


@pytest.mark.parametrize("header", ["x,y,label", "X;Y;class", "a,b,c", "feature 1, feature 2, label"])
def test_a_header_row_is_skipped(header):
    assert len(parse_csv("\n".join([header] + ["1,2,0", "2,1,1"] * 10)).y_train) == 14


@pytest.mark.parametrize("scale", [1e308, -1.7e308, 1e-308, 5e-324])
def test_values_of_any_finite_size_standardise_to_finite_data(scale):
    rng = np.random.default_rng(1)
    pts = rng.uniform(-1, 1, size=(30, 2))
    d = parse_csv("\n".join(f"{float(a * scale)!r},{float(b)!r},{int(a > b)}" for a, b in pts))
    for t in (d.x_train, d.x_test):
        assert torch.isfinite(t).all()
    assert abs(float(d.x_train[:, 1].std()) - 1) < 0.1


def test_the_offending_text_is_kept_apart_from_the_message():
    """The page echoes the student's text only through runtime.url_state.echo: the error keeps it apart."""
    from training.datasets import BadFile

    with pytest.raises(BadFile) as e:
        parse_csv("\n".join(["1,2,0"] * 19 + ["[x](http://evil.example),2,1"]))
    assert e.value.reason == "data row 20 is not three numbers" and e.value.excerpt == "[x](http://evil.example),2,1"


def test_csv_upload_over_the_size_limit_is_refused_before_it_is_read():
    with pytest.raises(ValueError, match="300 kB; the limit is 200 kB"):
        parse_csv(b"1" * 300_000)
    with pytest.raises(ValueError, match="not UTF-8"):  # under the limit, the same bytes are read
        parse_csv(b"\xff" * 1000)
