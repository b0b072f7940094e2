"""runtime.live in a page: Train, a finished run drawn for every session, a diverged run named."""
import math
from dataclasses import dataclass

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


def page():
    import streamlit as st

    from runtime.live import live_run
    from test_live import train

    loss = float(st.query_params.get("loss", "0.5"))
    live_run(train, (loss,), lambda r, final: st.markdown(f"drawn: loss {r.loss}, final {final}"), name="t",
             about="press Train")


def drawn(at):
    return [m.value for m in at.markdown if m.value.startswith("drawn")]


def test_train_then_the_result_and_a_diverged_run_is_named():
    at = AppTest.from_function(page, default_timeout=30)
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



