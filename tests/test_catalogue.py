"""The README's catalogue table lists every class ``lrkit.registered_names()`` has."""

from __future__ import annotations

import re
from pathlib import Path

import lrkit

README = Path(__file__).resolve().parent.parent / "README.md"


def _catalogue_rows() -> list[str]:
    text = README.read_text(encoding="utf-8")
    section = text[text.index("## The catalogue") :]
    section = section[: section.index("\n## ", 1)]
    return [line for line in section.splitlines() if line.startswith("| ")]


def test_the_catalogue_table_names_every_registered_class() -> None:
    rows = _catalogue_rows()
    assert rows[0] == "| kind | schedules |"
    named = {name for row in rows[2:] for name in re.findall(r"`([A-Z]\w*)`", row)}
    registered = {name for name in lrkit.registered_names() if ">" not in name}  # not tests
    assert sorted(registered - named) == [], "add these classes to the README's catalogue"
    assert sorted(named - registered) == [], "the catalogue names classes lrkit does not have"
