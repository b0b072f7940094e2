"""The guided course: lessons as Markdown files in ``lessons/course``, and the code that reads them.

A lesson file is Markdown with a small front matter::

    ---
    title: Why ReLU replaced sigmoid and tanh
    sources:
      KRIZHEVSKY: a four-layer conv net with ReLUs reached 25 % training error ... six times faster
    ---
    ## First step's title
    Text in Markdown, formulas in $…$.
    → [Try: sigmoid and its derivative](gallery?act=sigmoid)

    ## Quiz
    ? What is ReLU's derivative for x < 0?
    - 1
    + 0
    = ReLU is flat on the negative side: its slope there is 0.

Every ``## `` heading starts a step; ``## Quiz`` holds the questions (``?`` the question, ``+`` the
correct choice, ``-`` a wrong one, ``=`` the explanation). A line ``→ [label](page?query)`` is a
"try it" link that opens an app page in a prepared state; a line ``▣ name`` puts a live picture
beside the step's words (``PICTURES``; the course page draws it); ``sources`` name references of
``activations.REFERENCES`` with the claim each one backs in this lesson.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import parse_qsl

from activations import REFERENCES, Reference

COURSE = Path(__file__).parent / "course"
#: The live pictures a step can show inline (the course page draws each from the pages' chart builders).
PICTURES = ("saturation", "chain")
_LINK = re.compile(r"^→ \[(?P<label>[^\]]+)\]\((?P<page>[a-z_]+)(?:\?(?P<query>[^)]*))?\)\s*$")


@dataclass(frozen=True)
class Link:
    label: str
    page: str  # the page's URL path, e.g. "gallery"
    query: dict[str, str]


@dataclass(frozen=True)
class Step:
    title: str
    text: str  # Markdown without the link lines
    links: tuple[Link, ...]
    picture: str = ""  # a live picture beside the words (one of PICTURES), or none


@dataclass(frozen=True)
class Question:
    text: str
    choices: tuple[str, ...]
    answer: int  # index of the correct choice
    explanation: str


@dataclass(frozen=True)
class Lesson:
    slug: str  # the file name without its number and extension
    title: str
    steps: tuple[Step, ...]
    quiz: tuple[Question, ...]
    sources: tuple[tuple[Reference, str], ...]  # (paper, the claim it backs here)


class CourseError(ValueError):
    """A lesson file that does not follow the format (the message names file and line)."""


def _front_matter(text: str, name: str) -> tuple[dict, str]:
    if not text.startswith("---\n"):
        raise CourseError(f"{name}: no front matter")
    head, _, body = text[4:].partition("\n---\n")
    meta, key = {}, None
    for line in head.splitlines():
        if line.startswith("  ") and key:  # an entry of a nested mapping (sources)
            k, _, v = line.strip().partition(":")
            meta[key][k.strip()] = v.strip()
        elif line.strip():
            key, _, value = line.partition(":")
            key, value = key.strip(), value.strip()
            meta[key] = value if value else {}
    return meta, body


def _question(lines: list[str], name: str) -> Question:
    text = " ".join(l[1:].strip() for l in lines if l.startswith("?"))
    choices = [l[1:].strip() for l in lines if l[:1] in "+-"]
    correct = [i for i, l in enumerate(l for l in lines if l[:1] in "+-") if l.startswith("+")]
    explanation = " ".join(l[1:].strip() for l in lines if l.startswith("="))
    if not text or len(choices) < 2 or len(correct) != 1 or not explanation:
        raise CourseError(f"{name}: a question needs '?', two or more choices with exactly one '+', and '='")
    return Question(text, tuple(choices), correct[0], explanation)


def _quiz(body: str, name: str) -> tuple[Question, ...]:
    blocks, current = [], []
    for line in body.splitlines():
        if line.startswith("?") and current:
            blocks.append(current)
            current = []
        if line.strip():
            current.append(line)
    if current:
        blocks.append(current)
    return tuple(_question(b, name) for b in blocks)


def _step(title: str, body: str, name: str) -> Step:
    links, text, picture = [], [], ""
    for line in body.splitlines():
        if line.startswith("▣ "):
            picture = line[2:].strip()
            if picture not in PICTURES:
                raise CourseError(f"{name}: no picture {picture!r}; choose from {', '.join(PICTURES)}")
        elif line.startswith("→ "):
            m = _LINK.match(line)
            if not m:
                raise CourseError(f"{name}: a link line must read '→ [label](page?query)': {line!r}")
            links.append(Link(m["label"], m["page"], dict(parse_qsl(m["query"] or "", keep_blank_values=True))))
        else:
            text.append(line)
    return Step(title, "\n".join(text).strip(), tuple(links), picture)


def parse(text: str, name: str) -> Lesson:
    meta, body = _front_matter(text, name)
    if "title" not in meta:
        raise CourseError(f"{name}: the front matter needs a title")
    sources = []
    for key, claim in (meta.get("sources") or {}).items():
        if key not in REFERENCES:
            raise CourseError(f"{name}: unknown source {key!r}")
        sources.append((REFERENCES[key], claim))
    parts = re.split(r"^## (.+)$", body, flags=re.M)
    steps, quiz = [], ()
    for title, section in zip(parts[1::2], parts[2::2]):
        if title.strip() == "Quiz":
            quiz = _quiz(section, name)
        else:
            steps.append(_step(title.strip(), section, name))
    if not steps:
        raise CourseError(f"{name}: no steps")
    slug = re.sub(r"^\d+-", "", Path(name).stem)
    return Lesson(slug, meta["title"], tuple(steps), quiz, tuple(sources))


@lru_cache(maxsize=1)
def lessons() -> tuple[Lesson, ...]:
    """The course in order (the files' numeric prefixes)."""
    return tuple(parse(p.read_text(encoding="utf-8"), p.name) for p in sorted(COURSE.glob("*.md")))


def lesson(slug: str) -> Lesson:
    return next(l for l in lessons() if l.slug == slug)


def score(lesson: Lesson, answers: dict[int, int]) -> int:
    """How many of the lesson's questions ``answers`` (question index → choice index) gets right."""
    return sum(answers.get(i) == q.answer for i, q in enumerate(lesson.quiz))


# -- A student's progress: steps seen and quiz answers, per lesson ---------------------------

def new_progress() -> dict:
    return {l.slug: {"seen": [], "answers": {}} for l in lessons()}


def progress_total(progress: dict) -> tuple[int, int]:
    """(done, total): steps seen plus questions answered right, over the whole course."""
    done = total = 0
    for l in lessons():
        p = progress.get(l.slug, {"seen": [], "answers": {}})
        total += len(l.steps) + len(l.quiz)
        done += len(set(p["seen"]) & set(range(1, len(l.steps) + 1))) + score(l, p["answers"])
    return done, total


def dump_progress(progress: dict, at: tuple[str, int] | None = None) -> str:
    """The progress file: steps seen and answers per lesson, and ``at``, the lesson and step the
    student is at (where loading the file resumes)."""
    data = {"relu_lab_progress": 1, "lessons": progress}
    if at:
        data["at"] = {"lesson": at[0], "step": at[1]}
    return json.dumps(data, indent=1, sort_keys=True)


def load_progress(text: str) -> dict:
    """A progress file's steps seen and answers (``read_progress`` without the place)."""
    return read_progress(text)[0]


def read_progress(text: str) -> tuple[dict, tuple[str, int] | None]:
    """A progress file back, checked, and the (lesson, step) it was saved at (None in a file that
    names none): unknown lessons, steps or answers are refused with a ``CourseError`` that says what
    is wrong."""
    try:
        data = json.loads(text)
    except (ValueError, UnicodeDecodeError):
        raise CourseError("the file is not a ReLU Lab progress file (not JSON)") from None
    if not isinstance(data, dict) or data.get("relu_lab_progress") != 1 or not isinstance(data.get("lessons"), dict):
        raise CourseError("the file is not a ReLU Lab progress file")
    progress = new_progress()
    known = {l.slug: l for l in lessons()}
    for slug, p in data["lessons"].items():
        if slug not in known or not isinstance(p, dict):
            raise CourseError("the file names a lesson this course does not have")
        l = known[slug]
        seen, answers = p.get("seen", []), p.get("answers", {})
        if not (isinstance(seen, list) and all(isinstance(s, int) and 1 <= s <= len(l.steps) + 1 for s in seen)):
            raise CourseError(f"the steps recorded for lesson '{l.title}' are not steps of it")
        try:
            answers = {int(q): c for q, c in answers.items()}
        except (AttributeError, ValueError):
            raise CourseError(f"the answers recorded for lesson '{l.title}' are not readable") from None
        if not all(0 <= q < len(l.quiz) and isinstance(c, int) and 0 <= c < len(l.quiz[q].choices)
                   for q, c in answers.items()):
            raise CourseError(f"the answers recorded for lesson '{l.title}' do not fit its quiz")
        progress[slug] = {"seen": sorted(set(seen)), "answers": answers}
    at = data.get("at")
    if at is None:
        return progress, None
    l = known.get(at.get("lesson")) if isinstance(at, dict) else None
    step = at.get("step") if l else None
    if not (isinstance(step, int) and 1 <= step <= len(l.steps) + bool(l.quiz)):
        raise CourseError("the place recorded in the file is not a step of this course")
    return progress, (l.slug, step)
