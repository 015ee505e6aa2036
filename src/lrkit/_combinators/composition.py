"""Combinators: schedules built from schedules.

``Warmup`` puts a ramp in front of a schedule, ``Join`` runs schedules one
after another (optax's ``join_schedules``), ``Scale``, ``Offset`` and
``Clip`` transform values, ``Sum`` and ``Product`` combine them. Arithmetic
on schedules builds these: ``s * 0.5`` is ``Scale(s, 0.5)``, ``s + 0.1`` is
``Offset(s, 0.1)``, ``s + t`` is ``Sum([s, t])`` and ``s * t`` is
``Product([s, t])``. All nest, compare and serialize like any schedule.
The value combinators (``Scale``, ``Offset``, ``Clip``, ``Sum``,
``Product``) live in :mod:`lrkit._combinators.arithmetic` and are imported here too.
"""

from __future__ import annotations

import math
from bisect import bisect_right

from lrkit._combinators.arithmetic import Clip, Offset, Product, Scale, Sum
from lrkit._core import parameters as p
from lrkit._core.arrays import HUGE, ScalarOps
from lrkit._core.schedule import INF, LearningRateSchedule
from lrkit._core.serialization import builtin
from lrkit._core.shape import phase_boundaries
from lrkit._core.validation import show

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


__all__ = ["Clip", "Join", "Offset", "Product", "Scale", "Shift", "Sum", "Warmup"]

_WARMUP_SHAPES = ("linear", "cosine", "exponential")


@builtin
class Warmup(LearningRateSchedule):
    r"""A warmup ramp of ``warmup_steps`` in front of ``schedule``.

    The rate goes from ``initial_learning_rate`` at step 0 to the wrapped
    schedule's first value :math:`s(0)` at step :math:`W`, then follows the
    schedule on the shifted step (as Keras's ``CosineDecay`` warmup, optax's
    ``warmup_*`` schedules and Hugging Face's ``*_with_warmup`` do):

    .. math:: \eta(t) = \eta_0 + (s(0) - \eta_0)\, g(t / W) \text{ for } t < W,
        \qquad \eta(t) = s(t - W) \text{ for } t \ge W

    with :math:`g(f) = f` (``"linear"``), :math:`(1 - \cos \pi f)/2`
    (``"cosine"``), or the geometric ramp
    :math:`\eta_0 (s(0)/\eta_0)^{f}` (``"exponential"``, which needs
    :math:`\eta_0 > 0`).

    Args:
        schedule: the schedule after the warmup.
        warmup_steps: :math:`W \ge 0`.
        initial_learning_rate: :math:`\eta_0`, the rate at step 0.
        shape: ``"linear"``, ``"cosine"`` or ``"exponential"``.

    Example:
        >>> from lrkit import CosineDecay
        >>> schedule = Warmup(CosineDecay(0.1, 1000), warmup_steps=100)
        >>> schedule(50), schedule(100)
        (0.05, 0.1)
    """

    schedule: LearningRateSchedule = p.schedule()
    warmup_steps: int | float = p.steps(allow_zero=True)
    initial_learning_rate: float = p.rate(default=0.0)
    shape: str = p.choice(_WARMUP_SHAPES, default="linear")

    def _derive(self) -> None:
        if self.shape == "exponential" and self.initial_learning_rate == 0.0:
            raise ValueError(
                f"{type(self).__name__}: initial_learning_rate must be > 0 for an exponential "
                f"warmup, got {show(self.initial_learning_rate)}"
            )

    def _ramp(self, fraction: Any, target: Any, xp: Any) -> Any:
        start = self.initial_learning_rate
        if self.shape == "linear":
            return start + (target - start) * fraction
        if self.shape == "cosine":
            return start + (target - start) * (0.5 - 0.5 * xp.cos(math.pi * fraction))
        return start * (target / start) ** fraction

    def _formula(self, step: Any, xp: Any) -> Any:
        warmup_steps = self.warmup_steps
        if warmup_steps == 0:
            return self.schedule._formula(step, xp)
        # One evaluation of the wrapped schedule, not two (nested warmups would
        # cost 2 ** depth): at step 0 during the warmup, where its value is the
        # ramp's target, and at step - W after it.
        warming = step < warmup_steps
        value = self.schedule._formula(xp.where(warming, 0.0 * step, step - warmup_steps), xp)
        fraction = xp.minimum(step / warmup_steps, 1.0)
        return xp.where(warming, self._ramp(fraction, value, xp), value)

    def __call__(self, step: Any = None) -> Any:
        if not (
            (type(step) is int and 0 <= step < HUGE) or (type(step) is float and 0.0 <= step < INF)
        ):
            return self._call_other(step)
        warmup_steps = self.warmup_steps
        if not step < warmup_steps:
            return self.schedule.__call__(step - warmup_steps)
        return self._ramp(step / warmup_steps, self.schedule.__call__(0.0), ScalarOps)

    def _phase_boundaries(self) -> list[float]:
        """The end of the warmup, then the wrapped schedule's phases, shifted."""
        inner = [self.warmup_steps + step for step in phase_boundaries(self.schedule)]
        return [self.warmup_steps, *inner] if self.warmup_steps > 0 else inner

    def _horizon(self) -> float | None:
        """The warmup plus the wrapped schedule's length (four warmups if it has none)."""
        from lrkit._core.shape import DEFAULT_STEPS

        inner = self.schedule._horizon()
        warmup: float = self.warmup_steps
        return warmup + inner if inner is not None else max(warmup * 4, DEFAULT_STEPS)


@builtin
class Join(LearningRateSchedule):
    r"""Schedules one after another, each restarting its step at its boundary.

    .. math:: \eta(t) = s_i(t - b_{i-1}) \text{ for } b_{i-1} \le t < b_i
        \qquad (b_{-1} = 0)

    The same rule as optax's ``join_schedules``: a later schedule sees
    ``step - boundary``.

    Args:
        schedules: :math:`n` schedules.
        boundaries: :math:`n - 1` strictly increasing steps.

    Example:
        >>> from lrkit import ExponentialDecay, PolynomialDecay
        >>> warm = PolynomialDecay(0.0, 10, end_learning_rate=0.1, power=1.0)
        >>> joined = Join([warm, ExponentialDecay(0.1, 100, 0.5)], boundaries=[10])
        >>> joined(5), joined(10), joined(110)
        (0.05, 0.1, 0.05)
    """

    schedules: list[LearningRateSchedule] = p.schedules()
    boundaries: list[int | float] = p.boundaries()

    def _derive(self) -> None:
        if len(self.boundaries) != len(self.schedules) - 1:
            raise ValueError(
                f"{type(self).__name__}: boundaries must have one entry fewer than schedules, "
                f"got {show(self.boundaries)} for {len(self.schedules)} schedules"
            )
        self._starts = (0.0, *self.boundaries)

    def _formula(self, step: Any, xp: Any) -> Any:
        result = self.schedules[0]._formula(step, xp)
        for boundary, schedule in zip(self.boundaries, self.schedules[1:], strict=True):
            local = xp.maximum(step - boundary, 0.0 * step)
            result = xp.where(step < boundary, result, schedule._formula(local, xp))
        return result

    def __call__(self, step: Any = None) -> Any:
        if not (
            (type(step) is int and 0 <= step < HUGE) or (type(step) is float and 0.0 <= step < INF)
        ):
            return self._call_other(step)
        index = bisect_right(self.boundaries, step)  # the schedule whose span holds step
        return self.schedules[index].__call__(step - self._starts[index])

    def _phase_boundaries(self) -> list[float]:
        """The boundaries, and each schedule's own phases before the next boundary."""
        starts, ends = [0, *self.boundaries], [*self.boundaries, math.inf]
        nested = [
            start + step
            for start, end, part in zip(starts, ends, self.schedules, strict=True)
            for step in phase_boundaries(part)
            if start + step < end
        ]
        return [*self.boundaries, *nested]

    def _horizon(self) -> float | None:
        """The last boundary plus the last schedule's length (or the last boundary at 3/4)."""
        from lrkit._core.shape import DEFAULT_STEPS

        last: float = self.boundaries[-1] if self.boundaries else 0.0
        inner = self.schedules[-1]._horizon()
        return last + inner if inner is not None else max(last * 4 / 3, DEFAULT_STEPS)


@builtin
class Shift(LearningRateSchedule):
    r"""A schedule started ``steps`` steps in: :math:`\eta(t) = s(t + k)`.

    The opposite of the delay that :class:`Join` and :class:`Warmup` apply:
    the wrapped schedule runs ahead by :math:`k` steps, so it starts at
    :math:`s(k)`. Resuming a schedule under a fresh step counter is
    ``Shift(schedule, steps_done)``; Hugging Face's
    ``cosine_warmup_with_min_lr`` is a cosine schedule one step ahead.

    Args:
        schedule: the schedule to run ahead.
        steps: :math:`k \ge 0`.

    Example:
        >>> from lrkit import LinearDecay
        >>> schedule = Shift(LinearDecay(0.1, decay_steps=10), steps=5)
        >>> schedule(0), schedule(5)
        (0.05, 0.0)
    """

    schedule: LearningRateSchedule = p.schedule()
    steps: int | float = p.steps(allow_zero=True)

    def _formula(self, step: Any, xp: Any) -> Any:
        return self.schedule._formula(step + self.steps, xp)

    def __call__(self, step: Any = None) -> Any:
        if not (
            (type(step) is int and 0 <= step < HUGE) or (type(step) is float and 0.0 <= step < INF)
        ):
            return self._call_other(step)
        return self.schedule.__call__(step + self.steps)

    def _phase_boundaries(self) -> list[float]:
        """The wrapped schedule's phases still ahead, moved ``steps`` earlier."""
        return [step - self.steps for step in phase_boundaries(self.schedule) if step > self.steps]

    def _horizon(self) -> float | None:
        """The wrapped schedule's end, ``steps`` earlier (None once it is behind step 0)."""
        inner = self.schedule._horizon()
        return inner - self.steps if inner is not None and inner > self.steps else None
