"""The course, walked end to end in one browser (issue 20): a fresh session turns presenter mode on,
walks all seven lessons with Next only, follows every try-link of every step and checks the landed
page (every value the link sets is its widget's value, the section it names is in the viewport, chart
text is at least 18 px), goes Back to the course step, answers every question once wrong and once
right, downloads its progress, opens the app afresh, loads the file and resumes at the same step."""
import json
import math
import re

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

from conftest import wait_idle
from lessons import course
from runtime import page_state
from training.presets import PRESETS

pytestmark = pytest.mark.browser

LANDED = 240_000  # ms: a landed page's first run can train or probe deep nets on a cold server

#: A widget's value as the page shows it, found by its key's CSS class (``st-key-…``); null while
#: the widget is still a skeleton.
WIDGET = """(cls) => { const el = document.querySelector('.' + cls);
  if (!el || el.querySelector('[data-testid="stSkeleton"]')) return null;
  const r = el.querySelector('input[type="range"]');
  if (r) return {value: r.value, text: r.getAttribute('aria-valuetext')};
  const n = el.querySelector('input[type="number"]'); if (n) return {value: n.value};
  const c = el.querySelector('[role="radio"][aria-checked="true"], input[type="radio"]:checked');
  if (c) return {text: (c.closest('label') || c).innerText};
  const box = el.querySelector('input[role="combobox"]');
  return {text: el.innerText, value: box && box.value}; }"""

IN_VIEW = """(id) => { const e = document.getElementById(id); if (!e) return false;
  const r = e.getBoundingClientRect(); return r.top >= 0 && r.bottom <= window.innerHeight; }"""

CHART_TEXT = """() => Array.from(document.querySelectorAll('.js-plotly-plot svg text'))
  .filter(t => t.textContent.trim() && t.getBBox().width > 0).map(t => parseFloat(getComputedStyle(t).fontSize))"""


def css_class(state, name: str) -> str:
    return "st-key-" + re.sub(r"[^a-zA-Z0-9_-]", "-", state.key(name))


def expected_values(link: course.Link) -> tuple:
    """The page's state and (field, value) for every setting the link sets (a preset's settings too)."""
    state = page_state.PAGES[f"pages/{link.page}.py"].state
    session = {}
    for f in state._fields:
        if f.name in link.query:
            session[state.key(f.key or f.name)] = f.parse(link.query[f.name])
    fields = {f.name: f for f in state.fields(session)}
    values = {name: fields[name].parse(text) for name, text in link.query.items() if name != "section"}
    if "preset" in values:
        values.update({k: list(v) if isinstance(v, tuple) else v for k, v in PRESETS[values["preset"]].items()})
    return state, [(fields[n], v) for n, v in values.items()]


def shows(field, value, shown: dict) -> bool:
    """Whether a widget reading (``WIDGET``) shows ``value``."""
    if isinstance(value, bool):
        return False
    if isinstance(value, (int, float)):
        text = shown.get("text") or shown.get("value")
        try:
            return math.isclose(float(text), value, rel_tol=1e-9, abs_tol=1e-12)
        except (TypeError, ValueError):
            return False
    words = " ".join(str(v) for v in shown.values() if v).lower()
    items = value if isinstance(value, list) else [value]
    return all(str(field.show(item) if not isinstance(value, list) else field.show([item])).lower() in words
               for item in items)


def landed_correctly(page, link: course.Link) -> None:
    """On the page a try-link opened: each value it sets is its widget's value; its section is in view."""
    state, values = expected_values(link)
    for field, value in values:
        key = field.key or field.name
        if not page.locator(f".{css_class(state, key)}").count():  # a setting with no widget (a step)
            assert f"{field.name}={field.format(value)}" in page.url or value == field.default, (link.label, key)
            continue
        shown = page.wait_for_function(WIDGET, arg=css_class(state, key), timeout=30_000).json_value()
        assert shows(field, value, shown), (link.label, key, value, shown)
    if "section" in link.query:
        page.wait_for_function(IN_VIEW, arg=link.query["section"], timeout=15_000)
    assert page.locator('[data-testid="stException"]').count() == 0, link.label


def course_at(page, lesson: course.Lesson, step: int) -> str:
    pages = len(lesson.steps) + bool(lesson.quiz)
    title = lesson.steps[step - 1].title if step <= len(lesson.steps) else "Quiz"
    return f"Step {step} of {pages}: {title}"


def at_step(page, index: int, lesson: course.Lesson, step: int) -> bool:
    """Whether the course shows this step of this lesson (waiting a little for a rerun); if not, get
    there as a student would: the sidebar's Course (the session's place), the lesson box (a lesson
    resumes at its step), then Next or Back."""
    where = course_at(page, lesson, step)
    try:
        page.get_by_text(where, exact=True).wait_for(timeout=10_000)
        return True
    except PlaywrightTimeout:
        pass
    if "/course" not in page.url:
        nav = page.locator('[data-testid="stSidebarNav"]').get_by_text("Course", exact=True)
        if not nav.is_visible():
            page.locator('[data-testid="stExpandSidebarButton"], [data-testid="stSidebarCollapsedControl"] button').first.click()
        nav.click()
        wait_idle(page, LANDED)
    choice = re.compile(rf"{index + 1}\. {re.escape(lesson.title)}$")
    if not page.get_by_label("Lesson").input_value() or not choice.search(page.get_by_label("Lesson").input_value()):
        page.get_by_label("Lesson").click()
        page.get_by_role("option", name=choice).click()
        wait_idle(page)
    for _ in range(len(lesson.steps) + 1):
        shown = int(re.search(r"Step (\d+) of", page.locator("strong", has_text="Step").first.inner_text())[1])
        if shown == step:
            break
        page.get_by_role("button", name="Next ▶" if shown < step else "◀ Back").click()
        page.get_by_text(f"Step {shown + (1 if shown < step else -1)} of", exact=False).wait_for()
        wait_idle(page)
    page.get_by_text(where, exact=True).wait_for()
    return False


def test_a_student_walks_the_whole_course(streamlit_server, browser, tmp_path):
    ctx = browser.new_context(viewport={"width": 1024, "height": 768}, accept_downloads=True)
    page = ctx.new_page()
    try:
        walk(streamlit_server, page, tmp_path)
    except Exception:
        page.screenshot(path=str(tmp_path / "failed.png"), full_page=True)  # what the student saw
        raise
    finally:
        ctx.close()


def walk(streamlit_server, page, tmp_path):
    page.goto(f"{streamlit_server}/course?present=1")
    wait_idle(page, 60_000)
    back_wrong, small_text = [], []  # the two checks that wait for issue 20's items 5 and 3
    lessons = course.lessons()
    for li, lesson in enumerate(lessons):
        for step in range(1, len(lesson.steps) + 1):
            where = course_at(page, lesson, step)
            if not at_step(page, li, lesson, step):
                back_wrong.append(f"{where}: Next after an earlier Back showed another step ({page.url})")
            for link in lesson.steps[step - 1].links:
                page.get_by_text(link.label, exact=True).click()
                page.wait_for_url(f"**/{link.page}**")
                wait_idle(page, LANDED)
                landed_correctly(page, link)
                if page.locator(".js-plotly-plot").count():
                    page.locator(".js-plotly-plot").first.wait_for()
                    sizes = page.evaluate(CHART_TEXT)
                    if sizes and min(sizes) < 18:
                        small_text.append(f"{link.label}: {min(sizes)} px")
                page.go_back()
                wait_idle(page, LANDED)
                if not at_step(page, li, lesson, step):
                    back_wrong.append(f"{link.label}: one Back did not return to {where}")
            page.get_by_role("button", name="Next ▶").click()
            wait_idle(page)
        page.get_by_text(course_at(page, lesson, len(lesson.steps) + 1), exact=True).wait_for()
        assert page.get_by_text(re.compile(r"\d+ of \d+ right")).count() == 0  # no score before an answer
        for qi, q in enumerate(lesson.quiz):
            options = page.locator('[data-testid="stRadio"]').nth(qi).locator('[role="radiogroup"] label')
            options.nth((q.answer + 1) % len(q.choices)).click()
            expect(page.get_by_text("Not quite.")).to_have_count(1)
            options.nth(q.answer).click()
            expect(page.get_by_text("Not quite.")).to_have_count(0)
            wait_idle(page)
        expect(page.get_by_text(f"{len(lesson.quiz)} of {len(lesson.quiz)} right.")).to_have_count(1)
        if li + 1 < len(lessons):
            page.get_by_role("button", name="Next lesson ▶").click()
            wait_idle(page)
    assert page.locator('[data-testid="stException"]').count() == 0

    # Save the progress, open the app afresh (a new session), load it: back at the same step.
    last = lessons[-1]
    where = course_at(page, last, len(last.steps) + 1)
    page.get_by_text("Your progress: save it, or load it again").click()
    with page.expect_download() as download:
        page.get_by_role("button", name="Download progress").click()
    saved = tmp_path / "progress.json"
    download.value.save_as(saved)
    data = json.loads(saved.read_text())
    assert data["at"] == {"lesson": last.slug, "step": len(last.steps) + 1}
    assert all(len(data["lessons"][l.slug]["seen"]) == len(l.steps) for l in lessons)
    page.goto(f"{streamlit_server}/course")
    wait_idle(page, 60_000)
    page.get_by_text(course_at(page, lessons[0], 1), exact=True).wait_for()
    page.get_by_text("Your progress: save it, or load it again").click()
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(saved)
    page.get_by_text(where, exact=True).wait_for(timeout=30_000)
    wait_idle(page)
    expect(page.get_by_text(f"{len(last.quiz)} of {len(last.quiz)} right.")).to_have_count(1)
    expect(page.get_by_text(re.compile(r"Course progress: (\d+) of \1 steps"))).to_have_count(1)

    # Presenter mode survives every page change, and one Back returns to the course's step.
    assert not back_wrong, back_wrong
    assert not small_text, small_text
