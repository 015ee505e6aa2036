"""Keras's cosine schedules: ``CosineDecay`` and ``CosineDecayRestarts`` (SGDR).

They follow ``keras.optimizers.schedules`` (Keras 3), with Keras's names,
parameters, defaults and formulas; :mod:`lrkit._families.keras_decays` re-exports
them beside the rest of the Keras family. ``CosineDecayRestarts`` refuses
``t_mul < 1`` (its periods would shrink to nothing and Keras returns NaN
after a finite number of steps).
"""

from __future__ import annotations

import math
import warnings
from bisect import bisect_right
from math import cos as _cos

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

__all__ = ["CosineDecay", "CosineDecayRestarts"]

_PI = math.pi

#: The periods whose m_mul ** i the scalar path looks up (as many as the locator tables).
_TABLED = 64


@builtin
class CosineDecay(Piecewise):
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

    initial_learning_rate: float = p.rate()
    decay_steps: int | float = p.steps()
    alpha: float = p.fraction(default=0.0)
    name: str | None = p.name(default="CosineDecay")
    warmup_target: float | None = p.rate(default=None)
    warmup_steps: int | float = p.steps(default=0, allow_zero=True)

    def _derive(self) -> None:
        owner = type(self).__name__
        if self.warmup_target is None and self.warmup_steps != 0:
            raise ValueError(
                f"{owner}: warmup_steps needs a warmup_target, the rate the "
                f"warmup rises to; got warmup_steps={show(self._given_value('warmup_steps'))} and "
                "warmup_target=None (Keras ignores such a warmup). Set warmup_target, or "
                "leave warmup_steps at 0 (lrkit.Warmup(schedule, warmup_steps) warms up any "
                "schedule)"
            )
        self._peak = (
            self.initial_learning_rate if self.warmup_target is None else self.warmup_target
        )
        self._warmup = self.warmup_target is not None and self.warmup_steps > 0
        self._end = self.decay_steps + (self.warmup_steps if self.warmup_target is not None else 0)

    def _rising(self, t: Any, xp: Any) -> Any:
        if not self._warmup:  # no warmup: this piece holds at no step
            return self._peak
        start = self.initial_learning_rate
        return (self._peak - start) * (t / self.warmup_steps) + start

    def _decaying(self, t: Any, xp: Any) -> Any:
        if self._warmup:
            t = t - self.warmup_steps
        cosine = 0.5 * (1.0 + xp.cos(math.pi * (t / self.decay_steps)))
        return self._peak * ((1.0 - self.alpha) * cosine + self.alpha)

    def _final(self, t: Any, xp: Any) -> Any:
        # The curve's own last value (its cosine term is 0 there), computed in
        # the step's dtype as Keras does: ``t * 0.0`` is that 0 in the dtype.
        return self._peak * ((1.0 - self.alpha) * (t * 0.0) + self.alpha)

    pieces = (_rising, _decaying, _final)

    def _edges(self) -> tuple[Any, ...]:
        return (self.warmup_steps if self._warmup else 0, self._end)

    def _phase_boundaries(self) -> list[float]:
        """The end of the built-in warmup, if there is one (for ``lrkit.plot``)."""
        return [self.warmup_steps] if self._warmup else []

    def _horizon(self) -> float | None:
        """The end of the decay (after the warmup, if there is one)."""
        return self._end

    @classmethod
    def _read_keras_config(cls, config: dict[str, Any]) -> dict[str, Any]:
        """Keras runs no warmup for warmup_steps without a warmup_target: read as 0, warned."""
        steps = config.get("warmup_steps", 0)
        if config.get("warmup_target") is not None:
            return config
        if isinstance(steps, bool) or not isinstance(steps, (int, float)) or not steps > 0:
            return config  # nothing to ignore, or a value the constructor refuses by name
        warnings.warn(
            f"this Keras CosineDecay config has warmup_steps={show(steps)} but no "
            "warmup_target, so Keras runs no warmup: read with warmup_steps=0, Keras's "
            "values. (Built directly, lrkit.CosineDecay refuses warmup_steps without "
            "warmup_target: set warmup_target to the rate the warmup should reach.)",
            UserWarning,
            stacklevel=5,
        )
        return {**config, "warmup_steps": 0}


@builtin
class CosineDecayRestarts(Piecewise):
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

    initial_learning_rate: float = p.rate()
    first_decay_steps: int | float = p.steps()
    t_mul: float = p.number(default=2.0, minimum=1.0)
    m_mul: float = p.number(default=1.0, minimum=0.0)
    alpha: float = p.fraction(default=0.0)
    name: str | None = p.name(default="SGDRDecay")

    def _derive(self) -> None:
        self._periods = Cycles(self.first_decay_steps, self.t_mul)
        self._one_minus_alpha = 1.0 - self.alpha
        # The scalar path's m_mul ** i of the periods the locator tables.
        self._factors = powers(self.m_mul, _TABLED)

    def _restarting(self, t: Any, xp: Any) -> Any:
        restart, into, length = self._periods.locate(t, xp)
        # 1.0 ** restart is 1.0 (NaN included): no power to take then.
        factor = 1.0 if self.m_mul == 1.0 else power(self.m_mul, restart, xp)
        cosine = 0.5 * factor * (1.0 + xp.cos(_PI * (into / length)))
        return self.initial_learning_rate * (self._one_minus_alpha * cosine + self.alpha)

    pieces = (_restarting,)

    def __call__(self, step: Any = None) -> Any:
        # _restarting written out for Python numbers: the first period, then
        # the locator's table; past it (or with t_mul = 1, from period 64 on) the piece.
        if not (
            (type(step) is int and 0 <= step < HUGE) or (type(step) is float and 0.0 <= step < INF)
        ):
            return self._call_other(step)
        position = step / self.first_decay_steps
        if position < 1.0:  # m_mul ** 0 is 1
            cosine = 0.5 * (1.0 + _cos(_PI * position))
            return self.initial_learning_rate * (self._one_minus_alpha * cosine + self.alpha)
        periods = self._periods
        if periods._lows:
            index = bisect_right(periods._lows, position) - 1
            start, high, length = periods._bounds[index]
            if position < high:
                cosine = (
                    0.5 * self._factors[index] * (1.0 + _cos(_PI * ((position - start) / length)))
                )
                return self.initial_learning_rate * (self._one_minus_alpha * cosine + self.alpha)
        elif position < _TABLED:
            index = int(position)
            cosine = 0.5 * self._factors[index] * (1.0 + _cos(_PI * (position - index)))
            return self.initial_learning_rate * (self._one_minus_alpha * cosine + self.alpha)
        return self._restarting(step, ScalarOps)

    def _horizon(self) -> float | None:
        """Three periods."""
        t_mul = self.t_mul
        return float(self.first_decay_steps * (1 + t_mul + t_mul * t_mul))
