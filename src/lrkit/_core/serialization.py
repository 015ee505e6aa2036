"""Serialization: the registry, ``serialize``/``deserialize`` and JSON.

The format is Keras's: ``{"module", "class_name", "config", "registered_name"}``.
``deserialize`` also reads what Keras 3 and tf.keras 2.x write (bare
``{"class_name", "config"}``, ``"module": "keras.optimizers.schedules"``,
``__tensor__``/``__numpy__`` wrapped values) and JSON text.

Names resolve only against lrkit's registry and ``custom_objects``: nothing
named in a config is ever imported, looked up as an attribute or run. The
``module`` field is informational and ignored when reading.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from lrkit._core.config_hints import did_you_mean, keras_fixups, not_a_schedule
from lrkit._core.config_text import MAX_DEPTH, parse_json
from lrkit._core.config_text import MAX_INT_DIGITS as MAX_INT_DIGITS  # the limits, re-exported
from lrkit._core.config_text import MAX_JSON_CHARS as MAX_JSON_CHARS
from lrkit._core.schedule import LearningRateSchedule, value_class
from lrkit._core.validation import show

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, TypeVar

    _C = TypeVar("_C", bound=type[LearningRateSchedule])


__all__ = [
    "deserialize",
    "from_json",
    "register_serializable",
    "registered_names",
    "serialize",
    "to_json",
]

#: Name -> class. lrkit's own schedules under their class names, user classes
#: under ``"package>name"``.
_REGISTRY: dict[str, type[LearningRateSchedule]] = {}


#: The registered name of ``lrkit.keras.KerasSchedule``, the Keras wrapper
#: whose config holds a serialized lrkit schedule.
KERAS_WRAPPER = "lrkit>KerasSchedule"

_WRAPPED_VALUE_CLASSES = frozenset({"__tensor__", "__numpy__"})


def builtin(cls: _C) -> _C:
    """Register one of lrkit's own schedules under its class name."""
    _REGISTRY[cls.__name__] = cls
    return cls


def register_serializable(package: str = "Custom", name: str | None = None) -> Callable[[_C], _C]:
    """Class decorator registering a user schedule for :func:`deserialize`.

    The class is stored as ``"package>name"`` (``name`` defaults to the class
    name), as Keras's ``register_keras_serializable`` does.

    Example:
        >>> import lrkit
        >>> @lrkit.register_serializable(package="my_project")
        ... class Halving(lrkit.LearningRateSchedule):
        ...     def __init__(self, initial_learning_rate: float, every: int):
        ...         self.initial_learning_rate = initial_learning_rate
        ...         self.every = every
        ...     def _formula(self, step, xp):
        ...         return self.initial_learning_rate * 0.5 ** xp.floor(step / self.every)
        >>> lrkit.deserialize(lrkit.serialize(Halving(1.0, 10)))(25)
        0.25
    """
    if not isinstance(package, str) or not package or ">" in package:
        raise ValueError(
            f"register_serializable: package must be a non-empty string without '>', "
            f"got {show(package)}"
        )
    if name is not None and (not isinstance(name, str) or not name or ">" in name):
        raise ValueError(
            f"register_serializable: name must be a non-empty string without '>', got {show(name)}"
        )

    def decorator(cls: _C) -> _C:
        if not (isinstance(cls, type) and issubclass(cls, LearningRateSchedule)):
            raise TypeError(
                f"register_serializable decorates LearningRateSchedule subclasses, got {cls!r}"
            )
        key = f"{package}>{name or cls.__name__}"
        _REGISTRY[key] = cls
        cls._registered_name = key
        return cls

    return decorator


def registered_names() -> list[str]:
    """Every name :func:`deserialize` resolves without ``custom_objects``."""
    return sorted(_REGISTRY)


def serialize(schedule: LearningRateSchedule) -> dict[str, Any]:
    """The Keras-shaped dict of a schedule: module, class_name, config, registered_name."""
    if not isinstance(schedule, LearningRateSchedule):
        raise TypeError(f"serialize expects an lrkit schedule, got {type(schedule).__name__}")
    # lrkit.keras.X serializes as lrkit.X: its lrkit class (see value_class).
    cls = value_class(type(schedule))
    builtin_class = _REGISTRY.get(cls.__name__) is cls
    return {
        "module": "lrkit" if builtin_class else cls.__module__,
        "class_name": cls.__name__,
        "config": schedule.get_config(),
        "registered_name": None if builtin_class else cls._registered_name or cls.__name__,
    }


def deserialize(
    config: Mapping[str, Any] | str,
    custom_objects: Mapping[str, type[LearningRateSchedule]] | None = None,
) -> LearningRateSchedule:
    """A schedule from :func:`serialize` output, a Keras/tf.keras config, or JSON text.

    Raises ``ValueError`` for an unknown name (listing the known ones) or a
    malformed config, ``TypeError`` for values of the wrong type.
    """
    if isinstance(config, (str, bytes)):
        return from_json(config, custom_objects)
    return _deserialize(config, custom_objects or {}, depth=0)


def to_json(schedule: LearningRateSchedule, **json_kwargs: Any) -> str:
    """``serialize(schedule)`` as JSON text; keyword arguments go to ``json.dumps``."""
    import json

    return json.dumps(serialize(schedule), **json_kwargs)


def from_json(
    text: str | bytes,
    custom_objects: Mapping[str, type[LearningRateSchedule]] | None = None,
) -> LearningRateSchedule:
    """The schedule written by :func:`to_json` (or any JSON :func:`deserialize` reads).

    Raises ``ValueError`` for text that is not JSON (saying so where it looks
    like a file path: pass the file's contents), for NaN or infinite numbers,
    for an object with the same key twice (naming the key and where it is)
    and for text over the size and nesting limits.
    """
    if not isinstance(text, (str, bytes)):
        hint = not_a_schedule(text)
        raise TypeError(
            f"from_json expects JSON text, got {type(text).__name__}"
            + (f": {hint}" if hint else "")
        )
    data = parse_json(text)
    if not isinstance(data, dict):  # malformed text, so ValueError (TypeError is for objects)
        raise ValueError(f"a schedule config must be a dict, got {type(data).__name__}")
    return _deserialize(data, custom_objects or {}, depth=0)


def _resolve(
    entry: Mapping[str, Any], custom_objects: Mapping[str, type[LearningRateSchedule]]
) -> type[LearningRateSchedule]:
    class_name = entry.get("class_name")
    registered_name = entry.get("registered_name")
    if not isinstance(class_name, str):
        hint = not_a_schedule(entry)
        raise ValueError(
            f"schedule config needs a string 'class_name', got {show(class_name)}"
            + (f"; {hint}" if hint else "")
        )
    if registered_name is not None and not isinstance(registered_name, str):
        raise ValueError(f"'registered_name' must be a string or null, got {show(registered_name)}")
    # A registered name is looked up first; a bare class name resolves against
    # lrkit's own registry only when no other registered name was given.
    candidates = [(registered_name, custom_objects), (registered_name, _REGISTRY)]
    candidates.append((class_name, custom_objects))
    # "lrkit>Name": Keras's registered name of lrkit.keras.Name, which is lrkit's Name.
    if registered_name in (None, class_name, f"lrkit>{class_name}"):
        candidates.append((class_name, _REGISTRY))
    for key, table in candidates:
        cls = table.get(key) if key is not None else None
        if cls is not None:
            if not (isinstance(cls, type) and issubclass(cls, LearningRateSchedule)):
                raise TypeError(f"custom_objects[{key!r}] is not a LearningRateSchedule subclass")
            return cls
    known = sorted(set(_REGISTRY) | set(custom_objects))
    name = registered_name or class_name
    hint = not_a_schedule(entry)
    raise ValueError(
        f"unknown schedule {show(name)}"
        + (f"; {hint}" if hint else did_you_mean(name, known))
        + f"; known schedules: {', '.join(known)}"
    )


def _deserialize(
    entry: Any, custom_objects: Mapping[str, type[LearningRateSchedule]], depth: int
) -> LearningRateSchedule:
    if depth > MAX_DEPTH:
        raise ValueError(f"schedule config is nested deeper than {MAX_DEPTH} levels")
    if not isinstance(entry, Mapping):
        hint = not_a_schedule(entry)
        raise TypeError(
            f"a schedule config must be a dict, got {type(entry).__name__}"
            + (f": {hint}" if hint else "")
        )
    if entry.get("registered_name") == KERAS_WRAPPER and isinstance(entry.get("config"), Mapping):
        # lrkit.keras.KerasSchedule, as a Keras optimizer config embeds it.
        return _deserialize(entry["config"].get("schedule"), custom_objects, depth + 1)
    cls = _resolve(entry, custom_objects)
    config = entry.get("config", {})
    if not isinstance(config, Mapping):
        raise TypeError(f"'config' of {cls.__name__} must be a dict, got {type(config).__name__}")
    revived = {str(key): _revive(value, custom_objects, depth + 1) for key, value in config.items()}
    return cls.from_config(keras_fixups(cls, entry, revived))


def _revive(
    value: Any, custom_objects: Mapping[str, type[LearningRateSchedule]], depth: int
) -> Any:
    """A config value with Keras value wrappers unwrapped and nested schedules rebuilt.

    Every container is walked (to the depth limit), so no config value that
    reaches a constructor is nested deeper than ``MAX_DEPTH``.
    """
    if depth > MAX_DEPTH:
        raise ValueError(f"schedule config is nested deeper than {MAX_DEPTH} levels")
    if isinstance(value, Mapping) and "class_name" in value:
        if isinstance(value["class_name"], str) and value["class_name"] in _WRAPPED_VALUE_CLASSES:
            inner = value.get("config")
            if not isinstance(inner, Mapping) or "value" not in inner:
                raise ValueError(
                    f"malformed {value['class_name']} value in schedule config: {show(value)}"
                )
            return _revive(inner["value"], custom_objects, depth + 1)
        return _deserialize(value, custom_objects, depth + 1)
    if isinstance(value, Mapping):
        return {str(key): _revive(item, custom_objects, depth + 1) for key, item in value.items()}
    if isinstance(value, list):
        return [_revive(item, custom_objects, depth + 1) for item in value]
    return value


def to_config_value(value: Any) -> Any:
    """A stored parameter as it goes into ``get_config()``."""
    if isinstance(value, LearningRateSchedule):
        return serialize(value)
    if isinstance(value, (list, tuple)):
        return [to_config_value(item) for item in value]
    return value


def from_config_value(value: Any) -> Any:
    """A ``get_config()`` value back as a constructor argument."""
    return _revive(value, {}, depth=0)
