"""The folder tree is the architecture: layers import downwards only, modules stay small.

``src/lrkit`` is layered (see CONTRIBUTING.md):

* ``_core``: the protocol, parameters, pieces, arrays, serialization; imports
  no other part of lrkit;
* ``_families`` (schedules by shape) and ``_combinators`` (schedules of
  schedules): import the core, and each other only for the schedules they
  build on;
* ``_seeing`` and ``_integrations``: read schedules through the core protocol
  and their shape methods, never a family by name;
* ``_cli``, ``compat`` and the public modules on top.

Every module stays under about 400 lines and its docstring examples run.
"""

from __future__ import annotations

import ast
import doctest
import importlib
from pathlib import Path

import pytest

import lrkit

SOURCE = Path(lrkit.__file__).parent

#: What each package may import from lrkit (besides itself).
MAY_IMPORT = {
    "_core": set(),
    "_families": {"_core", "_combinators"},
    "_combinators": {"_core", "_families"},
    "_seeing": {"_core"},
    "_integrations": {"_core", "_families"},
}

#: The two places the core reaches up, lazily, and why: ``a + b`` and ``2 * a`` build
#: the arithmetic combinators; a notebook displays a schedule with its plot.
UPWARD_BRIDGES = {
    "lrkit._core.schedule": {"_combinators"},
    "lrkit._core.shape": {"_seeing"},
}

#: The longest a module may be ("about 400 lines").
MAX_LINES = 425


def modules() -> list[Path]:
    return sorted(path for path in SOURCE.rglob("*.py") if "__pycache__" not in path.parts)


def module_name(path: Path) -> str:
    parts = path.relative_to(SOURCE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def lrkit_imports(path: Path) -> set[str]:
    """The lrkit modules a file imports, at any level (functions' lazy imports too)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name.startswith("lrkit"))
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("lrkit"):
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def package_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 2 or (len(parts) == 2 and parts[1] in MAY_IMPORT) else None


@pytest.mark.parametrize("path", modules(), ids=lambda path: module_name(path))
def test_module_imports_only_the_layers_below(path: Path) -> None:
    own = package_of(module_name(path))
    if own not in MAY_IMPORT:
        return
    allowed = {own, *MAY_IMPORT[own], *UPWARD_BRIDGES.get(module_name(path), ())}
    for imported in lrkit_imports(path):
        other = package_of(imported)
        if imported in ("lrkit", "lrkit.__version__"):
            raise AssertionError(f"{module_name(path)} imports the public lrkit package")
        if other is not None and other in {"_cli", "compat", "torch", "keras", "tf_keras"}:
            raise AssertionError(f"{module_name(path)} imports {imported} (a layer above)")
        assert other is None or other in allowed, f"{module_name(path)} imports {imported}"


def test_the_core_imports_no_family_by_name() -> None:
    for path in (SOURCE / "_core").glob("*.py"):
        for imported in lrkit_imports(path):
            assert not imported.startswith("lrkit._families"), (path.name, imported)


@pytest.mark.parametrize("path", modules(), ids=lambda path: module_name(path))
def test_module_is_small(path: Path) -> None:
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{module_name(path)}: {lines} lines; split it by concept"


#: Modules whose examples need an optional library the test extras may lack.
OPTIONAL = {"lrkit.tf_keras", "lrkit._integrations.tensorflow_ops"}


@pytest.mark.parametrize(
    "name", [module_name(path) for path in modules() if module_name(path) not in OPTIONAL]
)
def test_docstring_examples_run(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0


def test_every_schedule_family_has_docstring_examples() -> None:
    for path in (SOURCE / "_families").glob("*.py"):
        if path.name.startswith("_") or path.name == "plateau_state.py":
            continue
        module = importlib.import_module(module_name(path))
        tests = doctest.DocTestFinder().find(module)
        assert sum(len(test.examples) for test in tests) > 0, module.__name__
