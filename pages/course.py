"""Course: the guided path through ReLU Lab, lesson by lesson, step by step, with quizzes.

The lessons are Markdown files in lessons/course (read by lessons.course); this page shows
one step at a time, its "try it" links into the other pages, the quiz, and the student's
progress, which lives in the session and can be downloaded and loaded again."""
import dataclasses

import numpy as np
import streamlit as st

from activations import REGISTRY
from app_shell import chart, diagram
from charts.gallery import curve_figure
from charts.lessons import chain_dot, chain_latex, chain_text
from lessons import course
from lessons.chain_rule import SEED_EXAMPLE, walk
from runtime import page_state
from runtime.url_state import echo

STATE = page_state.COURSE.open()
LESSONS = page_state.LESSONS
progress = st.session_state.setdefault("course.progress", course.new_progress())

STATE.title()


def go(slug: str, step: int) -> None:
    STATE["lesson"], STATE[f"{slug}.step"] = slug, step


def step_of(slug: str) -> int:
    """The step the student is at in a lesson: the one last shown, or 1 if the lesson was never opened
    (its step is a field of the page only while the lesson is chosen)."""
    step = st.session_state.get(STATE.key(f"{slug}.step"))
    return step if isinstance(step, int) else 1


def load() -> None:
    """Load a progress file (the uploader's callback, so it can move the lesson box): the steps seen, the
    answers, and the lesson and step the student was at."""
    upload = st.session_state.get("course.upload")
    if upload is None or st.session_state.get("course.loaded") == upload.file_id:
        return
    try:
        loaded, at = course.read_progress(upload.getvalue().decode("utf-8", "replace"))
    except course.CourseError as e:
        st.session_state["course.load_error"] = f"Could not load {echo(upload.name)}: {e}."
        return
    st.session_state.pop("course.load_error", None)
    st.session_state["course.progress"], st.session_state["course.loaded"] = loaded, upload.file_id
    for slug, lesson in LESSONS.items():  # the quiz shows the loaded answers, not the session's
        for i in range(len(lesson.quiz)):
            st.session_state.pop(f"course.{slug}.q{i}", None)
    if at:
        go(*at)


def mark(slug: str, title: str) -> str:
    lesson, p = LESSONS[slug], progress[slug]
    done = len(p["seen"]) >= len(lesson.steps) and course.score(lesson, p["answers"]) == len(lesson.quiz)
    return f"{'✓ ' if done else ''}{list(LESSONS).index(slug) + 1}. {title}"


@st.fragment
def saturation_picture():
    """σ and σ′ with a point to move into the flat tails (the gallery's chart)."""
    x0 = st.slider("Move x into the tails", -8.0, 8.0, 0.0, 0.5, key="picture.saturation")
    fig, points = curve_figure(REGISTRY["sigmoid"], np.linspace(-8, 8, 401), {}, x0)
    chart(fig, key="course_saturation")
    _, f, d = points[0]
    st.caption(f"At x = {x0:g}: σ(x) = {f:.4f} and σ′(x) = {d:.4f}, {d / 0.25:.1%} of its largest slope, 1/4.")


@st.fragment
def chain_picture():
    """The course notes' chain, with the hidden unit's bias to move (Dead neurons' drawing)."""
    b1 = st.slider("The hidden unit's bias b₁", -2.0, 1.0, SEED_EXAMPLE.biases[0], 0.05, key="picture.chain")
    w = walk(dataclasses.replace(SEED_EXAMPLE, biases=(b1, *SEED_EXAMPLE.biases[1:])))
    diagram(chain_dot(w), chain_text(w), key="course_chain")
    st.latex(chain_latex(w))
    st.caption("Above −0.15 the unit's input z₁ turns positive, ReLU's factor becomes 1 and the weight moves."
               if w.grad == 0 else "ReLU's factor is 1 here: the gradient is not 0, so the weight moves.")


PICTURES = {"saturation": saturation_picture, "chain": chain_picture}

top = st.columns([3, 2])
slug = STATE.input("lesson", top[0], format_func=lambda s: mark(s, LESSONS[s].title))
lesson = LESSONS[slug]
key = f"{slug}.step"
pages = len(lesson.steps) + bool(lesson.quiz)
step = STATE[key] = min(step_of(slug), pages)
done, total = course.progress_total(progress)
top[1].progress(done / total, text=f"Course progress: {done} of {total} steps and questions")

nav = st.columns([1, 1, 4])
nav[0].button("◀ Back", key="course.back", on_click=go, args=(slug, step - 1), disabled=step == 1,
              width="stretch")
slugs = list(LESSONS)
if step < pages:
    nav[1].button("Next ▶", key="course.next", on_click=go, args=(slug, step + 1), width="stretch")
elif slugs.index(slug) + 1 < len(slugs):
    nxt = slugs[slugs.index(slug) + 1]
    nav[1].button("Next lesson ▶", key="course.next", on_click=go, args=(nxt, step_of(nxt)), width="stretch")
title = lesson.steps[step - 1].title if step <= len(lesson.steps) else "Quiz"
nav[2].markdown(f"**Step {step} of {pages}: {title}**")

if step <= len(lesson.steps):
    s = lesson.steps[step - 1]
    if step not in progress[slug]["seen"]:
        progress[slug]["seen"] = sorted({*progress[slug]["seen"], step})
    if s.picture:
        words, picture = st.columns([1, 1]) if not STATE["present"] else (st.container(), st.container())
        words.markdown(s.text)
        with picture:
            PICTURES[s.picture]()
    else:
        st.markdown(s.text)
    for link in s.links:
        st.page_link(f"pages/{link.page}.py", label=link.label, icon=":material/play_arrow:",
                     query_params=STATE.carry(link.query))
else:
    answers = progress[slug]["answers"]
    for i, q in enumerate(lesson.quiz):
        # A plain label: it is the radio group's accessible name (no "**1.**" read out).
        choice = st.radio(f"Question {i + 1}: {q.text}", range(len(q.choices)), format_func=lambda c, q=q: q.choices[c],
                          index=answers.get(i), key=f"course.{slug}.q{i}")
        if choice is not None:
            answers[i] = choice
            (st.success if choice == q.answer else st.error)(
                ("Right. " if choice == q.answer else "Not quite. ") + q.explanation)
    if answers:
        st.markdown(f"**{course.score(lesson, answers)} of {len(lesson.quiz)} right.**")
    st.caption("You can change an answer after its feedback: the score counts your latest answers.")

with st.expander("Your progress: save it, or load it again"):
    st.download_button("Download progress", course.dump_progress(progress, at=(slug, step)),
                       file_name="relu-lab-progress.json", mime="application/json")
    st.file_uploader("Load progress", type=["json"], key="course.upload", on_change=load)
    if st.session_state.get("course.load_error"):
        st.error(st.session_state["course.load_error"])
    elif st.session_state.get("course.loaded"):
        st.caption("Progress loaded: you are back at the lesson and step you saved it at.")

if lesson.sources:
    st.caption("Sources: " + "; ".join(f"{ref.key}: {claim}" for ref, claim in lesson.sources) + ".")
STATE.sync()
