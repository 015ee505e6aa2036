"""mkdocs hook: plots drawn from the docs' own code, and API entries read from lrkit.

A fenced block opened with ```` ```python plot ```` (options: ``steps=N``,
``log``) is shown as ordinary Python, followed by an SVG of what its last
expression evaluates to: a schedule or a list of schedules, drawn with
``lrkit.plot`` over ``steps`` steps (default: the schedule's suggested
length). The SVGs are generated into the built site only; nothing is written
to ``docs/``.

A line ``<!-- api: Name -->`` becomes the entry of ``lrkit.Name``, read from
the installed lrkit: an anchor ``#lrkit.Name``, the signature, and the
docstring (summary, formula, parameters, example, reference) rendered by
``apidoc.py`` beside this file. Formulas and parameter lists live only in
the docstrings, so the docs cannot drift from the code. Each name has one
entry in the whole site; ``:class:`` and ``:func:`` references in a
docstring link to it. Math is written for ``pymdownx.arithmatex`` when
mkdocs.yml enables it, else as code (the site loads no script for it).

The blocks are trusted project documentation, evaluated with only ``lrkit``
in scope; a block that fails, or a marker naming what lrkit does not have,
stops the build.
"""

from __future__ import annotations

import ast
import hashlib
import inspect
import posixpath
import re
from typing import Any

from apidoc import Renderer, example_imports, signature  # beside this file
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

import lrkit
from lrkit._seeing.describe import suggested_steps
from lrkit._seeing.plot import render

PLOT_BLOCK = re.compile(
    r"^```python plot(?P<options>[^\n]*)\n(?P<code>.*?)^```[ \t]*$", re.M | re.S
)
#: ``<!-- api: Name -->`` on a line of its own (``kind`` other than ``api`` is refused).
MARKER = re.compile(r"^<!-- (?P<kind>[a-z]+): (?P<name>[A-Za-z_][\w.]*) -->[ \t]*$", re.M)
PLOT_DIR = "plots"
WIDTH, HEIGHT = 720, 300

_images: dict[str, str] = {}  # block key -> generated file's src_uri
_entries: dict[str, str] = {}  # dotted name -> src_uri of the page with its API entry


def _key(options: str, code: str) -> str:
    return hashlib.sha256(f"{options}\n{code}".encode()).hexdigest()[:16]


def _parse_options(options: str, where: str) -> dict[str, Any]:
    parsed: dict[str, Any] = {"steps": None, "log": False}
    for token in options.split():
        if token == "log":
            parsed["log"] = True
        elif token.startswith("steps="):
            parsed["steps"] = int(token.removeprefix("steps=").replace("_", ""))
        else:
            raise PluginError(f"{where}: unknown plot option {token!r}")
    return parsed


def _evaluate(code: str, where: str) -> Any:
    tree = ast.parse(code, filename=where)
    if not tree.body or not isinstance(tree.body[-1], ast.Expr):
        raise PluginError(f"{where}: a plot block must end with an expression")
    namespace: dict[str, Any] = {"lrkit": lrkit}
    body = ast.Module(body=tree.body[:-1], type_ignores=[])
    exec(compile(body, where, "exec"), namespace)
    return eval(compile(ast.Expression(tree.body[-1].value), where, "eval"), namespace)


def _draw(options: str, code: str, where: str) -> bytes:
    settings = _parse_options(options, where)
    try:
        schedules = _evaluate(code, where)
        shown = schedules if isinstance(schedules, list) else [schedules]
        steps = settings["steps"] or max(suggested_steps(s) for s in shown)
        return render(
            shown, steps, format="svg", width=WIDTH, height=HEIGHT, log_scale=settings["log"]
        )
    except PluginError:
        raise
    except Exception as error:
        raise PluginError(f"{where}: plot block failed: {type(error).__name__}: {error}") from error


def _resolve(name: str, where: str) -> Any:
    target: Any = lrkit
    for part in name.split("."):
        target = getattr(target, part, None)
        if target is None:
            raise PluginError(f"{where}: lrkit has no {name!r}")
    return target


def _index_entries(files: Files) -> None:
    """Which page has the API entry of each name; each name has one."""
    _entries.clear()
    for page in files.documentation_pages():
        text = page.content_string
        for match in MARKER.finditer(text):
            where = f"{page.src_uri}:{text.count(chr(10), 0, match.start()) + 1}"
            if match["kind"] != "api":
                raise PluginError(f"{where}: unknown marker {match['kind']!r} (use 'api')")
            _resolve(match["name"], where)
            if match["name"] in _entries:
                raise PluginError(
                    f"{where}: a second API entry of {match['name']!r} "
                    f"(the first is on {_entries[match['name']]})"
                )
            _entries[match["name"]] = page.src_uri


def on_files(files: Files, config: Any) -> Files:
    """Index the API entries, and draw every plot block of every page into an SVG."""
    _index_entries(files)
    for page in files.documentation_pages():
        text = page.content_string
        for match in PLOT_BLOCK.finditer(text):
            key = _key(match["options"], match["code"])
            if key in _images:
                continue
            where = f"{page.src_uri}:{text.count(chr(10), 0, match.start()) + 1}"
            src_uri = f"{PLOT_DIR}/{key}.svg"
            files.append(
                File.generated(
                    config, src_uri, content=_draw(match["options"], match["code"], where)
                )
            )
            _images[key] = src_uri
    return files


def on_page_markdown(markdown: str, page: Any, config: Any, files: Files) -> str:
    """Plot blocks become Python blocks plus their image; API markers become entries."""
    base = posixpath.dirname(page.file.src_uri)
    math = "pymdownx.arithmatex" in config["markdown_extensions"]

    def link(name: str) -> str | None:
        src_uri = _entries.get(name)
        if src_uri is None:
            return None
        path = "" if src_uri == page.file.src_uri else posixpath.relpath(src_uri, base or ".")
        return f"{path}#lrkit.{name}"

    renderer = Renderer(math=math, link=link)
    public = set(lrkit.__all__)

    def plot_block(match: re.Match[str]) -> str:
        src_uri = _images[_key(match["options"], match["code"])]
        image = posixpath.relpath(src_uri, base or ".")
        return f"```python\n{match['code']}```\n\n![A plot of the schedule above]({image})\n"

    def entry(match: re.Match[str]) -> str:
        name = match["name"]
        target = _resolve(name, page.file.src_uri)
        try:
            doc = renderer.render(
                inspect.getdoc(target) or "", lambda source: example_imports(source, public)
            )
        except ValueError as error:
            raise PluginError(f"{page.file.src_uri}: the docstring of {name}: {error}") from error
        head = f'<a id="lrkit.{name}"></a>\n\n```python\n{signature(name, target)}\n```'
        return f"{head}\n\n{doc}\n"

    return MARKER.sub(entry, PLOT_BLOCK.sub(plot_block, markdown))
