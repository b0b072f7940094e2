"""The layering rules of docs/architecture.md, checked on the source: each package imports only
from the layers below it, Streamlit stays in the top two layers, and the gallery loads no torch."""
import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

#: Layer of each top-level package or module (higher may import lower, never the reverse).
LAYERS = {"activations": 0, "training": 1, "lessons": 2, "charts": 3, "runtime": 4, "app_shell": 4,
          "pages": 5, "app": 5}
STREAMLIT_FROM = 4  # the lowest layer that may import Streamlit


def sources():
    for name in LAYERS:
        path = ROOT / name
        yield from (sorted(path.rglob("*.py")) if path.is_dir() else [ROOT / f"{name}.py"])


def imported(path: Path) -> set[str]:
    """Top-level names of the modules a file imports (relative imports: its own package)."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            names.add(path.relative_to(ROOT).parts[0] if node.level else node.module.split(".")[0])
    return names


def layer_of(path: Path) -> tuple[str, int]:
    top = path.relative_to(ROOT).parts[0].removesuffix(".py")
    return top, LAYERS[top]


def violations(top: str, names: set[str]) -> list[str]:
    layer = LAYERS[top]
    bad = [f"{top} (layer {layer}) imports {n} (layer {LAYERS[n]})"
           for n in sorted(names) if n in LAYERS and n != top and LAYERS[n] > layer]
    if "streamlit" in names and layer < STREAMLIT_FROM:
        bad.append(f"{top} imports Streamlit below runtime/")
    return bad


@pytest.mark.parametrize("path", list(sources()), ids=lambda p: str(p.relative_to(ROOT)))
def test_a_module_imports_only_from_its_layer_or_below(path):
    assert not violations(layer_of(path)[0], imported(path))


def test_the_rules_see_a_forbidden_import():
    assert violations("activations", {"streamlit", "charts", "numpy"}) == [
        "activations (layer 0) imports charts (layer 3)", "activations imports Streamlit below runtime/"]
    assert violations("pages", {"streamlit", "runtime", "activations"}) == []


def test_the_gallery_path_loads_no_torch():
    """Import everything pages/gallery.py imports, in a fresh interpreter: torch stays out."""
    modules = sorted(n for n in _modules_of(ROOT / "pages" / "gallery.py"))
    code = (f"import sys; sys.path.insert(0, {str(ROOT)!r}); "
            + "; ".join(f"import {m}" for m in modules)
            + "; print('torch' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.strip() == "False", modules


def _modules_of(path: Path) -> set[str]:
    mods = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            mods |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            mods.add(node.module)
    return mods


WIDGET_WORDS = {"label", "min_value", "max_value", "step", "options", "help", "format", "value"}


def restated_widgets(source: str) -> list[str]:
    """Where a page writes a widget's label, range, step or options itself instead of taking them
    from its field's declaration (runtime/page_state.py): ``STATE.widget(...)``, or ``STATE.input``
    given a literal number or text beyond the field's name."""
    bad = []
    for node in ast.walk(ast.parse(source)):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and isinstance(node.func.value, ast.Name) and node.func.value.id == "STATE"):
            continue
        if node.func.attr == "widget":
            bad.append(f"line {node.lineno}: STATE.widget restates the widget; use STATE.input")
        elif node.func.attr == "input":
            given = [*node.args[2:], *(k.value for k in node.keywords if k.arg in WIDGET_WORDS)]
            literals = [c for g in given for c in ast.walk(g)
                        if isinstance(c, ast.Constant) and type(c.value) in (str, int, float)]
            if literals or len(node.args) > 2:
                bad.append(f"line {node.lineno}: STATE.input given a literal label, range or options")
    return bad


@pytest.mark.parametrize("path", sorted((ROOT / "pages").glob("*.py")), ids=lambda p: p.name)
def test_a_page_takes_every_widget_from_its_declaration(path):
    assert not restated_widgets(path.read_text(encoding="utf-8"))


def test_the_widget_rule_sees_a_restated_widget():
    assert restated_widgets('STATE.widget("steps", c[2].slider, "Training steps", 100, 4000)')
    assert restated_widgets('STATE.input("steps", c[2], max_value=4000)')
    assert restated_widgets('STATE.input("act", options=["relu", "tanh"])')
    assert not restated_widgets('STATE.input("steps", c[2])')
    assert not restated_widgets('STATE.input("x", min_value=float(lo), max_value=float(hi), horizontal=True)')


def test_tests_and_benchmarks_import_the_stack_not_each_other():
    """The server harness both use lives in the stack (runtime/harness.py), where both may import it."""
    for folder, other in (("tests", "bench"), ("bench", "tests")):
        for path in sorted((ROOT / folder).rglob("*.py")):
            assert other not in imported(path), path
