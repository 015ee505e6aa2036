"""Simple decays of lrkit's own: constant, linear, cosine-power, step, multi-step.

Keras naming style (``initial_learning_rate``, ``*_steps``); the step decays
are torch's ``StepLR`` and ``MultiStepLR`` in closed form. Each class is its
parameters and its pieces (see :mod:`lrkit._core.pieces`).
"""

from __future__ import annotations

import math
from bisect import bisect_right
from math import floor

from lrkit._core import parameters as p
from lrkit._core.arrays import HUGE, ScalarOps, keep_nan, lookup, power
from lrkit._core.pieces import Piecewise
from lrkit._core.schedule import INF
from lrkit._core.serialization import builtin

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["Constant", "CosinePowerDecay", "LinearDecay", "MultiStepDecay", "StepDecay"]


@builtin
class Constant(Piecewise):
    r"""The same rate at every step: :math:`\eta(t) = \eta`.

    Args:
        learning_rate: :math:`\eta \ge 0`.

    Example:
        >>> Constant(0.01)(1000)
        0.01

    Reference: optax's ``constant_schedule``; torch's ``LambdaLR(lambda t: 1)``.
    """

    learning_rate: float = p.rate()

    def _value(self, t: Any, xp: Any) -> Any:
        return self.learning_rate

    pieces = (_value,)

    def __call__(self, step: Any = None) -> Any:
        if not (
            (type(step) is int and 0 <= step < HUGE) or (type(step) is float and 0.0 <= step < INF)
        ):
            return self._call_other(step)
        return self.learning_rate


@builtin
class LinearDecay(Piecewise):
    r"""A straight line from ``initial_learning_rate`` to ``end_learning_rate``.

    .. math:: \eta(t) = \eta_0 + (\eta_T - \eta_0)\,\frac{\min(t, T)}{T}

    The rate is exactly :math:`\eta_0` at step 0 and exactly :math:`\eta_T`
    from step :math:`T` on. :math:`\eta_T > \eta_0` gives a rising line.

    Args:
        initial_learning_rate: :math:`\eta_0`.
        decay_steps: :math:`T > 0`, the length of the line.
        end_learning_rate: :math:`\eta_T`, the rate from step :math:`T` on.

    Example:
        >>> LinearDecay(0.1, decay_steps=10)(5)
        0.05
        >>> LinearDecay(0.0, decay_steps=4, end_learning_rate=0.2)(1)
        0.05

    Reference: optax's ``linear_schedule``; torch's ``LinearLR``.
    """

    initial_learning_rate: float = p.rate()
    decay_steps: int | float = p.steps()
    end_learning_rate: float = p.rate(default=0.0)

    def _derive(self) -> None:
        # One multiplication per step instead of a division and a multiplication,
        # unless decay_steps is so small that the slope overflows.
        slope = (self.end_learning_rate - self.initial_learning_rate) / self.decay_steps
        self._slope = slope if math.isfinite(slope) else None

    def _line(self, t: Any, xp: Any) -> Any:
        start, slope = self.initial_learning_rate, self._slope
        if slope is None:
            return start + (self.end_learning_rate - start) * (t / self.decay_steps)
        return start + t * slope

    def _end(self, t: Any, xp: Any) -> Any:
        return self.end_learning_rate

    pieces = (_line, _end)

    def _edges(self) -> tuple[Any, ...]:
        return (self.decay_steps,)

    def _horizon(self) -> float | None:
        return self.decay_steps


@builtin
class CosinePowerDecay(Piecewise):
    r"""A half cosine from ``initial_learning_rate`` to ``end_learning_rate``, raised to a power.

    .. math:: \eta(t) = \eta_T + (\eta_0 - \eta_T)
        \left[\tfrac12\left(1 + \cos\frac{\pi \min(t, T)}{T}\right)\right]^{p}

    ``exponent=1`` is the plain cosine annealing of SGDR, ending exactly at
    :math:`\eta_T`; a larger :math:`p` drops faster at the start.
    :math:`\eta_T > \eta_0` gives a rising curve.

    Args:
        initial_learning_rate: :math:`\eta_0`, the rate at step 0.
        decay_steps: :math:`T > 0`, the length of the curve.
        end_learning_rate: :math:`\eta_T`, the rate from step :math:`T` on.
        exponent: :math:`p \ge 0`.

    Example:
        >>> CosinePowerDecay(0.1, decay_steps=100)(50)
        0.05
        >>> CosinePowerDecay(0.1, decay_steps=100, exponent=2.0)(50)
        0.025

    Reference: Loshchilov & Hutter, "SGDR", ICLR 2017; optax's
    ``cosine_decay_schedule`` (its ``alpha`` is ``end_learning_rate /
    initial_learning_rate``).
    """

    initial_learning_rate: float = p.rate()
    decay_steps: int | float = p.steps()
    end_learning_rate: float = p.rate(default=0.0)
    exponent: float = p.number(default=1.0, minimum=0.0)

    def _curve(self, t: Any, xp: Any) -> Any:
        cosine = 0.5 * (1.0 + xp.cos(math.pi * (t / self.decay_steps)))
        if self.exponent != 1.0:
            cosine = cosine**self.exponent
        end = self.end_learning_rate
        return (self.initial_learning_rate - end) * cosine + end

    def _end(self, t: Any, xp: Any) -> Any:
        return self._curve(self.decay_steps, ScalarOps)  # the curve's own last value

    pieces = (_curve, _end)

    def _edges(self) -> tuple[Any, ...]:
        return (self.decay_steps,)

    def _horizon(self) -> float | None:
        return self.decay_steps


@builtin
class StepDecay(Piecewise):
    r"""Multiply the rate by ``gamma`` every ``step_size`` steps.

    .. math:: \eta(t) = \eta_0\, \gamma^{\lfloor t / s \rfloor}

    Args:
        initial_learning_rate: :math:`\eta_0`.
        step_size: :math:`s > 0`, the steps between two decays.
        gamma: :math:`\gamma \ge 0`, the factor applied at each decay.

    Example:
        >>> schedule = StepDecay(0.1, step_size=3, gamma=0.5)
        >>> schedule(2), schedule(3), schedule(6)
        (0.1, 0.05, 0.025)

    Reference: torch's ``StepLR`` (closed form).
    """

    initial_learning_rate: float = p.rate()
    step_size: int | float = p.steps()
    gamma: float = p.number(default=0.1, minimum=0.0)

    def _decayed(self, t: Any, xp: Any) -> Any:
        decays = keep_nan(t, xp.floor(t / self.step_size), xp)
        return self.initial_learning_rate * power(self.gamma, decays, xp)

    pieces = (_decayed,)

    def __call__(self, step: Any = None) -> Any:
        if not (
            (type(step) is int and 0 <= step < HUGE) or (type(step) is float and 0.0 <= step < INF)
        ):
            return self._call_other(step)
        try:  # floor gives an int: the same power of gamma as the piece's float
            value: float = self.initial_learning_rate * self.gamma ** floor(step / self.step_size)
        except OverflowError:  # an infinite quotient or power: the piece
            value = self._decayed(step, ScalarOps)
        return value

    def _horizon(self) -> float | None:
        return 4 * self.step_size  # four decays


@builtin
class MultiStepDecay(Piecewise):
    r"""Multiply the rate by ``gamma`` at each milestone.

    .. math:: \eta(t) = \eta_0\, \gamma^{\#\{i \,:\, m_i \le t\}}

    A milestone listed twice decays twice, as in torch.

    Args:
        initial_learning_rate: :math:`\eta_0`.
        milestones: non-decreasing steps :math:`m_0 \le m_1 \le \dots`.
        gamma: :math:`\gamma \ge 0`, the factor applied at each milestone.

    Example:
        >>> schedule = MultiStepDecay(1.0, milestones=[10, 20, 20], gamma=0.5)
        >>> schedule(9), schedule(10), schedule(20)
        (1.0, 0.5, 0.125)

    Reference: torch's ``MultiStepLR`` (closed form).
    """

    initial_learning_rate: float = p.rate()
    milestones: list[int | float] = p.boundaries(strict=False)
    gamma: float = p.number(default=0.1, minimum=0.0)

    def _derive(self) -> None:
        # The rate after k milestones, for k = 0 .. len(milestones).
        self._values: list[float] = [
            self.initial_learning_rate * float(power(self.gamma, k, ScalarOps))
            for k in range(len(self.milestones) + 1)
        ]

    def _after_milestones(self, t: Any, xp: Any) -> Any:
        # The rate after the milestones at or below the step: a sorted search.
        return lookup(self.milestones, self._values, t, xp, right=True)

    pieces = (_after_milestones,)

    def __call__(self, step: Any = None) -> Any:
        if not (
            (type(step) is int and 0 <= step < HUGE) or (type(step) is float and 0.0 <= step < INF)
        ):
            return self._call_other(step)
        return self._values[bisect_right(self.milestones, step)]

    def _horizon(self) -> float | None:
        last = self.milestones[-1] if self.milestones else 0
        return last * 4 / 3 if last > 0 else None  # the last milestone at 3/4 of the way
