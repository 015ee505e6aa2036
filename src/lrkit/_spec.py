"""Schedule specs for the command line: reading a SPEC, writing Keras configs.

A SPEC is a preset name, JSON text (starting with ``{``), a JSON file, or a
YAML file (``.yaml``/``.yml``, with the ``yaml`` extra). Each becomes a
config dict that goes through :func:`lrkit.deserialize`, so a SPEC can name
only the schedules lrkit registers, and nothing in it is imported or run.
"""

from __future__ import annotations

from lrkit import _keras_family as keras_family
from lrkit._schedule import LearningRateSchedule

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
    from lrkit._presets import DEFAULT_PRESET, PRESETS
    from lrkit._serialization import deserialize, from_json

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
    from lrkit._presets import PRESETS
    from lrkit._serialization import MAX_JSON_CHARS

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
    """A YAML document as plain data: safe tags only, no aliases (no "billion laughs")."""
    try:
        import yaml
    except ImportError:
        raise SpecError(
            f"{source}: reading YAML needs PyYAML: pip install 'lrkit[yaml]' "
            "(or give the schedule as JSON)"
        ) from None

    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            if isinstance(event, yaml.AliasEvent):
                line, column = event.start_mark.line + 1, event.start_mark.column + 1
                raise SpecError(
                    f"{source}: YAML aliases (*name) are not allowed in a schedule "
                    f"(line {line}, column {column})"
                )
        return yaml.safe_load(text)
    except yaml.YAMLError as error:
        problem = getattr(error, "problem", None) or str(error)
        mark = getattr(error, "problem_mark", None)
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark is not None else ""
        raise SpecError(f"{source}: not valid YAML: {problem}{where}") from None
    except RecursionError:
        raise SpecError(f"{source}: not valid YAML: nested too deeply") from None
    except ValueError as error:  # a scalar YAML cannot convert: a 5,000-digit integer...
        raise SpecError(f"{source}: not valid YAML: {str(error)[:200]}") from None


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
    from lrkit._serialization import _REGISTRY

    name = type(schedule).__name__
    if name not in KERAS_CLASSES or _REGISTRY.get(name) is not type(schedule):
        raise SpecError(
            f"{name} has no Keras counterpart; {KERAS_MODULE} has {', '.join(KERAS_CLASSES)}"
        )
    config = schedule.get_config()
    if config.get("name", "") is None:  # Keras needs a string name: leave it its default
        del config["name"]
    return {"module": KERAS_MODULE, "class_name": name, "config": config, "registered_name": None}
