"""Decays with no phase of their own to end: inverse square root and tanh.

``InverseSqrtDecay`` covers the Transformer ("Noam"), T5 and Hugging Face
``inverse_sqrt`` schedules; ``TanhDecay`` is timm's tanh schedule. Each
class is its parameters and its pieces (see :mod:`lrkit._core.pieces`).
"""

from __future__ import annotations

from math import sqrt

from lrkit._core import parameters as p
from lrkit._core.arrays import HUGE, ScalarOps
from lrkit._core.pieces import Piecewise
from lrkit._core.schedule import INF
from lrkit._core.serialization import builtin
from lrkit._core.validation import show

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["InverseSqrtDecay", "TanhDecay"]

#: Hugging Face's timescale when there is neither a timescale nor a warmup.
_DEFAULT_TIMESCALE = 10_000


@builtin
class InverseSqrtDecay(Piecewise):
    r"""Inverse square-root decay after a warmup (Transformer, T5, Hugging Face).

    With :math:`W` the warmup steps, :math:`\tau` the timescale and
    :math:`c = \eta_0\, d^{-1/2}` (:math:`c = \eta_0` without ``d_model``):

    .. math::
        \eta(t) = c\,\sqrt{\frac{\tau}{t - W + \tau}} \quad (t \ge W), \qquad
        \eta(t) = c\, \frac{t}{W} \ \text{(linear)} \ \text{or} \ c
        \ \text{(constant)} \quad (t < W)

    The rate peaks at :math:`c` at the end of the warmup, is continuous there,
    and falls as :math:`1/\sqrt{t}`; it has no end, and is shown (``lrkit
    show``, ``plot``) up to step :math:`W + 3\tau`, where it is half the peak.
    Each classic schedule is one instance:

    * Transformer ("Noam", Vaswani et al. 2017),
      :math:`d^{-1/2}\min(t^{-1/2}, t\,W^{-3/2})`:
      ``InverseSqrtDecay(W ** -0.5, warmup_steps=W, d_model=d)``
      (times the usual ``factor``, if any).
    * T5 (Raffel et al. 2020), :math:`1/\sqrt{\max(t, W)}`:
      ``InverseSqrtDecay(W ** -0.5, warmup_steps=W, warmup_shape="constant")``.
    * Hugging Face ``inverse_sqrt`` with rate ``lr``:
      ``InverseSqrtDecay(lr, warmup_steps=W, timescale=timescale)``.

    Args:
        initial_learning_rate: :math:`\eta_0`, the peak rate (before the
            :math:`d^{-1/2}` factor): the rate at the end of the warmup, or at
            step 0 without one.
        warmup_steps: :math:`W \ge 0`.
        timescale: :math:`\tau > 0`; None means ``warmup_steps``, or 10,000
            when there is no warmup (Hugging Face's defaults).
        d_model: the model width :math:`d > 0` of the Transformer's
            :math:`d^{-1/2}` factor, or None for no factor.
        warmup_shape: ``"linear"`` (from 0) or ``"constant"`` (at the peak).

    Example:
        >>> noam = InverseSqrtDecay(4000**-0.5, warmup_steps=4000, d_model=512)
        >>> round(noam(4000), 8) == round(512**-0.5 * 4000**-0.5, 8)
        True
        >>> t5 = InverseSqrtDecay(0.01, warmup_steps=10_000, warmup_shape="constant")
        >>> t5(5000), t5(40_000)
        (0.01, 0.005)

    Reference: Vaswani et al., "Attention Is All You Need", 2017; Raffel et
    al., "Exploring the Limits of Transfer Learning (T5)", 2020; Hugging Face
    ``transformers.get_inverse_sqrt_schedule``.
    """

    initial_learning_rate: float = p.rate()
    warmup_steps: int | float = p.steps(default=0, allow_zero=True)
    timescale: int | float | None = p.steps(default=None)
    d_model: int | float | None = p.steps(default=None)
    warmup_shape: str = p.choice(("linear", "constant"), default="linear")

    def _derive(self) -> None:
        if self.timescale is not None:
            self._timescale = float(self.timescale)
        else:
            self._timescale = float(self.warmup_steps or _DEFAULT_TIMESCALE)
        scale = 1.0 if self.d_model is None else self.d_model**-0.5
        self._peak = self.initial_learning_rate * scale
        self._linear_warmup = self.warmup_shape == "linear"
        # The warmup piece's divisor: 1 without a warmup, where it holds nowhere but
        # still runs on arrays.
        self._warmup_divisor = self.warmup_steps or 1

    def _warmup(self, t: Any, xp: Any) -> Any:
        if self._linear_warmup:
            return self._peak * (t / self._warmup_divisor)
        return self._peak

    def _decay(self, t: Any, xp: Any) -> Any:
        since = t - self.warmup_steps
        if xp is not ScalarOps:  # arrays: the steps of the warmup too
            since = xp.maximum(since, 0.0 * t)
        timescale = self._timescale
        return self._peak * xp.sqrt(timescale / (since + timescale))

    pieces = (_warmup, _decay)

    def _edges(self) -> tuple[Any, ...]:
        return (self.warmup_steps,)

    def __call__(self, step: Any = None) -> Any:
        if not (
            (type(step) is int and 0 <= step < HUGE) or (type(step) is float and 0.0 <= step < INF)
        ):
            return self._call_other(step)
        warmup_steps = self.warmup_steps
        if step < warmup_steps:
            if self._linear_warmup:
                return self._peak * (step / warmup_steps)
            return self._peak
        timescale = self._timescale
        return self._peak * sqrt(timescale / ((step - warmup_steps) + timescale))

    def _horizon(self) -> float | None:
        """The end of the warmup plus three timescales, where the rate is half the peak."""
        return self.warmup_steps + 3 * self._timescale

    def _phase_boundaries(self) -> list[float]:
        """The end of the warmup (for ``lrkit.plot`` and ``lrkit show``)."""
        return [self.warmup_steps] if self.warmup_steps > 0 else []


@builtin
class TanhDecay(Piecewise):
    r"""Hyperbolic-tangent decay (timm's tanh schedule, one cycle).

    With :math:`f = t / T` and the floor :math:`\eta_{min} = \alpha\,\eta_0`:

    .. math::
        \eta(t) = \eta_{min} + \tfrac12(\eta_0 - \eta_{min})
        \bigl(1 - \tanh(L(1 - f) + U f)\bigr) \quad (t < T), \qquad
        \eta(t) = \eta_{min} \quad (t \ge T)

    The curve starts just below :math:`\eta_0` (by a factor
    :math:`\tfrac12(1 - \tanh L)`) and ends just above the floor, where it
    drops to the floor at step :math:`T`, as timm's does.

    Args:
        initial_learning_rate: :math:`\eta_0`.
        decay_steps: :math:`T > 0`.
        alpha: :math:`\alpha \in [0, 1]`, the floor as a fraction of :math:`\eta_0`.
        lower_bound: :math:`L`, the tanh argument at step 0 (timm's ``lb``).
        upper_bound: :math:`U > L`, the tanh argument at step :math:`T` (timm's ``ub``).

    Example:
        >>> schedule = TanhDecay(0.1, decay_steps=100)
        >>> round(schedule(0), 6), round(schedule(70), 6), schedule(100)
        (0.1, 0.05, 0.0)

    Reference: Hsueh et al., "Stochastic Gradient Descent with Hyperbolic-Tangent
    Decay on Classification", WACV 2019; timm's ``TanhLRScheduler``.
    """

    initial_learning_rate: float = p.rate()
    decay_steps: int | float = p.steps()
    alpha: float = p.fraction(default=0.0)
    lower_bound: float = p.number(default=-7.0)
    upper_bound: float = p.number(default=3.0)

    def _derive(self) -> None:
        if not self.lower_bound < self.upper_bound:
            raise ValueError(
                f"{type(self).__name__}: upper_bound must be > lower_bound "
                f"({show(self._given_value('lower_bound'))}), "
                f"got {show(self._given_value('upper_bound'))}"
            )
        self._floor = self.alpha * self.initial_learning_rate
        self._half_height = 0.5 * (self.initial_learning_rate - self._floor)

    def _curve(self, t: Any, xp: Any) -> Any:
        fraction = t / self.decay_steps
        if xp is not ScalarOps:  # arrays: the steps after T too, where the argument grows
            fraction = xp.minimum(fraction, 1.0)
        argument = self.lower_bound * (1.0 - fraction) + self.upper_bound * fraction
        return self._floor + self._half_height * (1.0 - xp.tanh(argument))

    def _end(self, t: Any, xp: Any) -> Any:
        return self._floor

    pieces = (_curve, _end)

    def _edges(self) -> tuple[Any, ...]:
        return (self.decay_steps,)

    def _horizon(self) -> float | None:
        return self.decay_steps
