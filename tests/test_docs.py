"""The documentation: it builds with ``mkdocs build --strict``, and names only what exists."""

from __future__ import annotations

import importlib
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from html import unescape
from pathlib import Path
from typing import Any

import pytest

import lrkit

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
PAGES = sorted(DOCS.glob("*.md"))
PLOT_BLOCK = re.compile(r"^```python plot", re.M)
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


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    pytest.importorskip("mkdocs")
    pytest.importorskip("material")
    pytest.importorskip("matplotlib")
    target = tmp_path_factory.mktemp("site")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "MPLBACKEND": "Agg"}
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(target)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "WARNING" not in result.stderr, result.stderr[-3000:]
    return target


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
    assert "<!-- signature:" not in html


def test_site_loads_nothing_from_the_network(site: Path) -> None:
    external = set()
    for html in site.rglob("*.html"):
        external.update(re.findall(r'(?:src|href)="(https?://[^"]+)"', html.read_text()))
    # Links a reader may follow are fine; nothing the page loads (fonts, scripts, styles).
    assert [url for url in external if "fonts." in url or url.endswith((".js", ".css"))] == []
    for html in site.rglob("*.html"):
        assert not re.search(r'<(?:script|link)[^>]+(?:src|href)="https?://', html.read_text())
