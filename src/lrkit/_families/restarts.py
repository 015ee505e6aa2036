"""Cosine cycles of whole steps, each with its own linear warmup from the floor.

``CosineWarmupRestarts`` is SGDR with a warmup at the start of every cycle,
the cycle lengths truncated to whole steps: the shape of the widely copied
``CosineAnnealingWarmupRestarts`` scheduler for PyTorch.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from math import cos as _cos
from math import floor as _floor

from lrkit._core import parameters as p
from lrkit._core.arrays import HUGE, ScalarOps, power, powers
from lrkit._core.cycles import Cycles
from lrkit._core.pieces import Piecewise
from lrkit._core.schedule import INF
from lrkit._core.serialization import builtin
from lrkit._core.validation import show

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["CosineWarmupRestarts"]

#: Equal cycles whose peak the scalar path looks up.
_TABLED = 64


@builtin
class CosineWarmupRestarts(Piecewise):
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

    peak_learning_rate: float = p.number(minimum=0.0)
    cycle_steps: int = p.integer(minimum=1)
    warmup_steps: int | float = p.steps(default=0, allow_zero=True)
    cycle_mul: float = p.number(default=1.0, minimum=1.0)
    cycle_decay: float = p.number(default=1.0, minimum=0.0)
    alpha: float = p.fraction(default=0.0)

    def _derive(self) -> None:
        owner = type(self).__name__
        if self.warmup_steps >= self.cycle_steps:
            raise ValueError(
                f"{owner}: warmup_steps must be < cycle_steps ({self.cycle_steps}), "
                f"got {show(self._given_value('warmup_steps'))}"
            )
        self._cycles = Cycles(
            self.cycle_steps, self.cycle_mul, whole_steps=True, owner=owner, name="cycle_mul"
        )
        # The scalar path's constants: the floor, the first cycle's length, and
        # the peaks of the listed cycles (of the first 64 when their lengths are equal).
        self._floor = self.alpha * self.peak_learning_rate
        self._length = float(self.cycle_steps)
        count = len(self._cycles._starts) or _TABLED
        self._peaks = [self.peak_learning_rate * decay for decay in powers(self.cycle_decay, count)]

    def _cycling(self, t: Any, xp: Any) -> Any:
        index, into, length = self._cycles.locate(t, xp)
        warmup = self.warmup_steps
        floor = self.alpha * self.peak_learning_rate
        peak = self.peak_learning_rate
        if self.cycle_decay != 1.0:  # 1.0 ** index is 1.0 (NaN included)
            peak = peak * power(self.cycle_decay, index, xp)
        progress = xp.minimum((into - warmup) / (length - warmup), 1.0)
        shape = 0.5 * (1.0 + xp.cos(math.pi * progress))
        if warmup > 0:
            shape = xp.where(into < warmup, into / warmup, shape)
        rate = floor + (peak - floor) * shape
        return xp.where(into <= 0.0, floor, rate)

    pieces = (_cycling,)

    def __call__(self, step: Any = None) -> Any:
        # _cycling written out for Python numbers, its cycle looked up in the
        # locator's list of starts (or a remainder for equal lengths).
        if not (
            (type(step) is int and 0 <= step < HUGE) or (type(step) is float and 0.0 <= step < INF)
        ):
            return self._call_other(step)
        starts = self._cycles._starts
        if starts:
            index = bisect_right(starts, step) - 1
            into = step - starts[index]
            if into <= 0.0:
                return self._floor
            length = self._cycles._lengths[index]
        else:
            length = self._length
            into = step % length
            if into <= 0.0:
                return self._floor
            index = 0
            if self.cycle_decay != 1.0:
                index = _floor((step - into) / length + 0.5)
                if index >= _TABLED:
                    return self._cycling(step, ScalarOps)
        warmup = self.warmup_steps
        if into < warmup:
            shape = into / warmup
        else:
            progress = (into - warmup) / (length - warmup)
            if progress > 1.0:
                progress = 1.0
            shape = 0.5 * (1.0 + _cos(math.pi * progress))
        floor = self._floor
        return floor + (self._peaks[index] - floor) * shape

    def _phase_boundaries(self) -> list[float]:
        """The first 64 restarts."""
        return self._cycles.ends(64)

    def _horizon(self) -> float | None:
        """Three cycles."""
        return self._cycles.ends(3)[-1]
