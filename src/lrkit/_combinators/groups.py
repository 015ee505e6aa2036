"""Schedules per parameter group: ``GroupSchedules`` and ``scale_by_group``.

``GroupSchedules`` is a read-only mapping of group name to schedule (not a
schedule itself: calling it gives every group's rate); ``scale_by_group``
gives each named group a fixed multiple of one schedule.
"""

from __future__ import annotations

import numbers
from collections.abc import Iterator, Mapping

from lrkit._combinators.arithmetic import Scale
from lrkit._core.schedule import LearningRateSchedule
from lrkit._core.validation import check_number, check_schedule, show

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["GroupSchedules", "scale_by_group"]


class GroupSchedules(Mapping[str, LearningRateSchedule]):
    """Named schedules, one per parameter group; calling it gives each group's rate.

    A read-only mapping of group name to schedule (each a serializable lrkit
    schedule), so ``list(groups.values())`` is one schedule per param group
    for :class:`lrkit.torch.LRScheduler`.

    Example:
        >>> from lrkit import CosineDecay
        >>> groups = scale_by_group(CosineDecay(0.1, 100), {"backbone": 0.1, "head": 1.0})
        >>> groups(0)
        {'backbone': 0.010000000000000002, 'head': 0.1}
    """

    def __init__(self, schedules: Mapping[str, LearningRateSchedule]) -> None:
        owner = type(self).__name__
        if not isinstance(schedules, Mapping):
            raise TypeError(
                f"{owner}: schedules must be a dict of name: schedule, got {show(schedules)}"
            )
        checked: dict[str, LearningRateSchedule] = {}
        for name, schedule in schedules.items():
            if not isinstance(name, str):
                raise TypeError(f"{owner}: group names must be strings, got {show(name)}")
            checked[name] = check_schedule(owner, f"schedules[{name!r}]", schedule)
        self._schedules = checked

    def __call__(self, step: Any) -> dict[str, Any]:
        return {name: schedule(step) for name, schedule in self._schedules.items()}

    def __getitem__(self, name: str) -> LearningRateSchedule:
        return self._schedules[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._schedules)

    def __len__(self) -> int:
        return len(self._schedules)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._schedules!r})"

    def get_config(self) -> dict[str, Any]:
        """Each group's schedule, serialized (as :func:`lrkit.serialize`)."""
        from lrkit._core.serialization import serialize

        return {name: serialize(schedule) for name, schedule in self._schedules.items()}

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> GroupSchedules:
        """The groups back from :meth:`get_config`."""
        from lrkit._core.serialization import deserialize

        return cls({name: deserialize(entry) for name, entry in config.items()})


def scale_by_group(
    schedule: LearningRateSchedule, multipliers: Mapping[str, float]
) -> GroupSchedules:
    r"""One schedule scaled per parameter group: group :math:`g` gets :math:`m_g\, s(t)`.

    Args:
        schedule: the base schedule.
        multipliers: group name to its multiplier :math:`m_g \ge 0` (not empty).

    Returns:
        A :class:`GroupSchedules` of :class:`lrkit.Scale` schedules, in the
        order of ``multipliers``.

    Example:
        >>> from lrkit import ExponentialDecay
        >>> groups = scale_by_group(ExponentialDecay(0.1, 10, 0.5), {"embed": 0.5, "head": 2.0})
        >>> groups(10)
        {'embed': 0.025, 'head': 0.1}
    """
    owner = "scale_by_group"
    check_schedule(owner, "schedule", schedule)
    if not isinstance(multipliers, Mapping):
        raise TypeError(
            f"{owner}: multipliers must be a dict of group name: number, got {show(multipliers)}"
        )
    if not multipliers:
        raise ValueError(f"{owner}: multipliers must not be empty, got {show(multipliers)}")
    scaled: dict[str, LearningRateSchedule] = {}
    for name, factor in multipliers.items():
        if not isinstance(name, str):
            raise TypeError(f"{owner}: group names must be strings, got {show(name)}")
        if not isinstance(factor, numbers.Real):
            raise TypeError(
                f"{owner}: multipliers[{name!r}] must be a real number, got {show(factor)}"
            )
        value = check_number(owner, f"multipliers[{name!r}]", factor, minimum=0.0)
        scaled[name] = Scale(schedule, value)
    return GroupSchedules(scaled)
