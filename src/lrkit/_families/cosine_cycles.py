"""Cosine cycles: ``CosineCycles`` (restarts, growing cycles, k-decay) and ``CosineWave``.

``CosineCycles`` is the cosine cycles of timm's ``CosineLRScheduler`` and
``CosineWave`` the unclamped, periodic cosine of torch's
``CosineAnnealingLR``; :mod:`lrkit._families.cycles` re-exports both beside the
other cyclic schedules.
"""

from __future__ import annotations

import math
import sys
from bisect import bisect_right
from math import cos as _cos

from lrkit._core import parameters as p
from lrkit._core.arrays import HUGE, ScalarOps, power, powers
from lrkit._core.cycles import Cycles
from lrkit._core.pieces import Piecewise
from lrkit._core.schedule import INF
from lrkit._core.serialization import builtin

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["CosineCycles", "CosineWave"]

_PI = math.pi

#: The cycles whose peak the scalar path looks up (as many as the locator tables).
_TABLED = 64


@builtin
class CosineCycles(Piecewise):
    r"""Cosine cycles with restarts, growing cycles, decaying peaks and k-decay.

    Cycle :math:`i` (from 0) lasts :math:`T_i = T m^i` steps and peaks at
    :math:`\eta_0 \gamma^i`; with :math:`\tau` the steps into it and the
    floor :math:`\eta_{min} = \alpha\, \eta_0`:

    .. math::
        \eta(t) = \eta_{min} + \tfrac12(\eta_0 \gamma^i - \eta_{min})
        \left(1 + \cos\left(\pi\, (\tau / T_i)^{k}\right)\right)

    After ``cycle_limit`` cycles the rate stays at :math:`\eta_{min}`. The
    defaults are one plain cosine decay to the floor. :math:`k > 1` keeps the
    rate high for longer in each cycle (k-decay).

    Args:
        initial_learning_rate: :math:`\eta_0`, the first peak.
        cycle_steps: :math:`T > 0`, the length of the first cycle.
        cycle_mul: :math:`m \ge 1`, the growth of each cycle's length.
        cycle_decay: :math:`\gamma \ge 0`, the factor on each cycle's peak.
        cycle_limit: the number of cycles (an integer >= 1).
        alpha: :math:`\alpha \in [0, 1]`, the floor as a fraction of :math:`\eta_0`.
        k_decay: :math:`k > 0`.

    Example:
        >>> schedule = CosineCycles(0.1, cycle_steps=10, cycle_decay=0.5, cycle_limit=2)
        >>> schedule(0), schedule(5), schedule(10), schedule(20)
        (0.1, 0.05, 0.05, 0.0)

    Reference: Loshchilov & Hutter, "SGDR: Stochastic Gradient Descent with
    Warm Restarts", ICLR 2017; Zhang & Li, "k-decay: A New Method For
    Learning Rate Schedule", 2020; timm's ``CosineLRScheduler`` (with
    ``lr_min = alpha * initial_learning_rate``, ``warmup_t=0``). Restart
    boundaries are found exactly, where timm's logarithm may round across one.
    """

    initial_learning_rate: float = p.rate()
    cycle_steps: int | float = p.steps()
    cycle_mul: float = p.number(default=1.0, minimum=1.0)
    cycle_decay: float = p.number(default=1.0, minimum=0.0)
    cycle_limit: int = p.integer(default=1, minimum=1)
    alpha: float = p.fraction(default=0.0)
    k_decay: float = p.number(default=1.0, minimum=0.0, exclusive_minimum=True)

    def _derive(self) -> None:
        self._cycles = Cycles(self.cycle_steps, self.cycle_mul)
        self._floor = self.alpha * self.initial_learning_rate
        # The scalar path's half height above the floor of the first peaks.
        self._half_heights = [
            0.5 * (self.initial_learning_rate * decay - self._floor)
            for decay in powers(self.cycle_decay, min(self.cycle_limit, _TABLED))
        ]

    def _cycling(self, t: Any, xp: Any) -> Any:
        index, into, length = self._cycles.locate(t, xp)
        fraction = into / length
        if self.cycle_mul != 1.0:
            # ``into`` may round a hair below 0 at a restart: the cycle's start.
            fraction = xp.maximum(fraction, 0.0 * fraction)
        if self.k_decay != 1.0:
            fraction = fraction**self.k_decay
        floor = self._floor
        peak = self.initial_learning_rate
        if self.cycle_decay != 1.0:  # 1.0 ** index is 1.0 (NaN included)
            # Past the limit the peak is unused: bound its exponent there.
            peak *= power(self.cycle_decay, xp.minimum(index, float(self.cycle_limit)), xp)
        cosine = floor + 0.5 * (peak - floor) * (1.0 + xp.cos(_PI * fraction))
        return xp.where(index >= self.cycle_limit, floor, cosine)

    pieces = (_cycling,)

    def __call__(self, step: Any = None) -> Any:
        # _cycling written out for Python numbers: the first cycle, then the
        # locator's table (or the whole cycles of cycle_mul = 1); past it the piece.
        if not (
            (type(step) is int and 0 <= step < HUGE) or (type(step) is float and 0.0 <= step < INF)
        ):
            return self._call_other(step)
        position = step / self.cycle_steps
        if position < 1.0:
            if self.k_decay != 1.0:
                position = position**self.k_decay
            return self._floor + self._half_heights[0] * (1.0 + _cos(_PI * position))
        cycles = self._cycles
        if cycles._lows:
            index = bisect_right(cycles._lows, position) - 1
            start, high, length = cycles._bounds[index]
            if position >= high:  # past the table, or where the logarithm may overflow
                return self._cycling(step, ScalarOps)
            if index >= self.cycle_limit:
                return self._floor
            fraction = (position - start) / length
        else:
            if position >= self.cycle_limit:  # so is its whole part
                return self._floor
            index = int(position)
            if index >= len(self._half_heights):
                return self._cycling(step, ScalarOps)
            fraction = position - index
        if self.k_decay != 1.0:
            fraction = fraction**self.k_decay
        return self._floor + self._half_heights[index] * (1.0 + _cos(_PI * fraction))

    def _phase_boundaries(self) -> list[float]:
        """The restarts and the end of the last cycle (the first 64 at most)."""
        return self._cycles.ends(min(self.cycle_limit, 64))

    def _horizon(self) -> float | None:
        """The end of the last cycle, or of the third if there are more."""
        return self._cycles.ends(min(self.cycle_limit, 3))[-1]


@builtin
class CosineWave(Piecewise):
    r"""A cosine between two rates that never stops: down, back up, and again.

    .. math:: \eta(t) = \eta_T + \tfrac12(\eta_0 - \eta_T)\left(1 + \cos\frac{\pi t}{T}\right)

    The rate falls from :math:`\eta_0` to :math:`\eta_T` over :math:`T`
    steps, rises back to :math:`\eta_0` over the next :math:`T`, and repeats
    with period :math:`2T`. This is torch's ``CosineAnnealingLR`` past
    ``T_max``; for a cosine that stays at :math:`\eta_T` after step :math:`T`
    use ``CosinePowerDecay``.

    Args:
        initial_learning_rate: :math:`\eta_0`, the rate at step 0.
        decay_steps: :math:`T > 0`, half the period.
        end_learning_rate: :math:`\eta_T`, the rate at steps :math:`T, 3T, 5T, \dots`.

    Example:
        >>> schedule = CosineWave(0.1, decay_steps=10)
        >>> schedule(0), schedule(10), round(schedule(15), 12), schedule(20)
        (0.1, 0.0, 0.05, 0.1)

    Reference: Loshchilov & Hutter, "SGDR", ICLR 2017; torch's
    ``CosineAnnealingLR`` (its closed form, which is not clamped).
    """

    initial_learning_rate: float = p.rate()
    decay_steps: int | float = p.steps()
    end_learning_rate: float = p.rate(default=0.0)

    def _derive(self) -> None:
        self._half_period = float(self.decay_steps)
        # pi * phase overflows for a half period this long: divide first there.
        self._divide_first = self._half_period > sys.float_info.max / 8.0
        self._period = 2.0 * self._half_period
        self._height = self.initial_learning_rate - self.end_learning_rate

    def _wave(self, t: Any, xp: Any) -> Any:
        end = self.end_learning_rate
        # The step within its period first (exact), so the cosine's argument
        # stays small and the rate keeps float64 precision at any step.
        phase = t % (2.0 * self._half_period)
        if self._divide_first:
            angle = math.pi * (phase / self._half_period)
        else:
            angle = math.pi * phase / self._half_period
        cosine = 1.0 + xp.cos(angle)
        return end + (self.initial_learning_rate - end) * cosine / 2.0

    pieces = (_wave,)

    def __call__(self, step: Any = None) -> Any:
        # _wave written out for Python numbers.
        if not (
            (type(step) is int and 0 <= step < HUGE) or (type(step) is float and 0.0 <= step < INF)
        ):
            return self._call_other(step)
        phase = step % self._period
        if self._divide_first:
            cosine = 1.0 + _cos(_PI * (phase / self._half_period))
        else:
            cosine = 1.0 + _cos(_PI * phase / self._half_period)
        return self.end_learning_rate + self._height * cosine / 2.0

    def _phase_boundaries(self) -> list[float]:
        return [float(self.decay_steps)]

    def _horizon(self) -> float | None:
        """One period: down and back up."""
        return 2.0 * self.decay_steps
