"""runtime.live in a page: Train, a finished run drawn for every session, a diverged run named."""
import math
from dataclasses import dataclass

import pytest
from streamlit.testing.v1 import AppTest

from conftest import rerun_until


@dataclass
class Out:
    step: int
    steps: int
    elapsed: float
    loss: float
    stopped: bool = False

    @property
    def diverged(self):
        return not math.isfinite(self.loss)


def train(loss, progress=None, stop=None):
    """A lesson run (module-level, so a worker process can run it); a negative setting diverges."""
    return Out(3, 3, 0.1, math.nan if loss < 0 else loss)


#: The page, a script like app.py: a training worker re-imports the server's main script as
#: __mp_main__ before it starts, and there the script must run nothing.
PAGE = """
if __name__ == "__main__":
    import streamlit as st
    from test_live import train

    from runtime.live import live_run

    loss = float(st.query_params.get("loss", "0.5"))
    live_run(train, (loss,), lambda r, final: st.markdown(f"drawn: loss {r.loss}, final {final}"), name="t",
             about="press Train")
"""


def drawn(at):
    return [m.value for m in at.markdown if m.value.startswith("drawn")]


@pytest.mark.slow
def test_train_then_the_result_and_a_diverged_run_is_named():
    at = AppTest.from_string(PAGE, default_timeout=30)
    at.run()
    assert [c.value for c in at.caption] == ["press Train"] and not drawn(at)
    at.button(key="t.train").click().run()
    rerun_until(at, lambda at: drawn(at))
    assert drawn(at) == ["drawn: loss 0.5, final True"] and not at.warning
    assert at.run().button(key="t.train").disabled  # the next run: the result is kept, Train has nothing to do
    at.query_params["loss"] = "-1"
    at.run()
    at.button(key="t.train").click().run()
    rerun_until(at, lambda at: drawn(at))
    assert drawn(at) == ["drawn: loss nan, final True"]
    assert "Training diverged" in at.warning[0].value





def test_a_page_that_polls_its_run_is_never_taken_for_gone():
    """The one idle rule (training.background) against the one polling helper's slowest poll."""
    from runtime.live import QUEUED_POLL, RUNNING_POLL
    from training.background import IDLE_TIMEOUT

    assert IDLE_TIMEOUT >= 3 * max(QUEUED_POLL, RUNNING_POLL)


def test_runs_are_polled_by_one_helper():
    """runtime.live.watch is the one fragment that polls a background run; no page has its own."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    pollers = {p.relative_to(root).as_posix() for p in root.glob("[!.]*/**/*.py")
               if p.relative_to(root).parts[0] not in ("tests", "bench") and "run_every=" in p.read_text()}
    # the step-by-step lab's clock is not a run's poll: it goes when that lab moves into the browser
    assert pollers <= {"runtime/live.py", "pages/playground.py"}, pollers
    assert "runtime/live.py" in pollers
