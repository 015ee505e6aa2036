"""Keras's cosine schedules: ``CosineDecay`` and ``CosineDecayRestarts`` (SGDR).

They follow ``keras.optimizers.schedules`` (Keras 3), with Keras's names,
parameters, defaults and formulas; :mod:`lrkit._keras_family` re-exports
them beside the rest of the Keras family. ``CosineDecayRestarts`` refuses
``t_mul < 1`` (its periods would shrink to nothing and Keras returns NaN
after a finite number of steps).
"""

from __future__ import annotations

import math
import sys
from bisect import bisect_right

from lrkit._arrays import HUGE, ScalarOps
from lrkit._arrays import power as _power
from lrkit._arrays import powers as _powers
from lrkit._schedule import INF, LearningRateSchedule
from lrkit._serialization import builtin
from lrkit._validation import (
    check_fraction,
    check_name,
    check_number,
    check_rate,
    check_steps,
    show,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["CosineDecay", "CosineDecayRestarts"]


_TABLED_PERIODS = 64  # CosineDecayRestarts's scalar path: periods with precomputed constants


@builtin
class CosineDecay(LearningRateSchedule):
    r"""Cosine decay (SGDR without restarts), with an optional linear warmup.

    Without warmup (``warmup_target=None``):

    .. math::
        \eta(t) = \eta_0\left[(1-\alpha)\tfrac12
        \left(1+\cos\frac{\pi\min(t,T)}{T}\right)+\alpha\right]

    With warmup, the rate rises linearly from :math:`\eta_0` to
    ``warmup_target`` over ``warmup_steps`` :math:`W`, then decays as above
    from ``warmup_target`` over ``decay_steps``, on the step :math:`t - W`.

    Args:
        initial_learning_rate: :math:`\eta_0`.
        decay_steps: :math:`T > 0`, the length of the decay.
        alpha: :math:`\alpha \in [0, 1]`, the final rate as a fraction of the peak.
        name: kept in the config, as in Keras.
        warmup_target: the peak rate reached after the warmup, or None.
        warmup_steps: :math:`W \ge 0`, the length of the warmup; more than 0
            only with a ``warmup_target`` (Keras ignores the steps without
            one, lrkit refuses them; a Keras config that has them reads as
            Keras computes it, with a warning).

    Example:
        >>> CosineDecay(0.1, decay_steps=100)(50)
        0.05
        >>> CosineDecay(0.0, 100, warmup_target=0.1, warmup_steps=10)(5)
        0.05

    Reference: Loshchilov & Hutter, "SGDR", ICLR 2017;
    ``keras.optimizers.schedules.CosineDecay``.
    """

    def __init__(
        self,
        initial_learning_rate: float,
        decay_steps: int | float,
        alpha: float = 0.0,
        name: str | None = "CosineDecay",
        warmup_target: float | None = None,
        warmup_steps: int | float = 0,
    ) -> None:
        owner = type(self).__name__
        self.initial_learning_rate = check_rate(
            owner, "initial_learning_rate", initial_learning_rate
        )
        self.decay_steps = check_steps(owner, "decay_steps", decay_steps)
        self.alpha = check_fraction(owner, "alpha", alpha)
        self.name = check_name(owner, name)
        self.warmup_target = (
            None if warmup_target is None else check_rate(owner, "warmup_target", warmup_target)
        )
        self.warmup_steps = check_steps(owner, "warmup_steps", warmup_steps, allow_zero=True)
        if self.warmup_target is None and self.warmup_steps != 0:
            raise ValueError(
                f"{owner}: warmup_steps needs a warmup_target, the rate the warmup rises "
                f"to; got warmup_steps={show(warmup_steps)} and warmup_target=None (Keras "
                "ignores such a warmup). Set warmup_target, or leave warmup_steps at 0 "
                "(lrkit.Warmup(schedule, warmup_steps) warms up any schedule)"
            )
        self._peak = (
            self.initial_learning_rate if self.warmup_target is None else self.warmup_target
        )
        self._warmup = self.warmup_target is not None and self.warmup_steps > 0
        self._end = self.decay_steps + (self.warmup_steps if self.warmup_target is not None else 0)

    def _formula(self, step: Any, xp: Any) -> Any:
        step = xp.minimum(step, self._end)
        if not self._warmup:
            return self._decay(step, xp)
        warmup_steps = self.warmup_steps
        warmup = (self._peak - self.initial_learning_rate) * (
            step / warmup_steps
        ) + self.initial_learning_rate
        return xp.where(step < warmup_steps, warmup, self._decay(step - warmup_steps, xp))

    def _phase_boundaries(self) -> list[float]:
        """The end of the built-in warmup, if there is one (for ``lrkit.plot``)."""
        return [self.warmup_steps] if self._warmup else []

    def _decay(self, step: Any, xp: Any) -> Any:
        cosine = 0.5 * (1.0 + xp.cos(math.pi * (step / self.decay_steps)))
        return self._peak * ((1.0 - self.alpha) * cosine + self.alpha)

    def __call__(self, step: Any = None) -> Any:
        if not (
            (type(step) is int and 0 <= step < HUGE) or (type(step) is float and 0.0 <= step < INF)
        ):
            return self._call_other(step)
        if step > self._end:
            step = self._end
        if self._warmup:
            if step < self.warmup_steps:
                peak, start = self._peak, self.initial_learning_rate
                return (peak - start) * (step / self.warmup_steps) + start
            step -= self.warmup_steps
        cosine = 0.5 * (1.0 + math.cos(math.pi * (step / self.decay_steps)))
        return self._peak * ((1.0 - self.alpha) * cosine + self.alpha)


@builtin
class CosineDecayRestarts(LearningRateSchedule):
    r"""Cosine decay with warm restarts (SGDR).

    Period :math:`i` lasts :math:`T_0 t_{mul}^i` steps and starts at
    :math:`\eta_0 m_{mul}^i`; within a period, with :math:`f` the fraction of
    it completed:

    .. math:: \eta = \eta_0\left[(1-\alpha)\, m_{mul}^i \tfrac12(1+\cos\pi f) + \alpha\right]

    Args:
        initial_learning_rate: :math:`\eta_0`.
        first_decay_steps: :math:`T_0 > 0`, the length of the first period.
        t_mul: :math:`t_{mul} \ge 1`, the growth of each period's length.
        m_mul: :math:`m_{mul} \ge 0`, the factor on each period's start rate.
        alpha: :math:`\alpha \in [0, 1]`, the floor as a fraction of :math:`\eta_0`.
        name: kept in the config, as in Keras.

    Example:
        >>> schedule = CosineDecayRestarts(0.1, first_decay_steps=10, t_mul=2.0)
        >>> schedule(10), schedule(30)
        (0.1, 0.1)

    Reference: Loshchilov & Hutter, "SGDR", ICLR 2017;
    ``keras.optimizers.schedules.CosineDecayRestarts``. Restart boundaries
    are found exactly (the logarithm's rounding is corrected), so the rate is
    back at its peak exactly on each restart step.
    """

    def __init__(
        self,
        initial_learning_rate: float,
        first_decay_steps: int | float,
        t_mul: float = 2.0,
        m_mul: float = 1.0,
        alpha: float = 0.0,
        name: str | None = "SGDRDecay",
    ) -> None:
        owner = type(self).__name__
        self.initial_learning_rate = check_rate(
            owner, "initial_learning_rate", initial_learning_rate
        )
        self.first_decay_steps = check_steps(owner, "first_decay_steps", first_decay_steps)
        self.t_mul = check_number(owner, "t_mul", t_mul, minimum=1.0)
        self.m_mul = check_number(owner, "m_mul", m_mul, minimum=0.0)
        self.alpha = check_fraction(owner, "alpha", alpha)
        self.name = check_name(owner, name)
        self._log_t_mul = math.log(self.t_mul)
        self._one_minus_alpha = 1.0 - self.alpha
        self._one_minus_t_mul = 1.0 - self.t_mul
        # The first periods' (start, length, peak factor), the first two in
        # units of first_decay_steps, as the formula computes them, and the
        # part [low, high) of each period that the formula gives to it whichever
        # way its logarithm rounds: the scalar path finds the period by bisection
        # there instead of raising t_mul and m_mul to the index.
        self._period_lows: list[float] = []
        self._periods: list[tuple[float, float, float, float]] = []
        if self.t_mul != 1.0:
            lengths = _powers(self.t_mul, _TABLED_PERIODS + 1)
            factors = [1.0] * len(lengths)  # 1.0 ** x is 1.0
            if self.m_mul != 1.0:
                factors = _powers(self.m_mul, len(lengths))
            starts = [(1.0 - length) / self._one_minus_t_mul for length in lengths]
            ends = [start + length for start, length in zip(starts, lengths, strict=True)]
            # Past this, the formula's logarithm overflows (and gives NaN, as the
            # scalar path's general branch does): the table stops short of it.
            overflow = sys.float_info.max / 2.0 / (self.t_mul - 1.0)
            for index in range(_TABLED_PERIODS):
                low = starts[0] if index == 0 else max(starts[index], ends[index - 1])
                high = min(ends[index], starts[index + 1], overflow)
                self._period_lows.append(low)
                self._periods.append((starts[index], high, lengths[index], factors[index]))

    def _formula(self, step: Any, xp: Any) -> Any:
        completed = step / self.first_decay_steps
        t_mul = self.t_mul
        if t_mul == 1.0:
            restart = xp.floor(completed)
            fraction = completed - restart
        else:
            restart = xp.floor(xp.log(1.0 - completed * (1.0 - t_mul)) / math.log(t_mul))
            # The logarithm may round across a boundary: move by one period if so.
            start = (1.0 - _power(t_mul, restart, xp)) / (1.0 - t_mul)
            restart = xp.where(completed < start, restart - 1.0, restart)
            restart = xp.where(
                completed >= start + _power(t_mul, restart, xp), restart + 1.0, restart
            )
            length = _power(t_mul, restart, xp)
            start = (1.0 - length) / (1.0 - t_mul)
            fraction = (completed - start) / length
        cosine = 0.5 * _power(self.m_mul, restart, xp) * (1.0 + xp.cos(math.pi * fraction))
        return self.initial_learning_rate * ((1.0 - self.alpha) * cosine + self.alpha)

    def __call__(self, step: Any = None) -> Any:
        if not (
            (type(step) is int and 0 <= step < HUGE) or (type(step) is float and 0.0 <= step < INF)
        ):
            return self._call_other(step)
        completed = step / self.first_decay_steps
        factor: float
        if completed < 1.0:  # the first period, whatever t_mul: m_mul ** 0 is 1
            cosine = 0.5 * (1.0 + math.cos(math.pi * completed))
            return self.initial_learning_rate * (self._one_minus_alpha * cosine + self.alpha)
        t_mul = self.t_mul
        if t_mul != 1.0:
            index = bisect_right(self._period_lows, completed) - 1
            start, high, length, factor = self._periods[index]
            if completed < high:
                fraction = (completed - start) / length
                cosine = 0.5 * factor * (1.0 + math.cos(math.pi * fraction))
                return self.initial_learning_rate * (self._one_minus_alpha * cosine + self.alpha)
        if t_mul == 1.0:
            restart = float(math.floor(completed)) if completed < math.inf else completed
            fraction = completed - restart
        else:
            restart = math.log(1.0 - completed * (1.0 - t_mul)) / self._log_t_mul
            if restart < math.inf:
                restart = float(math.floor(restart))
            # The period's length, in units of first_decay_steps (inf past float's
            # range, as on arrays, from the largest steps on).
            length = _power(t_mul, restart, ScalarOps)
            start, moved = (1.0 - length) / (1.0 - t_mul), False
            if completed < start:  # the logarithm rounded across a boundary
                restart, moved = restart - 1.0, True
                length = _power(t_mul, restart, ScalarOps)
            if completed >= start + length:
                restart, moved = restart + 1.0, True
                length = _power(t_mul, restart, ScalarOps)
            if moved:
                start = (1.0 - length) / (1.0 - t_mul)
            fraction = (completed - start) / length
        m_mul = self.m_mul
        try:
            factor = 1.0 if m_mul == 1.0 else m_mul**restart  # 1.0 ** x is 1.0
        except OverflowError:
            factor = math.inf
        cosine = 0.5 * factor * (1.0 + math.cos(math.pi * fraction))
        return self.initial_learning_rate * (self._one_minus_alpha * cosine + self.alpha)
