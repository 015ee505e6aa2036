"""Markdown from lrkit's docstrings: the small reST subset they are written in.

The docstrings use Google-style sections (``Args:``, ``Attributes:``,
``Returns:``, ``Raises:``, ``Example:``), a ``Reference:`` paragraph, and
these reST constructs, which become Markdown:

* ``.. math::`` blocks (also inside list items) and :math:`...` roles:
  ``$$ ... $$`` and ``$...$`` for ``pymdownx.arithmatex`` (``math=True``),
  else a ``latex`` code block and inline code, which read without any
  script;
* double-backquoted literals: inline code;
* ``:class:``, ``:func:``, ``:meth:``, ``:mod:``, ``:data:`` and ``:attr:``
  roles: inline code (``~`` keeps the last dotted part), linked where
  ``link`` knows a page for the name;
* ``*`` and ``-`` bullet lists (nested by indentation) and simple tables
  (``====  ====`` borders).

The ``Example:`` section becomes a ``pycon`` block, led by the
``from lrkit import ...`` that the docstring's examples take from their
module's globals, so the block runs as shown.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable
from typing import Any

SECTION = re.compile(
    r"^(?P<title>Args|Arguments|Attributes|Returns|Raises|Examples?|Notes?|Warning):[ \t]*$"
)
SECTION_TITLES = {"Args": "Parameters", "Arguments": "Parameters", "Examples": "Example"}
REFERENCE = re.compile(r"^(?P<title>References?): ")
MATH_DIRECTIVE = re.compile(r"^\.\. math::[ \t]*(?P<first>.*)$")
BULLET = re.compile(r"^(?P<marker>[*-]) (?P<text>.*)$")
TABLE_BORDER = re.compile(r"^=+(?: +=+)+[ \t]*$")
ENTRY = re.compile(r"^(?P<names>\**[\w.]+(?:, \**[\w.]+)*):[ \t]*(?P<text>.*)$")
INLINE = re.compile(
    r":(?P<role>math|class|func|meth|mod|data|attr|obj|exc):`(?P<target>[^`]+)`"
    r"|``(?P<literal>.+?)``"
)
IDENTIFIER = re.compile(r"(?<![\w.])[A-Za-z_]\w*")
BOUND_BY_IMPORT = re.compile(r"^from lrkit import (?P<names>[\w, ]+)$|^import (?P<module>\w+)$")

#: ``link(name)`` gives the Markdown link target for an object's dotted name, or None.
Linker = Callable[[str], "str | None"]


def _no_link(name: str) -> str | None:
    return None


def code(text: str) -> str:
    """Inline code holding ``text`` verbatim, backquotes included."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def signature(path: str, target: Any) -> str:
    """``lrkit.Name(...)`` without annotations, one parameter a line where it is long."""
    full = inspect.signature(target)
    bare = full.replace(
        parameters=[p.replace(annotation=p.empty) for p in full.parameters.values()],
        return_annotation=full.empty,
    )
    text = f"lrkit.{path}{bare}"
    if len(text) > 88:
        parts, star = [], False
        for parameter in bare.parameters.values():
            if parameter.kind is parameter.KEYWORD_ONLY and not star:
                parts.append("*")
            star = star or parameter.kind in (parameter.KEYWORD_ONLY, parameter.VAR_POSITIONAL)
            parts.append(str(parameter))
        inner = ",\n    ".join(parts)
        text = f"lrkit.{path}(\n    {inner},\n)"
    return text


class Renderer:
    """Turns one docstring into Markdown lines; ``math`` selects arithmatex output."""

    def __init__(self, *, math: bool = False, link: Linker = _no_link) -> None:
        self.math = math
        self.link = link

    # -- inline -------------------------------------------------------------------

    def inline(self, text: str) -> str:
        def replace(match: re.Match[str]) -> str:
            if match["literal"] is not None:
                return code(match["literal"])
            role, target = match["role"], match["target"]
            if role == "math":
                return f"${target}$" if self.math else code(target)
            shown = target.lstrip("~")
            name = shown.removeprefix("lrkit.")
            if target.startswith("~"):
                shown = shown.rpartition(".")[2]
            if role in ("func", "meth"):
                shown += "()"
            href = self.link(name)
            return f"[{code(shown)}]({href})" if href else code(shown)

        return INLINE.sub(replace, text)

    def math_block(self, tex: str) -> list[str]:
        if self.math:
            return ["$$", *tex.splitlines(), "$$"]
        return ["```latex", *tex.splitlines(), "```"]

    # -- blocks -------------------------------------------------------------------

    def blocks(self, lines: list[str]) -> list[str]:
        """Markdown for a run of body lines (paragraphs, math, lists, tables)."""
        out: list[list[str]] = []
        i = 0
        while i < len(lines):
            line = lines[i]
            if not line.strip():
                i += 1
            elif directive := MATH_DIRECTIVE.match(line):
                end = _indented_end(lines, i + 1, 1)
                tex = [directive["first"], *_dedent(lines[i + 1 : end])]
                out.append(self.math_block("\n".join(t for t in tex if t.strip()).strip()))
                i = end
            elif BULLET.match(line):
                i = self._list(lines, i, out)
            elif TABLE_BORDER.match(line):
                i = self._table(lines, i, out)
            else:
                end = i
                while end < len(lines) and lines[end].strip():
                    if end > i and MATH_DIRECTIVE.match(lines[end]):
                        break
                    end += 1
                out.append([self.inline(" ".join(part.strip() for part in lines[i:end]))])
                i = end
        return _join(out)

    def _list(self, lines: list[str], i: int, out: list[list[str]]) -> int:
        marker = lines[i][0]
        items: list[list[str]] = []
        while i < len(lines) and (bullet := BULLET.match(lines[i])) and bullet["marker"] == marker:
            end = _indented_end(lines, i + 1, 2)
            body = [bullet["text"], *_dedent(lines[i + 1 : end], 2)]
            rendered = self.blocks(body)
            items.append(["* " + rendered[0], *[f"    {r}" if r else "" for r in rendered[1:]]])
            i = end
            while i < len(lines) and not lines[i].strip():
                i += 1
        loose = any("" in item for item in items)
        block: list[str] = []
        for item in items:
            if block and loose:
                block.append("")
            block.extend(item)
        out.append(block)
        return i

    def _table(self, lines: list[str], i: int, out: list[list[str]]) -> int:
        border = lines[i]
        spans = [(m.start(), m.end()) for m in re.finditer(r"=+", border)]
        rows: list[list[str]] = []
        header: list[str] | None = None
        i += 1
        while i < len(lines) and lines[i].strip():
            line = lines[i]
            i += 1
            if TABLE_BORDER.match(line):
                if header is None:
                    header, rows = rows[0], []
                    continue
                break
            cells = []
            for n, (start, stop) in enumerate(spans):
                stop = len(line) if n == len(spans) - 1 else spans[n + 1][0]
                cells.append(self.inline(line[start:stop].strip()).replace("|", "\\|"))
            rows.append(cells)
        header = header or [""] * len(spans)
        table = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(spans)]
        table += ["| " + " | ".join(row) + " |" for row in rows]
        out.append(table)
        return i

    # -- sections -----------------------------------------------------------------

    def entries(self, lines: list[str]) -> list[str]:
        """``name: text`` entries (Args, Attributes) as a list, names as code."""
        items: list[list[str]] = []
        for line in lines:
            entry = ENTRY.match(line) if line and not line[0].isspace() else None
            if entry:
                names = ", ".join(code(name) for name in entry["names"].split(", "))
                items.append([f"{names}: {entry['text']}"])
            elif items:
                items[-1].append(line.strip())
            elif line.strip():
                raise ValueError(f"not a 'name: text' entry: {line!r}")
        return [f"* {self.inline(' '.join(part for part in item if part))}" for item in items]

    def example(self, lines: list[str], imports: list[str]) -> list[str]:
        body = [line.rstrip() for line in lines]
        while body and not body[-1]:
            body.pop()
        if imports and body and body[0].startswith(">>> from lrkit import "):
            # One import line: the docstring's own, with the names it leaves to its module.
            imports = sorted({*imports, *body.pop(0).split(" import ")[1].split(", ")})
        lead = [f">>> from lrkit import {', '.join(imports)}"] if imports else []
        return ["```pycon", *lead, *body, "```"]

    def render(self, doc: str, imports: Callable[[str], list[str]] | None = None) -> str:
        """The docstring ``doc`` (cleaned, as ``inspect.getdoc`` gives it) as Markdown."""
        lines = doc.expandtabs().splitlines()
        out: list[list[str]] = []
        body: list[str] = []

        def flush() -> None:
            if body:
                out.append(self.blocks(body))
                body.clear()

        i = 0
        while i < len(lines):
            line = lines[i]
            section = SECTION.match(line)
            reference = REFERENCE.match(line)
            if section:
                flush()
                end = _indented_end(lines, i + 1, 1)
                content = _dedent(lines[i + 1 : end])
                title = section["title"]
                heading = [f"**{SECTION_TITLES.get(title, title)}**"]
                if title in ("Args", "Arguments", "Attributes"):
                    out += [heading, self.entries(content)]
                elif title.startswith("Example"):
                    source = "\n".join(content)
                    out += [heading, self.example(content, imports(source) if imports else [])]
                else:
                    out += [heading, self.blocks(content)]
                i = end
            elif reference and (not i or not lines[i - 1].strip()):
                flush()
                end = i
                while end < len(lines) and lines[end].strip():
                    end += 1
                text = " ".join(part.strip() for part in lines[i:end])
                text = text.removeprefix(reference.group(0))
                out.append([f"**{reference['title']}:** {self.inline(text)}"])
                i = end
            else:
                body.append(line)
                i += 1
        flush()
        return "\n".join(_join(out))


def example_imports(source: str, public: set[str]) -> list[str]:
    """The public lrkit names a doctest uses without importing them, sorted."""
    code_lines = [line[4:] for line in source.splitlines() if line.startswith((">>> ", "... "))]
    bound: set[str] = set()
    for line in code_lines:
        if found := BOUND_BY_IMPORT.match(line.strip()):
            bound.update(n.strip() for n in (found["names"] or found["module"]).split(","))
    # Names in strings do not count: drop quoted text before looking.
    unquoted = re.sub(r"'[^']*'|\"[^\"]*\"", "''", "\n".join(code_lines))
    used = set(IDENTIFIER.findall(unquoted))
    return sorted((used & public) - bound)


def _indented_end(lines: list[str], i: int, indent: int) -> int:
    """The end of the lines from ``i`` indented by at least ``indent`` (blank lines inside)."""
    end = i
    while i < len(lines):
        line = lines[i]
        if line.strip():
            if len(line) - len(line.lstrip()) < indent:
                break
            end = i + 1
        i += 1
    return end


def _dedent(lines: list[str], indent: int | None = None) -> list[str]:
    if indent is None:
        indent = min((len(x) - len(x.lstrip()) for x in lines if x.strip()), default=0)
    return [line[indent:] if line.strip() else "" for line in lines]


def _join(blocks: list[list[str]]) -> list[str]:
    out: list[str] = []
    for block in blocks:
        if not block:
            continue
        if out:
            out.append("")
        out.extend(block)
    return out
