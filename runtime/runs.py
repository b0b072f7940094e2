"""Background runs as a page sees them: whose session a run belongs to, and where it stands in the
server's queue, in words ("3rd in line, about 40 s").

The runs themselves train in ``training.runner``'s worker processes; a page polls its run and
calls ``Job.touch`` each time. A run whose page stopped polling is stopped after
``training.background.IDLE_TIMEOUT`` seconds unless its session is still connected (``session_alive``),
so a student who looks at another page while a run trains keeps it, and a closed tab frees its
worker."""
from __future__ import annotations

import math
from typing import Callable

from training.runner import Job


class SessionAlive:
    """A check, callable from any thread, that one browser session is still connected to the
    server (Streamlit's ``Runtime.is_active_session``). Equal for the same session, so a run
    watched by a session several times counts it once."""

    def __init__(self, runtime, session_id: str):
        self.runtime, self.session_id = runtime, session_id

    def __call__(self) -> bool:
        return self.runtime.is_active_session(self.session_id)

    def __eq__(self, other) -> bool:
        return isinstance(other, SessionAlive) and other.session_id == self.session_id

    def __hash__(self) -> int:
        return hash(self.session_id)


def session_alive() -> Callable[[], bool] | None:
    """This script run's session as a ``SessionAlive``; None where there is no server (AppTest)."""
    from streamlit.runtime import Runtime
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    if ctx is None or not Runtime.exists():
        return None
    return SessionAlive(Runtime.instance(), ctx.session_id)


def ordinal(n: int) -> str:
    """1st, 2nd, 3rd, 4th, …, 11th, 12th, 13th, 21st."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def about(seconds: float) -> str:
    """A waiting time in round words: "a few seconds", "about 40 s", "about 3 min"."""
    if seconds < 10:
        return "a few seconds"
    if seconds < 90:
        return f"about {int(math.ceil(seconds / 10) * 10)} s"
    return f"about {int(round(seconds / 60))} min"


def place(job: Job) -> str:
    """Where a queued run stands: "3rd in line, about 40 s" (the runs ahead of it, plus one)."""
    ahead, seconds = job.place()
    return f"{ordinal(ahead + 1)} in line, {about(seconds)}"
