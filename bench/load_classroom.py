"""A class at once: N concurrent headless Chromium sessions against one server on loopback.

Every student opens the gallery and moves its α slider twenty times (waiting for each redraw, and
a moment between presses, as a person does); a share of them (a quarter, then all) first open the
training lab in a tab of their own with the preset "ReLU family on spirals" and press Train together
(once all of them have it open: the teacher's "now"), and
leave that tab open while they use the gallery. One more session, which never trains, measures the
gallery's key press → redrawn chart: twenty presses before the class arrives (idle), twenty while
it works. Reported: runs whose results were drawn in the student's page; each run's time on the
server (in the queue, then training, from the server's log); the measuring session's p50/p95
under load and idle, and the part of each press until the server's first answer; page errors
(exceptions drawn, JavaScript errors) and the benchmark's own timeouts; the server's memory (its
process and its workers, sampled each second; the peak) and its web process's CPU.

    python -m bench.load_classroom [--sessions 8 16 30] [--shares 0.25 1] [--write-docs]
    python -m bench.load_classroom --step-by-step [--sessions 1 8 16 30] [--write-docs]
    python -m bench.load_classroom --mixed 10 10 10 [--write-docs]

``--mixed P T L``: P students play in the step-by-step lab, T press Train in the Training lab and L
move lesson sliders, all at once, once every page is open (the teacher's "now"); the measuring
session presses the gallery's α and each of
bench_lessons' lesson sliders before (idle) and while the class works: p50/p95 per slider.

``--step-by-step``: N students open the step-by-step lab and press Play within a second of each
other (a barrier, as for Train), play for ``PLAY_SECONDS``, then close their tabs at once; the
measuring session moves the gallery's slider meanwhile. Reported: the web process's CPU per
playing student, the gallery's p95 against idle, the epochs the students' pages reached, page
errors, and the server log's tracebacks and "Exception in ASGI application" lines after the tabs
closed.

The class's sessions are pages of one Chromium (a browser context each: its own cookies, so its
own Streamlit session) at a low scheduling priority (all but its network service, which answers the
server's pings as a student's own computer would), driven concurrently with Playwright's asyncio
API; the measuring session has a Chromium of its own. The browsers and the server share this
machine's cores: the figures are pessimistic for a server whose students use their own machines.
"""
from __future__ import annotations

import argparse
import asyncio
import random
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import urlencode

from bench.common import _CHANGED, _REMEMBER, CHROMIUM, CHROMIUM_ARGS, READY, machine, server_process, write_section

PRESET = "ReLU family on spirals"
GALLERY = "/gallery?act=leaky_relu"
SLIDER = '[data-testid="stSlider"] input[type="range"][aria-label="α (negative slope)"]'
PRESSES = 20
RUN_TIMEOUT = 900.0  # s a run may take, queue included, before it counts as not finished
NAVIGATION_TIMEOUT = 180_000  # ms for a page to load (30 pages open at once on a busy machine)
#: Notes the time of every message the page receives from the server, so a key press's latency
#: splits into the server's answer (press → its first message) and the browser's redraw (the rest).
WS_CLOCK = """(() => { const Native = window.WebSocket;
  window.WebSocket = function (...args) { const ws = new Native(...args);
    ws.addEventListener('message', () => { window.__reluLabMessages.push(performance.now()); }); return ws; };
  window.WebSocket.prototype = Native.prototype; Object.assign(window.WebSocket, Native);
  window.__reluLabMessages = []; })();"""


def preset_link(name: str = PRESET) -> str:
    """The training lab's link with a preset's settings (the URL state writes them all)."""
    from runtime.page_state import TRAINING
    from training.presets import PRESETS

    values = PRESETS[name]
    query = {"preset": name}
    for f in TRAINING.fields({}):
        if f.name in values:
            value = values[f.name]
            query[f.name] = f.format(list(value) if isinstance(value, tuple) else value)
    return "/training_lab?" + urlencode(query)


@dataclass
class Student:
    trains: bool
    errors: list[str] = field(default_factory=list)
    finished_in: float | None = None  # s from Train until the results were drawn
    pressed_train: bool = False
    ready: bool = False  # the student's page has loaded (in the mixed class: waiting for the teacher's "now")
    presses: list[float] = field(default_factory=list)
    answers: list[float] = field(default_factory=list)  # press → the server's first message
    dropped: int = 0  # the page's connections to the server that closed while the student stayed
    leaving: bool = False  # the bench is closing the student's pages: their connections close on purpose
    closed: set = field(default_factory=set)  # ids of the pages the bench closed one by one


async def watch_errors(page, student: Student) -> None:
    """Count the page's JavaScript errors and its dropped connections: a websocket to the server
    that closed before the student left (Streamlit's page opens a new one and goes on)."""
    page.on("pageerror", lambda e: student.errors.append(f"javascript: {e}"))

    def dropped(_ws) -> None:
        if not student.leaving and id(page) not in student.closed:
            student.dropped += 1

    page.on("websocket", lambda ws: ws.on("close", dropped))


async def leave(context, student: Student) -> None:
    """The student closes every tab of theirs."""
    student.leaving = True
    await context.close()


async def exceptions(page) -> int:
    return await page.locator('[data-testid="stException"]').count()


async def press_slider(page, presses: int, pause: tuple[float, float] = (0.2, 0.8), timeout: float = 60_000,
                       answers: list[float] | None = None, selector: str = SLIDER, key: str | None = None,
                       chart: int = 0) -> list[float]:
    """Seconds from each key press to the redraw of the ``chart``-th chart (any chart if < 0),
    waiting for the rerun to end before the next; with ``answers``, also each press's seconds until
    the server's first message. ``key``: every press the same way (each value new, so none comes
    from a cache); by default right and left in turn."""
    slider = page.locator(selector)
    await slider.focus(timeout=timeout)
    times = []
    for i in range(presses):
        await page.evaluate(_REMEMBER)
        pressed = await page.evaluate("performance.now()")
        t0 = time.perf_counter()
        await slider.press(key or ("ArrowRight" if i % 2 == 0 else "ArrowLeft"), timeout=timeout)
        await page.wait_for_function(_CHANGED, arg=chart, timeout=timeout)
        times.append(time.perf_counter() - t0)
        if answers is not None:
            first = await page.evaluate("(t) => window.__reluLabMessages.find(m => m > t)", pressed)
            if first is not None:
                answers.append((first - pressed) / 1000)
        await page.wait_for_selector(READY, timeout=timeout)
        await asyncio.sleep(random.uniform(*pause))
    return times


async def open_gallery(context, url: str, student: Student):
    page = await context.new_page()
    await page.add_init_script(WS_CLOCK)
    await watch_errors(page, student)
    await page.goto(url + GALLERY, timeout=NAVIGATION_TIMEOUT)
    await page.wait_for_selector(READY, timeout=120_000)
    await page.wait_for_selector(".js-plotly-plot", timeout=120_000)
    return page


async def train(context, url: str, student: Student, link: str, together: "Together | None" = None,
                now: asyncio.Event | None = None):
    """Open the lab with the preset and press Train (with ``together``, at the same moment as every
    other student who trains; with ``now``, not before it is set); returns the page and the time of
    the press."""
    page = await context.new_page()
    await watch_errors(page, student)
    await page.goto(url + link, timeout=NAVIGATION_TIMEOUT)
    await page.wait_for_selector(READY, timeout=120_000)
    button = page.get_by_role("button", name="Train")
    await button.wait_for(timeout=120_000)
    await arrive(student, now)
    if together is None:
        await button.click(timeout=NAVIGATION_TIMEOUT)
    else:
        await together.press(button, student)
    student.pressed_train = True
    return page, time.perf_counter()


class Together:
    """The teacher's "now": the students who train press Train at once, when all of them have the
    lab open. For that moment the class's browsers leave their low-priority CPU group (students'
    own computers deliver a click at once; starved, these delivered eight presses over 14 s while
    the first runs trained), and go back once every press is made."""

    def __init__(self, n: int):
        self.n, self.done, self.pids = n, 0, []
        self.barrier = asyncio.Barrier(n)

    async def press(self, button, student: Student) -> None:
        try:
            if self.barrier.n_waiting == self.n - 1:  # the last to arrive: no await before the release
                self.pids = class_cpu_group(low=False)
            await asyncio.wait_for(self.barrier.wait(), NAVIGATION_TIMEOUT / 1000)
        except asyncio.TimeoutError:  # someone's lab did not load: press alone
            student.errors.append("together: not every lab page loaded")
        try:
            await button.click(timeout=NAVIGATION_TIMEOUT)
        finally:
            self.done += 1
            if self.done == self.n:
                class_cpu_group(low=True, pids=self.pids)


async def arrive(student: Student, now: asyncio.Event | None) -> None:
    """The student's page has loaded: wait for the teacher's "now" (``mixed``'s, once the whole
    class has its pages open)."""
    student.ready = True
    if now is not None:
        await now.wait()


async def follow_run(page, pressed: float, student: Student) -> None:
    """Wait for the run's results to be drawn. (Not for its "running" state first: a run that
    starts and ends between two polls of a queued page is never seen running. Its times in the
    queue and training come from the server's log.)"""
    try:  # or the page says the server stopped it (its connection dropped for longer than the idle rule)
        results, stopped = page.get_by_text("Results", exact=True), page.get_by_text("Stopped:")
        await results.or_(stopped).first.wait_for(timeout=RUN_TIMEOUT * 1000)
        if await results.count():
            student.finished_in = time.perf_counter() - pressed
        else:
            student.errors.append("run: stopped by the server")
    except Exception as e:  # a timeout: the run did not finish
        student.errors.append(f"run: {type(e).__name__}")


async def run_student(browser, url: str, student: Student, link: str, start_after: float,
                      together: Together | None = None) -> None:
    await asyncio.sleep(start_after)
    context = await browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        follow = None
        if student.trains:
            lab, pressed = await train(context, url, student, link, together)
            follow = asyncio.create_task(follow_run(lab, pressed, student))
        gallery = await open_gallery(context, url, student)
        try:
            student.presses = await press_slider(gallery, PRESSES, timeout=NAVIGATION_TIMEOUT)
        except Exception as e:
            student.errors.append(f"gallery: {type(e).__name__}")
        if follow is not None:
            await follow
        for page in context.pages:
            if await exceptions(page):
                student.errors.append("exception drawn")
    except Exception as e:
        student.errors.append(f"{type(e).__name__}: {str(e)[:100]}")
    finally:
        await leave(context, student)


class ServerSampler:
    """The server's memory (with its workers) each second, in a thread, and the CPU time its own
    process (the web server, without the workers) used meanwhile."""

    def __init__(self, srv):
        self.srv, self.peak, self._stop = srv, 0, threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self.cpu = 0.0

    def _run(self):
        while not self._stop.wait(1.0):
            self.peak = max(self.peak, self.srv.memory())

    def __enter__(self):
        self.peak, self._cpu0 = self.srv.memory(), cpu_seconds(self.srv.process.pid)
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self.cpu = cpu_seconds(self.srv.process.pid) - self._cpu0


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of one process (its threads, not its children)."""
    import os

    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


async def one_run(url: str, srv) -> float:
    """Seconds one run alone on the server takes, queue and training (the preset), as the server
    times it."""
    from playwright.async_api import async_playwright

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            context = await browser.new_context(viewport={"width": 1400, "height": 1000})
            student = Student(trains=True)
            lab, pressed = await train(context, url, student, preset_link())
            await follow_run(lab, pressed, student)
            assert student.finished_in is not None, student.errors
            queue, training, _ = server_runs(srv.log())[-1]
            return queue + training
        finally:
            await browser.close()


CLASS_CGROUP = "/sys/fs/cgroup/cpu/relu-lab-class"  # cgroup v1's CPU controller, where this machine has it


def low_priority_chromium() -> tuple[str, str]:
    """A Chromium for the class's browsers that gets only CPU nobody else wants: on this one
    machine they stand in for the students' own computers. Chromium sets its own processes'
    nice values (to -8 for a visible page), so a lower nice does not hold; a CPU cgroup with the
    smallest share does, where the machine offers one (root, cgroup v1). Returns (the executable,
    how it was lowered)."""
    import os
    import tempfile

    path = os.path.join(tempfile.gettempdir(), "relu-lab-chromium-low.sh")
    try:
        os.makedirs(CLASS_CGROUP, exist_ok=True)
        try:  # SCHED_IDLE for the whole group (Linux 5.15): any other task that wakes preempts it at once
            with open(os.path.join(CLASS_CGROUP, "cpu.idle"), "w") as f:
                f.write("1")
            how = "a CPU cgroup scheduled as idle (SCHED_IDLE: any other task that wakes preempts it)"
        except OSError:  # an older kernel: the smallest share (an idle group refuses shares, so not both)
            with open(os.path.join(CLASS_CGROUP, "cpu.shares"), "w") as f:
                f.write("2")
            how = "a CPU cgroup with 2 shares (the default is 1,024)"
        join = f'echo $$ > {CLASS_CGROUP}/cgroup.procs\n'
    except OSError:
        join, how = "", "nice 19 (Chromium renices some of its processes)"
    with open(path, "w") as f:
        f.write(f'#!/bin/sh\n{join}exec nice -n 19 {CHROMIUM} "$@"\n')
    os.chmod(path, 0o755)
    return path, how


def class_cpu_group(low: bool, pids: list[int] | None = None) -> list[int]:
    """Move the class's browser processes out of their low-priority CPU group into the machine's
    root group (``low`` False), or ``pids`` and their descendants back into it (all but the
    network service: see ``lift_network_service``); returns the processes moved. Nothing where
    the machine has no such group."""
    if pids is None:
        pids = _in_class_group()
    else:  # and the processes the class's browser started meanwhile (a new tab's renderer)
        pids = sorted(p for p in set(pids) | set(_same_browser(pids)) if not _network_service(p))
    return _move(pids, low)


def _in_class_group() -> list[int]:
    import os

    try:
        with open(os.path.join(CLASS_CGROUP, "cgroup.procs")) as f:
            return [int(line) for line in f]
    except OSError:
        return []


def _move(pids: list[int], low: bool) -> list[int]:
    """Move ``pids`` into the class's low-priority group (``low``) or the machine's root group;
    returns those moved (not the processes that have ended, nor any where there is no such group)."""
    import os

    procs = os.path.join(CLASS_CGROUP if low else os.path.dirname(CLASS_CGROUP), "cgroup.procs")
    moved = []
    for pid in pids:
        try:
            with open(procs, "w") as f:
                f.write(str(pid))
            moved.append(pid)
        except OSError:
            pass
    return moved


def _cmdline(pid) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return f.read().decode(errors="replace")
    except OSError:
        return ""


def _network_service(pid) -> bool:
    """(Chromium rewrites its command line, so the type is found in the text, not in one argument.)"""
    return "--utility-sub-type=network.mojom.NetworkService" in _cmdline(pid)


def lift_network_service() -> list[int]:
    """Move the class's Chromium's network service out of the low-priority group: a student's
    browser on a computer of its own answers the server's websocket pings at once; starved with
    everything else while both cores trained (2026-12-06, run D), it answered none for 30 s and the
    server closed 5 of 10 trainers' connections. Only the network service: the browser process and
    the GPU process composite all 30 pages in software and, lifted with it, took both cores (30
    pages then took 652 s to load, against 167 s)."""
    return _move([pid for pid in _in_class_group() if _network_service(pid)], low=False)


def _same_browser(pids: list[int]) -> list[int]:
    """Every process of the Chromium that ``pids`` belong to: each carries its profile's
    ``--user-data-dir`` on its command line."""
    import os
    import re

    dirs = {m for pid in pids for m in re.findall(r"--user-data-dir=([^\x00 ]+)", _cmdline(pid))}
    return [int(p) for p in os.listdir("/proc") if p.isdigit() and any(d in _cmdline(p) for d in dirs)]


def server_runs(log: str) -> list[tuple[float, float, float]]:
    """(seconds in the queue, seconds training, when the request arrived: seconds since the epoch)
    of every run the server's log says ended normally (its line is written as the run ends)."""
    import re
    from datetime import datetime

    runs = []
    for stamp, q, t in re.findall(r"^(\S+ \S+) \S+ relu_lab\.runs: run \d+ (?:done|stopped): ([\d.]+) s in the queue, "
                                  r"([\d.]+) s training", log, re.M):
        ended = datetime.strptime(stamp, "%Y-%m-%d %H:%M:%S,%f").timestamp()
        runs.append((float(q), float(t), ended - float(q) - float(t)))
    return runs


async def launch(p, low: bool):
    """The measuring session's browser, and the class's (at low priority where ``low``)."""
    probe = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
    cls = await p.chromium.launch(executable_path=low_priority_chromium()[0] if low else CHROMIUM,
                                  args=CHROMIUM_ARGS, headless=True)
    if low:
        lift_network_service()
    return probe, cls


async def scenario(url: str, srv, n: int, share: float, low: bool = True) -> dict:
    import os

    from playwright.async_api import async_playwright

    link, load, logged = preset_link(), os.getloadavg()[0], len(server_runs(srv.log()))
    async with async_playwright() as p:
        probe_browser, browser = await launch(p, low)
        try:
            probe = Student(trains=False)
            context = await probe_browser.new_context(viewport={"width": 1400, "height": 1000})
            gallery = await open_gallery(context, url, probe)
            idle_answers, loaded_answers = [], []
            idle = await press_slider(gallery, PRESSES, answers=idle_answers)
            trainers = round(n * share)
            students = [Student(trains=i < trainers) for i in range(n)]
            random.shuffle(students)
            with ServerSampler(srv) as sampler:
                t0 = time.perf_counter()
                together = Together(trainers) if trainers else None
                tasks = [asyncio.create_task(run_student(browser, url, s, link, random.uniform(0, 3), together))
                         for s in students]
                if together is None:
                    await asyncio.sleep(8)  # the class has opened its pages
                else:  # until the students who train have pressed Train, together
                    while (sum(s.pressed_train for s in students) < trainers and not all(t.done() for t in tasks)
                           and time.perf_counter() - t0 < 2 * NAVIGATION_TIMEOUT / 1000):
                        await asyncio.sleep(0.05)
                    await asyncio.sleep(1)
                try:
                    loaded = await press_slider(gallery, PRESSES, answers=loaded_answers)
                except Exception as e:
                    probe.errors.append(f"gallery: {type(e).__name__}")
                    loaded = []
                await asyncio.gather(*tasks)
                wall = time.perf_counter() - t0
            if await exceptions(gallery):
                probe.errors.append("exception drawn")
            await leave(context, probe)
        finally:
            await browser.close()
            await probe_browser.close()
    runs = [s for s in students if s.trains]
    on_server = server_runs(srv.log())[logged:]  # this row's runs, as the server timed them
    finished = [q + t for q, t, _ in on_server]
    waits = [q for q, _, _ in on_server]
    arrivals = [a for _, _, a in on_server]
    seen = sum(s.finished_in is not None for s in runs)  # results drawn in the student's page
    problems = [e for s in [probe, *students] for e in s.errors]
    page_errors = [e for e in problems if e.startswith(("javascript", "exception"))]
    return dict(n=n, share=share, trainers=len(runs), load=load, page_errors=page_errors, seen=seen, finished=len(finished), run_times=finished, waits=waits,
                arrived_over=max(arrivals) - min(arrivals) if arrivals else float('nan'),
                idle=idle, loaded=loaded, idle_answers=idle_answers, loaded_answers=loaded_answers, errors=[e for s in [probe, *students] for e in s.errors],
                memory=sampler.peak, wall=wall, web_cpu=sampler.cpu / wall,
                student_presses=[t for s in students for t in s.presses])


PLAY_SECONDS = 30.0
PLAY_BOARD = "() => window.__stepwise && window.__stepwise.lab ? window.__stepwise.lab.epoch : -1"


async def play(browser, url: str, student: Student, together: asyncio.Barrier, epochs: list[int],
               stop: asyncio.Event | None = None, now: asyncio.Event | None = None) -> None:
    """Open the step-by-step lab, press Play with the others, play ``PLAY_SECONDS`` (or until
    ``stop``), note the epoch reached and close the tab while it plays."""
    context = await browser.new_context(viewport={"width": 1280, "height": 800})
    try:
        page = await context.new_page()
        await watch_errors(page, student)
        await page.goto(url + "/playground", timeout=NAVIGATION_TIMEOUT)
        await page.wait_for_selector(READY, timeout=NAVIGATION_TIMEOUT)
        await page.wait_for_function(f"() => ({PLAY_BOARD})() >= 0", timeout=NAVIGATION_TIMEOUT)
        await arrive(student, now)
        try:
            await asyncio.wait_for(together.wait(), NAVIGATION_TIMEOUT / 1000)
        except asyncio.TimeoutError:
            student.errors.append("together: not every page loaded")
        await page.get_by_role("button", name="Play").click(timeout=NAVIGATION_TIMEOUT)
        student.pressed_train = True
        await (stop.wait() if stop is not None else asyncio.sleep(PLAY_SECONDS))
        epochs.append(await page.evaluate(PLAY_BOARD))
        if await exceptions(page):
            student.errors.append("exception drawn")
    except Exception as e:
        student.errors.append(f"{type(e).__name__}: {str(e)[:100]}")
    finally:
        await leave(context, student)  # every tab closes while it plays


async def players(url: str, srv, n: int, low: bool) -> dict:
    """N students pressing Play together on the step-by-step lab (see the module's notes)."""
    import os

    from playwright.async_api import async_playwright

    load = os.getloadavg()[0]
    async with async_playwright() as p:
        probe_browser, browser = await launch(p, low)
        try:
            probe = Student(trains=False)
            context = await probe_browser.new_context(viewport={"width": 1400, "height": 1000})
            gallery = await open_gallery(context, url, probe)
            idle = await press_slider(gallery, PRESSES)
            students, epochs = [Student(trains=True) for _ in range(n)], []
            together = asyncio.Barrier(n)
            tasks = [asyncio.create_task(play(browser, url, s, together, epochs)) for s in students]
            t0 = time.perf_counter()
            while sum(s.pressed_train for s in students) < n and not all(t.done() for t in tasks) \
                    and time.perf_counter() - t0 < 2 * NAVIGATION_TIMEOUT / 1000:
                await asyncio.sleep(0.05)
            with ServerSampler(srv) as sampler:
                t1 = time.perf_counter()
                try:
                    loaded = await press_slider(gallery, PRESSES)
                except Exception as e:
                    probe.errors.append(f"gallery: {type(e).__name__}")
                    loaded = []
                await asyncio.sleep(max(0.0, PLAY_SECONDS - 2 - (time.perf_counter() - t1)))
                window = time.perf_counter() - t1
            await asyncio.gather(*tasks)
            await asyncio.sleep(5)  # the closed tabs' connections wind down
            await leave(context, probe)
        finally:
            await browser.close()
            await probe_browser.close()
    log = srv.log()
    problems = [e for s in [probe, *students] for e in s.errors]
    return dict(n=n, load=load, idle=idle, loaded=loaded, epochs=epochs, web_cpu=sampler.cpu / window,
                memory=sampler.peak, errors=problems,
                page_errors=[e for e in problems if e.startswith(("javascript", "exception"))],
                tracebacks=log.count("Traceback"), asgi=log.count("Exception in ASGI application"),
                dropped=sum(s.dropped for s in [probe, *students]))


def slider_labelled(label: str) -> str:
    return f'[data-testid="stSlider"] input[type="range"][aria-label="{label}"]'


#: bench_lessons' sliders by their link's field (runtime/page_state), so that a page opened again
#: goes on from the value where the last one stopped.
LESSON_FIELDS = {"Show training step": "die_step", "Learning rate": "die_lr", "Depth (hidden layers)": "depth",
                 "Depth": "norm_depth"}


def mixed_sliders() -> list[tuple[str, str, str, str, str | None]]:
    """The measuring session's sliders in the mixed class: the gallery's α (nothing memoised) and
    bench_lessons' lesson sliders, each pressed one way (every value new to the server's memo);
    (name, path, selector, key, the link's field)."""
    from bench.bench_lessons import CASES

    return [("Gallery: α", GALLERY, SLIDER, "ArrowRight", None)] + [
        (name, "/" + path, slider_labelled(label), key, LESSON_FIELDS[label]) for name, path, label, key, *_ in CASES]


async def open_measured(context, url: str, path: str, student: Student):
    """A page of the measuring session: the server's messages timed, loaded and settled."""
    page = await context.new_page()
    await page.add_init_script(WS_CLOCK)
    await watch_errors(page, student)
    await page.goto(url + path, timeout=NAVIGATION_TIMEOUT)
    await page.wait_for_selector(READY, timeout=NAVIGATION_TIMEOUT)
    await page.wait_for_selector(".js-plotly-plot", timeout=NAVIGATION_TIMEOUT)
    await page.wait_for_timeout(800)
    return page


async def close_measured(page, probe: Student) -> None:
    probe.closed.add(id(page))
    await page.close()


MIXED_PRESSES = 10  # per slider and phase: 20 values one way stay inside every slider's range


async def lesson_student(browser, url: str, student: Student, stop: asyncio.Event,
                         now: asyncio.Event | None = None) -> None:
    """A student on a lesson page moving its slider (one of bench_lessons' sliders, in turn) until ``stop``."""
    name, path, selector, key, _ = random.choice(mixed_sliders()[1:])
    context = await browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        page = await context.new_page()
        await watch_errors(page, student)
        await page.goto(url + path, timeout=NAVIGATION_TIMEOUT)
        await page.wait_for_selector(READY, timeout=NAVIGATION_TIMEOUT)
        await page.wait_for_selector(".js-plotly-plot", timeout=NAVIGATION_TIMEOUT)
        await arrive(student, now)
        student.pressed_train = True
        turn = 0
        while not stop.is_set():  # there and back: its values come from the memo on the way back
            back = {"ArrowRight": "ArrowLeft", "ArrowLeft": "ArrowRight"}[key] if turn % 2 else key
            student.presses += await press_slider(page, 5, timeout=NAVIGATION_TIMEOUT, selector=selector, key=back,
                                                  chart=-1)
            turn += 1
        if await exceptions(page):
            student.errors.append("exception drawn")
    except Exception as e:
        student.errors.append(f"{name}: {type(e).__name__}: {str(e)[:100]}")
    finally:
        await leave(context, student)


async def trainer(browser, url: str, student: Student, together: Together, now: asyncio.Event | None = None) -> None:
    """A student who opens the Training lab's preset, presses Train with the others and waits for the results."""
    context = await browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        lab, pressed = await train(context, url, student, preset_link(), together, now)
        await follow_run(lab, pressed, student)
        if await exceptions(lab):
            student.errors.append("exception drawn")
    except Exception as e:
        student.errors.append(f"{type(e).__name__}: {str(e)[:100]}")
    finally:
        await leave(context, student)


async def mixed(url: str, srv, playing: int, training: int, lessons: int, low: bool) -> dict:
    """A mixed class: ``playing`` students in the step-by-step lab, ``training`` pressing Train in the
    Training lab, ``lessons`` moving lesson sliders; the measuring session presses each of
    ``mixed_sliders`` before the class arrives (idle) and while it works."""
    import os

    from playwright.async_api import async_playwright

    load, logged, sliders = os.getloadavg()[0], len(server_runs(srv.log())), mixed_sliders()
    logged_at = len(srv.log())
    async with async_playwright() as p:
        probe_browser, browser = await launch(p, low)
        try:
            probe = Student(trains=False)
            context = await probe_browser.new_context(viewport={"width": 1400, "height": 1000})
            # One page open at a time: the measuring session's own open pages would load its browser.
            idle, loaded, answers, reached = {}, {}, {"idle": {}, "loaded": {}}, {}
            for name, path, selector, key, field_ in sliders:
                page = await open_measured(context, url, path, probe)
                idle[name] = await press_slider(page, MIXED_PRESSES, selector=selector, key=key, chart=-1,
                                                answers=answers["idle"].setdefault(name, []))
                if field_:
                    reached[name] = f"{'&' if '?' in path else '?'}{field_}={await page.locator(selector).get_attribute('aria-valuenow')}"
                await close_measured(page, probe)
            stop, epochs = asyncio.Event(), []
            players_, trainers_ = [Student(trains=True) for _ in range(playing)], [Student(trains=True) for _ in range(training)]
            lessons_ = [Student(trains=False) for _ in range(lessons)]
            together_play, together_train = asyncio.Barrier(max(playing, 1)), Together(max(training, 1))
            # The teacher's "now": nobody plays, trains or moves a slider before the whole class has its
            # pages open. (Students' own computers load a page in seconds; here 30 pages load on the
            # server's two cores, and one that loads while others already train waited over 180 s.)
            now = asyncio.Event()
            tasks = ([asyncio.create_task(play(browser, url, s, together_play, epochs, stop, now)) for s in players_]
                     + [asyncio.create_task(trainer(browser, url, s, together_train, now)) for s in trainers_]
                     + [asyncio.create_task(lesson_student(browser, url, s, stop, now)) for s in lessons_])
            everyone = players_ + trainers_ + lessons_
            t0 = time.perf_counter()

            async def until(flag: str) -> None:  # every student has it, or has given up (its task ended)
                while sum(getattr(s, flag) or t.done() for s, t in zip(everyone, tasks)) < len(everyone) \
                        and time.perf_counter() - t0 < 2 * NAVIGATION_TIMEOUT / 1000:
                    await asyncio.sleep(0.05)

            await until("ready")
            opened = time.perf_counter() - t0
            now.set()
            await until("pressed_train")
            arrived = time.perf_counter() - t0
            with ServerSampler(srv) as sampler:
                t1 = time.perf_counter()
                for name, path, selector, key, _ in sliders:
                    try:  # on from where the idle presses stopped: every value new
                        page = await open_measured(context, url, path + reached.get(name, ""), probe)
                        loaded[name] = await press_slider(page, MIXED_PRESSES, timeout=NAVIGATION_TIMEOUT,
                                                          selector=selector, key=key, chart=-1,
                                                          answers=answers["loaded"].setdefault(name, []))
                        if await exceptions(page):
                            probe.errors.append("exception drawn")
                        await close_measured(page, probe)
                    except Exception as e:
                        probe.errors.append(f"{name}: {type(e).__name__}")
                        loaded[name] = []
                window = time.perf_counter() - t1
                stop.set()
                await asyncio.gather(*tasks)
            await asyncio.sleep(5)  # the closed tabs' connections wind down
            await leave(context, probe)
        finally:
            await browser.close()
            await probe_browser.close()
    log = srv.log()
    on_server = server_runs(log)[logged:]
    problems = [e for s in [probe, *everyone] for e in s.errors]
    return dict(load=load, idle=idle, loaded=loaded, answers=answers, window=window, arrived=arrived, opened=opened,
                web_cpu=sampler.cpu / window,
                memory=sampler.peak, errors=problems, epochs=epochs, playing=playing, training=training,
                lessons=lessons, runs=[q + t for q, t, _ in on_server],
                results_drawn=sum(s.finished_in is not None for s in trainers_),
                class_presses=[t for s in lessons_ for t in s.presses],
                page_errors=[e for e in problems if e.startswith(("javascript", "exception"))],
                tracebacks=log.count("Traceback"), asgi=log.count("Exception in ASGI application"),
                dropped=sum(s.dropped for s in [probe, *everyone]),
                gone=log[logged_at:].count("its client has gone"))


MIXED_HEADER = ("| Slider (the measuring session) | p50 / p95 idle (ms) | p50 / p95 in the mixed class (ms) | p95 ÷ idle "
                "| goal | Server's answer p50 / p95 idle (ms) | Server's answer p50 / p95 in the class (ms) |\n"
                "|---|---|---|---|---|---|---|")


def mixed_rows(r: dict) -> str:
    ms = lambda v: f"{1000 * v:,.0f}"  # noqa: E731
    rows = []
    for name, idle in r["idle"].items():
        loaded = r["loaded"].get(name, [])
        ratio = percentile(loaded, 0.95) / percentile(idle, 0.95)
        goal = 1.2 if name.startswith("Gallery") else 2.0
        rows.append(f"| {name} | {ms(percentile(idle, 0.5))} / {ms(percentile(idle, 0.95))} "
                    f"| {ms(percentile(loaded, 0.5))} / {ms(percentile(loaded, 0.95))} | {ratio:.2f}× "
                    f"| ≤ {goal:g}× {'✅' if ratio <= goal else '❌'} "
                    + "".join(f"| {ms(percentile(a, 0.5))} / {ms(percentile(a, 0.95))} "
                              for a in (r["answers"]["idle"].get(name, []), r["answers"]["loaded"].get(name, [])))
                    + "|")
    return "\n".join(rows)


def mixed_summary(r: dict) -> str:
    ms = lambda v: f"{1000 * v:,.0f}"  # noqa: E731
    runs = f"{min(r['runs']):.0f}–{max(r['runs']):.0f} s" if r["runs"] else "none logged"
    return (f"{r['playing']} playing, {r['training']} training, {r['lessons']} on lesson pages: the class had its pages "
            f"open after {r['opened']:.0f} s and had pressed Play or Train after {r['arrived']:.0f} s; the measuring window lasted "
            f"{r['window']:.0f} s. The {r['training']} runs took {runs} on the server (queue + training), results drawn in "
            f"{r['results_drawn']} of {r['training']} pages; the lesson students' own presses p50 / p95 "
            f"{ms(percentile(r['class_presses'], 0.5))} / {ms(percentile(r['class_presses'], 0.95))} ms "
            f"({len(r['class_presses'])} presses, their browsers at low priority). The web process used "
            f"{100 * r['web_cpu']:.0f} % of a core; server memory with its workers peaked at {r['memory'] / 1e9:.2f} GB. "
            f"Page errors {len(r['page_errors'])}, timeouts {len(r['errors']) - len(r['page_errors'])}, dropped "
            f"connections {r['dropped']} (a page's websocket closed while its student stayed), runs stopped because "
            f"their client had gone {r['gone']}, server log: {r['tracebacks']} tracebacks, {r['asgi']} ASGI exceptions.")


PLAY_HEADER = ("| Students playing | Server's web process: CPU per student (% of a core) | Gallery p95 idle → playing (ms) "
               "| p95 ÷ idle | Epochs reached in the students' pages (min–median–max, ≈ 30 s of play on shared cores) "
               "| Page errors | Timeouts | Server log: tracebacks / ASGI exceptions after the tabs closed | Server memory (peak) |\n"
               "|---|---|---|---|---|---|---|---|---|")


def play_row(r: dict) -> str:
    ms = lambda v: f"{1000 * v:,.0f}"  # noqa: E731
    p95_idle, p95 = percentile(r["idle"], 0.95), percentile(r["loaded"], 0.95)
    e = sorted(r["epochs"])
    span = f"{e[0]}–{e[len(e) // 2]}–{e[-1]}" if e else "–"
    return (f"| {r['n']} | {100 * r['web_cpu'] / r['n']:.1f} | {ms(p95_idle)} → {ms(p95)} | {p95 / p95_idle:.2f}× | {span} "
            f"| {len(r['page_errors'])} | {len(r['errors']) - len(r['page_errors'])} | {r['tracebacks']} / {r['asgi']} "
            f"| {r['memory'] / 1e9:.2f} GB |")


def play_goals(r: dict) -> str:
    """The largest row against issue 23's goals: under 5 % of a core per student, gallery p95 ≤ 1.2× idle."""
    cpu, ratio = 100 * r["web_cpu"] / r["n"], percentile(r["loaded"], 0.95) / percentile(r["idle"], 0.95)
    return (f"Goals with {r['n']} playing: the web process's CPU {cpu:.1f} % of a core per student (goal under 5 %) "
            f"{'✅' if cpu < 5 else '❌'}; another student's gallery p95 {ratio:.2f}× idle (goal ≤ 1.2×) "
            f"{'✅' if ratio <= 1.2 else '❌'}.")


def step_by_step(args) -> None:
    results = []
    with server_process() as srv:
        for n in args.sessions:
            r = players(srv.url, srv, n, not args.class_normal)
            r = asyncio.run(r)
            results.append(r)
            print(play_row(r), f"(dropped connections: {r['dropped']})", flush=True)
            if r["errors"]:
                print("   errors:", sorted(set(r["errors"]))[:10], flush=True)
    print(PLAY_HEADER)
    for r in results:
        print(play_row(r))
    if not args.write_docs:
        return
    body = f"""`python -m bench.load_classroom --step-by-step --write-docs`, measured {time.strftime('%Y-%m-%d')} on {machine()};
one server and every browser on the same machine, loopback; the class's browsers at the lowest priority this machine
allows ({"normal priority" if args.class_normal else low_priority_chromium()[1]}). N students open the step-by-step lab
(`/playground`, its defaults: five activations, layers 4, 2) and press Play together once all have it open; they play
≈ {PLAY_SECONDS:.0f} s and close their tabs at once. A session that never plays moves the gallery's α slider {PRESSES} times
before (idle) and while they play. The web process's CPU is measured over the playing window; the networks train in
the students' pages, so the server's share is what the page costs it. Load average (1 min) as each row began:
{", ".join(f"{r['load']:.1f}" for r in results)} (2 cores; the load average counts every process on the machine, the
class's browsers and those of the row before, still closing, included). {args.note}

{PLAY_HEADER}
{chr(10).join(play_row(r) for r in results)}

{play_goals(results[-1])}

The class's pages here share the server's two cores, so their epochs say nothing about a real class, where each
student has a computer: one student's speed is the "Step-by-step lab" section's."""
    write_section("Classroom load: step-by-step lab", body)


def mixed_class(args) -> None:
    with server_process() as srv:
        asyncio.run(mixed(srv.url, srv, 1, 1, 1, not args.class_normal))  # warm-up: first visits, imports
        r = asyncio.run(mixed(srv.url, srv, *args.mixed, not args.class_normal))
    print(MIXED_HEADER)
    print(mixed_rows(r))
    print(mixed_summary(r))
    if r["errors"]:
        print("   errors:", sorted(set(r["errors"]))[:10], flush=True)
    if not args.write_docs:
        return
    body = f"""`python -m bench.load_classroom --mixed {' '.join(map(str, args.mixed))} --write-docs`, measured {time.strftime('%Y-%m-%d')} on {machine()};
one server and every browser on the same machine, loopback; the class's browsers at the lowest priority this machine
allows ({"normal priority" if args.class_normal else low_priority_chromium()[1]}; all but its network service,
which runs at normal priority, as on a student's own computer, which answers the server's websocket pings at
once). A mixed class of {sum(args.mixed)} opens its pages, and once
every page is open (the teacher's "now"), {args.mixed[0]} students press Play in the step-by-step lab together, {args.mixed[1]} press Train in the Training lab
together (the preset "{PRESET}"), {args.mixed[2]} move a lesson slider (one of the sliders below, each its own, there
and back) until the measuring session is done. The measuring session, a browser of its own at normal priority,
presses each slider below {MIXED_PRESSES} times before the class arrives (idle) and {MIXED_PRESSES} more, the same
way, once every student has pressed (every value new, so none comes from the server's memo: the page is opened again
with its link at the value where the idle presses stopped); one page of it is open at a time. A warm-up class of one
ran first on the same server (first visits, imports). Load average (1 min) as the row began: {r['load']:.1f}.
{args.note}

{MIXED_HEADER}
{mixed_rows(r)}

{mixed_summary(r)}"""
    write_section("Classroom load: a mixed class", body)


def row(r: dict, alone: float, workers: int) -> str:
    ms = lambda v: f"{1000 * v:,.0f}"  # noqa: E731
    span = lambda v: f"{min(v):.0f}–{max(v):.0f} s" if v else "–"  # noqa: E731
    p50_idle, p95_idle = percentile(r["idle"], 0.5), percentile(r["idle"], 0.95)
    p50, p95 = percentile(r["loaded"], 0.5), percentile(r["loaded"], 0.95)
    goal = max(r["trainers"], 1) * alone / workers
    return (f"| {r['n']} | {r['trainers']} | {r['seen']} of {r['trainers']} | {span(r['run_times'])} "
            f"| {max(r['run_times'], default=float('nan')) / goal:.2f} | {r['arrived_over']:.1f} s | {span(r['waits'])} | {ms(p50_idle)} / {ms(p95_idle)} | {ms(p50)} / {ms(p95)} "
            f"| {p95 / p95_idle:.1f}× | {ms(percentile(r['idle_answers'], 0.5))} / {ms(percentile(r['idle_answers'], 0.95))} "
            f"| {ms(percentile(r['loaded_answers'], 0.5))} / {ms(percentile(r['loaded_answers'], 0.95))} "
            f"| {ms(percentile(r['student_presses'], 0.5))} / "
            f"{ms(percentile(r['student_presses'], 0.95))} | {len(r['page_errors'])} "
            f"| {len(r['errors']) - len(r['page_errors'])} | {r['memory'] / 1e9:.2f} GB "
            f"| {r['web_cpu']:.2f} |")


HEADER = ("| Sessions | Training | Results drawn | Run time on the server (queue + training) "
          "| Slowest ÷ (N × one run ÷ workers) "
          "| Train presses reached the server within | Queue wait | "
          "Gallery p50 / p95 idle (ms) | Gallery p50 / p95 under load (ms) | p95 ÷ idle | "
          "Server's answer p50 / p95 idle (ms) | Server's answer p50 / p95 under load (ms) | "
          "All students' presses p50 / p95 (ms) | Page errors | Timeouts | Server memory (peak) | Web process (cores) |\n"
          "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sessions", type=int, nargs="+", default=[8, 16, 30])
    ap.add_argument("--shares", type=float, nargs="+", default=[0.25, 1.0])
    ap.add_argument("--write-docs", action="store_true")
    ap.add_argument("--note", default="", help="a sentence on the conditions (e.g. other work on the machine)")
    ap.add_argument("--step-by-step", action="store_true", help="students pressing Play in the step-by-step lab")
    ap.add_argument("--class-normal", action="store_true",
                    help="the class's browsers at the server's priority (default: as low as this machine allows)")
    ap.add_argument("--mixed", type=int, nargs=3, metavar=("PLAYING", "TRAINING", "LESSONS"),
                    help="a mixed class, e.g. 10 10 10: the step-by-step lab, the Training lab and lesson pages")
    args = ap.parse_args()
    if args.step_by_step:
        return step_by_step(args)
    if args.mixed:
        return mixed_class(args)
    from training.runner import MAX_CONCURRENT

    results = []
    with server_process() as srv:
        alone = min(asyncio.run(one_run(srv.url, srv)) for _ in range(2))
        print(f"one run alone: {alone:.1f} s", flush=True)
        for n in args.sessions:
            for share in args.shares:
                r = asyncio.run(scenario(srv.url, srv, n, share, not args.class_normal))
                results.append(r)
                print(row(r, alone, MAX_CONCURRENT), flush=True)
                if r["errors"]:
                    print("   errors:", sorted(set(r["errors"]))[:10], flush=True)
        log = srv.log()
    print(HEADER)
    for r in results:
        print(row(r, alone, MAX_CONCURRENT))
    body = f"""`python -m bench.load_classroom --write-docs`, measured {time.strftime('%Y-%m-%d')} on {machine()};
one server (`RELU_LAB_MAX_RUNS` = {MAX_CONCURRENT} workers, one torch thread each) and every browser session on the
same machine, loopback. The class's sessions are pages of one Chromium run at the lowest priority this machine
allows ({"normal priority" if args.class_normal else low_priority_chromium()[1]}): on one machine they stand in for
the students' own computers, taking only the CPU that the server leaves; the measuring session has a Chromium of
its own at normal priority, as a student's browser on a machine of its own. Each student opens the gallery and moves its α slider {PRESSES} times (waiting for each
redraw, then 0.2–0.8 s); the training share first opens the training lab with the preset "{PRESET}"
in a tab of their own, and they press Train together once all of them have it open (the teacher's "now"), then keep
that tab open while they use the gallery. The gallery columns are a session that never trains: {PRESSES} key
presses before the class arrives (idle) and {PRESSES} while it works, in the same run; "server's answer" is the part
of each press until the page received the server's first message (the rest is the browser drawing, on the same
cores as every other session's browser). Page errors are exceptions drawn in a page and JavaScript errors;
timeouts are the benchmark's own waits that ran out (a page that did not load in 180 s, a run not finished in
{RUN_TIMEOUT:.0f} s, a redraw not seen in 60 s by the measuring session or in 180 s by a student). Run times are the server's (its log: from the request to the
result, queue included), not the class's browsers', which draw at low priority. One run alone on this server took
{alone:.1f} s (the faster of two); the next column compares the slowest run of a row with N × that ÷
{MAX_CONCURRENT} workers. For the moment of the press the class's browsers leave their low-priority CPU group (a
student's own computer delivers a click at once), so the presses reach the server together: the column after it is
the time from the first run's request to the last's, as the server logged them.
The machine's load average (1 min) as each row began, before its
browsers started: {", ".join(f"{r['load']:.1f}" for r in results)} (2 cores; other work on the machine counts). {args.note}

{HEADER}
{chr(10).join(row(r, alone, MAX_CONCURRENT) for r in results)}

Server log lines with "Traceback" or "terminate called": {sum(line.count('Traceback') + line.count('terminate called') for line in log.splitlines())}.
"""
    print(body)
    if args.write_docs:
        write_section("Classroom load", body)


if __name__ == "__main__":
    main()
