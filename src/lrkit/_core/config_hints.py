"""What to do next, for configs that are not what :func:`lrkit.deserialize` reads.

Each helper returns the part of an error message that says what was given
and what to pass instead: the registered name closest to a misspelled one,
or a description of a torch state dict, a Keras optimizer config or a file
path given where a schedule config belongs. Also :func:`keras_fixups`:
configs Keras reads differently from lrkit's constructors, read as Keras does.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from lrkit._core.validation import show

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable
    from typing import Any

    from lrkit._core.schedule import LearningRateSchedule


__all__ = ["did_you_mean", "is_keras_config", "keras_fixups", "not_a_schedule"]

#: Names longer than this get no suggestion (a misspelling is short).
_MAX_SUGGESTED_LENGTH = 100
_KERAS_MODULES = ("keras", "tf_keras", "tensorflow")


def did_you_mean(name: object, known: Iterable[str]) -> str:
    """``" (did you mean 'CosineDecay'?)"``, or "" where no known name is close.

    Close means within a few single-character edits (insertions, deletions,
    substitutions: a third of the name's length, at least 2), ignoring case,
    so ``"cosinedecay"`` and ``"CosineDecy"`` both find ``"CosineDecay"``.
    Costs no import, as every error path here must.

    Example:
        >>> did_you_mean("CosineDecy", ["CosineDecay", "ExponentialDecay"])
        " (did you mean 'CosineDecay'?)"
    """
    if not isinstance(name, str) or not name or len(name) > _MAX_SUGGESTED_LENGTH:
        return ""
    limit = max(2, len(name) // 3)
    best, best_distance = "", limit + 1
    for candidate in known:
        distance = _edit_distance(name.lower(), candidate.lower(), best_distance - 1)
        if distance < best_distance:
            best, best_distance = candidate, distance
    return f" (did you mean {best!r}?)" if best else ""


def _edit_distance(a: str, b: str, limit: int) -> int:
    """Levenshtein distance of ``a`` and ``b``, or ``limit + 1`` once it must exceed ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous = list(range(len(b) + 1))
    for i, char in enumerate(a, 1):
        current = [i]
        for j, other in enumerate(b, 1):
            current.append(
                min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char != other))
            )
        if min(current) > limit:
            return limit + 1
        previous = current
    return previous[-1]


def not_a_schedule(entry: object) -> str:
    """What ``entry`` is and what to pass instead, where it is a known non-schedule; else "".

    Recognised: a path (``str`` or ``os.PathLike``), the state dicts of
    ``lrkit.torch.LRScheduler``, ``ReduceOnPlateau``, torch's schedulers and
    optimizers, and Keras optimizer configs (serialized or ``get_config()``).
    """
    if isinstance(entry, os.PathLike):
        return (
            f"this is a file path ({show(entry)}), not a config: read the file first, "
            f"lrkit.from_json(pathlib.Path({os.fspath(entry)!r}).read_text())"
        )
    if not isinstance(entry, Mapping):
        return ""
    kind = entry.get("kind")
    if kind == "lrkit.torch.LRScheduler":
        return (
            "this is the state_dict() of lrkit.torch.LRScheduler, not a schedule config: it "
            "keeps each scheduled name's configs (one per param group) under 'schedules', "
            "so pass one of those, e.g. lrkit.deserialize(state['schedules']['lr'][0]), or "
            "load the whole state with LRScheduler.load_state_dict(state)"
        )
    if kind == "lrkit.ReduceOnPlateau":
        return (
            "this is a ReduceOnPlateau state_dict(), not a schedule config: build the schedule "
            "from its config, then restore this state with schedule.load_state_dict(state)"
        )
    if "last_epoch" in entry and ("base_lrs" in entry or "_step_count" in entry):
        return (
            "this is a torch scheduler's state_dict() (it has last_epoch and base_lrs), which "
            "holds a step count but no schedule: pass the schedule's own config, "
            "lrkit.serialize(schedule), or build the schedule in code "
            "(lrkit.compat.torch has torch's scheduler names)"
        )
    if "param_groups" in entry and "state" in entry:
        return (
            "this is a torch optimizer's state_dict(), which holds no schedule: pass the "
            "schedule's own config, lrkit.serialize(schedule)"
        )
    return _keras_optimizer(entry)


def _keras_optimizer(entry: Mapping[str, Any]) -> str:
    """The hint for a Keras optimizer config, serialized or from ``get_config()``."""
    inner = entry.get("config")
    if isinstance(inner, Mapping) and "learning_rate" in inner:
        config, where = inner, "config['config']['learning_rate']"
        name = entry.get("class_name")
    elif "learning_rate" in entry and "class_name" not in entry:
        config, where = entry, "config['learning_rate']"
        name = entry.get("name")
    else:
        return ""
    what = f"a Keras optimizer config ({name})" if isinstance(name, str) else "an optimizer config"
    rate = config["learning_rate"]
    if isinstance(rate, Mapping):
        return (
            f"this is {what}, not a schedule config: pass its schedule, lrkit.deserialize({where})"
        )
    return (
        f"this is {what} whose learning_rate is {show(rate)}, not a schedule: "
        f"a constant rate is lrkit.Constant({show(rate)})"
    )


def is_keras_config(entry: Mapping[str, Any]) -> bool:
    """Whether a serialized schedule was written by Keras (or tf.keras), not by lrkit.

    Keras 3 writes ``"module": "keras.optimizers.schedules"``; tf.keras 2.x
    writes no module at all. lrkit writes ``"lrkit"`` (its own classes) or
    the module of a user's class.
    """
    module = entry.get("module")
    return module is None or (
        isinstance(module, str) and module.partition(".")[0] in _KERAS_MODULES
    )


def keras_fixups(
    cls: type[LearningRateSchedule], entry: Mapping[str, Any], config: dict[str, Any]
) -> dict[str, Any]:
    """``config`` as Keras reads it, where the config was written by Keras.

    Each class says how in its ``_read_keras_config`` (``CosineDecay``: Keras
    ignores ``warmup_steps`` without a ``warmup_target``, which lrkit's
    constructor refuses); the others read a Keras config as it is.
    """
    if not is_keras_config(entry):
        return config
    return cls._read_keras_config(config)
