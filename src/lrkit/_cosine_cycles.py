"""Cosine cycles: ``CosineCycles`` (restarts, growing cycles, k-decay) and ``CosineWave``.

``CosineCycles`` is the cosine cycles of timm's ``CosineLRScheduler`` and
``CosineWave`` the unclamped, periodic cosine of torch's
``CosineAnnealingLR``; :mod:`lrkit._cyclic` re-exports both beside the
other cyclic schedules.
"""

from __future__ import annotations

import math
import sys

from lrkit._arrays import HUGE, ScalarOps
from lrkit._arrays import power as _power
from lrkit._arrays import powers as _powers
from lrkit._schedule import INF, LearningRateSchedule
from lrkit._serialization import builtin
from lrkit._validation import check_fraction, check_int, check_number, check_rate, check_steps

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["CosineCycles", "CosineWave"]


_TABLED_CYCLES = 64  # CosineCycles's scalar path: cycles with precomputed peaks


@builtin
class CosineCycles(LearningRateSchedule):
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

    def __init__(
        self,
        initial_learning_rate: float,
        cycle_steps: int | float,
        cycle_mul: float = 1.0,
        cycle_decay: float = 1.0,
        cycle_limit: int = 1,
        alpha: float = 0.0,
        k_decay: float = 1.0,
    ) -> None:
        owner = type(self).__name__
        self.initial_learning_rate = check_rate(
            owner, "initial_learning_rate", initial_learning_rate
        )
        self.cycle_steps = check_steps(owner, "cycle_steps", cycle_steps)
        self.cycle_mul = check_number(owner, "cycle_mul", cycle_mul, minimum=1.0)
        self.cycle_decay = check_number(owner, "cycle_decay", cycle_decay, minimum=0.0)
        self.cycle_limit = check_int(owner, "cycle_limit", cycle_limit, minimum=1)
        self.alpha = check_fraction(owner, "alpha", alpha)
        self.k_decay = check_number(owner, "k_decay", k_decay, minimum=0.0, exclusive_minimum=True)
        # The scalar path's constants: the floor, and half the height above it
        # of the first cycles' peaks, as the formula computes them.
        self._floor = self.alpha * self.initial_learning_rate
        self._half_heights = [
            0.5 * (self.initial_learning_rate * decay - self._floor)
            for decay in _powers(self.cycle_decay, min(self.cycle_limit, _TABLED_CYCLES))
        ]

    def _cycle(self, step: Any, xp: Any) -> tuple[Any, Any]:
        """(cycle index, fraction of it completed) at ``step``."""
        completed = step / self.cycle_steps
        mul = self.cycle_mul
        if mul == 1.0:
            index = xp.floor(completed)
            return index, completed - index
        index = xp.floor(xp.log(1.0 - completed * (1.0 - mul)) / math.log(mul))
        # The logarithm may round across a boundary: move by one cycle if so.
        start = (1.0 - mul**index) / (1.0 - mul)
        index = xp.where(completed < start, index - 1.0, index)
        index = xp.where(completed >= start + mul**index, index + 1.0, index)
        start = (1.0 - mul**index) / (1.0 - mul)
        fraction = (completed - start) / mul**index
        # ``start`` may round a hair above ``completed`` at a restart: the cycle's start.
        return index, xp.maximum(fraction, 0.0 * fraction)

    def _formula(self, step: Any, xp: Any) -> Any:
        index, fraction = self._cycle(step, xp)
        if self.k_decay != 1.0:
            fraction = fraction**self.k_decay
        floor = self.alpha * self.initial_learning_rate
        # Past the limit the peak is unused: bound its exponent there.
        decay = _power(self.cycle_decay, xp.minimum(index, float(self.cycle_limit)), xp)
        peak = self.initial_learning_rate * decay
        cosine = floor + 0.5 * (peak - floor) * (1.0 + xp.cos(math.pi * fraction))
        return xp.where(index >= self.cycle_limit, floor, cosine)

    def __call__(self, step: Any = None) -> Any:
        if not (
            (type(step) is int and 0 <= step < HUGE) or (type(step) is float and 0.0 <= step < INF)
        ):
            return self._call_other(step)
        completed = step / self.cycle_steps
        if completed < 1.0 or (self.cycle_mul == 1.0 and completed < len(self._half_heights)):
            # A tabled cycle (the first one whatever cycle_mul): no logarithm.
            cycle = math.floor(completed)
            fraction = completed - cycle
            if self.k_decay != 1.0:
                fraction = fraction**self.k_decay
            height = self._half_heights[cycle]
            return self._floor + height * (1.0 + math.cos(math.pi * fraction))
        if self.cycle_mul == 1.0:
            if completed >= self.cycle_limit:  # so floor(completed) >= cycle_limit
                return self._floor
            if completed != completed:
                return completed
            index = float(math.floor(completed)) if completed < math.inf else completed
            fraction = completed - index
        else:
            index, fraction = self._cycle(step, ScalarOps)
        floor = self.alpha * self.initial_learning_rate
        if index >= self.cycle_limit:
            return floor
        if self.k_decay != 1.0:
            fraction = fraction**self.k_decay
        try:
            decay = self.cycle_decay**index
        except OverflowError:
            decay = math.inf
        peak = self.initial_learning_rate * decay
        value: float = floor + 0.5 * (peak - floor) * (1.0 + math.cos(math.pi * fraction))
        return value

    def _phase_boundaries(self) -> list[float]:
        """The restarts and the end of the last cycle (the first 64 at most)."""
        ends, length, end = [], float(self.cycle_steps), 0.0
        for _ in range(min(self.cycle_limit, 64)):
            end += length
            ends.append(end)
            length *= self.cycle_mul
        return ends


@builtin
class CosineWave(LearningRateSchedule):
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

    def __init__(
        self,
        initial_learning_rate: float,
        decay_steps: int | float,
        end_learning_rate: float = 0.0,
    ) -> None:
        owner = type(self).__name__
        self.initial_learning_rate = check_rate(
            owner, "initial_learning_rate", initial_learning_rate
        )
        self.decay_steps = check_steps(owner, "decay_steps", decay_steps)
        self.end_learning_rate = check_rate(owner, "end_learning_rate", end_learning_rate)
        self._half_period = float(self.decay_steps)
        # pi * phase overflows for a half period this long: divide first there.
        self._divide_first = self._half_period > sys.float_info.max / 8.0

    def _formula(self, step: Any, xp: Any) -> Any:
        end = self.end_learning_rate
        # The step within its period first (exact), so the cosine's argument
        # stays small and the rate keeps float64 precision at any step.
        phase = step % (2.0 * self._half_period)
        if self._divide_first:
            angle = math.pi * (phase / self._half_period)
        else:
            angle = math.pi * phase / self._half_period
        cosine = 1.0 + xp.cos(angle)
        return end + (self.initial_learning_rate - end) * cosine / 2.0

    def __call__(self, step: Any = None) -> Any:
        if not (
            (type(step) is int and 0 <= step < HUGE) or (type(step) is float and 0.0 <= step < INF)
        ):
            return self._call_other(step)
        end = self.end_learning_rate
        phase = step % (2.0 * self._half_period)
        if self._divide_first:
            cosine = 1.0 + math.cos(math.pi * (phase / self._half_period))
        else:
            cosine = 1.0 + math.cos(math.pi * phase / self._half_period)
        return end + (self.initial_learning_rate - end) * cosine / 2.0

    def _phase_boundaries(self) -> list[float]:
        return [float(self.decay_steps)]
