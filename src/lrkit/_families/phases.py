"""Warmup, a plateau, then a decay: ``WarmupStableDecay`` and its named shapes.

Every schedule here is the same four pieces (see :mod:`lrkit._core.pieces`):
a warmup from the initial rate to the peak, the peak held, a decay to the
floor, then the floor. :class:`Phases` is that description, written once;
each class declares its own parameters (``WarmupStableDecay`` the phase
lengths, the named shapes a total budget and the lengths its papers and
libraries use) and, in ``_derive``, the phases they make. The warmup and
decay shapes are the piece functions of :mod:`lrkit._families.phase_shapes`,
chosen from the parameters; the Python-number path is written by hand.
"""

from __future__ import annotations

import math
from math import cos, pi, sqrt

from lrkit._core import parameters as p
from lrkit._core.arrays import HUGE, ScalarOps
from lrkit._core.pieces import Piecewise
from lrkit._core.schedule import INF
from lrkit._core.serialization import builtin
from lrkit._core.validation import show
from lrkit._families.phase_shapes import FALLS, RISES, TINY_ALPHA, tiny_inverse_sqrt_fall

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = [
    "FlatCosineDecay",
    "Phases",
    "TrapezoidalDecay",
    "WarmupHoldCosineDecay",
    "WarmupStableDecay",
    "remaining_steps",
]


class Phases(Piecewise):
    """Warmup, plateau, decay, floor: the pieces of every schedule of this module.

    A subclass calls :meth:`_set_phases` in its ``_derive``.
    """

    def _set_phases(
        self,
        start: float,
        peak: float,
        phases: tuple[float, float, float],
        alpha: float,
        *,
        warmup_shape: str = "linear",
        decay_shape: str = "cosine",
        num_cycles: float = 0.5,
    ) -> None:
        """The constants of the pieces: ``phases`` are the warmup, plateau and decay lengths."""
        warmup, stable, decay = phases
        self._warmup_steps = warmup
        # The divisors of the warmup and decay pieces: 1 for an empty phase, whose
        # piece holds nowhere but still runs on arrays.
        self._rise_steps, self._fall_steps = warmup or 1, decay or 1
        self._stable_end = warmup + stable
        self._decay_end = self._stable_end + decay
        self._start, self._peak, self._rise_height = start, peak, peak - start
        self._alpha, self._floor = alpha, alpha * peak
        self._fall_height = peak - self._floor
        self._angle = 2.0 * math.pi * num_cycles
        self._spread = alpha**-2 - 1.0 if alpha >= TINY_ALPHA else math.inf
        # The shape names (keys of RISES and FALLS); None: the inverse-sqrt decay
        # for an alpha so small that alpha ** -2 is not formed.
        tiny = decay_shape == "inverse-sqrt" and alpha < TINY_ALPHA
        self._rise_shape, self._fall_shape = warmup_shape, None if tiny else decay_shape

    def _fall(self, progress: Any, xp: Any) -> Any:
        """The decay shape at ``progress`` (in ``[0, 1]``) of the decay."""
        shape = self._fall_shape
        return (FALLS[shape] if shape else tiny_inverse_sqrt_fall)(self, progress, xp)

    def _warmup(self, t: Any, xp: Any) -> Any:
        fraction = t / self._rise_steps
        if xp is not ScalarOps:  # arrays: the steps after the warmup too
            fraction = xp.minimum(fraction, 1.0)
        return RISES[self._rise_shape](self, fraction, xp)

    def _stable(self, t: Any, xp: Any) -> Any:
        return self._peak

    def _decay(self, t: Any, xp: Any) -> Any:
        if xp is ScalarOps:
            return self._fall((t - self._stable_end) / self._fall_steps, xp)
        # Arrays: the steps of every other phase too, kept in the decay's domain.
        since = xp.maximum(t - self._stable_end, 0.0 * t)
        return self._fall(xp.minimum(since / self._fall_steps, 1.0), xp)

    def _after(self, t: Any, xp: Any) -> Any:
        return self._floor

    pieces = (_warmup, _stable, _decay, _after)

    def __call__(self, step: Any = None) -> Any:
        if not (
            (type(step) is int and 0 <= step < HUGE) or (type(step) is float and 0.0 <= step < INF)
        ):
            return self._call_other(step)
        # The pieces, with their shapes written out (see lrkit._core.hand_tuned).
        if step < self._warmup_steps:  # so 0 <= fraction < 1
            fraction = step / self._warmup_steps
            rise = self._rise_shape
            if rise == "linear":
                return self._start + self._rise_height * fraction
            if rise == "cosine":
                return self._start + self._rise_height * (0.5 * (1.0 - cos(pi * fraction)))
            return self._start + self._rise_height * (1.0 - sqrt(1.0 - fraction))
        stable_end = self._stable_end
        if step < stable_end:
            return self._peak
        if step < self._decay_end:  # so 0 <= progress <= 1
            progress = (step - stable_end) / self._fall_steps
            fall = self._fall_shape
            if fall == "cosine":
                remaining = 0.5 * (1.0 + cos(self._angle * progress))
                return self._floor + self._fall_height * remaining
            if fall == "linear":
                return self._floor + self._fall_height * (1.0 - progress)
            if fall == "1-sqrt":
                return self._floor + self._fall_height * (1.0 - sqrt(progress))
            if fall == "exponential":
                return self._peak * self._alpha**progress
            if fall == "inverse-sqrt":
                return self._peak / sqrt(1.0 + self._spread * progress)
            return tiny_inverse_sqrt_fall(self, progress, ScalarOps)
        return self._floor

    def _edges(self) -> tuple[Any, ...]:
        return (self._warmup_steps, self._stable_end, self._decay_end)

    def _horizon(self) -> float | None:
        """The end of the decay (None if every phase is empty)."""
        return self._decay_end if self._decay_end > 0 else None

    def _phase_boundaries(self) -> list[float]:
        """The ends of the warmup, the plateau and the decay (for ``lrkit.plot``)."""
        return sorted({end for end in self._edges() if end > 0})


@builtin
class WarmupStableDecay(Phases):
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

    peak_learning_rate: float = p.rate()
    warmup_steps: int | float = p.steps(allow_zero=True)
    stable_steps: int | float = p.steps(allow_zero=True)
    decay_steps: int | float = p.steps(allow_zero=True)
    initial_learning_rate: float = p.rate(default=0.0)
    alpha: float = p.fraction(default=0.0)
    decay_shape: str = p.choice(tuple(FALLS), default="cosine")
    warmup_shape: str = p.choice(tuple(RISES), default="linear")
    num_cycles: float = p.number(default=0.5, minimum=0.0)

    def _derive(self) -> None:
        if self.alpha == 0.0 and self.decay_shape in ("exponential", "inverse-sqrt"):
            raise ValueError(
                f"{type(self).__name__}: alpha must be > 0 for the {self.decay_shape} "
                f"decay shape, got {show(self._given_value('alpha'))}"
            )
        self._set_phases(
            self.initial_learning_rate,
            self.peak_learning_rate,
            (self.warmup_steps, self.stable_steps, self.decay_steps),
            self.alpha,
            warmup_shape=self.warmup_shape,
            decay_shape=self.decay_shape,
            num_cycles=self.num_cycles,
        )


def remaining_steps(owner: str, total: float, warmup: float, name: str, value: float) -> float:
    """The steps ``total`` leaves after the warmup and the phase ``name`` (never negative)."""
    if warmup + value > total:
        raise ValueError(
            f"{owner}: warmup_steps + {name} must be <= total_steps ({show(total)}), "
            f"got {show(warmup)} + {show(value)}"
        )
    rest = max(total - warmup - value, 0)
    # In floats, warmup + rest + value can round past total, which would put
    # step ``total`` before the end of the last phase: shrink rest by ulps.
    while rest > 0 and warmup + rest + value > total:
        rest = math.nextafter(rest, 0.0)
    return rest


@builtin
class TrapezoidalDecay(Phases):
    r"""Warmup, a plateau, then a cooldown over the last ``decay_steps`` of a budget.

    With :math:`T` the total steps, :math:`W` the warmup, :math:`D` the
    cooldown and the floor :math:`\eta_{min} = \alpha\,\eta_p`:

    .. math::
        \eta(t) = \begin{cases}
        \eta_0 + (\eta_p - \eta_0)\, t / W & t < W \\
        \eta_p & W \le t < T - D \\
        \eta_{min} + (\eta_p - \eta_{min})\, g\bigl((t - T + D) / D\bigr) & T - D \le t < T \\
        \eta_{min} & t \ge T
        \end{cases}

    with :math:`g(p) = 1 - p` (``"linear"``, the trapezoid) or
    :math:`1 - \sqrt{p}` (``"1-sqrt"``). This is a
    :class:`~lrkit.WarmupStableDecay` with ``stable_steps = T - W - D``,
    specified by the budget as the papers do.

    Args:
        peak_learning_rate: :math:`\eta_p`, the rate on the plateau.
        total_steps: :math:`T > 0`, the budget.
        warmup_steps: :math:`W \ge 0`.
        decay_steps: :math:`D \ge 0`, the cooldown at the end; :math:`W + D \le T`.
        initial_learning_rate: :math:`\eta_0`, the rate at step 0.
        alpha: :math:`\alpha \in [0, 1]`, the final rate as a fraction of the peak.
        decay_shape: ``"linear"`` or ``"1-sqrt"``.

    Example:
        >>> schedule = TrapezoidalDecay(0.1, total_steps=100, warmup_steps=10, decay_steps=20)
        >>> schedule(5), schedule(50), schedule(90), schedule(100)
        (0.05, 0.1, 0.05, 0.0)

    Reference: Xing et al., "A Walk with SGD", 2018; Zhai et al., "Scaling
    Vision Transformers", CVPR 2022 (the linear cooldown); Hägele et al.,
    "Scaling Laws and Compute-Optimal Training Beyond Fixed Training
    Durations", 2024 (the ``"1-sqrt"`` cooldown).
    """

    peak_learning_rate: float = p.rate()
    total_steps: int | float = p.steps()
    warmup_steps: int | float = p.steps(allow_zero=True)
    decay_steps: int | float = p.steps(allow_zero=True)
    initial_learning_rate: float = p.rate(default=0.0)
    alpha: float = p.fraction(default=0.0)
    decay_shape: str = p.choice(("linear", "1-sqrt"), default="linear")

    def _derive(self) -> None:
        owner, warmup, decay = type(self).__name__, self.warmup_steps, self.decay_steps
        stable = remaining_steps(owner, self.total_steps, warmup, "decay_steps", decay)
        self._set_phases(
            self.initial_learning_rate,
            self.peak_learning_rate,
            (warmup, stable, decay),
            self.alpha,
            decay_shape=self.decay_shape,
        )


@builtin
class FlatCosineDecay(Phases):
    r"""A flat rate for a fraction of the budget, then a cosine to the floor ("flat and anneal").

    With :math:`T` the total steps, :math:`F = \lfloor T f \rfloor` the flat
    steps and the floor :math:`\eta_{min} = \alpha\,\eta_0`:

    .. math::
        \eta(t) = \begin{cases}
        \eta_0 & t < F \\
        \eta_{min} + \tfrac12(\eta_0 - \eta_{min})
        \left(1 + \cos\frac{\pi (t - F)}{T - F}\right) & F \le t < T \\
        \eta_{min} & t \ge T
        \end{cases}

    The flat phase is whole steps, as the rise of
    :class:`~lrkit.SlantedTriangular` is.

    Args:
        initial_learning_rate: :math:`\eta_0`, the flat rate.
        total_steps: :math:`T > 0`.
        flat_fraction: :math:`f \in [0, 1]`, the part of :math:`T` spent flat
            (fast.ai's ``pct_start``).
        alpha: :math:`\alpha \in [0, 1]`, the final rate as a fraction of :math:`\eta_0`.

    Example:
        >>> schedule = FlatCosineDecay(0.1, total_steps=100, flat_fraction=0.5)
        >>> schedule(25), schedule(75), schedule(100)
        (0.1, 0.05, 0.0)

    Reference: the "flat and anneal" schedule of fast.ai's ``fit_flat_cos``
    and of the Ranger optimizer (Wright, 2019).
    """

    initial_learning_rate: float = p.rate()
    total_steps: int | float = p.steps()
    flat_fraction: float = p.fraction(default=0.75)
    alpha: float = p.fraction(default=0.0)

    def _derive(self) -> None:
        flat = math.floor(self.total_steps * self.flat_fraction)
        rate = self.initial_learning_rate
        self._set_phases(rate, rate, (0, flat, self.total_steps - flat), self.alpha)


@builtin
class WarmupHoldCosineDecay(Phases):
    r"""Warmup, hold the peak, then a cosine to the floor at the end of the budget.

    With :math:`T` the total steps, :math:`W` the warmup, :math:`H` the hold,
    :math:`E = W + H` and the floor :math:`\eta_{min} = \alpha\,\eta_p`:

    .. math::
        \eta(t) = \begin{cases}
        \eta_0 + (\eta_p - \eta_0)\, t / W & t < W \\
        \eta_p & W \le t < E \\
        \eta_{min} + \tfrac12(\eta_p - \eta_{min})
        \left(1 + \cos\frac{\pi (t - E)}{T - E}\right) & E \le t < T \\
        \eta_{min} & t \ge T
        \end{cases}

    Args:
        peak_learning_rate: :math:`\eta_p`.
        total_steps: :math:`T > 0`.
        warmup_steps: :math:`W \ge 0`.
        hold_steps: :math:`H \ge 0`, the steps at the peak; :math:`W + H \le T`.
        initial_learning_rate: :math:`\eta_0`, the rate at step 0.
        alpha: :math:`\alpha \in [0, 1]`, the final rate as a fraction of the peak.

    Example:
        >>> schedule = WarmupHoldCosineDecay(0.1, total_steps=100, warmup_steps=10,
        ...                                  hold_steps=40)
        >>> schedule(5), schedule(30), schedule(75), schedule(100)
        (0.05, 0.1, 0.05, 0.0)

    Reference: Tan & Le, "EfficientNetV2", ICML 2021, and the TensorFlow
    Model Garden's warmup / hold / cosine schedule; Hu et al., "MiniCPM", 2024
    (the long plateau at the peak).
    """

    peak_learning_rate: float = p.rate()
    total_steps: int | float = p.steps()
    warmup_steps: int | float = p.steps(default=0, allow_zero=True)
    hold_steps: int | float = p.steps(default=0, allow_zero=True)
    initial_learning_rate: float = p.rate(default=0.0)
    alpha: float = p.fraction(default=0.0)

    def _derive(self) -> None:
        owner, warmup, hold = type(self).__name__, self.warmup_steps, self.hold_steps
        decay = remaining_steps(owner, self.total_steps, warmup, "hold_steps", hold)
        self._set_phases(
            self.initial_learning_rate, self.peak_learning_rate, (warmup, hold, decay), self.alpha
        )
