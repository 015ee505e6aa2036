"""mkdocs hook: plots drawn from the docs' own code, and signatures read from lrkit.

A fenced block opened with ```` ```python plot ```` (options: ``steps=N``,
``log``) is shown as ordinary Python, followed by an SVG of what its last
expression evaluates to: a schedule or a list of schedules, drawn with
``lrkit.plot`` over ``steps`` steps (default: the schedule's suggested
length). The SVGs are generated into the built site only; nothing is written
to ``docs/``.

A line ``<!-- signature: Name -->`` becomes the constructor's signature,
``lrkit.Name(...)``, read from the installed lrkit, so the parameter lists in
the docs cannot drift from the code.

The blocks are trusted project documentation, evaluated with only ``lrkit``
in scope; a block that fails stops the build.
"""

from __future__ import annotations

import ast
import hashlib
import inspect
import posixpath
import re
from typing import Any

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

import lrkit
from lrkit._describe import suggested_steps
from lrkit._plot import render

PLOT_BLOCK = re.compile(
    r"^```python plot(?P<options>[^\n]*)\n(?P<code>.*?)^```[ \t]*$", re.M | re.S
)
SIGNATURE = re.compile(r"^<!-- signature: (?P<name>[A-Za-z_][\w.]*) -->[ \t]*$", re.M)
PLOT_DIR = "plots"
WIDTH, HEIGHT = 720, 300

_images: dict[str, str] = {}  # block key -> generated file's src_uri


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


def on_files(files: Files, config: Any) -> Files:
    """Draw every plot block of every page into a generated SVG."""
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
    """Plot blocks become Python blocks plus their image; signature markers become code."""
    base = posixpath.dirname(page.file.src_uri)

    def plot_block(match: re.Match[str]) -> str:
        src_uri = _images[_key(match["options"], match["code"])]
        link = posixpath.relpath(src_uri, base or ".")
        return f"```python\n{match['code']}```\n\n![A plot of the schedule above]({link})\n"

    def signature(match: re.Match[str]) -> str:
        target: Any = lrkit
        for part in match["name"].split("."):
            target = getattr(target, part, None)
            if target is None:
                raise PluginError(f"{page.file.src_uri}: lrkit has no {match['name']!r}")
        full = inspect.signature(target)
        bare = full.replace(
            parameters=[p.replace(annotation=p.empty) for p in full.parameters.values()],
            return_annotation=full.empty,
        )
        text = f"lrkit.{match['name']}{bare}"
        if len(text) > 88:  # one parameter a line
            parts, star = [], False
            for parameter in bare.parameters.values():
                if parameter.kind is parameter.KEYWORD_ONLY and not star:
                    parts.append("*")
                star = star or parameter.kind in (parameter.KEYWORD_ONLY, parameter.VAR_POSITIONAL)
                parts.append(str(parameter))
            inner = ",\n    ".join(parts)
            text = f"lrkit.{match['name']}(\n    {inner},\n)"
        return f"```python\n{text}\n```"

    return SIGNATURE.sub(signature, PLOT_BLOCK.sub(plot_block, markdown))
