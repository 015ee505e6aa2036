"""The Keras / TF family, with Keras's names, parameters, defaults and formulas.

``ExponentialDecay``, ``PiecewiseConstantDecay``, ``PolynomialDecay``,
``InverseTimeDecay``, ``CosineDecay`` and ``CosineDecayRestarts`` follow
``keras.optimizers.schedules`` (Keras 3); TF 2.x's linear cosine decays are
in :mod:`lrkit._tf_family`. The decays are defined here, the two cosine
schedules in :mod:`lrkit._keras_cosine` (and re-exported here).

Where lrkit differs from Keras it is stricter, never different in value:
arguments are validated at construction, and ``CosineDecayRestarts`` refuses
``t_mul < 1`` (its periods would shrink to nothing and Keras returns NaN
after a finite number of steps).
"""

from __future__ import annotations

import math
from bisect import bisect_left

from lrkit._arrays import HUGE
from lrkit._arrays import lookup as _lookup
from lrkit._arrays import power as _power
from lrkit._schedule import INF, LearningRateSchedule
from lrkit._serialization import builtin
from lrkit._validation import (
    check_bool,
    check_increasing,
    check_name,
    check_number,
    check_rate,
    check_steps,
    show,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = [
    "CosineDecay",
    "CosineDecayRestarts",
    "ExponentialDecay",
    "InverseTimeDecay",
    "PiecewiseConstantDecay",
    "PolynomialDecay",
]


@builtin
class ExponentialDecay(LearningRateSchedule):
    r"""Exponential decay.

    .. math:: \eta(t) = \eta_0 \, r^{t / T}
        \qquad (\text{staircase: } r^{\lfloor t / T \rfloor})

    Args:
        initial_learning_rate: :math:`\eta_0`, the rate at step 0.
        decay_steps: :math:`T > 0`, steps per factor of ``decay_rate``.
        decay_rate: :math:`r > 0`, the factor applied every ``decay_steps``.
        staircase: decay in whole steps of ``decay_steps``.
        name: kept in the config, as in Keras.

    Example:
        >>> ExponentialDecay(0.1, decay_steps=10, decay_rate=0.5)(20)
        0.025

    Reference: ``keras.optimizers.schedules.ExponentialDecay``.
    """

    def __init__(
        self,
        initial_learning_rate: float,
        decay_steps: int | float,
        decay_rate: float,
        staircase: bool = False,
        name: str | None = "ExponentialDecay",
    ) -> None:
        owner = type(self).__name__
        self.initial_learning_rate = check_rate(
            owner, "initial_learning_rate", initial_learning_rate
        )
        self.decay_steps = check_steps(owner, "decay_steps", decay_steps)
        self.decay_rate = check_number(
            owner, "decay_rate", decay_rate, minimum=0.0, exclusive_minimum=True
        )
        self.staircase = check_bool(owner, "staircase", staircase)
        self.name = check_name(owner, name)

    def _formula(self, step: Any, xp: Any) -> Any:
        progress = step / self.decay_steps
        if self.staircase:
            progress = xp.floor(progress)
        return self.initial_learning_rate * _power(self.decay_rate, progress, xp)

    def __call__(self, step: Any = None) -> Any:
        if not (
            (type(step) is int and 0 <= step < HUGE) or (type(step) is float and 0.0 <= step < INF)
        ):
            return self._call_other(step)
        progress = step / self.decay_steps
        if self.staircase and math.isfinite(progress):
            progress = float(math.floor(progress))
        try:
            factor: float = self.decay_rate**progress
        except OverflowError:
            factor = math.inf
        return self.initial_learning_rate * factor


@builtin
class PiecewiseConstantDecay(LearningRateSchedule):
    r"""Piecewise constant: ``values[i]`` on the i-th interval of ``boundaries``.

    .. math:: \eta(t) = v_0 \text{ for } t \le b_0,\quad
        v_i \text{ for } b_{i-1} < t \le b_i,\quad v_n \text{ for } t > b_{n-1}

    Args:
        boundaries: strictly increasing steps :math:`b_0 < \dots < b_{n-1}`.
        values: the :math:`n + 1` rates, one per interval.
        name: kept in the config, as in Keras.

    Example:
        >>> schedule = PiecewiseConstantDecay([100, 200], [1.0, 0.5, 0.1])
        >>> schedule(100), schedule(101), schedule(500)
        (1.0, 0.5, 0.1)

    Reference: ``keras.optimizers.schedules.PiecewiseConstantDecay``.
    """

    def __init__(
        self,
        boundaries: list[int | float],
        values: list[float],
        name: str | None = "PiecewiseConstant",
    ) -> None:
        owner = type(self).__name__
        self.boundaries = check_increasing(owner, "boundaries", boundaries)
        if hasattr(values, "tolist") and not isinstance(values, list):
            values = values.tolist()
        if isinstance(values, (str, bytes)) or not isinstance(values, (list, tuple)):
            raise TypeError(f"{owner}: values must be a list of numbers, got {show(values)}")
        if len(values) != len(self.boundaries) + 1:
            raise ValueError(
                f"{owner}: values must have one more entry than boundaries: "
                f"got {len(values)} values for {len(self.boundaries)} boundaries"
            )
        self.values = [check_rate(owner, f"values[{i}]", v) for i, v in enumerate(values)]
        self.name = check_name(owner, name)

    def _formula(self, step: Any, xp: Any) -> Any:
        # A sorted search (log of the boundaries' number per step); step <= boundary
        # keeps the earlier value, as in Keras. NaN stays NaN.
        return _lookup(self.boundaries, self.values, step, xp)

    def __call__(self, step: Any = None) -> Any:
        if not (
            (type(step) is int and 0 <= step < HUGE) or (type(step) is float and 0.0 <= step < INF)
        ):
            return self._call_other(step)
        return self.values[bisect_left(self.boundaries, step)]


@builtin
class PolynomialDecay(LearningRateSchedule):
    r"""Polynomial decay from ``initial_learning_rate`` to ``end_learning_rate``.

    .. math:: \eta(t) = (\eta_0 - \eta_T)\,(1 - \min(t, T)/T)^{p} + \eta_T

    With ``cycle=True`` the horizon grows to the first multiple of ``T`` not
    below ``t``: :math:`T' = T \lceil t / T \rceil` (and :math:`T' = T` at
    step 0), then :math:`\eta(t) = (\eta_0 - \eta_T)(1 - t/T')^p + \eta_T`.

    Args:
        initial_learning_rate: :math:`\eta_0`.
        decay_steps: :math:`T > 0`.
        end_learning_rate: :math:`\eta_T`, the rate from step ``T`` on.
        power: :math:`p \ge 0`.
        cycle: restart the decay every ``decay_steps`` (see above).
        name: kept in the config, as in Keras.

    Example:
        >>> PolynomialDecay(0.1, decay_steps=10, end_learning_rate=0.0)(5)
        0.05

    Reference: ``keras.optimizers.schedules.PolynomialDecay``.
    """

    def __init__(
        self,
        initial_learning_rate: float,
        decay_steps: int | float,
        end_learning_rate: float = 0.0001,
        power: float = 1.0,
        cycle: bool = False,
        name: str | None = "PolynomialDecay",
    ) -> None:
        owner = type(self).__name__
        self.initial_learning_rate = check_rate(
            owner, "initial_learning_rate", initial_learning_rate
        )
        self.decay_steps = check_steps(owner, "decay_steps", decay_steps)
        self.end_learning_rate = check_rate(owner, "end_learning_rate", end_learning_rate)
        self.power = check_number(owner, "power", power, minimum=0.0)
        self.cycle = check_bool(owner, "cycle", cycle)
        self.name = check_name(owner, name)

    def _formula(self, step: Any, xp: Any) -> Any:
        if self.cycle:
            # ceil(step / T) is 0 only at step 0 (or for a step so small that
            # step / T underflows), where Keras uses one period.
            periods = xp.maximum(xp.ceil(step / self.decay_steps), 1.0)
            horizon = self.decay_steps * periods
            remaining = (horizon - step) / horizon
        else:
            # 1 - min(t, T) / T, written so that it is exactly 0 at T even
            # where XLA turns the division into a multiplication by 1 / T.
            remaining = (self.decay_steps - xp.minimum(step, self.decay_steps)) / self.decay_steps
        span = self.initial_learning_rate - self.end_learning_rate
        return span * remaining**self.power + self.end_learning_rate

    def __call__(self, step: Any = None) -> Any:
        if not (
            (type(step) is int and 0 <= step < HUGE) or (type(step) is float and 0.0 <= step < INF)
        ):
            return self._call_other(step)
        decay_steps = self.decay_steps
        if self.cycle:
            periods = step / decay_steps
            if math.isfinite(periods):
                periods = float(math.ceil(periods))
            if periods < 1.0:
                periods = 1.0
            horizon = decay_steps * periods
            remaining = (horizon - step) / horizon
        else:
            remaining = (decay_steps - (decay_steps if decay_steps < step else step)) / decay_steps
        span = self.initial_learning_rate - self.end_learning_rate
        value: float = span * remaining**self.power + self.end_learning_rate
        return value


@builtin
class InverseTimeDecay(LearningRateSchedule):
    r"""Inverse-time decay.

    .. math:: \eta(t) = \frac{\eta_0}{1 + r\, t / T}
        \qquad (\text{staircase: } 1 + r \lfloor t / T \rfloor)

    Args:
        initial_learning_rate: :math:`\eta_0`.
        decay_steps: :math:`T > 0`.
        decay_rate: :math:`r \ge 0`.
        staircase: decay in whole steps of ``decay_steps``.
        name: kept in the config, as in Keras.

    Example:
        >>> InverseTimeDecay(0.1, decay_steps=1, decay_rate=0.5)(2)
        0.05

    Reference: ``keras.optimizers.schedules.InverseTimeDecay``.
    """

    def __init__(
        self,
        initial_learning_rate: float,
        decay_steps: int | float,
        decay_rate: float,
        staircase: bool = False,
        name: str | None = "InverseTimeDecay",
    ) -> None:
        owner = type(self).__name__
        self.initial_learning_rate = check_rate(
            owner, "initial_learning_rate", initial_learning_rate
        )
        self.decay_steps = check_steps(owner, "decay_steps", decay_steps)
        self.decay_rate = check_number(owner, "decay_rate", decay_rate, minimum=0.0)
        self.staircase = check_bool(owner, "staircase", staircase)
        self.name = check_name(owner, name)

    def _formula(self, step: Any, xp: Any) -> Any:
        progress = step / self.decay_steps
        if self.staircase:
            progress = xp.floor(progress)
        return self.initial_learning_rate / (1.0 + self.decay_rate * progress)

    def __call__(self, step: Any = None) -> Any:
        if not (
            (type(step) is int and 0 <= step < HUGE) or (type(step) is float and 0.0 <= step < INF)
        ):
            return self._call_other(step)
        progress = step / self.decay_steps
        if self.staircase and math.isfinite(progress):
            progress = float(math.floor(progress))
        return self.initial_learning_rate / (1.0 + self.decay_rate * progress)


# The cosine schedules live in their own module; imported after the decays so
# that the classes register in the order they always have.
from lrkit._keras_cosine import CosineDecay, CosineDecayRestarts  # noqa: E402
