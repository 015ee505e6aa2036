"""Decays from recent papers: REX, hyperbolic, exp-hyperbolic, power, k-decay.

Each is one closed-form curve from ``initial_learning_rate`` over
``decay_steps``, with the floor ``alpha`` as a fraction of the initial rate
(Keras's ``CosineDecay`` convention). A warmup, where a paper has one, is
composed with :class:`lrkit.Warmup`; the step schedules of the same papers
(Chebyshev, slanted triangular) are in :mod:`lrkit._families.research_cycles`.
Each class is its parameters and its one formula (see :mod:`lrkit._core.pieces`);
the formulas clamp the step themselves, so they hold at every step.
"""

from __future__ import annotations

import math

from lrkit._core import parameters as p
from lrkit._core.pieces import Piecewise
from lrkit._core.serialization import builtin
from lrkit._core.validation import show

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["ExpHyperbolicDecay", "HyperbolicDecay", "KDecay", "PowerDecay", "RexDecay"]


@builtin
class RexDecay(Piecewise):
    r"""REX: a profile between linear and step decay for a fixed budget.

    With :math:`z = \min(t, T) / T` and the floor :math:`\eta_{min} = \alpha\,\eta_0`:

    .. math:: \eta(t) = \eta_{min} + (\eta_0 - \eta_{min})\,\frac{1 - z}{1 - z/2}

    The rate falls slowly at first and reaches the floor at step :math:`T`.

    Args:
        initial_learning_rate: :math:`\eta_0`, the rate at step 0.
        decay_steps: :math:`T > 0`, the training budget in steps.
        alpha: :math:`\alpha \in [0, 1]`, the final rate as a fraction of :math:`\eta_0`.

    Example:
        >>> schedule = RexDecay(0.1, decay_steps=100)
        >>> schedule(0), round(schedule(50), 6), schedule(100)
        (0.1, 0.066667, 0.0)

    Reference: Chen et al., "REX: Revisiting Budgeted Training with an
    Improved Schedule", MLSys 2022 (arXiv:2107.04197).
    """

    initial_learning_rate: float = p.rate()
    decay_steps: int | float = p.steps()
    alpha: float = p.fraction(default=0.0)

    def _derive(self) -> None:
        self._floor = self.alpha * self.initial_learning_rate

    def _profile(self, t: Any, xp: Any) -> Any:
        z = xp.minimum(t, self.decay_steps) / self.decay_steps
        floor = self._floor
        return floor + (self.initial_learning_rate - floor) * ((1.0 - z) / (1.0 - z / 2.0))

    pieces = (_profile,)

    def _horizon(self) -> float | None:
        return self.decay_steps


class _Hyperbola(Piecewise):
    r"""The parameters and the curve :math:`h(x)` that both HyperbolicLR schedules follow."""

    initial_learning_rate: float = p.rate()
    decay_steps: int | float = p.steps()
    upper_bound_steps: int | float = p.steps()

    def _derive(self) -> None:
        n, u = self.decay_steps, self.upper_bound_steps
        if u < n:
            raise ValueError(
                f"{type(self).__name__}: upper_bound_steps must be >= decay_steps "
                f"({show(self._given_value('decay_steps'))}), "
                f"got {show(self._given_value('upper_bound_steps'))}"
            )
        self._h0 = math.sqrt(n / u * (2.0 - n / u))

    def _curve(self, t: Any, xp: Any) -> Any:
        """``h(min(t, N)) - h(0)``, in ``[-h(0), 0]``."""
        n, u = self.decay_steps, self.upper_bound_steps
        x = xp.minimum(t, n)
        return xp.sqrt((n - x) / u * (2.0 - (n + x) / u)) - self._h0

    def _horizon(self) -> float | None:
        return self.decay_steps  # constant from there on


@builtin
class HyperbolicDecay(_Hyperbola):
    r"""HyperbolicLR: a decay whose early shape does not depend on the budget.

    With :math:`N` = ``decay_steps``, :math:`U \ge N` = ``upper_bound_steps``,
    the floor :math:`\eta_{inf} = \alpha\,\eta_0` and
    :math:`h(x) = \sqrt{\tfrac{N - x}{U}\left(2 - \tfrac{N + x}{U}\right)}`:

    .. math:: \eta(t) = \eta_0 + (\eta_0 - \eta_{inf})\bigl(h(\min(t, N)) - h(0)\bigr)

    The rate reaches :math:`\eta_0 - (\eta_0 - \eta_{inf})\,h(0)` at step
    :math:`N` (exactly :math:`\eta_{inf}` when :math:`U = N`) and stays there.

    Args:
        initial_learning_rate: :math:`\eta_0`.
        decay_steps: :math:`N > 0`, the length of the decay.
        upper_bound_steps: :math:`U \ge N`, the horizon that sets the curvature.
        alpha: :math:`\alpha \in [0, 1]`, the infimum as a fraction of :math:`\eta_0`.

    Example:
        >>> schedule = HyperbolicDecay(0.1, decay_steps=100, upper_bound_steps=100)
        >>> schedule(0), round(schedule(50), 6), schedule(100)
        (0.1, 0.05, 0.0)

    Reference: Kim, "HyperbolicLR: Epoch Insensitive Learning Rate Scheduler",
    2024 (arXiv:2407.15200).
    """

    alpha: float = p.fraction(default=0.0)

    def _decayed(self, t: Any, xp: Any) -> Any:
        start = self.initial_learning_rate
        return start + (start - self.alpha * start) * self._curve(t, xp)

    pieces = (_decayed,)


@builtin
class ExpHyperbolicDecay(_Hyperbola):
    r"""ExpHyperbolicLR: the HyperbolicLR curve in log space.

    With :math:`h` as in :class:`HyperbolicDecay` and the infimum
    :math:`\eta_{inf} = \alpha\,\eta_0` (:math:`\alpha > 0`):

    .. math:: \eta(t) = \eta_0 \left(\frac{\eta_0}{\eta_{inf}}\right)^{h(\min(t, N)) - h(0)}

    Args:
        initial_learning_rate: :math:`\eta_0`.
        decay_steps: :math:`N > 0`, the length of the decay.
        upper_bound_steps: :math:`U \ge N`, the horizon that sets the curvature.
        alpha: :math:`\alpha \in (0, 1]`, the infimum as a fraction of :math:`\eta_0`.

    Example:
        >>> schedule = ExpHyperbolicDecay(0.1, decay_steps=100, upper_bound_steps=100, alpha=0.01)
        >>> schedule(0), round(schedule(100), 6)
        (0.1, 0.001)

    Reference: Kim, "HyperbolicLR: Epoch Insensitive Learning Rate Scheduler",
    2024 (arXiv:2407.15200).
    """

    alpha: float = p.number(default=0.01, minimum=0.0, maximum=1.0, exclusive_minimum=True)

    def _derive(self) -> None:
        super()._derive()
        self._log_ratio = -math.log(self.alpha)

    def _decayed(self, t: Any, xp: Any) -> Any:
        return self.initial_learning_rate * xp.exp(self._log_ratio * self._curve(t, xp))

    pieces = (_decayed,)


@builtin
class PowerDecay(Piecewise):
    r"""Power-law decay, with a floor.

    .. math:: \eta(t) = \max\!\left(\eta_0 \left(\frac{t + \tau}{\tau}\right)^{-p},\;
        \alpha\,\eta_0\right)

    :math:`p = 1/2` is the inverse square root, :math:`p = 1` inverse time.
    Behind a :class:`lrkit.Warmup` of :math:`W` steps with :math:`\tau = W`
    the rate after the warmup is :math:`\eta_0 (t / W)^{-p}`.

    Args:
        initial_learning_rate: :math:`\eta_0`, the rate at step 0.
        decay_steps: :math:`\tau > 0`, the time scale of the decay.
        power: :math:`p \ge 0`.
        alpha: :math:`\alpha \in [0, 1]`, the floor as a fraction of :math:`\eta_0`.

    Example:
        >>> schedule = PowerDecay(0.1, decay_steps=10, power=1.0)
        >>> schedule(0), schedule(10), round(schedule(90), 6)
        (0.1, 0.05, 0.01)

    Reference: Kaplan et al., "Scaling Laws for Neural Language Models", 2020
    (arXiv:2001.08361); Shen et al., "Power Scheduler: A Batch Size and Token
    Number Agnostic Learning Rate Scheduler", 2024 (arXiv:2408.13359).
    """

    initial_learning_rate: float = p.rate()
    decay_steps: int | float = p.steps()
    power: float = p.number(default=0.5, minimum=0.0)
    alpha: float = p.fraction(default=0.0)

    def _derive(self) -> None:
        self._floor = self.alpha * self.initial_learning_rate

    def _decayed(self, t: Any, xp: Any) -> Any:
        scale = self.decay_steps
        return xp.maximum(
            self.initial_learning_rate * ((t + scale) / scale) ** -self.power, self._floor
        )

    pieces = (_decayed,)

    def _horizon(self) -> float | None:
        """Where the curve meets the floor, :math:`\\tau(\\alpha^{-1/p} - 1)`.

        None without a floor (a power law has no end) or where that step is
        past float's range.
        """
        if self.alpha == 0.0 or self.power == 0.0:
            return None
        try:
            horizon = self.decay_steps * (math.pow(self.alpha, -1.0 / self.power) - 1.0)
        except OverflowError:
            return None
        return horizon if horizon < math.inf else None


_K_DECAY_SHAPES = ("cosine", "polynomial")


@builtin
class KDecay(Piecewise):
    r"""k-decay: a cosine or polynomial decay on the warped progress :math:`(t/T)^k`.

    With :math:`z = (\min(t, T)/T)^k` and the floor :math:`\eta_{min} = \alpha\,\eta_0`:

    .. math::
        \eta(t) = \eta_{min} + (\eta_0 - \eta_{min})\tfrac12(1 + \cos \pi z)
        \quad\text{(cosine)}, \qquad
        \eta(t) = \eta_{min} + (\eta_0 - \eta_{min})(1 - z)^{N}
        \quad\text{(polynomial)}

    :math:`k = 1` is the plain decay; :math:`k > 1` keeps the rate high for
    longer, :math:`k < 1` drops it sooner. The rate is :math:`\eta_{min}`
    from step :math:`T` on.

    Args:
        initial_learning_rate: :math:`\eta_0`.
        decay_steps: :math:`T > 0`.
        k: :math:`k > 0`, the warp of the progress.
        alpha: :math:`\alpha \in [0, 1]`, the floor as a fraction of :math:`\eta_0`.
        shape: ``"cosine"`` or ``"polynomial"``.
        power: :math:`N > 0`, the exponent of the polynomial shape.

    Example:
        >>> schedule = KDecay(0.1, decay_steps=100, k=2.0)
        >>> schedule(0), round(schedule(50), 6), schedule(100)
        (0.1, 0.085355, 0.0)

    Reference: Zhang & Li, "k-decay: A New Method For Learning Rate
    Schedule", 2020 (arXiv:2004.05909).
    """

    initial_learning_rate: float = p.rate()
    decay_steps: int | float = p.steps()
    k: float = p.number(default=1.0, minimum=0.0, exclusive_minimum=True)
    alpha: float = p.fraction(default=0.0)
    shape: str = p.choice(_K_DECAY_SHAPES, default="cosine")
    power: float = p.number(default=1.0, minimum=0.0, exclusive_minimum=True)

    def _derive(self) -> None:
        self._floor = self.alpha * self.initial_learning_rate
        self._cosine = self.shape == "cosine"

    def _warped(self, t: Any, xp: Any) -> Any:
        z = (xp.minimum(t, self.decay_steps) / self.decay_steps) ** self.k
        if self._cosine:
            remaining = 0.5 * (1.0 + xp.cos(math.pi * z))
        else:
            # A compiler that divides by multiplying by the reciprocal (XLA) can
            # leave z a float32 ulp above 1 before the end, which power < 1 magnifies.
            remaining = xp.maximum(1.0 - z, 0.0 * z) ** self.power
        floor = self._floor
        return floor + (self.initial_learning_rate - floor) * remaining

    def _at_floor(self, t: Any, xp: Any) -> Any:
        return self._floor  # exactly: both shapes leave 0 of the height at z = 1

    pieces = (_warped, _at_floor)

    def _edges(self) -> tuple[Any, ...]:
        return (self.decay_steps,)

    def _horizon(self) -> float | None:
        return self.decay_steps
