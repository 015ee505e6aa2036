"""Value combinators: a schedule's rates transformed, or several schedules' combined.

``Scale`` and ``Offset`` multiply or shift a schedule's rate by a constant,
``Clip`` keeps it within bounds, ``Sum`` and ``Product`` combine schedules
step by step. Arithmetic on schedules builds them (``s * 0.5``, ``s + 0.1``,
``s + t``, ``s * t``); :mod:`lrkit._combinators` has the combinators that
move steps (``Warmup``, ``Join``, ``Shift``).
"""

from __future__ import annotations

from lrkit._arrays import HUGE
from lrkit._schedule import INF, LearningRateSchedule
from lrkit._serialization import builtin
from lrkit._validation import check_number, check_schedule, check_schedules, show

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import Any


__all__ = ["Clip", "Offset", "Product", "Scale", "Sum"]


@builtin
class Scale(LearningRateSchedule):
    r"""A schedule times a constant: :math:`\eta(t) = c\, s(t)`.

    Example:
        >>> from lrkit import ExponentialDecay
        >>> Scale(ExponentialDecay(0.1, 10, 0.5), 0.5)(10)
        0.025
    """

    def __init__(self, schedule: LearningRateSchedule, factor: float) -> None:
        owner = type(self).__name__
        self.schedule = check_schedule(owner, "schedule", schedule)
        self.factor = check_number(owner, "factor", factor, minimum=0.0)

    def _formula(self, step: Any, xp: Any) -> Any:
        return self.factor * self.schedule._formula(step, xp)

    def __call__(self, step: Any = None) -> Any:
        if not (
            (type(step) is int and 0 <= step < HUGE) or (type(step) is float and 0.0 <= step < INF)
        ):
            return self._call_other(step)
        return self.factor * self.schedule.__call__(step)


@builtin
class Offset(LearningRateSchedule):
    r"""A schedule plus a constant: :math:`\eta(t) = s(t) + c`.

    Example:
        >>> from lrkit import ExponentialDecay
        >>> Offset(ExponentialDecay(0.1, 10, 0.5), 0.01)(10)
        0.060000000000000005
    """

    def __init__(self, schedule: LearningRateSchedule, offset: float) -> None:
        owner = type(self).__name__
        self.schedule = check_schedule(owner, "schedule", schedule)
        self.offset = check_number(owner, "offset", offset)

    def _formula(self, step: Any, xp: Any) -> Any:
        return self.schedule._formula(step, xp) + self.offset

    def __call__(self, step: Any = None) -> Any:
        if not (
            (type(step) is int and 0 <= step < HUGE) or (type(step) is float and 0.0 <= step < INF)
        ):
            return self._call_other(step)
        return self.schedule.__call__(step) + self.offset


@builtin
class Clip(LearningRateSchedule):
    r"""A schedule kept within bounds: :math:`\min(\max(s(t), lo), hi)`.

    Args:
        schedule: the schedule to clip.
        min_learning_rate: the lower bound, or None.
        max_learning_rate: the upper bound, or None (at least one is given).

    Example:
        >>> from lrkit import ExponentialDecay
        >>> Clip(ExponentialDecay(0.1, 10, 0.5), min_learning_rate=0.02)(100)
        0.02
    """

    def __init__(
        self,
        schedule: LearningRateSchedule,
        min_learning_rate: float | None = None,
        max_learning_rate: float | None = None,
    ) -> None:
        owner = type(self).__name__
        self.schedule = check_schedule(owner, "schedule", schedule)
        if min_learning_rate is None and max_learning_rate is None:
            raise ValueError(
                f"{owner}: min_learning_rate and max_learning_rate must not both be None, got None"
            )
        self.min_learning_rate = (
            None
            if min_learning_rate is None
            else check_number(owner, "min_learning_rate", min_learning_rate, minimum=0.0)
        )
        self.max_learning_rate = (
            None
            if max_learning_rate is None
            else check_number(owner, "max_learning_rate", max_learning_rate, minimum=0.0)
        )
        low, high = self.min_learning_rate, self.max_learning_rate
        if low is not None and high is not None and low > high:
            raise ValueError(
                f"{owner}: min_learning_rate must be <= max_learning_rate "
                f"({show(max_learning_rate)}), got {show(min_learning_rate)}"
            )

    def _formula(self, step: Any, xp: Any) -> Any:
        value = self.schedule._formula(step, xp)
        if self.min_learning_rate is not None:
            value = xp.maximum(value, self.min_learning_rate)
        if self.max_learning_rate is not None:
            value = xp.minimum(value, self.max_learning_rate)
        return value

    def __call__(self, step: Any = None) -> Any:
        if not (
            (type(step) is int and 0 <= step < HUGE) or (type(step) is float and 0.0 <= step < INF)
        ):
            return self._call_other(step)
        value = self.schedule.__call__(step)
        low, high = self.min_learning_rate, self.max_learning_rate
        if low is not None and low > value:
            value = low
        if high is not None and high < value:
            value = high
        return value


@builtin
class Sum(LearningRateSchedule):
    r"""The sum of schedules: :math:`\eta(t) = \sum_i s_i(t)` (what ``s + t`` builds)."""

    def __init__(self, schedules: Sequence[LearningRateSchedule]) -> None:
        self.schedules = check_schedules(type(self).__name__, "schedules", schedules)

    def _formula(self, step: Any, xp: Any) -> Any:
        total = self.schedules[0]._formula(step, xp)
        for schedule in self.schedules[1:]:
            total = total + schedule._formula(step, xp)
        return total

    def __call__(self, step: Any = None) -> Any:
        if not (
            (type(step) is int and 0 <= step < HUGE) or (type(step) is float and 0.0 <= step < INF)
        ):
            return self._call_other(step)
        total = -0.0  # x + -0.0 is x, zeros' signs included
        for schedule in self.schedules:
            total += schedule.__call__(step)
        return total


@builtin
class Product(LearningRateSchedule):
    r"""The product of schedules: :math:`\eta(t) = \prod_i s_i(t)` (what ``s * t`` builds)."""

    def __init__(self, schedules: Sequence[LearningRateSchedule]) -> None:
        self.schedules = check_schedules(type(self).__name__, "schedules", schedules)

    def _formula(self, step: Any, xp: Any) -> Any:
        total = self.schedules[0]._formula(step, xp)
        for schedule in self.schedules[1:]:
            total = total * schedule._formula(step, xp)
        return total

    def __call__(self, step: Any = None) -> Any:
        if not (
            (type(step) is int and 0 <= step < HUGE) or (type(step) is float and 0.0 <= step < INF)
        ):
            return self._call_other(step)
        total = 1.0
        for schedule in self.schedules:
            total *= schedule.__call__(step)
        return total
