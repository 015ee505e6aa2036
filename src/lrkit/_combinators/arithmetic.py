"""Value combinators: a schedule's rates transformed, or several schedules' combined.

``Scale`` and ``Offset`` multiply or shift a schedule's rate by a constant,
``Clip`` keeps it within bounds, ``Sum`` and ``Product`` combine schedules
step by step. Arithmetic on schedules builds them (``s * 0.5``, ``s + 0.1``,
``s + t``, ``s * t``); :mod:`lrkit._combinators.composition` has the combinators that
move steps (``Warmup``, ``Join``, ``Shift``).
"""

from __future__ import annotations

from lrkit._core import parameters as p
from lrkit._core.arrays import HUGE
from lrkit._core.schedule import INF, LearningRateSchedule
from lrkit._core.serialization import builtin
from lrkit._core.validation import show

TYPE_CHECKING = False
if TYPE_CHECKING:
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

    schedule: LearningRateSchedule = p.schedule()
    factor: float = p.number(minimum=0.0)

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

    schedule: LearningRateSchedule = p.schedule()
    offset: float = p.number()

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

    schedule: LearningRateSchedule = p.schedule()
    min_learning_rate: float | None = p.rate(default=None)
    max_learning_rate: float | None = p.rate(default=None)

    def _derive(self) -> None:
        owner = type(self).__name__
        low, high = self.min_learning_rate, self.max_learning_rate
        if low is None and high is None:
            raise ValueError(
                f"{owner}: min_learning_rate and max_learning_rate must not both be None, got None"
            )
        if low is not None and high is not None and low > high:
            raise ValueError(
                f"{owner}: min_learning_rate must be <= max_learning_rate "
                f"({show(high)}), got {show(low)}"
            )

    def _formula(self, step: Any, xp: Any) -> Any:
        value = self.schedule._formula(step, xp)
        if self.min_learning_rate is not None:
            value = xp.maximum(value, self.min_learning_rate)
        if self.max_learning_rate is not None:
            value = xp.minimum(value, self.max_learning_rate)
        return value

    def __call__(self, step: Any = None) -> Any:
        # The same clamp in comparisons: ScalarOps.maximum and minimum are
        # Python functions, which would double the cost of a cheap schedule.
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

    schedules: list[LearningRateSchedule] = p.schedules()

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

    schedules: list[LearningRateSchedule] = p.schedules()

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
