"""A server told to stop while it trains (SIGTERM, as `docker stop` and Kubernetes send) ends its
runs and its workers and exits 0: no abort ("terminate called without an active exception",
status 134 in a container)."""
import signal
import time

import pytest

from conftest import wait_idle
from runtime import harness

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("serial")]  # servers of its own, stopped mid-run

SLIDER = '[data-testid="stSlider"] input[type="range"][aria-label="{}"]'


def test_sigterm_while_training_exits_0(browser):
    with harness.server_process() as srv:
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(f"{srv.url}/training_lab?epochs=2000&n=5000&seeds=10")
        wait_idle(page, 60_000)
        page.get_by_role("button", name="Train").click()
        page.wait_for_selector('[data-testid="stProgress"] >> text=/running: step [1-9]/', timeout=120_000)
        workers = harness.descendants(srv.process.pid)
        assert workers  # the fork server and the workers, one of them training
        srv.process.send_signal(signal.SIGTERM)
        status = srv.process.wait(30)
        log = srv.log()
        page.close()
    assert status == 0, log[-3000:]
    assert "terminate called" not in log and "Traceback" not in log, log[-3000:]
    deadline = time.monotonic() + 10  # the fork server notices its parent's exit on its own
    while any(alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not [(pid, name(pid)) for pid in workers if alive(pid)]  # no process of the server's is left


def test_sigterm_while_the_step_by_step_lab_plays_exits_0(browser):
    """The step-by-step lab trains in the browser; a server stopped while a page plays exits
    cleanly (it holds nothing of the run)."""
    with harness.server_process() as srv:
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(f"{srv.url}/playground")
        wait_idle(page, 60_000)
        page.get_by_role("button", name="Play").click()
        page.wait_for_timeout(3000)  # playing: an epoch is under way at almost any moment
        srv.process.send_signal(signal.SIGTERM)
        status = srv.process.wait(30)
        log = srv.log()
        page.close()
    assert status == 0 and "terminate called" not in log, log[-3000:]


def alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"  # a zombie has ended
    except OSError:
        return False


def name(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/cmdline") as f:
            return f.read().replace("\0", " ")[:200]
    except OSError:
        return "?"
