"""The documentation: it builds with ``mkdocs build --strict``, names only what exists,
every code block in README.md and docs/ runs (Python blocks, and the ``lrkit``
commands of shell blocks), and the API entries come from the docstrings: every
public class has one, no page retypes a formula, and the docstrings' examples run."""

from __future__ import annotations

import atexit
import doctest
import importlib
import importlib.util
import inspect
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Iterator
from html import unescape
from pathlib import Path
from typing import Any

import pytest

import lrkit
from lrkit._core import serialization as _serialization

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
PAGES = sorted(DOCS.glob("*.md"))
PLOT_BLOCK = re.compile(r"^```python plot", re.M)
API_MARKER = re.compile(r"^<!-- api: (?P<name>[\w.]+) -->[ \t]*$", re.M)
PUBLIC_CLASSES = sorted(name for name in lrkit.__all__ if inspect.isclass(getattr(lrkit, name)))
LRKIT_NAME = re.compile(r"\blrkit(?:\.[A-Za-z_]\w*)+")

pytestmark = pytest.mark.skipif(not DOCS.is_dir(), reason="no docs/ beside the tests")


def resolve(dotted: str) -> Any:
    """The object a dotted ``lrkit.`` name denotes, importing submodules as needed."""
    parts = dotted.split(".")
    target: Any = importlib.import_module(parts[0])
    for i, part in enumerate(parts[1:], start=1):
        if not hasattr(target, part):
            importlib.import_module(".".join(parts[: i + 1]))
        target = getattr(target, part)
    return target


def test_every_lrkit_name_in_the_docs_exists() -> None:
    names = sorted({name for page in PAGES for name in LRKIT_NAME.findall(page.read_text())})
    assert len(names) > 50
    missing = []
    for name in names:
        try:
            resolve(name)
        except (ImportError, AttributeError):
            missing.append(name)
    assert not missing, f"the docs name what lrkit does not have: {missing}"


def test_every_registered_class_has_a_section() -> None:
    headings = {
        line.removeprefix("## ").strip()
        for page in PAGES
        for line in page.read_text().splitlines()
        if line.startswith("## ")
    }
    documented = headings | {
        name for heading in headings for name in re.findall(r"[A-Z]\w+", heading)
    }
    classes = [name for name in lrkit.registered_names() if ">" not in name]
    undocumented = [name for name in classes if name not in documented]
    assert not undocumented, f"schedules without a section in docs/: {undocumented}"


def test_every_page_is_in_the_nav() -> None:
    config = (ROOT / "mkdocs.yml").read_text()
    assert [page.name for page in PAGES if page.name not in config] == []


#: The docs build, started when the tests are collected (see ``start_in_background``).
_BUILD: dict[str, Any] = {}


def _stop_build() -> None:
    process = _BUILD.get("process")
    if process is not None and process.poll() is None:
        process.kill()
        process.wait()
    if "stderr" in _BUILD:
        _BUILD["stderr"].close()
    if "target" in _BUILD:
        shutil.rmtree(_BUILD["target"], ignore_errors=True)


def start_in_background() -> None:
    """Start ``mkdocs build --strict`` (once, where mkdocs is installed), beside the suite."""
    needed = ("mkdocs", "material", "matplotlib")
    if _BUILD or not DOCS.is_dir() or any(importlib.util.find_spec(m) is None for m in needed):
        return
    target = Path(tempfile.mkdtemp(prefix="lrkit-site-"))
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "MPLBACKEND": "Agg"}
    stderr = tempfile.TemporaryFile("w+")  # noqa: SIM115 (closed by _stop_build)
    _BUILD.update(target=target, stderr=stderr)
    _BUILD["process"] = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(target)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=stderr,
        text=True,
    )
    atexit.register(_stop_build)


@pytest.fixture(scope="module")
def site() -> Iterator[Path]:
    pytest.importorskip("mkdocs")
    pytest.importorskip("material")
    pytest.importorskip("matplotlib")
    start_in_background()
    process = _BUILD["process"]
    process.wait(timeout=300)
    _BUILD["stderr"].seek(0)
    stderr = _BUILD["stderr"].read()
    assert process.returncode == 0, stderr[-3000:]
    assert "WARNING" not in stderr, stderr[-3000:]
    yield _BUILD["target"]
    _stop_build()


def test_docs_build_strict(site: Path) -> None:
    for page in PAGES:
        html = site / ("index.html" if page.stem == "index" else f"{page.stem}/index.html")
        assert html.is_file(), page.name
    text = (site / "search" / "search_index.json").read_text()
    assert "CosineDecayRestarts" in text


def test_plots_are_generated_from_the_pages(site: Path) -> None:
    blocks = sum(len(PLOT_BLOCK.findall(page.read_text())) for page in PAGES)
    images = sorted((site / "plots").glob("*.svg"))
    assert blocks > 20
    assert len(images) == blocks  # one image per block (no two blocks are the same)
    for image in images:
        root = ET.fromstring(image.read_bytes())
        assert root.tag == "{http://www.w3.org/2000/svg}svg"
        assert root.get("width") == "518.4pt"  # 720 pixels at 100 per inch
    html = (site / "combinators" / "index.html").read_text()
    expected = len(PLOT_BLOCK.findall((DOCS / "combinators.md").read_text()))
    assert html.count('src="../plots/') == expected
    assert "```python plot" not in html
    assert not (DOCS / "plots").exists()  # generated into the site only


def test_signatures_come_from_the_code(site: Path) -> None:
    html = (site / "keras" / "index.html").read_text()
    text = re.sub(r"\s+", "", unescape(re.sub(r"<[^>]+>", "", html)))
    assert (
        "lrkit.ExponentialDecay(initial_learning_rate,decay_steps,decay_rate,staircase=False,"
        "name='ExponentialDecay',)"
    ) in text
    assert "lrkit.PiecewiseConstantDecay(boundaries,values,name='PiecewiseConstant')" in text
    assert "<!-- api:" not in html


def _apidoc() -> Any:
    """The docs' docstring renderer (docs/_hooks/apidoc.py)."""
    spec = importlib.util.spec_from_file_location("apidoc", DOCS / "_hooks" / "apidoc.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_public_class_has_one_api_entry() -> None:
    entries = Counter(m["name"] for page in PAGES for m in API_MARKER.finditer(page.read_text()))
    assert {name: entries[name] for name in PUBLIC_CLASSES if entries[name] != 1} == {}
    assert [name for name, count in entries.items() if count > 1] == []


def test_api_entries_render_the_docstrings(site: Path) -> None:
    renderer = _apidoc().Renderer()
    pages = {path: path.read_text() for path in site.rglob("*.html")}
    for name in PUBLIC_CLASSES:
        found = [text for text in pages.values() if f'id="lrkit.{name}"' in text]
        assert len(found) == 1, name
        text = re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", "", found[0])))
        doc = inspect.getdoc(getattr(lrkit, name)) or ""
        summary = re.sub(r"`+", "", renderer.inline(doc.splitlines()[0]))
        assert summary in text, name
        if ">>> " in doc:
            assert ">>> " in text, name  # the example


#: What a retyped formula looks like in a page: TeX, reST math, or a formula of the step.
RETYPED = re.compile(
    r"\$\$|\.\. math::|:math:`|\\(?:eta|alpha|gamma|frac|tfrac|sqrt|cos|min|max|lfloor)\b"
    r"|\b(?:lr|eta)(?:_\w+)?\(t\)\s*="
)


def retyped_formulas(page: str) -> list[str]:
    """The retyped formulas of a page's Markdown, outside its fenced code blocks.

    Indented code blocks count too: the docs fence their code, and the
    formulas the docstrings now hold were indented blocks.
    """
    lines = FENCE.sub("", page).splitlines()
    found = [m.group(0) for line in lines for m in RETYPED.finditer(line)]
    for i, line in enumerate(lines):
        if line.startswith("    ") and line.strip() and i and not lines[i - 1].strip():
            owner = next((x for x in reversed(lines[:i]) if x.strip() and x[0] != " "), "")
            if not re.match(r"(?:[-*+]|\d+\.) ", owner):  # else a list item's continuation
                found.append(line.strip())
    return found


def test_no_page_retypes_a_formula() -> None:
    old_style = "## StepDecay\n\nText:\n\n    lr(t) = lr0 * gamma ** floor(t / step_size)\n"
    assert retyped_formulas(old_style) != []
    assert retyped_formulas("Text with `\\eta_0`.\n\n$$\n\\eta\n$$\n") != []
    assert retyped_formulas("* a list item\n\n    continued in the item\n") == []
    found = {page.name: retyped_formulas(page.read_text()) for page in PAGES}
    assert {name: formulas for name, formulas in found.items() if formulas} == {}


def test_renderer_writes_math_for_arithmatex_or_as_code() -> None:
    apidoc = _apidoc()
    doc = "Sum :math:`a_i`.\n\n.. math:: \\eta = 1\n    + 2\n\nArgs:\n    x: ``X``.\n"
    assert apidoc.Renderer(math=True).render(doc) == (
        "Sum $a_i$.\n\n$$\n\\eta = 1\n+ 2\n$$\n\n**Parameters**\n\n* `x`: `X`."
    )
    assert apidoc.Renderer(math=False).render(doc) == (
        "Sum `a_i`.\n\n```latex\n\\eta = 1\n+ 2\n```\n\n**Parameters**\n\n* `x`: `X`."
    )


@pytest.mark.parametrize("name", [*PUBLIC_CLASSES, "describe", "plot", "scale_by_group"])
def test_docstring_examples_run(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The examples run in their module (methods' too), and as the docs show them."""
    if name == "plot":
        pytest.importorskip("matplotlib")
        monkeypatch.setenv("MPLBACKEND", "Agg")
    apidoc, target = _apidoc(), getattr(lrkit, name)
    doc = inspect.getdoc(target) or ""
    module = sys.modules[target.__module__]
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    output: list[str] = []
    for test in doctest.DocTestFinder().find(target, name, module, globs=vars(module)):
        runner.run(test, out=output.append)
    # Every word of the docstring reaches the page; its example runs on its own there.
    rendered = apidoc.Renderer().render(doc, lambda s: apidoc.example_imports(s, {*lrkit.__all__}))
    # Less the markup, and the dotted path that a "~" reference leaves out:
    words = re.sub(r":\w+:`~?(?:[\w.]+\.)?|\.\. math::|^\w+:$", "", doc, flags=re.M)
    assert set(re.findall(r"[A-Za-z]{4,}", words)) <= set(re.findall(r"[A-Za-z]{4,}", rendered))
    for example in re.findall(r"^```pycon\n(.*?)^```$", rendered, re.M | re.S):
        test = doctest.DocTestParser().get_doctest(example, {}, f"docs:{name}", None, 0)
        runner.run(test, out=output.append)
    if name == "plot":
        import matplotlib.pyplot as plt

        plt.close("all")
    assert runner.failures == 0, "".join(output)


def test_site_loads_nothing_from_the_network(site: Path) -> None:
    external = set()
    for html in site.rglob("*.html"):
        external.update(re.findall(r'(?:src|href)="(https?://[^"]+)"', html.read_text()))
    # Links a reader may follow are fine; nothing the page loads (fonts, scripts, styles).
    assert [url for url in external if "fonts." in url or url.endswith((".js", ".css"))] == []
    for html in site.rglob("*.html"):
        assert not re.search(r'<(?:script|link)[^>]+(?:src|href)="https?://', html.read_text())


# -- every code block runs -----------------------------------------------------------

#: A fenced block, also indented (inside content tabs): its language, options and code.
FENCE = re.compile(
    r"^(?P<indent>[ \t]*)```(?P<lang>[\w-]*)(?P<options>[^\n]*)\n"
    r"(?P<code>.*?)^(?P=indent)```[ \t]*$",
    re.M | re.S,
)
#: A data block right after a paragraph ending in "`NAME.json`:" is that file's content.
FILE_NAME = re.compile(r"`(?P<name>[\w.-]+\.(?:json|ya?ml))`:\s*$")
#: What the shell commands in the pages run: ``lrkit`` is run, the rest only named.
NOT_RUN = {"pip", "python", "mkdocs", "ruff", "mypy"}
SOURCES = [ROOT / "README.md", ROOT / "CONTRIBUTING.md", *PAGES]
#: The libraries a block may need that an environment may lack (the block is then skipped).
OPTIONAL = {"numpy", "torch", "jax", "optax", "keras", "matplotlib", "yaml", "tensorflow"}
#: The files the commands name, as a reader has them (a page's own data blocks win).
READER_FILES = {
    "schedule.json": '{"class_name": "CosineDecay", "config": {"initial_learning_rate": 0.0, '
    '"decay_steps": 9000, "warmup_target": 0.0003, "warmup_steps": 1000}}',
    "keras_config.json": '{"module": "keras.optimizers.schedules", "class_name": '
    '"ExponentialDecay", "config": {"initial_learning_rate": 0.1, "decay_steps": 1000, '
    '"decay_rate": 0.5, "staircase": false, "name": "ExponentialDecay"}, '
    '"registered_name": null}',
}
READER_FILES["keras_schedule.json"] = READER_FILES["keras_config.json"]


def blocks(source: Path) -> list[tuple[int, str, str, str, str]]:
    """``(line, language, options, code, text before)`` of every fenced block of a page."""
    text = source.read_text()
    found = []
    for match in FENCE.finditer(text):
        indent = len(match["indent"])
        code = "".join(line[indent:] for line in match["code"].splitlines(keepends=True))
        line = text.count("\n", 0, match.start()) + 1
        before = text[: match.start()].rstrip()
        found.append((line, match["lang"], match["options"].strip(), code, before))
    return found


def test_every_fence_is_found() -> None:
    for source in SOURCES:
        opened = [line for line in source.read_text().splitlines() if re.match(r"\s*```\w", line)]
        assert len(opened) == len(blocks(source)), source.name
        languages = {language for _, language, _, _, _ in blocks(source)}
        assert languages <= {"python", "bash", "yaml", "json", "text"}, (source.name, languages)


def _run_python(code: str, where: str, namespace: dict[str, Any]) -> None:
    if code.lstrip().startswith(">>>"):  # an interactive session: its output is checked
        test = doctest.DocTestParser().get_doctest(code, namespace, where, where, 0)
        runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
        output: list[str] = []
        result = runner.run(test, out=output.append, clear_globs=False)
        assert result.failed == 0, "".join(output)
    else:
        exec(compile(code, where, "exec"), namespace)


def _run_commands(code: str, where: str, capsys: pytest.CaptureFixture[str]) -> None:
    from lrkit._cli.main import main

    previous = ""
    for line in code.replace("\\\n", " ").splitlines():
        line = line.strip()
        if line.startswith("# "):  # a comment line after a command: its output
            assert previous.startswith(line[2:].rstrip(".")), f"{where}: {previous!r}"
            continue
        for command in filter(None, (part.strip() for part in line.split("&&"))):
            argv = shlex.split(command, comments=True)
            if argv[0] in NOT_RUN:
                continue
            assert argv[0] == "lrkit", f"{where}: a command the docs test cannot run: {command}"
            code_ = main(argv[1:])
            out, err = capsys.readouterr()
            assert code_ == 0, f"{where}: {command!r} exited {code_}: {err}"
            previous = out.splitlines()[0] if out else ""


@pytest.mark.parametrize("source", SOURCES, ids=[source.name for source in SOURCES])
def test_every_code_block_runs(
    source: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A page's Python blocks run in order in one namespace, as a reader goes through it.

    ``import lrkit`` is taken as done (as in the plot blocks the docs' build
    draws); every other name a block uses is defined on its page. Shell
    blocks run their ``lrkit`` commands through the CLI entry point, in a
    folder holding the files they name.
    """
    pytest.importorskip("matplotlib")
    monkeypatch.setenv("MPLBACKEND", "Agg")
    monkeypatch.chdir(tmp_path)
    # A page may register its example class; the registry is restored after it.
    monkeypatch.setattr(_serialization, "_REGISTRY", dict(_serialization._REGISTRY))
    for name, content in READER_FILES.items():
        (tmp_path / name).write_text(content)
    namespace: dict[str, Any] = {"lrkit": lrkit, "__name__": "__docs__"}
    try:
        for line, language, _options, code, before in blocks(source):
            where = f"{source.name}:{line}"
            if language == "python":
                try:
                    _run_python(code, where, namespace)
                except ModuleNotFoundError as error:
                    if (error.name or "").partition(".")[0] not in OPTIONAL:
                        raise
                    pytest.skip(f"{where} needs {error.name}")
            elif language == "bash":
                _run_commands(code, where, capsys)
            elif language in ("json", "yaml") and (named := FILE_NAME.search(before)):
                (tmp_path / named["name"]).write_text(code)
    finally:
        import matplotlib.pyplot as plt

        plt.close("all")
