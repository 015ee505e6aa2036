"""Schedules are values: frozen once their outermost constructor returns.

Every subclass's constructor is wrapped by :func:`freezing` (in
``LearningRateSchedule.__init_subclass__``); afterwards ``__setattr__`` and
``__delattr__`` refuse, with :func:`immutable_message`. Reading attributes,
and so every call, costs what it did: only assignment goes through Python.
"""

from __future__ import annotations

import functools

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

    from lrkit._core.schedule import LearningRateSchedule

__all__ = ["freezing", "immutable_message"]


#: The instance-dict entry that marks a constructed, frozen schedule. It
#: travels with copy, deepcopy and pickle, which restore ``__dict__`` directly.
_FROZEN = "_lrkit_frozen"


def freezing(init: Callable[..., None]) -> Callable[..., None]:
    """``init``, freezing the schedule once the outermost constructor returns.

    Every subclass's ``__init__`` is wrapped (by ``__init_subclass__``); a
    constructor that calls ``super().__init__`` runs the parent's wrapper
    first, which leaves the schedule open because the class's own
    constructor is not done yet.
    """

    @functools.wraps(init)
    def __init__(self: LearningRateSchedule, *args: Any, **kwargs: Any) -> None:
        init(self, *args, **kwargs)
        if type(self).__init__ is __init__:
            self._finish()
            # object.__setattr__, not __dict__: touching __dict__ would give the
            # instance a materialized dict, which makes every attribute read slower.
            object.__setattr__(self, _FROZEN, True)

    __init__._freezes = True  # type: ignore[attr-defined]
    return __init__


def immutable_message(schedule: LearningRateSchedule, name: str, action: str) -> str:
    cls = type(schedule).__name__
    if name in _constructor_parameters(schedule):
        how = (
            f"make a changed copy from its config: "
            f"type(schedule).from_config({{**schedule.get_config(), {name!r}: new_value}})"
        )
    else:
        how = "build a new one from its config (get_config() and from_config()) instead"
    return (
        f"cannot {action} {name!r}: {cls} is immutable (a schedule is a value: its "
        f"parameters were validated at construction and its hash depends on them); {how}"
    )


def _constructor_parameters(schedule: LearningRateSchedule) -> Any:
    from lrkit._core.schedule import _parameters

    return _parameters(type(schedule))
