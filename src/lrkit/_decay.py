"""Simple decays of lrkit's own: constant, linear, cosine-power, step, multi-step.

Keras naming style (``initial_learning_rate``, ``*_steps``); the step decays
are torch's ``StepLR`` and ``MultiStepLR`` in closed form.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from math import floor

from lrkit._arrays import HUGE, ScalarOps
from lrkit._arrays import lookup as _lookup
from lrkit._arrays import power as _power
from lrkit._schedule import INF, LearningRateSchedule
from lrkit._serialization import builtin
from lrkit._validation import check_increasing, check_number, check_steps

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["Constant", "CosinePowerDecay", "LinearDecay", "MultiStepDecay", "StepDecay"]


def _rate(owner: str, name: str, value: Any) -> float:
    return check_number(owner, name, value, minimum=0.0)


def _keep_nan(step: Any, value: Any, xp: Any) -> Any:
    """``value``, except NaN where the step is NaN."""
    return xp.where(step == step, value, step)


@builtin
class Constant(LearningRateSchedule):
    r"""The same rate at every step: :math:`\eta(t) = \eta`.

    Args:
        learning_rate: :math:`\eta \ge 0`.

    Example:
        >>> Constant(0.01)(1000)
        0.01

    Reference: optax's ``constant_schedule``; torch's ``LambdaLR(lambda t: 1)``.
    """

    def __init__(self, learning_rate: float) -> None:
        self.learning_rate = _rate(type(self).__name__, "learning_rate", learning_rate)

    def _formula(self, step: Any, xp: Any) -> Any:
        return _keep_nan(step, self.learning_rate, xp)

    def __call__(self, step: Any = None) -> Any:
        if not (
            (type(step) is int and 0 <= step < HUGE) or (type(step) is float and 0.0 <= step < INF)
        ):
            return self._call_other(step)
        return self.learning_rate


@builtin
class LinearDecay(LearningRateSchedule):
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

    def __init__(
        self,
        initial_learning_rate: float,
        decay_steps: int | float,
        end_learning_rate: float = 0.0,
    ) -> None:
        owner = type(self).__name__
        self.initial_learning_rate = _rate(owner, "initial_learning_rate", initial_learning_rate)
        self.decay_steps = check_steps(owner, "decay_steps", decay_steps)
        self.end_learning_rate = _rate(owner, "end_learning_rate", end_learning_rate)
        # One multiplication per step instead of a division and a multiplication,
        # unless decay_steps is so small that the slope overflows.
        slope = (self.end_learning_rate - self.initial_learning_rate) / self.decay_steps
        self._slope = slope if math.isfinite(slope) else None

    def _line(self, step: Any) -> Any:
        start, slope = self.initial_learning_rate, self._slope
        if slope is None:
            return start + (self.end_learning_rate - start) * (step / self.decay_steps)
        return start + step * slope

    def _formula(self, step: Any, xp: Any) -> Any:
        line = self._line(step)
        return xp.where(step >= self.decay_steps, self.end_learning_rate, line)  # NaN stays

    def __call__(self, step: Any = None) -> Any:
        if not (
            (type(step) is int and 0 <= step < HUGE) or (type(step) is float and 0.0 <= step < INF)
        ):
            return self._call_other(step)
        if step < self.decay_steps:
            slope = self._slope
            if slope is not None:
                return self.initial_learning_rate + step * slope
            return self._line(step)
        return self.end_learning_rate


@builtin
class CosinePowerDecay(LearningRateSchedule):
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

    def __init__(
        self,
        initial_learning_rate: float,
        decay_steps: int | float,
        end_learning_rate: float = 0.0,
        exponent: float = 1.0,
    ) -> None:
        owner = type(self).__name__
        self.initial_learning_rate = _rate(owner, "initial_learning_rate", initial_learning_rate)
        self.decay_steps = check_steps(owner, "decay_steps", decay_steps)
        self.end_learning_rate = _rate(owner, "end_learning_rate", end_learning_rate)
        self.exponent = check_number(owner, "exponent", exponent, minimum=0.0)

    def _formula(self, step: Any, xp: Any) -> Any:
        step = xp.minimum(step, self.decay_steps)
        cosine = 0.5 * (1.0 + xp.cos(math.pi * (step / self.decay_steps)))
        if self.exponent != 1.0:
            cosine = cosine**self.exponent
        end = self.end_learning_rate
        return (self.initial_learning_rate - end) * cosine + end

    def __call__(self, step: Any = None) -> Any:
        if not (
            (type(step) is int and 0 <= step < HUGE) or (type(step) is float and 0.0 <= step < INF)
        ):
            return self._call_other(step)
        decay_steps = self.decay_steps
        if decay_steps < step:
            step = decay_steps
        cosine = 0.5 * (1.0 + math.cos(math.pi * (step / decay_steps)))
        if self.exponent != 1.0:
            cosine = cosine**self.exponent
        end = self.end_learning_rate
        return (self.initial_learning_rate - end) * cosine + end


@builtin
class StepDecay(LearningRateSchedule):
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

    def __init__(
        self, initial_learning_rate: float, step_size: int | float, gamma: float = 0.1
    ) -> None:
        owner = type(self).__name__
        self.initial_learning_rate = _rate(owner, "initial_learning_rate", initial_learning_rate)
        self.step_size = check_steps(owner, "step_size", step_size)
        self.gamma = check_number(owner, "gamma", gamma, minimum=0.0)

    def _formula(self, step: Any, xp: Any) -> Any:
        decays = _keep_nan(step, xp.floor(step / self.step_size), xp)
        return self.initial_learning_rate * _power(self.gamma, decays, xp)

    def __call__(self, step: Any = None) -> Any:
        if not (
            (type(step) is int and 0 <= step < HUGE) or (type(step) is float and 0.0 <= step < INF)
        ):
            return self._call_other(step)
        try:  # floor gives an int: the same power of gamma as the float
            value: float = self.initial_learning_rate * self.gamma ** floor(step / self.step_size)
        except OverflowError:  # an infinite quotient or power: the general formula
            value = float(self._formula(step, ScalarOps))
        return value


@builtin
class MultiStepDecay(LearningRateSchedule):
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

    def __init__(
        self, initial_learning_rate: float, milestones: list[int | float], gamma: float = 0.1
    ) -> None:
        owner = type(self).__name__
        self.initial_learning_rate = _rate(owner, "initial_learning_rate", initial_learning_rate)
        self.milestones = check_increasing(owner, "milestones", milestones, strict=False)
        self.gamma = check_number(owner, "gamma", gamma, minimum=0.0)
        # The rate after k milestones, for k = 0 .. len(milestones).
        self._values: list[float] = [
            self.initial_learning_rate * float(_power(self.gamma, k, ScalarOps))
            for k in range(len(self.milestones) + 1)
        ]

    def _formula(self, step: Any, xp: Any) -> Any:
        # The rate after the milestones at or below the step: a sorted search.
        return _lookup(self.milestones, self._values, step, xp, right=True)

    def __call__(self, step: Any = None) -> Any:
        if not (
            (type(step) is int and 0 <= step < HUGE) or (type(step) is float and 0.0 <= step < INF)
        ):
            return self._call_other(step)
        return self._values[bisect_right(self.milestones, step)]
