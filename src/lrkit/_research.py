"""Decays from recent papers: REX, hyperbolic, exp-hyperbolic, power, k-decay.

Each is one closed-form curve from ``initial_learning_rate`` over
``decay_steps``, with the floor ``alpha`` as a fraction of the initial rate
(Keras's ``CosineDecay`` convention). A warmup, where a paper has one, is
composed with :class:`lrkit.Warmup`; the step schedules of the same papers
(Chebyshev, slanted triangular) are in :mod:`lrkit._research_cycles`.
"""

from __future__ import annotations

import math

from lrkit._arrays import HUGE
from lrkit._schedule import INF, LearningRateSchedule
from lrkit._serialization import builtin
from lrkit._validation import check_choice, check_fraction, check_number, check_steps, show

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["ExpHyperbolicDecay", "HyperbolicDecay", "KDecay", "PowerDecay", "RexDecay"]


def _check_upper_bound(owner: str, value: Any, decay_steps: float) -> int | float:
    upper = check_steps(owner, "upper_bound_steps", value)
    if upper < decay_steps:
        raise ValueError(
            f"{owner}: upper_bound_steps must be >= decay_steps ({show(decay_steps)}), "
            f"got {show(value)}"
        )
    return upper


@builtin
class RexDecay(LearningRateSchedule):
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

    def __init__(
        self, initial_learning_rate: float, decay_steps: int | float, alpha: float = 0.0
    ) -> None:
        owner = type(self).__name__
        self.initial_learning_rate = check_number(
            owner, "initial_learning_rate", initial_learning_rate, minimum=0.0
        )
        self.decay_steps = check_steps(owner, "decay_steps", decay_steps)
        self.alpha = check_fraction(owner, "alpha", alpha)

    def _formula(self, step: Any, xp: Any) -> Any:
        z = xp.minimum(step, self.decay_steps) / self.decay_steps
        profile = (1.0 - z) / (1.0 - z / 2.0)
        floor = self.alpha * self.initial_learning_rate
        return floor + (self.initial_learning_rate - floor) * profile

    def __call__(self, step: Any = None) -> Any:
        if not (
            (type(step) is int and 0 <= step < HUGE) or (type(step) is float and 0.0 <= step < INF)
        ):
            return self._call_other(step)
        decay_steps = self.decay_steps
        z = (decay_steps if decay_steps < step else step) / decay_steps
        profile = (1.0 - z) / (1.0 - z / 2.0)
        floor = self.alpha * self.initial_learning_rate
        return floor + (self.initial_learning_rate - floor) * profile


class _Hyperbola(LearningRateSchedule):
    """The curve :math:`h(x)` that both HyperbolicLR schedules follow."""

    initial_learning_rate: float
    decay_steps: int | float
    upper_bound_steps: int | float

    def _curve(self, step: Any, xp: Any) -> Any:
        """``h(min(t, N)) - h(0)``, in ``[-h(0), 0]``."""
        n, u = self.decay_steps, self.upper_bound_steps
        x = xp.minimum(step, n)
        h = xp.sqrt((n - x) / u * (2.0 - (n + x) / u))
        return h - math.sqrt(n / u * (2.0 - n / u))

    def _scalar_curve(self, step: float) -> float:
        """``_curve`` on a Python number."""
        n, u = self.decay_steps, self.upper_bound_steps
        x = n if n < step else step
        h = math.sqrt((n - x) / u * (2.0 - (n + x) / u))
        return h - math.sqrt(n / u * (2.0 - n / u))


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

    def __init__(
        self,
        initial_learning_rate: float,
        decay_steps: int | float,
        upper_bound_steps: int | float,
        alpha: float = 0.0,
    ) -> None:
        owner = type(self).__name__
        self.initial_learning_rate = check_number(
            owner, "initial_learning_rate", initial_learning_rate, minimum=0.0
        )
        self.decay_steps = check_steps(owner, "decay_steps", decay_steps)
        self.upper_bound_steps = _check_upper_bound(owner, upper_bound_steps, self.decay_steps)
        self.alpha = check_fraction(owner, "alpha", alpha)

    def _formula(self, step: Any, xp: Any) -> Any:
        start = self.initial_learning_rate
        return start + (start - self.alpha * start) * self._curve(step, xp)

    def __call__(self, step: Any = None) -> Any:
        if not (
            (type(step) is int and 0 <= step < HUGE) or (type(step) is float and 0.0 <= step < INF)
        ):
            return self._call_other(step)
        start = self.initial_learning_rate
        return start + (start - self.alpha * start) * self._scalar_curve(step)


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

    def __init__(
        self,
        initial_learning_rate: float,
        decay_steps: int | float,
        upper_bound_steps: int | float,
        alpha: float = 0.01,
    ) -> None:
        owner = type(self).__name__
        self.initial_learning_rate = check_number(
            owner, "initial_learning_rate", initial_learning_rate, minimum=0.0
        )
        self.decay_steps = check_steps(owner, "decay_steps", decay_steps)
        self.upper_bound_steps = _check_upper_bound(owner, upper_bound_steps, self.decay_steps)
        self.alpha = check_number(
            owner, "alpha", alpha, minimum=0.0, maximum=1.0, exclusive_minimum=True
        )
        self._log_ratio = -math.log(self.alpha)

    def _formula(self, step: Any, xp: Any) -> Any:
        return self.initial_learning_rate * xp.exp(self._log_ratio * self._curve(step, xp))

    def __call__(self, step: Any = None) -> Any:
        if not (
            (type(step) is int and 0 <= step < HUGE) or (type(step) is float and 0.0 <= step < INF)
        ):
            return self._call_other(step)
        return self.initial_learning_rate * math.exp(self._log_ratio * self._scalar_curve(step))


@builtin
class PowerDecay(LearningRateSchedule):
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

    def __init__(
        self,
        initial_learning_rate: float,
        decay_steps: int | float,
        power: float = 0.5,
        alpha: float = 0.0,
    ) -> None:
        owner = type(self).__name__
        self.initial_learning_rate = check_number(
            owner, "initial_learning_rate", initial_learning_rate, minimum=0.0
        )
        self.decay_steps = check_steps(owner, "decay_steps", decay_steps)
        self.power = check_number(owner, "power", power, minimum=0.0)
        self.alpha = check_fraction(owner, "alpha", alpha)

    def _formula(self, step: Any, xp: Any) -> Any:
        scale = self.decay_steps
        value = self.initial_learning_rate * ((step + scale) / scale) ** -self.power
        return xp.maximum(value, self.alpha * self.initial_learning_rate)

    def __call__(self, step: Any = None) -> Any:
        if not (
            (type(step) is int and 0 <= step < HUGE) or (type(step) is float and 0.0 <= step < INF)
        ):
            return self._call_other(step)
        scale = self.decay_steps
        value: float = self.initial_learning_rate * ((step + scale) / scale) ** -self.power
        floor = self.alpha * self.initial_learning_rate
        return floor if floor > value else value


_K_DECAY_SHAPES = ("cosine", "polynomial")


@builtin
class KDecay(LearningRateSchedule):
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

    def __init__(
        self,
        initial_learning_rate: float,
        decay_steps: int | float,
        k: float = 1.0,
        alpha: float = 0.0,
        shape: str = "cosine",
        power: float = 1.0,
    ) -> None:
        owner = type(self).__name__
        self.initial_learning_rate = check_number(
            owner, "initial_learning_rate", initial_learning_rate, minimum=0.0
        )
        self.decay_steps = check_steps(owner, "decay_steps", decay_steps)
        self.k = check_number(owner, "k", k, minimum=0.0, exclusive_minimum=True)
        self.alpha = check_fraction(owner, "alpha", alpha)
        self.shape = check_choice(owner, "shape", shape, _K_DECAY_SHAPES)
        self.power = check_number(owner, "power", power, minimum=0.0, exclusive_minimum=True)

    def _formula(self, step: Any, xp: Any) -> Any:
        z = (xp.minimum(step, self.decay_steps) / self.decay_steps) ** self.k
        if self.shape == "cosine":
            remaining = 0.5 * (1.0 + xp.cos(math.pi * z))
        else:
            # Past the end, exactly 0 ** power: a compiler that divides by multiplying by
            # the reciprocal (XLA) can leave z a float32 ulp off 1, which power < 1 magnifies.
            done = 0.0**self.power
            left = xp.maximum(1.0 - z, 0.0 * z)
            remaining = xp.where(step < self.decay_steps, left**self.power, done + 0.0 * z)
        floor = self.alpha * self.initial_learning_rate
        return floor + (self.initial_learning_rate - floor) * remaining

    def __call__(self, step: Any = None) -> Any:
        if not (
            (type(step) is int and 0 <= step < HUGE) or (type(step) is float and 0.0 <= step < INF)
        ):
            return self._call_other(step)
        decay_steps = self.decay_steps
        z = ((decay_steps if decay_steps < step else step) / decay_steps) ** self.k
        if self.shape == "cosine":
            remaining = 0.5 * (1.0 + math.cos(math.pi * z))
        else:
            remaining = (1.0 - z) ** self.power
        floor = self.alpha * self.initial_learning_rate
        return floor + (self.initial_learning_rate - floor) * remaining
