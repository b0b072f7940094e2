"""The course: every lesson file parses, every link opens a real page in a valid state, every
quiz has one right answer and an explanation, the numbers the lessons state are the registry's,
and a student can walk a lesson and its quiz in the page."""
import math
import re
from pathlib import Path

import numpy as np
import pytest

from activations import REGISTRY
from conftest import ROOT, open_page
from lessons import course
from runtime import page_state
from runtime.url_state import Invalid
from training.presets import PRESETS

LESSONS = course.lessons()
APP_PAGES = {Path(file).stem for file in page_state.PAGES}  # the one list of pages, which app.py navigates


def test_the_course_follows_the_material():
    assert len(LESSONS) == 7
    assert [l.slug for l in LESSONS] == ["why-relu", "dying-relu", "leaky-family", "elu-selu", "crelu-maxout",
                                         "hidden-and-output", "experiment"]


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda l: l.slug)
def test_every_quiz_has_one_right_answer_and_an_explanation(lesson):
    assert 2 <= len(lesson.quiz) <= 4
    for q in lesson.quiz:
        assert len(q.choices) >= 2 and 0 <= q.answer < len(q.choices) and q.explanation
    assert lesson.sources, "every lesson names its sources"


LINKS = [(l.slug, link) for l in LESSONS for s in l.steps for link in s.links]


@pytest.mark.parametrize("slug, link", LINKS, ids=[f"{s}:{k.label}" for s, k in LINKS])
def test_every_link_opens_an_existing_page_in_a_valid_state(slug, link):
    assert link.page in APP_PAGES
    state = page_state.PAGES[f"pages/{link.page}.py"].state
    if state is None:  # a page without declared fields takes only its preset
        assert set(link.query) <= {"preset"} and link.query.get("preset", next(iter(PRESETS))) in PRESETS
        return
    values = {}
    for f in state._fields:
        if f.name in link.query:
            values[f.key or f.name] = f.parse(link.query[f.name])  # raises Invalid if it is not
    session = {state.key(k): v for k, v in values.items()}
    fields = {f.name: f for f in state.fields(session)}
    for name, text in link.query.items():
        assert name in fields, f"{link.page} has no setting {name!r}"
        fields[name].parse(text)


def test_a_bad_lesson_file_is_refused_with_its_reason():
    good = "---\ntitle: T\n---\n## Step\nText.\n## Quiz\n? Q\n+ a\n- b\n= Because.\n"
    assert course.parse(good, "9-t.md").quiz[0].answer == 0
    for bad, reason in [(good.replace("+ a", "- a"), "exactly one '+'"), (good.replace("= Because.", ""), "'='"),
                        (good.replace("title: T", "name: T"), "title"), ("## Step\n", "front matter"),
                        (good.replace("Text.", "→ [x](gallery"), "link line"),
                        (good.replace("title: T", "title: T\nsources:\n  NOBODY: x"), "unknown source")]:
        with pytest.raises(course.CourseError, match=re.escape(reason)):
            course.parse(bad, "9-t.md")


def test_a_link_to_a_setting_out_of_range_would_fail():
    with pytest.raises(Invalid):
        page_state.GALLERY._fields[1].parse("nosuch")  # act


# -- The numbers the lessons state ----------------------------------------------------------

def text_of(slug: str) -> str:
    l = course.lesson(slug)
    return " ".join([s.text for s in l.steps] + [q.explanation + " ".join(q.choices) for q in l.quiz])


def test_saturation_numbers():
    x = np.linspace(-20, 20, 400_001)
    assert REGISTRY["sigmoid"].derivative(x).max() == pytest.approx(0.25, abs=1e-12)
    assert REGISTRY["sigmoid"].derivative(np.array([0.0]))[0] == 0.25
    assert REGISTRY["tanh"].derivative(x).max() == pytest.approx(1.0, abs=1e-12)
    assert r"\sigma'(0) = 1/4" in text_of("why-relu") and r"\tanh'(0) = 1" in text_of("why-relu")


def test_the_chain_rule_example():
    from lessons.chain_rule import SEED_EXAMPLE, walk

    factors = sorted(round(f.value, 12) for f in walk(SEED_EXAMPLE).factors)
    assert factors == sorted([0.8, 0.0, 0.4, 0.3]) and walk(SEED_EXAMPLE).w_new == SEED_EXAMPLE.weights[0]
    assert r"0.8 \times 0 \times 0.4 \times 0.3 = 0" in text_of("dying-relu")


def test_leaky_and_rrelu_numbers():
    import torch

    assert REGISTRY["leaky_relu"].forward(np.array([-4.0]), alpha=0.01)[0] == pytest.approx(-0.04)
    m = torch.nn.RReLU(1 / 8, 1 / 3).eval()
    assert m(torch.tensor([-1.0], dtype=torch.float64)).item() == pytest.approx(-11 / 48)
    assert "11/48" in text_of("leaky-family") and "−0.04" in text_of("leaky-family")


def test_prelu_is_max_of_ax_and_x_only_while_a_is_at_most_1():
    """The quiz's explanation: PReLU is x for x > 0 and αx otherwise; a trained α can pass 1, where
    max(αx, x) is another function."""
    import torch

    torch.manual_seed(0)
    x = -torch.rand(64, 1) - 0.1
    unit = torch.nn.PReLU(init=0.25)
    opt = torch.optim.SGD(unit.parameters(), lr=0.5)
    for _ in range(200):  # fit y = 1.5x on negative inputs
        opt.zero_grad()
        ((unit(x) - 1.5 * x) ** 2).mean().backward()
        opt.step()
    a = unit.weight.item()
    assert a == pytest.approx(1.5, abs=1e-3)
    assert REGISTRY["prelu"].forward(np.array([-1.0]), a=a)[0] == pytest.approx(-a)
    assert max(a * -1.0, -1.0) == -1.0  # max(αx, x) would return x
    explanation = next(q.explanation for q in course.lesson("leaky-family").quiz if "PReLU learn" in q.text)
    assert "only while α ≤ 1" in explanation and not explanation.startswith("PReLU is max(αx, x)")


def test_elu_selu_and_crelu_numbers():
    from activations import SELU_ALPHA, SELU_LAMBDA

    assert (round(SELU_LAMBDA, 4), round(SELU_ALPHA, 4)) == (1.0507, 1.6733)
    assert r"\lambda \approx 1.0507" in text_of("elu-selu") and r"\alpha \approx 1.6733" in text_of("elu-selu")
    x = np.linspace(-3, 3, 61)
    halves = REGISTRY["crelu"].forward(x)
    assert np.allclose(np.linalg.norm(halves.reshape(-1, 2) if halves.ndim == 1 else halves, axis=-1), np.abs(x))


def test_the_softmax_example():
    p = REGISTRY["softmax"].forward(np.array([10.0, 20.0, 30.0, 40.0]))
    assert [float(f"{v:.3g}") for v in p[:3]] == [9.36e-14, 2.06e-9, 4.54e-5] and round(p[3], 5) == 0.99995
    assert math.isclose(p.sum(), 1.0)
    for shown in (r"9.36 \times 10^{-14}", r"2.06 \times 10^{-9}", r"4.54 \times 10^{-5}", "0.99995"):
        assert shown in text_of("hidden-and-output")


# -- The page -------------------------------------------------------------------------------

def test_a_student_walks_a_lesson_and_its_quiz():
    at = open_page("pages/course.py", lesson="dying-relu")
    assert not at.exception
    lesson = course.lesson("dying-relu")
    for step in range(1, len(lesson.steps) + 1):
        assert f"Step {step} of {len(lesson.steps) + 1}" in at.markdown[0].value
        assert [p.proto.label for p in at.get("page_link")][:2] == [k.label for k in lesson.steps[step - 1].links][:2]
        at.button(key="course.next").click().run()
    assert "Quiz" in at.markdown[0].value
    q0, q1 = at.radio(key="course.dying-relu.q0"), at.radio(key="course.dying-relu.q1")
    q0.set_value(lesson.quiz[0].answer).run()
    at.radio(key="course.dying-relu.q1").set_value((lesson.quiz[1].answer + 1) % len(lesson.quiz[1].choices)).run()
    assert [s.value.split(".")[0] for s in at.success] == ["Right"]
    assert at.error[0].value.startswith("Not quite.") and lesson.quiz[1].explanation in at.error[0].value
    assert any("1 of 3 right" in m.value for m in at.markdown)
    progress = at.session_state["course.progress"]["dying-relu"]
    assert progress["seen"] == [1, 2] and progress["answers"] == {0: lesson.quiz[0].answer, 1: q1.value}
    assert at.query_params["step"] in ("3", ["3"])


def test_progress_downloads_and_loads_again():
    p = course.new_progress()
    p["elu-selu"] = {"seen": [1, 2], "answers": {0: 1, 1: 0}}
    again = course.load_progress(course.dump_progress(p))
    assert again == p and course.progress_total(again)[0] == 2 + 2
    for bad in ["not json", "{}", '{"relu_lab_progress": 1, "lessons": {"nope": {}}}',
                '{"relu_lab_progress": 1, "lessons": {"elu-selu": {"seen": [99]}}}',
                '{"relu_lab_progress": 1, "lessons": {"elu-selu": {"answers": {"0": 7}}}}']:
        with pytest.raises(course.CourseError):
            course.load_progress(bad)


def test_lesson_files_live_outside_page_code():
    page = (ROOT / "pages" / "course.py").read_text()
    assert all(l.steps[0].text[:40] not in page for l in LESSONS)
    assert len(list(Path(course.COURSE).glob("*.md"))) == len(LESSONS)


def test_the_references_page_lists_every_paper_with_what_it_backs():
    from activations import REFERENCES
    from lessons.citations import citations

    cited = citations()
    assert {r.key for r, _ in cited} == {r.key for r in REFERENCES.values()}
    assert all(claims for _, claims in cited), [r.key for r, c in cited if not c]
    at = open_page("pages/references.py")
    assert not at.exception
    text = at.markdown[1].value
    for ref, claims in cited:
        assert ref.key in text and claims[0] in text


# -- Between lessons (issue 20) ---------------------------------------------------------------

def test_next_lesson_opens_the_next_lesson_and_the_menu_can_choose_it_again():
    """Issue 20, item 1: "Next lesson" at the end of a lesson read the next lesson's step as None and
    crashed (max(None, 1)); choosing that lesson again from the menu crashed for the rest of the session."""
    first, second = LESSONS[0], LESSONS[1]
    at = open_page("pages/course.py")
    for _ in range(len(first.steps)):
        at.button(key="course.next").click().run()
    assert "Quiz" in at.markdown[0].value
    at.button(key="course.next").click().run()
    assert not at.exception
    assert at.selectbox(key="course.lesson").value == second.slug
    assert at.markdown[0].value.startswith(f"**Step 1 of {len(second.steps) + 1}: {second.steps[0].title}")
    at.button(key="course.next").click().run()
    at.selectbox(key="course.lesson").set_value(first.slug).run()
    at.selectbox(key="course.lesson").set_value(second.slug).run()
    assert not at.exception
    assert at.markdown[0].value.startswith(f"**Step 2 of {len(second.steps) + 1}")  # where the student left it


def test_no_score_before_an_answer_and_an_answer_can_be_changed_after_feedback():
    """Issue 20, item 7: "0 of 3 right" showed before any answer. An answer can be changed after its
    feedback (the page says so), and the score counts the latest answers."""
    lesson = course.lesson("elu-selu")
    at = open_page("pages/course.py", lesson="elu-selu", step=str(len(lesson.steps) + 1))
    assert not any(" right." in m.value for m in at.markdown)
    assert any("change an answer" in c.value for c in at.caption)
    q = lesson.quiz[0]
    at.radio(key="course.elu-selu.q0").set_value((q.answer + 1) % len(q.choices)).run()
    assert at.error[0].value.startswith("Not quite.") and any("0 of" in m.value for m in at.markdown)
    at.radio(key="course.elu-selu.q0").set_value(q.answer).run()
    assert not at.error and at.success[0].value.startswith("Right.")
    assert any(f"1 of {len(lesson.quiz)} right" in m.value for m in at.markdown)


def test_a_loaded_progress_file_resumes_at_its_lesson_and_step():
    """Issue 20, item 7: loading restored the ticks but restarted at lesson 1, step 1."""
    lesson = course.lesson("crelu-maxout")
    saved = course.new_progress()
    saved["crelu-maxout"] = {"seen": [1, 2], "answers": {0: lesson.quiz[0].answer}}
    text = course.dump_progress(saved, at=("crelu-maxout", 2))
    assert course.read_progress(text) == (saved, ("crelu-maxout", 2))
    at = open_page("pages/course.py")
    at.file_uploader(key="course.upload").set_value(("p.json", text.encode(), "application/json")).run()
    assert not at.exception and not at.error
    assert at.selectbox(key="course.lesson").value == "crelu-maxout"
    assert at.markdown[0].value.startswith(f"**Step 2 of {len(lesson.steps) + 1}: {lesson.steps[1].title}")
    assert at.session_state["course.progress"]["crelu-maxout"] == saved["crelu-maxout"]
    with pytest.raises(course.CourseError, match="place"):
        course.read_progress(text.replace('"step": 2', '"step": 99'))


TRAINING_LINKS = [(slug, link) for slug, link in LINKS if link.page == "training_lab"]


@pytest.mark.parametrize("slug, link", TRAINING_LINKS, ids=[f"{s}:{k.label}" for s, k in TRAINING_LINKS])
def test_a_course_link_into_the_training_lab_opens_its_preset(slug, link):
    """Issue 20, item 2: lesson 1's Krizhevsky link and lesson 7's experiments opened the defaults."""
    at = open_page("pages/training_lab.py", **link.query)
    assert not at.exception and not at.warning
    preset = PRESETS[link.query["preset"]]
    for field, value in preset.items():
        shown = at.session_state[f"training.{field}"]
        assert shown == (list(value) if isinstance(value, tuple) else value), field


def test_students_read_of_the_course_notes_never_of_seeds():
    """Issue 20, item 8: students never see the source documents' file names, yet pages said "Seed 003",
    "the seeds' example" beside a "Seeds" slider for random seeds. "Seed" is kept for random seeds."""
    shown = [*(ROOT / "lessons" / "text").glob("*.md"), *course.COURSE.glob("*.md"), *(ROOT / "pages").glob("*.py"),
             *(ROOT / "charts").glob("*.py"), ROOT / "runtime" / "page_state.py", ROOT / "README.md"]
    material = re.compile(r"\bseeds? 00\d|\bseeds' |\bthe seed's |\bthe seed writes", re.I)
    found = [f"{p.name}: {m.group(0)}" for p in shown for m in material.finditer(p.read_text(encoding="utf-8"))]
    assert not found, found


# -- Try links land at their section (issue 20, item 4) -----------------------------------------

SECTIONED = {"pages/dead_neurons.py": page_state.DEAD_SECTIONS, "pages/vanishing_gradients.py": page_state.VANISHING_SECTIONS,
             "pages/output_activations.py": page_state.OUTPUTS_SECTIONS, "pages/maxout_crelu.py": page_state.MAXOUT_SECTIONS}


def test_the_links_into_a_long_page_s_later_parts_name_their_section():
    """The links the issue found landing at the top (2,300 px above SELU, CReLU's norm on Maxout, ...);
    every section a link names is one of its page's."""
    named = {link.label: link.query.get("section") for _, link in LINKS}
    assert {k: named[k] for k in ("Try: SELU through 50 layers", "Try: CReLU's norm, and what it costs the next layer",
                                  "Try: a large negative bias", "Try: a high learning rate kills units",
                                  "Try: why the loss takes the log", "Try: the softmax calculator")} == {
        "Try: SELU through 50 layers": "selu", "Try: CReLU's norm, and what it costs the next layer": "crelu",
        "Try: a large negative bias": "dying", "Try: a high learning rate kills units": "dying",
        "Try: why the loss takes the log": "why-log", "Try: the softmax calculator": "softmax"}
    for _, link in LINKS:
        if "section" in link.query:
            assert link.query["section"] in SECTIONED[f"pages/{link.page}.py"]


def test_a_link_that_names_a_section_scrolls_to_its_heading_once():
    at = open_page("pages/dead_neurons.py", die_bias="-3", section="dying")
    assert not at.exception and not at.warning
    assert [h.proto.anchor for h in at.header] == ["dying"]
    scroll = [h.proto.body for h in at.get("html") if "scrollIntoView" in h.proto.body]
    assert len(scroll) == 1 and '"dying"' in scroll[0]
    # "a large negative bias" lands with its preset shown as chosen
    assert at.session_state["dead.preset"] == "negative_bias"
    at.run()  # the next run leaves the student's scrolling alone
    assert not [h for h in at.get("html") if "scrollIntoView" in h.proto.body]
    assert "section" not in at.query_params


@pytest.mark.parametrize("page, sections", SECTIONED.items())
def test_every_section_a_link_can_name_has_its_heading_and_the_long_pages_a_table_of_contents(page, sections):
    at = open_page(page)
    assert not at.exception
    anchors = [h.proto.anchor for h in [*at.header, *at.subheader]]
    assert set(sections) <= set(anchors), anchors
    if len(sections) > 1:
        toc = next(m.value for m in at.markdown if m.value.startswith("On this page:"))
        assert all(f"(#{a})" in toc for a in sections)


# -- Pictures beside the words (issue 20, item 12) ------------------------------------------------

def test_the_saturation_step_draws_sigmoid_and_its_slope_live_beside_its_words():
    from conftest import chart_spec, decode

    assert course.lesson("why-relu").steps[0].picture == "saturation"
    at = open_page("pages/course.py", lesson="why-relu")
    assert not at.exception
    data = chart_spec(at, key="course_saturation")["data"]
    x, d = decode(data[1]["x"]), decode(data[1]["y"])
    assert d == pytest.approx(REGISTRY["sigmoid"].derivative(x)) and d.max() == pytest.approx(0.25, abs=1e-4)
    at.slider(key="picture.saturation").set_value(6.0).run()
    marker = chart_spec(at, key="course_saturation")["data"][-1]
    assert decode(marker["x"])[0] == 6.0 and decode(marker["y"])[0] == pytest.approx(REGISTRY["sigmoid"].derivative(np.array([6.0]))[0])
    assert any("σ′(x) = 0.0025" in c.value for c in at.caption)


def test_the_chain_rule_step_draws_the_chain_and_its_bias_moves_the_product():
    assert course.lesson("dying-relu").steps[0].picture == "chain"
    at = open_page("pages/course.py", lesson="dying-relu")
    assert not at.exception and at.get("graphviz_chart")
    assert r"= 0 \end{aligned}" in at.get("latex")[0].proto.body.replace("−", "-")  # the course notes' zero
    at.slider(key="picture.chain").set_value(0.5).run()
    assert r"= 0 \end{aligned}" not in at.get("latex")[0].proto.body


def test_a_step_can_name_only_a_picture_the_course_draws():
    good = "---\ntitle: T\n---\n## Step\nText.\n▣ chain\n"
    assert course.parse(good, "9-t.md").steps[0].picture == "chain"
    with pytest.raises(course.CourseError, match="no picture"):
        course.parse(good.replace("▣ chain", "▣ nosuch"), "9-t.md")
