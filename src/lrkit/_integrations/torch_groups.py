"""Param groups for :class:`lrkit.torch.LRScheduler`: where each scheduled value lives.

Imported only by :mod:`lrkit.torch` (it imports torch).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from typing import Any

import torch

from lrkit._core.schedule import LearningRateSchedule
from lrkit._core.validation import show

#: Hyperparameters stored inside the ``betas`` pair of a param group.
_BETA_INDEX = {"beta1": 0, "beta2": 1}

GroupSchedules = list[LearningRateSchedule | None]


def per_group(argument: str, value: Any, count: int) -> GroupSchedules:
    """One schedule (or None) per param group."""
    if isinstance(value, LearningRateSchedule):
        return [value] * count
    if isinstance(value, Sequence) and not isinstance(value, (str, bytes)):
        entries = list(value)
        if len(entries) != count:
            raise ValueError(
                f"LRScheduler: {argument} has {len(entries)} entries, "
                f"the optimizer has {count} param groups"
            )
        for i, entry in enumerate(entries):
            if entry is not None and not isinstance(entry, LearningRateSchedule):
                raise TypeError(
                    f"LRScheduler: {argument}[{i}] must be an lrkit schedule or None, "
                    f"got {type(entry).__name__}"
                )
        if all(entry is None for entry in entries):
            raise ValueError(f"LRScheduler: {argument} schedules no param group (all None)")
        return entries
    raise TypeError(
        f"LRScheduler: {argument} must be an lrkit schedule or a list of them "
        f"(one per param group), got {type(value).__name__}"
    )


def scalar_path(schedule: LearningRateSchedule) -> Callable[[Any], float]:
    """``schedule`` as a bound method: calling it skips the slot dispatch of ``schedule(t)``."""
    return schedule.__call__


def relative_names(relative: Any, targets: Mapping[str, Any]) -> frozenset[str]:
    if relative is True or relative is False:
        return frozenset(targets) if relative else frozenset()
    if isinstance(relative, (str, bytes)) or not isinstance(relative, Collection):
        raise TypeError(
            "LRScheduler: relative must be True, False or a collection of scheduled names, "
            f"got {show(relative)}"
        )
    names = frozenset(relative)
    unknown = sorted(str(name) for name in names - set(targets))
    if unknown:
        raise ValueError(
            f"LRScheduler: relative names {unknown} are not scheduled; scheduled: {list(targets)}"
        )
    return names


def target(name: str, groups: list[dict[str, Any]]) -> tuple[str, int | None]:
    """Where hyperparameter ``name`` lives in a param group."""
    if not isinstance(name, str):
        raise TypeError(f"LRScheduler: hyperparameter names are strings, got {show(name)}")
    if name in ("lr", "initial_lr"):
        raise ValueError(
            "LRScheduler: the learning rate is scheduled by the schedule argument, "
            f"not hyperparameters[{name!r}]"
        )
    if name == "betas":
        raise ValueError(
            "LRScheduler: betas is a pair; schedule 'beta1' or 'beta2' "
            "(or 'momentum', which means beta1 on optimizers with betas)"
        )
    if name in _BETA_INDEX:
        target: tuple[str, int | None] = ("betas", _BETA_INDEX[name])
    elif name == "momentum" and all("momentum" not in g and "betas" in g for g in groups):
        target = ("betas", 0)
    else:
        target = (name, None)
    key, index = target
    for i, group in enumerate(groups):
        if key not in group:
            known = sorted(k for k in group if k not in ("params", "initial_lr"))
            raise ValueError(
                f"LRScheduler: param group {i} has no {key!r} to schedule as {name!r}; "
                f"it has {known}"
            )
        value = group[key] if index is None else group[key][index]
        if isinstance(value, bool) or not isinstance(value, (int, float, torch.Tensor)):
            raise TypeError(
                f"LRScheduler: param group {i}'s {name!r} is {show(value)}, not a number"
            )
    return target


def initial_values(target: tuple[str, int | None], groups: list[dict[str, Any]]) -> list[float]:
    """Each group's initial value of a hyperparameter, kept in the group as ``initial_<key>``.

    As torch does with ``initial_lr``: recorded when the scheduler is first
    built, so that it travels with the optimizer's state.
    """
    key, index = target
    stored = f"initial_{key}" if index is None else f"initial_beta{index + 1}"
    values = []
    for group in groups:
        if stored not in group:
            current = group[key] if index is None else group[key][index]
            group[stored] = float(current)
        values.append(float(group[stored]))
    return values


def is_tensor(value: Any) -> bool:
    # isinstance(value, torch.Tensor) costs about 0.1 us; most values are floats.
    return type(value) is not float and isinstance(value, torch.Tensor)


def set_value(group: dict[str, Any], key: str, index: int | None, value: float) -> None:
    current = group[key]
    if index is None:
        if is_tensor(current):
            current.fill_(value)
        else:
            group[key] = value
        return
    entry = current[index]
    if is_tensor(entry):
        entry.fill_(value)
    else:
        pair = list(current)
        pair[index] = value
        group[key] = tuple(pair)


def same(current: Any, recorded: Any) -> bool:
    """Whether a param group's value is still the one recorded (None: nothing recorded)."""
    if recorded is None:
        return False
    read = float(current.item()) if is_tensor(current) else float(current)
    return read == (float(recorded.item()) if is_tensor(recorded) else float(recorded))
