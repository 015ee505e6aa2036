"""Modules split by concept: their docstring examples run, and the original modules re-export.

``lrkit._keras_family`` defines the Keras decays and re-exports the cosine
schedules of ``lrkit._keras_cosine``; ``lrkit._cyclic`` re-exports the
cosine cycles of ``lrkit._cosine_cycles``; the public peer-compat modules
``lrkit.compat.pytorch_scheduler`` and ``lrkit.compat.lrsched`` re-export
the functions of their private parts.
"""

from __future__ import annotations

import doctest
import importlib

import pytest

#: (module that re-exports, the modules whose public names it re-exports)
LAYOUT = [
    ("lrkit._keras_family", ["lrkit._keras_cosine"]),
    ("lrkit._cyclic", ["lrkit._cosine_cycles"]),
    (
        "lrkit.compat.pytorch_scheduler",
        ["lrkit.compat._pytorch_scheduler_decays", "lrkit.compat._pytorch_scheduler_phases"],
    ),
    ("lrkit.compat.lrsched", ["lrkit.compat._lrsched_decays", "lrkit.compat._lrsched_phases"]),
]
MODULES = [name for hub, parts in LAYOUT for name in (hub, *parts)]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
    assert result.attempted > 0, f"{name} has no docstring examples"


@pytest.mark.parametrize(("hub", "parts"), LAYOUT, ids=[hub for hub, _ in LAYOUT])
def test_original_module_reexports_its_parts(hub: str, parts: list[str]) -> None:
    module = importlib.import_module(hub)
    for part_name in parts:
        part = importlib.import_module(part_name)
        assert set(part.__all__) <= set(module.__all__), part_name
        for name in part.__all__:
            assert getattr(module, name) is getattr(part, name), f"{hub}.{name}"
    for name in module.__all__:
        assert getattr(module, name).__module__ in {hub, *parts}, f"{hub}.{name}"
