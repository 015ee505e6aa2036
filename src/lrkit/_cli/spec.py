"""Schedule specs for the command line: reading a SPEC, writing Keras configs.

A SPEC is a preset name, JSON text (starting with ``{``), a JSON file, or a
YAML file (``.yaml``/``.yml``, with the ``yaml`` extra). Each becomes a
config dict that goes through :func:`lrkit.deserialize`, so a SPEC can name
only the schedules lrkit registers, and nothing in it is imported or run.
"""

from __future__ import annotations

import re

from lrkit._core.config_text import MAX_DEPTH, config_path
from lrkit._core.schedule import LearningRateSchedule
from lrkit._families import keras_decays as keras_family

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any


__all__ = ["KERAS_CLASSES", "KERAS_MODULE", "SpecError", "keras_config", "load_spec"]

#: The ``module`` Keras 3 writes in a serialized schedule.
KERAS_MODULE = "keras.optimizers.schedules"
#: The schedules ``keras.optimizers.schedules`` has (Keras 3, and tf.keras 2.x):
#: exactly lrkit's Keras family.
KERAS_CLASSES = tuple(keras_family.__all__)
_YAML_SUFFIXES = (".yaml", ".yml")


class SpecError(ValueError):
    """A SPEC that names no valid schedule; the message is one line for the user."""


def load_spec(spec: str | None) -> tuple[LearningRateSchedule, str]:
    """The schedule a SPEC names, and a description of where it came from.

    ``None`` is the default preset. A preset name wins over a file of the
    same name (write ``./NAME`` for the file).
    """
    from lrkit._cli.presets import DEFAULT_PRESET, PRESETS
    from lrkit._core.serialization import deserialize, from_json

    if spec is None:
        source = f"default preset {DEFAULT_PRESET!r}"
        return _build(deserialize, PRESETS[DEFAULT_PRESET], source), source
    if spec.lstrip().startswith("{"):
        return _build(from_json, spec, "JSON text"), "JSON text"
    if spec in PRESETS:
        source = f"preset {spec!r}"
        return _build(deserialize, PRESETS[spec], source), source
    text = _read(spec)
    if spec.lower().endswith(_YAML_SUFFIXES):
        return _build(deserialize, _parse_yaml(text, spec), spec), f"YAML file {spec!r}"
    return _build(from_json, text, spec), f"file {spec!r}"


def _read(path: str) -> str:
    from lrkit._cli.presets import PRESETS
    from lrkit._core.serialization import MAX_JSON_CHARS

    try:
        with open(path, encoding="utf-8") as file:
            text = file.read(MAX_JSON_CHARS + 1)
    except FileNotFoundError:
        if "/" in path or "\\" in path or "." in path:
            raise SpecError(f"no such file: {path!r}") from None
        raise SpecError(
            f"unknown preset {path!r} (and no file of that name); presets: {', '.join(PRESETS)}"
        ) from None
    except OSError as error:
        raise SpecError(f"cannot read {path!r}: {error.strerror or error}") from None
    except UnicodeDecodeError:
        raise SpecError(f"cannot read {path!r}: not UTF-8 text") from None
    if len(text) > MAX_JSON_CHARS:
        raise SpecError(f"{path}: file is over the {MAX_JSON_CHARS:,}-character limit")
    return text


def _parse_yaml(text: str, source: str) -> Any:
    """A YAML document as plain data: safe tags only, no aliases (no "billion laughs").

    Nesting is refused past :data:`~lrkit._core.config_text.MAX_DEPTH` before the
    YAML scanner sees it (its work grows with the square of the nesting of
    ``[`` and ``{``), and again, exactly, as the parser's events arrive; a
    mapping with the same key twice is refused with the key's path.
    """
    try:
        import yaml
    except ImportError:
        raise SpecError(
            f"{source}: reading YAML needs PyYAML: pip install 'lrkit[yaml]' "
            "(or give the schedule as JSON)"
        ) from None

    _check_flow_nesting(text, source)
    try:
        depth = 0
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            if isinstance(event, yaml.AliasEvent):
                raise SpecError(
                    f"{source}: YAML aliases (*name) are not allowed in a schedule "
                    f"({_where(event.start_mark)})"
                )
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    raise SpecError(
                        f"{source}: YAML nested deeper than {MAX_DEPTH} levels "
                        f"({_where(event.start_mark)})"
                    )
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
        loader = yaml.SafeLoader(text)
        try:
            node = loader.get_single_node()
            if node is None:
                return None
            _check_unique_keys(node, source)
            return loader.construct_document(node)
        finally:
            loader.dispose()
    except yaml.YAMLError as error:
        problem = getattr(error, "problem", None) or str(error)
        mark = getattr(error, "problem_mark", None)
        where = f" ({_where(mark)})" if mark is not None else ""
        raise SpecError(f"{source}: not valid YAML: {problem}{where}") from None
    except RecursionError:
        raise SpecError(f"{source}: not valid YAML: nested too deeply") from None
    except ValueError as error:  # a scalar YAML cannot convert: a 5,000-digit integer...
        if isinstance(error, SpecError):
            raise
        raise SpecError(f"{source}: not valid YAML: {str(error)[:200]}") from None


def _where(mark: Any) -> str:
    return f"line {mark.line + 1}, column {mark.column + 1}"


#: What opens or closes flow nesting in YAML text, skipping quoted scalars
#: (which start only where a token can) and comments.
_FLOW_TOKENS = re.compile(
    r"""(?<![^\s\[{,:])(?:"(?:[^"\\]|\\.)*"|'(?:[^']|'')*')|(?<!\S)\#[^\n]*|[\[\]{}]""",
    re.DOTALL,
)


def _check_flow_nesting(text: str, source: str) -> None:
    """Refuse ``[``/``{`` nesting deeper than ``MAX_DEPTH``, in one pass that stops there.

    PyYAML's scanner keeps one possible key per open bracket and checks them
    all at every token, so deep flow nesting costs it the square of the
    depth; this count costs one regular-expression pass, before it starts.
    """
    depth = 0
    for match in _FLOW_TOKENS.finditer(text):
        token = match.group()
        if token in ("[", "{"):
            depth += 1
            if depth > MAX_DEPTH:
                line = text.count("\n", 0, match.start()) + 1
                raise SpecError(
                    f"{source}: YAML nested deeper than {MAX_DEPTH} levels (line {line})"
                )
        elif token in ("]", "}"):
            depth = max(depth - 1, 0)


def _check_unique_keys(root: Any, source: str) -> None:
    """Refuse a mapping with the same (scalar) key twice, naming the key and its path."""
    import yaml

    stack: list[tuple[Any, tuple[str | int, ...]]] = [(root, ())]
    while stack:
        node, parts = stack.pop()
        if isinstance(node, yaml.SequenceNode):
            stack.extend((item, (*parts, i)) for i, item in enumerate(node.value))
        elif isinstance(node, yaml.MappingNode):
            seen: set[tuple[str, str]] = set()
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode) and key.tag != "tag:yaml.org,2002:merge":
                    if (key.tag, key.value) in seen:
                        raise SpecError(
                            f"{source}: the key {key.value[:80]!r} appears twice in the "
                            f"mapping at {config_path(parts)} ({_where(key.start_mark)}): "
                            "keys must be unique; remove one of them"
                        )
                    seen.add((key.tag, key.value))
                    stack.append((value, (*parts, key.value)))
                else:
                    stack.append((value, parts))


def _build(
    reader: Callable[[Any], LearningRateSchedule], data: Any, source: str
) -> LearningRateSchedule:
    try:
        return reader(data)
    except (ValueError, TypeError, OverflowError, RecursionError) as error:
        raise SpecError(f"{source}: {error}") from None


def keras_config(schedule: LearningRateSchedule) -> dict[str, Any]:
    """The config Keras 3's ``keras.optimizers.schedules.deserialize`` reads.

    Raises :class:`SpecError` for a schedule Keras has no class for (lrkit's
    own schedules and combinators, and TF 2.x's linear cosine decays). A
    ``name`` of None (TF's style) is left out: Keras names need to be strings.
    """
    from lrkit._core.serialization import _REGISTRY

    name = type(schedule).__name__
    if name not in KERAS_CLASSES or _REGISTRY.get(name) is not type(schedule):
        raise SpecError(
            f"{name} has no Keras counterpart; {KERAS_MODULE} has {', '.join(KERAS_CLASSES)}"
        )
    config = schedule.get_config()
    if config.get("name", "") is None:  # Keras needs a string name: leave it its default
        del config["name"]
    return {"module": KERAS_MODULE, "class_name": name, "config": config, "registered_name": None}
