"""Named warmup / plateau / decay shapes: trapezoidal, flat-then-cosine, warmup-hold-cosine.

Each is a :class:`lrkit.WarmupStableDecay` under the parameters its papers
and libraries use (a total budget and the lengths of its phases), with its
own validation and its own name in configs. The formula is
``WarmupStableDecay``'s: each class builds one and evaluates it.
"""

from __future__ import annotations

import math

from lrkit._modern import WarmupStableDecay
from lrkit._schedule import LearningRateSchedule
from lrkit._serialization import builtin
from lrkit._validation import check_choice, check_fraction, check_rate, check_steps, show

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["FlatCosineDecay", "TrapezoidalDecay", "WarmupHoldCosineDecay"]

# What WarmupStableDecay.__call__ reads besides _rise and _fall.
_SCALAR_CONSTANTS = (
    "_warmup_steps",
    "_stable_end",
    "_decay_end",
    "_decay_steps",
    "_peak",
    "_start",
    "_rise_height",
    "_floor",
    "_fall_height",
    "_linear_rise",
    "_linear_fall",
    "_cosine_fall",
    "_angle",
)


class _Phases(LearningRateSchedule):
    """A schedule evaluated by the ``WarmupStableDecay`` it stands for."""

    _shape: WarmupStableDecay

    def _stand_for(self, shape: WarmupStableDecay) -> None:
        """Evaluate as ``shape``: its scalar path runs on this object, with its constants."""
        self._shape = shape
        for name in _SCALAR_CONSTANTS:
            setattr(self, name, getattr(shape, name))

    def _formula(self, step: Any, xp: Any) -> Any:
        return self._shape._formula(step, xp)

    # One call per step, not two: the same function on the same constants.
    __call__ = WarmupStableDecay.__call__

    def _rise(self, fraction: Any, xp: Any) -> Any:
        return self._shape._rise(fraction, xp)

    def _fall(self, progress: Any, xp: Any) -> Any:
        return self._shape._fall(progress, xp)

    def _phase_boundaries(self) -> list[float]:
        """The ends of the warmup, the plateau and the decay (for ``lrkit.plot``)."""
        return self._shape._phase_boundaries()


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
class TrapezoidalDecay(_Phases):
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

    def __init__(
        self,
        peak_learning_rate: float,
        total_steps: int | float,
        warmup_steps: int | float,
        decay_steps: int | float,
        initial_learning_rate: float = 0.0,
        alpha: float = 0.0,
        decay_shape: str = "linear",
    ) -> None:
        owner = type(self).__name__
        self.peak_learning_rate = check_rate(owner, "peak_learning_rate", peak_learning_rate)
        self.total_steps = check_steps(owner, "total_steps", total_steps)
        self.warmup_steps = check_steps(owner, "warmup_steps", warmup_steps, allow_zero=True)
        self.decay_steps = check_steps(owner, "decay_steps", decay_steps, allow_zero=True)
        stable = remaining_steps(
            owner, self.total_steps, self.warmup_steps, "decay_steps", self.decay_steps
        )
        self.initial_learning_rate = check_rate(
            owner, "initial_learning_rate", initial_learning_rate
        )
        self.alpha = check_fraction(owner, "alpha", alpha)
        self.decay_shape = check_choice(owner, "decay_shape", decay_shape, ("linear", "1-sqrt"))
        self._stand_for(
            WarmupStableDecay(
                self.peak_learning_rate,
                self.warmup_steps,
                stable,
                self.decay_steps,
                initial_learning_rate=self.initial_learning_rate,
                alpha=self.alpha,
                decay_shape=self.decay_shape,
            )
        )


@builtin
class FlatCosineDecay(_Phases):
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

    def __init__(
        self,
        initial_learning_rate: float,
        total_steps: int | float,
        flat_fraction: float = 0.75,
        alpha: float = 0.0,
    ) -> None:
        owner = type(self).__name__
        self.initial_learning_rate = check_rate(
            owner, "initial_learning_rate", initial_learning_rate
        )
        self.total_steps = check_steps(owner, "total_steps", total_steps)
        self.flat_fraction = check_fraction(owner, "flat_fraction", flat_fraction)
        self.alpha = check_fraction(owner, "alpha", alpha)
        flat = math.floor(self.total_steps * self.flat_fraction)
        self._stand_for(
            WarmupStableDecay(
                self.initial_learning_rate,
                0,
                flat,
                self.total_steps - flat,
                initial_learning_rate=self.initial_learning_rate,
                alpha=self.alpha,
            )
        )


@builtin
class WarmupHoldCosineDecay(_Phases):
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

    def __init__(
        self,
        peak_learning_rate: float,
        total_steps: int | float,
        warmup_steps: int | float = 0,
        hold_steps: int | float = 0,
        initial_learning_rate: float = 0.0,
        alpha: float = 0.0,
    ) -> None:
        owner = type(self).__name__
        self.peak_learning_rate = check_rate(owner, "peak_learning_rate", peak_learning_rate)
        self.total_steps = check_steps(owner, "total_steps", total_steps)
        self.warmup_steps = check_steps(owner, "warmup_steps", warmup_steps, allow_zero=True)
        self.hold_steps = check_steps(owner, "hold_steps", hold_steps, allow_zero=True)
        decay = remaining_steps(
            owner, self.total_steps, self.warmup_steps, "hold_steps", self.hold_steps
        )
        self.initial_learning_rate = check_rate(
            owner, "initial_learning_rate", initial_learning_rate
        )
        self.alpha = check_fraction(owner, "alpha", alpha)
        self._stand_for(
            WarmupStableDecay(
                self.peak_learning_rate,
                self.warmup_steps,
                self.hold_steps,
                decay,
                initial_learning_rate=self.initial_learning_rate,
                alpha=self.alpha,
            )
        )
