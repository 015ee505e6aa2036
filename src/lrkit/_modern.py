"""Schedules from recent practice: inverse square root, tanh, warmup-stable-decay.

``InverseSqrtDecay`` covers the Transformer ("Noam"), T5 and Hugging Face
``inverse_sqrt`` schedules; ``TanhDecay`` is timm's tanh schedule;
``WarmupStableDecay`` is the three-phase WSD schedule of Hugging Face's
``get_wsd_schedule``, with two more decay shapes.
"""

from __future__ import annotations

import itertools
import math
from math import sqrt

from lrkit._arrays import HUGE, ScalarOps
from lrkit._decay import _keep_nan, _rate
from lrkit._schedule import INF, LearningRateSchedule
from lrkit._serialization import builtin
from lrkit._validation import check_choice, check_fraction, check_number, check_steps, show

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["InverseSqrtDecay", "TanhDecay", "WarmupStableDecay"]

#: Hugging Face's timescale when there is neither a timescale nor a warmup.
_DEFAULT_TIMESCALE = 10_000


@builtin
class InverseSqrtDecay(LearningRateSchedule):
    r"""Inverse square-root decay after a warmup (Transformer, T5, Hugging Face).

    With :math:`W` the warmup steps, :math:`\tau` the timescale and
    :math:`c = \eta_0\, d^{-1/2}` (:math:`c = \eta_0` without ``d_model``):

    .. math::
        \eta(t) = c\,\sqrt{\frac{\tau}{t - W + \tau}} \quad (t \ge W), \qquad
        \eta(t) = c\, \frac{t}{W} \ \text{(linear)} \ \text{or} \ c
        \ \text{(constant)} \quad (t < W)

    The rate peaks at :math:`c` at the end of the warmup, is continuous there,
    and falls as :math:`1/\sqrt{t}`. Each classic schedule is one instance:

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

    def __init__(
        self,
        initial_learning_rate: float,
        warmup_steps: int | float = 0,
        timescale: int | float | None = None,
        d_model: int | float | None = None,
        warmup_shape: str = "linear",
    ) -> None:
        owner = type(self).__name__
        self.initial_learning_rate = _rate(owner, "initial_learning_rate", initial_learning_rate)
        self.warmup_steps = check_steps(owner, "warmup_steps", warmup_steps, allow_zero=True)
        self.timescale = None if timescale is None else check_steps(owner, "timescale", timescale)
        self.d_model = None if d_model is None else check_steps(owner, "d_model", d_model)
        self.warmup_shape = check_choice(
            owner, "warmup_shape", warmup_shape, ("linear", "constant")
        )
        if self.timescale is not None:
            self._timescale = float(self.timescale)
        else:
            self._timescale = float(self.warmup_steps or _DEFAULT_TIMESCALE)
        scale = 1.0 if self.d_model is None else self.d_model**-0.5
        self._peak = self.initial_learning_rate * scale
        self._linear_warmup = self.warmup_shape == "linear"

    def _formula(self, step: Any, xp: Any) -> Any:
        warmup_steps, timescale = self.warmup_steps, self._timescale
        since = xp.maximum(step - warmup_steps, 0.0 * step)
        decay = self._peak * xp.sqrt(timescale / (since + timescale))
        if warmup_steps == 0:
            return decay
        if self.warmup_shape == "linear":
            warmup = self._peak * (step / warmup_steps)
        else:
            warmup = _keep_nan(step, self._peak, xp)
        return xp.where(step < warmup_steps, warmup, decay)

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

    def _phase_boundaries(self) -> list[float]:
        """The end of the warmup (for ``lrkit.plot`` and ``lrkit show``)."""
        return [self.warmup_steps] if self.warmup_steps > 0 else []


@builtin
class TanhDecay(LearningRateSchedule):
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

    def __init__(
        self,
        initial_learning_rate: float,
        decay_steps: int | float,
        alpha: float = 0.0,
        lower_bound: float = -7.0,
        upper_bound: float = 3.0,
    ) -> None:
        owner = type(self).__name__
        self.initial_learning_rate = _rate(owner, "initial_learning_rate", initial_learning_rate)
        self.decay_steps = check_steps(owner, "decay_steps", decay_steps)
        self.alpha = check_fraction(owner, "alpha", alpha)
        self.lower_bound = check_number(owner, "lower_bound", lower_bound)
        self.upper_bound = check_number(owner, "upper_bound", upper_bound)
        if not self.lower_bound < self.upper_bound:
            raise ValueError(
                f"{owner}: upper_bound must be > lower_bound ({show(lower_bound)}), "
                f"got {show(upper_bound)}"
            )
        self._floor = self.alpha * self.initial_learning_rate  # the scalar path's constants
        self._half_height = 0.5 * (self.initial_learning_rate - self._floor)

    def _formula(self, step: Any, xp: Any) -> Any:
        floor = self.alpha * self.initial_learning_rate
        fraction = xp.minimum(step / self.decay_steps, 1.0)
        argument = self.lower_bound * (1.0 - fraction) + self.upper_bound * fraction
        curve = floor + 0.5 * (self.initial_learning_rate - floor) * (1.0 - xp.tanh(argument))
        return xp.where(step < self.decay_steps, curve, _keep_nan(step, floor, xp))

    def __call__(self, step: Any = None) -> Any:
        if not (
            (type(step) is int and 0 <= step < HUGE) or (type(step) is float and 0.0 <= step < INF)
        ):
            return self._call_other(step)
        if not step < self.decay_steps:
            return self._floor
        fraction = step / self.decay_steps
        argument = self.lower_bound * (1.0 - fraction) + self.upper_bound * fraction
        return self._floor + self._half_height * (1.0 - math.tanh(argument))


_WARMUP_SHAPES = ("linear", "cosine", "1-sqrt")
_DECAY_SHAPES = ("linear", "cosine", "1-sqrt", "exponential", "inverse-sqrt")
#: Below this ``alpha``, the inverse-sqrt decay is written so that ``alpha ** -2``
#: is never formed (it overflows float32 from about 5e-20).
_TINY_ALPHA = 1e-15


@builtin
class WarmupStableDecay(LearningRateSchedule):
    r"""Warmup, a stable plateau, then a decay (the "WSD" or trapezoidal schedule).

    With :math:`\eta_p` the peak, :math:`W, S, D` the phase lengths and the
    floor :math:`\eta_{min} = \alpha\,\eta_p`:

    * warmup, :math:`t < W`: :math:`\eta_0 + (\eta_p - \eta_0)\, g(t / W)`,
      with :math:`g(f) = f` (``"linear"``), :math:`\tfrac12(1 - \cos\pi f)`
      (``"cosine"``) or :math:`1 - \sqrt{1 - f}` (``"1-sqrt"``);
    * stable, :math:`W \le t < W + S`: :math:`\eta_p`;
    * decay, with :math:`p = (t - W - S) / D` for :math:`W + S \le t < W + S + D`:

      - ``"linear"``: :math:`\eta_{min} + (\eta_p - \eta_{min})(1 - p)`
      - ``"cosine"``: :math:`\eta_{min} + (\eta_p - \eta_{min})\tfrac12(1 + \cos 2\pi n p)`
      - ``"1-sqrt"``: :math:`\eta_{min} + (\eta_p - \eta_{min})(1 - \sqrt{p})`
      - ``"exponential"``: :math:`\eta_p\, \alpha^{p}`
      - ``"inverse-sqrt"``: :math:`\eta_p / \sqrt{1 + (\alpha^{-2} - 1)\, p}`

    * after, :math:`t \ge W + S + D`: :math:`\eta_{min}`.

    Every phase join is continuous (for ``"cosine"``, with ``num_cycles`` =
    :math:`n = 1/2`). Hugging Face's ``get_wsd_schedule(optimizer, W, D,
    num_stable_steps=S, warmup_type, decay_type, min_lr_ratio=r, num_cycles)``
    with rate ``lr`` is ``WarmupStableDecay(lr, W, S, D,
    initial_learning_rate=r * lr, alpha=r, decay_shape=decay_type,
    warmup_shape=warmup_type, num_cycles=num_cycles)`` (for whole-step phase
    lengths).

    Args:
        peak_learning_rate: :math:`\eta_p`, the rate on the plateau.
        warmup_steps: :math:`W \ge 0`.
        stable_steps: :math:`S \ge 0`.
        decay_steps: :math:`D \ge 0`.
        initial_learning_rate: :math:`\eta_0`, the rate at step 0.
        alpha: :math:`\alpha \in [0, 1]`, the final rate as a fraction of the
            peak (``> 0`` for the exponential and inverse-sqrt shapes).
        decay_shape: ``"linear"``, ``"cosine"``, ``"1-sqrt"``,
            ``"exponential"`` or ``"inverse-sqrt"``.
        warmup_shape: ``"linear"``, ``"cosine"`` or ``"1-sqrt"``.
        num_cycles: :math:`n \ge 0`, the cosine periods of the ``"cosine"`` decay.

    Example:
        >>> schedule = WarmupStableDecay(0.1, warmup_steps=10, stable_steps=80, decay_steps=10,
        ...                              decay_shape="linear")
        >>> schedule(5), schedule(50), schedule(95), schedule(100)
        (0.05, 0.1, 0.05, 0.0)

    Reference: Hu et al., "MiniCPM", 2024; Hägele et al., "Scaling Laws and
    Compute-Optimal Training Beyond Fixed Training Durations", 2024 (the
    ``"1-sqrt"`` cooldown); Hugging Face ``transformers.get_wsd_schedule``.
    """

    def __init__(
        self,
        peak_learning_rate: float,
        warmup_steps: int | float,
        stable_steps: int | float,
        decay_steps: int | float,
        initial_learning_rate: float = 0.0,
        alpha: float = 0.0,
        decay_shape: str = "cosine",
        warmup_shape: str = "linear",
        num_cycles: float = 0.5,
    ) -> None:
        owner = type(self).__name__
        self.peak_learning_rate = _rate(owner, "peak_learning_rate", peak_learning_rate)
        self.warmup_steps = check_steps(owner, "warmup_steps", warmup_steps, allow_zero=True)
        self.stable_steps = check_steps(owner, "stable_steps", stable_steps, allow_zero=True)
        self.decay_steps = check_steps(owner, "decay_steps", decay_steps, allow_zero=True)
        self.initial_learning_rate = _rate(owner, "initial_learning_rate", initial_learning_rate)
        self.alpha = check_fraction(owner, "alpha", alpha)
        self.decay_shape = check_choice(owner, "decay_shape", decay_shape, _DECAY_SHAPES)
        self.warmup_shape = check_choice(owner, "warmup_shape", warmup_shape, _WARMUP_SHAPES)
        self.num_cycles = check_number(owner, "num_cycles", num_cycles, minimum=0.0)
        if self.alpha == 0.0 and self.decay_shape in ("exponential", "inverse-sqrt"):
            raise ValueError(
                f"{owner}: alpha must be > 0 for the {self.decay_shape} decay shape, "
                f"got {show(alpha)}"
            )
        # The scalar path's constants (the named shapes of lrkit._wsd_shapes copy them).
        peak, start = self.peak_learning_rate, self.initial_learning_rate
        self._warmup_steps = self.warmup_steps
        self._stable_end = self.warmup_steps + self.stable_steps
        self._decay_end = self._stable_end + self.decay_steps
        self._decay_steps = self.decay_steps
        self._peak, self._start, self._rise_height = peak, start, peak - start
        self._floor = self.alpha * peak
        self._fall_height = peak - self._floor
        self._linear_rise = self.warmup_shape == "linear"
        self._linear_fall = self.decay_shape == "linear"
        self._cosine_fall = self.decay_shape == "cosine"
        self._angle = 2.0 * math.pi * self.num_cycles

    def _warmup(self, step: Any, xp: Any) -> Any:
        return self._rise(xp.minimum(step / self.warmup_steps, 1.0), xp)

    def _rise(self, fraction: Any, xp: Any) -> Any:
        """The warmup at ``fraction`` in ``[0, 1]`` of it."""
        if self.warmup_shape == "cosine":
            fraction = 0.5 * (1.0 - xp.cos(math.pi * fraction))
        elif self.warmup_shape == "1-sqrt":
            fraction = 1.0 - xp.sqrt(1.0 - fraction)
        start = self.initial_learning_rate
        return start + (self.peak_learning_rate - start) * fraction

    def _decay(self, step: Any, xp: Any) -> Any:
        since = xp.maximum(step - (self.warmup_steps + self.stable_steps), 0.0 * step)
        return self._fall(xp.minimum(since / self.decay_steps, 1.0), xp)

    def _fall(self, progress: Any, xp: Any) -> Any:
        """The decay at ``progress`` in ``[0, 1]`` of it."""
        peak, shape = self.peak_learning_rate, self.decay_shape
        if shape == "exponential":
            return peak * self.alpha**progress
        if shape == "inverse-sqrt":
            alpha = self.alpha
            if alpha >= _TINY_ALPHA:
                return peak / xp.sqrt(1.0 + (alpha**-2 - 1.0) * progress)
            # alpha ** -2 overflows (float32 from 5e-20, float64 from 7e-155): the same
            # value as peak * alpha / sqrt(p + (1 - p) alpha ** 2), which is peak at
            # p = 0 (where alpha ** 2 may underflow to 0) and has a root > 0 elsewhere.
            start = progress == 0.0
            root = xp.where(start, 1.0, xp.sqrt(progress + (1.0 - progress) * (alpha * alpha)))
            return xp.where(start, peak, (peak * alpha) / root)
        if shape == "linear":
            remaining = 1.0 - progress
        elif shape == "cosine":
            remaining = 0.5 * (1.0 + xp.cos((2.0 * math.pi * self.num_cycles) * progress))
        else:
            remaining = 1.0 - xp.sqrt(progress)
        floor = self.alpha * peak
        return floor + (peak - floor) * remaining

    def _formula(self, step: Any, xp: Any) -> Any:
        stable_end = self.warmup_steps + self.stable_steps
        result = _keep_nan(step, self.alpha * self.peak_learning_rate, xp)
        if self.decay_steps > 0:
            result = xp.where(step < stable_end + self.decay_steps, self._decay(step, xp), result)
        result = xp.where(step < stable_end, self.peak_learning_rate, result)
        if self.warmup_steps > 0:
            result = xp.where(step < self.warmup_steps, self._warmup(step, xp), result)
        return result

    def __call__(self, step: Any = None) -> Any:
        if not (
            (type(step) is int and 0 <= step < HUGE) or (type(step) is float and 0.0 <= step < INF)
        ):
            return self._call_other(step)
        # _rise and _fall, with their linear (and cosine) shapes written out.
        value: float
        warmup_steps = self._warmup_steps
        if step < warmup_steps:  # so step / warmup_steps < 1
            if self._linear_rise:
                return self._start + self._rise_height * (step / warmup_steps)
            value = self._rise(step / warmup_steps, ScalarOps)
            return value
        if step < self._stable_end:
            return self._peak
        if step < self._decay_end:  # so 0 <= progress <= 1
            progress = (step - self._stable_end) / self._decay_steps
            if self._linear_fall:
                return self._floor + self._fall_height * (1.0 - progress)
            if self._cosine_fall:
                remaining = 0.5 * (1.0 + math.cos(self._angle * progress))
                return self._floor + self._fall_height * remaining
            value = self._fall(progress, ScalarOps)
            return value
        return self._floor

    def _phase_boundaries(self) -> list[float]:
        """The ends of the warmup, the plateau and the decay (for ``lrkit.plot``)."""
        ends = itertools.accumulate([self.warmup_steps, self.stable_steps, self.decay_steps])
        return sorted({end for end in ends if end > 0})
