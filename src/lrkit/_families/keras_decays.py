"""The Keras / TF family, with Keras's names, parameters, defaults and formulas.

``ExponentialDecay``, ``PiecewiseConstantDecay``, ``PolynomialDecay``,
``InverseTimeDecay``, ``CosineDecay`` and ``CosineDecayRestarts`` follow
``keras.optimizers.schedules`` (Keras 3); TF 2.x's linear cosine decays are
in :mod:`lrkit._families.linear_cosine`. The decays are defined here, the two cosine
schedules in :mod:`lrkit._families.cosine` (and re-exported here). Each decay
is its parameters and its one formula (a one-piece
:class:`~lrkit._core.pieces.Piecewise`).

Where lrkit differs from Keras it is stricter, never different in value:
arguments are validated at construction, and ``CosineDecayRestarts`` refuses
``t_mul < 1`` (its periods would shrink to nothing and Keras returns NaN
after a finite number of steps).
"""

from __future__ import annotations

import math
from bisect import bisect_left
from math import floor

from lrkit._core import parameters as p
from lrkit._core.arrays import HUGE, LARGEST_FLOAT, lookup
from lrkit._core.pieces import Piecewise
from lrkit._core.schedule import INF
from lrkit._core.serialization import builtin
from lrkit._core.validation import check_rate, show

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


def _decay_horizon(decay_steps: float, fraction_steps: float) -> float:
    """At least four ``decay_steps``, or ``fraction_steps`` if longer (at most float's largest)."""
    return min(max(4 * decay_steps, fraction_steps), LARGEST_FLOAT)


@builtin
class ExponentialDecay(Piecewise):
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

    initial_learning_rate: float = p.rate()
    decay_steps: int | float = p.steps()
    decay_rate: float = p.number(minimum=0.0, exclusive_minimum=True)
    staircase: bool = p.flag(default=False)
    name: str | None = p.name(default="ExponentialDecay")

    def _decayed(self, t: Any, xp: Any) -> Any:
        progress = t / self.decay_steps
        if self.staircase:
            progress = xp.floor(progress)
        try:
            factor = self.decay_rate**progress
        except OverflowError:  # Python floats only (decay_rate > 1): arrays give inf
            factor = math.inf
        return self.initial_learning_rate * factor

    pieces = (_decayed,)

    def __call__(self, step: Any = None) -> Any:
        if not (
            (type(step) is int and 0 <= step < HUGE) or (type(step) is float and 0.0 <= step < INF)
        ):
            return self._call_other(step)
        progress = step / self.decay_steps
        if self.staircase and progress < INF:
            progress = float(floor(progress))
        try:
            factor: float = self.decay_rate**progress
        except OverflowError:
            factor = INF
        return self.initial_learning_rate * factor

    def _horizon(self) -> float | None:
        r"""Where the rate is down to 5% of :math:`\eta_0`, :math:`T \ln 20 / \ln(1/r)`.

        At least four ``decay_steps`` (all of it for ``decay_rate >= 1``,
        which never decays).
        """
        rate = self.decay_rate
        to_twentieth = self.decay_steps * math.log(20.0) / -math.log(rate) if rate < 1 else 0.0
        return _decay_horizon(self.decay_steps, to_twentieth)


def _rates(owner: str, name: str, values: Any) -> list[float]:
    """A list of rates (a NumPy or framework array is read as its list)."""
    if hasattr(values, "tolist") and not isinstance(values, list):
        values = values.tolist()
    if isinstance(values, (str, bytes)) or not isinstance(values, (list, tuple)):
        raise TypeError(f"{owner}: {name} must be a list of numbers, got {show(values)}")
    return [check_rate(owner, f"{name}[{i}]", value) for i, value in enumerate(values)]


@builtin
class PiecewiseConstantDecay(Piecewise):
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

    boundaries: list[int | float] = p.boundaries()
    values: list[float] = p.parameter("rates", _rates)
    name: str | None = p.name(default="PiecewiseConstant")

    def _derive(self) -> None:
        if len(self.values) != len(self.boundaries) + 1:
            raise ValueError(
                f"{type(self).__name__}: values must have one more entry than boundaries: "
                f"got {len(self.values)} values for {len(self.boundaries)} boundaries"
            )

    def _value(self, t: Any, xp: Any) -> Any:
        # A sorted search (log of the boundaries' number per step); step <= boundary
        # keeps the earlier value, as in Keras. NaN stays NaN.
        return lookup(self.boundaries, self.values, t, xp)

    pieces = (_value,)

    def __call__(self, step: Any = None) -> Any:
        if not (
            (type(step) is int and 0 <= step < HUGE) or (type(step) is float and 0.0 <= step < INF)
        ):
            return self._call_other(step)
        return self.values[bisect_left(self.boundaries, step)]

    def _horizon(self) -> float | None:
        # The last boundary at 3/4 of the way.
        return self.boundaries[-1] * 4 / 3 if self.boundaries else None


@builtin
class PolynomialDecay(Piecewise):
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
        >>> PolynomialDecay(0.1, decay_steps=10, end_learning_rate=0.0, cycle=True)(15)
        0.025

    Reference: ``keras.optimizers.schedules.PolynomialDecay``.
    """

    initial_learning_rate: float = p.rate()
    decay_steps: int | float = p.steps()
    end_learning_rate: float = p.rate(default=0.0001)
    power: float = p.number(default=1.0, minimum=0.0)
    cycle: bool = p.flag(default=False)
    name: str | None = p.name(default="PolynomialDecay")

    def _derive(self) -> None:
        self._span = self.initial_learning_rate - self.end_learning_rate

    def _decayed(self, t: Any, xp: Any) -> Any:
        decay_steps = self.decay_steps
        if self.cycle:
            # ceil(t / T) is 0 only at step 0 (or for a step so small that
            # t / T underflows), where Keras uses one period.
            horizon = decay_steps * xp.maximum(xp.ceil(t / decay_steps), 1.0)
            remaining = (horizon - t) / horizon
        else:
            # 1 - min(t, T) / T, written so that it is exactly 0 at T even
            # where XLA turns the division into a multiplication by 1 / T.
            remaining = (decay_steps - xp.minimum(t, decay_steps)) / decay_steps
        return self._span * remaining**self.power + self.end_learning_rate

    pieces = (_decayed,)

    def _horizon(self) -> float | None:
        # The decay; with cycle, three cycles (each restarting lower).
        return 3 * self.decay_steps if self.cycle else self.decay_steps


@builtin
class InverseTimeDecay(Piecewise):
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

    initial_learning_rate: float = p.rate()
    decay_steps: int | float = p.steps()
    decay_rate: float = p.number(minimum=0.0)
    staircase: bool = p.flag(default=False)
    name: str | None = p.name(default="InverseTimeDecay")

    def _decayed(self, t: Any, xp: Any) -> Any:
        progress = t / self.decay_steps
        if self.staircase:
            progress = xp.floor(progress)
        return self.initial_learning_rate / (1.0 + self.decay_rate * progress)

    pieces = (_decayed,)

    def _horizon(self) -> float | None:
        r"""Where the rate is down to 5% of :math:`\eta_0`, :math:`19\,T / r`.

        At least four ``decay_steps`` (all of it for ``decay_rate = 0``,
        which never decays).
        """
        rate = self.decay_rate
        to_twentieth = 19.0 * self.decay_steps / rate if rate > 0 else 0.0
        return _decay_horizon(self.decay_steps, to_twentieth)


# The cosine schedules live in their own module; imported after the decays so
# that the classes register in the order they always have.
from lrkit._families.cosine import CosineDecay, CosineDecayRestarts  # noqa: E402
