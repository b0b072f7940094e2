"""Course: the guided path through ReLU Lab, lesson by lesson, step by step, with quizzes.

The lessons are Markdown files in lessons/course (read by lessons.course); this page shows
one step at a time, its "try it" links into the other pages, the quiz, and the student's
progress, which lives in the session and can be downloaded and loaded again."""
import streamlit as st

from lessons import course
from runtime import page_state
from runtime.url_state import echo

STATE = page_state.COURSE.open()
LESSONS = page_state.LESSONS
progress = st.session_state.setdefault("course.progress", course.new_progress())

STATE.title("Course")


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


top = st.columns([3, 2])
slug = STATE.widget("lesson", top[0].selectbox, "Lesson", list(LESSONS),
                    format_func=lambda s: mark(s, LESSONS[s].title))
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
    st.markdown(s.text)
    for link in s.links:
        st.page_link(f"pages/{link.page}.py", label=link.label, icon="▶️", query_params=link.query)
else:
    answers = progress[slug]["answers"]
    for i, q in enumerate(lesson.quiz):
        choice = st.radio(f"**{i + 1}.** {q.text}", range(len(q.choices)), format_func=lambda c, q=q: q.choices[c],
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
