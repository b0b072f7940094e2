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

STATE.title()


def go(slug: str, step: int) -> None:
    STATE["lesson"], STATE[f"{slug}.step"] = slug, step


def mark(slug: str, title: str) -> str:
    lesson, p = LESSONS[slug], progress[slug]
    done = len(p["seen"]) >= len(lesson.steps) and course.score(lesson, p["answers"]) == len(lesson.quiz)
    return f"{'✓ ' if done else ''}{list(LESSONS).index(slug) + 1}. {title}"


top = st.columns([3, 2])
slug = STATE.input("lesson", top[0], format_func=lambda s: mark(s, LESSONS[s].title))
lesson = LESSONS[slug]
key = f"{slug}.step"
st.session_state.setdefault(STATE.key(key), 1)
pages = len(lesson.steps) + bool(lesson.quiz)
step = min(max(STATE[key], 1), pages)
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
    nav[1].button("Next lesson ▶", key="course.next", on_click=go, args=(nxt, STATE[f"{nxt}.step"]), width="stretch")
title = lesson.steps[step - 1].title if step <= len(lesson.steps) else "Quiz"
nav[2].markdown(f"**Step {step} of {pages}: {title}**")

if step <= len(lesson.steps):
    s = lesson.steps[step - 1]
    if step not in progress[slug]["seen"]:
        progress[slug]["seen"] = sorted({*progress[slug]["seen"], step})
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
    st.markdown(f"**{course.score(lesson, answers)} of {len(lesson.quiz)} right.**")

with st.expander("Your progress: save it, or load it again"):
    st.download_button("Download progress", course.dump_progress(progress), file_name="relu-lab-progress.json",
                       mime="application/json")
    upload = st.file_uploader("Load progress", type=["json"], key="course.upload")
    if upload is not None and st.session_state.get("course.loaded") != upload.file_id:
        try:
            st.session_state["course.progress"] = course.load_progress(upload.getvalue().decode("utf-8", "replace"))
            st.session_state["course.loaded"] = upload.file_id
            st.rerun()
        except course.CourseError as e:
            st.error(f"Could not load {echo(upload.name)}: {e}.")
    if st.session_state.get("course.loaded"):
        st.caption("Progress loaded.")

if lesson.sources:
    st.caption("Sources: " + "; ".join(f"{ref.key}: {claim}" for ref, claim in lesson.sources) + ".")
STATE.sync()
