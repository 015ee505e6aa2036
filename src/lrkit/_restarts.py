"""Cosine cycles of whole steps, each with its own linear warmup from the floor.

``CosineWarmupRestarts`` is SGDR with a warmup at the start of every cycle,
the cycle lengths truncated to whole steps: the shape of the widely copied
``CosineAnnealingWarmupRestarts`` scheduler for PyTorch.
"""

from __future__ import annotations

import math
from bisect import bisect_right

from lrkit._arrays import HUGE, ScalarOps, is_scalar_ops
from lrkit._arrays import power as _power
from lrkit._schedule import INF, LearningRateSchedule
from lrkit._serialization import builtin
from lrkit._validation import check_fraction, check_int, check_number, check_steps, show

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["CosineWarmupRestarts"]

#: Cycle starts are listed up to the first one past this step: every larger
#: float is an even integer, and float32/float64 steps hold no finer phase.
_LAST_EXACT_STEP = 2**53

#: The most cycles listed; a ``cycle_mul`` needing more to reach the step
#: above (one barely over 1) is refused.
MAX_CYCLES = 4096


def cycle_table(
    owner: str, cycle_steps: int, cycle_mul: float, name: str = "cycle_mul"
) -> tuple[list[float], list[float]]:
    """(start, length) of each cycle up to the first that starts past 2**53."""
    starts, lengths = [0.0], [float(cycle_steps)]
    start, index = 0, 0
    while start <= _LAST_EXACT_STEP:
        start += int(lengths[-1])
        index += 1
        if index >= MAX_CYCLES:
            raise ValueError(
                f"{owner}: {name} must be 1, or large enough that fewer than "
                f"{MAX_CYCLES} cycles start before step 2**53 (about 1.008 or more), "
                f"got {show(cycle_mul)}"
            )
        starts.append(float(start))
        try:
            lengths.append(float(int(cycle_steps * cycle_mul**index)))
        except OverflowError:  # longer than float's range: the last cycle never ends
            lengths.append(math.inf)
            break
    return starts, lengths


def _as_array(values: list[float], like: Any, xp: Any) -> Any:
    """``values`` as a 1-D array of ``like``'s dtype, on its device."""
    if type(like).__module__.partition(".")[0] == "torch":
        return xp.asarray(values, dtype=like.dtype, device=like.device)
    return xp.asarray(values, dtype=like.dtype)


@builtin
class CosineWarmupRestarts(LearningRateSchedule):
    r"""Cosine cycles with restarts, each starting with a linear warmup from the floor.

    Cycle :math:`i` (from 0) lasts :math:`T_i = \lfloor T m^i \rfloor` whole
    steps and peaks at :math:`\eta_i = \eta_p \gamma^i`. With :math:`\tau`
    the steps into it, :math:`W` the warmup and the floor
    :math:`\eta_{min} = \alpha\,\eta_p`:

    .. math::
        \eta(t) = \begin{cases}
        \eta_{min} & \tau = 0 \\
        \eta_{min} + (\eta_i - \eta_{min})\,\tau / W & 0 < \tau < W \\
        \eta_{min} + \tfrac12(\eta_i - \eta_{min})
        \left(1 + \cos\frac{\pi (\tau - W)}{T_i - W}\right) & W \le \tau < T_i
        \end{cases}

    Every cycle starts at the floor, also without a warmup (then only its
    first step is there, and the cosine runs from its second). Later peaks
    may fall below the floor (:math:`\gamma < 1`); the curve then rises
    towards it. Steps past :math:`2^{53}` (where floats hold no fractional
    phase) are at the end of their cycle.

    Args:
        peak_learning_rate: :math:`\eta_p`, the first cycle's peak.
        cycle_steps: :math:`T \ge 1`, the first cycle's length (an integer).
        warmup_steps: :math:`W \in [0, T)`, the warmup at the start of each cycle.
        cycle_mul: :math:`m \ge 1`, the growth of the cycle lengths; lengths
            are truncated to whole steps one by one. A value just above 1,
            that would start 4096 cycles or more before step :math:`2^{53}`
            (about :math:`m < 1.008`), is refused.
        cycle_decay: :math:`\gamma \ge 0`, the factor on each cycle's peak.
        alpha: :math:`\alpha \in [0, 1]`, the floor as a fraction of :math:`\eta_p`.

    Example:
        >>> schedule = CosineWarmupRestarts(1.0, cycle_steps=10, warmup_steps=2,
        ...                                 cycle_mul=2.0, cycle_decay=0.5)
        >>> schedule(0), schedule(1), schedule(2), schedule(6), schedule(10), schedule(12)
        (0.0, 0.5, 1.0, 0.5, 0.0, 0.5)

    Reference: Loshchilov & Hutter, "SGDR: Stochastic Gradient Descent with
    Warm Restarts", ICLR 2017; the ``CosineAnnealingWarmupRestarts``
    scheduler of the pytorch-scheduler package (``first_cycle_steps``,
    ``cycle_mult``, ``gamma``, ``min_lr = alpha * max_lr``).
    """

    def __init__(
        self,
        peak_learning_rate: float,
        cycle_steps: int,
        warmup_steps: int | float = 0,
        cycle_mul: float = 1.0,
        cycle_decay: float = 1.0,
        alpha: float = 0.0,
    ) -> None:
        owner = type(self).__name__
        self.peak_learning_rate = check_number(
            owner, "peak_learning_rate", peak_learning_rate, minimum=0.0
        )
        self.cycle_steps = check_int(owner, "cycle_steps", cycle_steps, minimum=1)
        self.warmup_steps = check_steps(owner, "warmup_steps", warmup_steps, allow_zero=True)
        if self.warmup_steps >= self.cycle_steps:
            raise ValueError(
                f"{owner}: warmup_steps must be < cycle_steps ({self.cycle_steps}), "
                f"got {show(warmup_steps)}"
            )
        self.cycle_mul = check_number(owner, "cycle_mul", cycle_mul, minimum=1.0)
        self.cycle_decay = check_number(owner, "cycle_decay", cycle_decay, minimum=0.0)
        self.alpha = check_fraction(owner, "alpha", alpha)
        self._starts: list[float] = []
        self._lengths: list[float] = []
        if self.cycle_mul != 1.0:
            self._starts, self._lengths = cycle_table(owner, self.cycle_steps, self.cycle_mul)

    def _cycle(self, step: Any, xp: Any) -> tuple[Any, Any, Any]:
        """(cycle index, steps into the cycle, cycle length) at ``step``."""
        if not self._starts:
            length = float(self.cycle_steps)
            # The remainder is exact for floats (a float32 step keeps its phase).
            into = step % length
            into = xp.where(into >= length, into - length, into)
            return xp.floor((step - into) / length + 0.5), into, length
        if is_scalar_ops(xp):
            index = max(bisect_right(self._starts, step) - 1, 0)
            return float(index), step - self._starts[index], self._lengths[index]
        starts = _as_array(self._starts, step, xp)
        index = xp.searchsorted(starts, step, side="right") - 1
        start = xp.take(starts, index)
        length = xp.take(_as_array(self._lengths, step, xp), index)
        return xp.astype(index, step.dtype), step - start, length

    def _formula(self, step: Any, xp: Any) -> Any:
        if not self._starts or is_scalar_ops(xp):
            return self._rate(step, xp)
        # Array lookups on one dimension (TensorFlow's search takes no other).
        shape = tuple(step.shape)
        return xp.reshape(self._rate(xp.reshape(step, (-1,)), xp), shape)

    def _rate(self, step: Any, xp: Any) -> Any:
        index, into, length = self._cycle(step, xp)
        warmup = self.warmup_steps
        floor = self.alpha * self.peak_learning_rate
        peak = self.peak_learning_rate * _power(self.cycle_decay, index, xp)
        progress = xp.minimum((into - warmup) / (length - warmup), 1.0)
        shape = 0.5 * (1.0 + xp.cos(math.pi * progress))
        if warmup > 0:
            shape = xp.where(into < warmup, into / warmup, shape)
        rate = floor + (peak - floor) * shape
        return xp.where(into <= 0.0, floor, rate)

    def __call__(self, step: Any = None) -> Any:
        if not (
            (type(step) is int and 0 <= step < HUGE) or (type(step) is float and 0.0 <= step < INF)
        ):
            return self._call_other(step)
        if self._starts:
            index = bisect_right(self._starts, step) - 1
            into, length = step - self._starts[index], self._lengths[index]
        else:
            length = float(self.cycle_steps)
            into = step % length
            index = math.floor((step - into) / length + 0.5) if into == into else 0
        floor = self.alpha * self.peak_learning_rate
        if into <= 0.0:
            return floor
        warmup = self.warmup_steps
        if into < warmup:
            shape = into / warmup
        else:
            progress = min((into - warmup) / (length - warmup), 1.0)
            shape = 0.5 * (1.0 + math.cos(math.pi * progress)) if progress == progress else progress
        peak = self.peak_learning_rate * float(_power(self.cycle_decay, float(index), ScalarOps))
        return floor + (peak - floor) * shape

    def _phase_boundaries(self) -> list[float]:
        """The first 64 restarts."""
        if self._starts:
            return self._starts[1:65]
        return [float(self.cycle_steps * i) for i in range(1, 65)]
