"""TF 2.x's linear cosine decays (``tf.compat.v1.train.linear_cosine_decay``).

``LinearCosineDecay`` and ``NoisyLinearCosineDecay`` have TF's names,
parameters, defaults and formulas; the noisy one draws its noise as a pure
function of ``seed`` and the step instead of TF's fresh draw at every call.
"""

from __future__ import annotations

import math

from lrkit._arrays import HUGE, ScalarOps, power
from lrkit._random import mix_seed, scalar_standard_normal, standard_normal
from lrkit._schedule import INF, LearningRateSchedule
from lrkit._serialization import builtin
from lrkit._validation import (
    check_name,
    check_number,
    check_optional_int,
    check_rate,
    check_steps,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["LinearCosineDecay", "NoisyLinearCosineDecay"]


class _LinearCosineBase(LearningRateSchedule):
    """What both linear cosine decays share: their common parameters and formula."""

    def _store_linear_cosine(
        self,
        initial_learning_rate: float,
        decay_steps: int | float,
        num_periods: float,
        alpha: float,
        beta: float,
        name: str | None,
    ) -> None:
        owner = type(self).__name__
        self.initial_learning_rate = check_rate(
            owner, "initial_learning_rate", initial_learning_rate
        )
        self.decay_steps = check_steps(owner, "decay_steps", decay_steps)
        self.num_periods = check_number(owner, "num_periods", num_periods, minimum=0.0)
        self.alpha = check_number(owner, "alpha", alpha, minimum=0.0)
        self.beta = check_number(owner, "beta", beta, minimum=0.0)
        self.name = check_name(owner, name)

    def _linear_cosine(self, step: Any, xp: Any, noise: Any) -> Any:
        decay_steps = self.decay_steps
        linear = (decay_steps - step) / decay_steps + noise
        # Whole periods dropped first (exactly), so a huge num_periods stays finite.
        periods = (self.num_periods * (step / decay_steps)) % 1.0
        cosine = 0.5 * (1.0 + xp.cos(2.0 * math.pi * periods))
        return self.initial_learning_rate * ((self.alpha + linear) * cosine + self.beta)


@builtin
class LinearCosineDecay(_LinearCosineBase):
    r"""Linear cosine decay (Bello et al., "Neural Optimizer Search", 2017).

    .. math::
        \ell = \frac{T - \min(t,T)}{T},\quad
        c = \tfrac12\left(1 + \cos\left(2\pi n \frac{\min(t,T)}{T}\right)\right),\quad
        \eta = \eta_0\left[(\alpha + \ell)\,c + \beta\right]

    Args:
        initial_learning_rate: :math:`\eta_0`.
        decay_steps: :math:`T > 0`.
        num_periods: :math:`n \ge 0`, the number of cosine periods.
        alpha: :math:`\alpha \ge 0` (see the formula).
        beta: :math:`\beta \ge 0`, the floor as a fraction of :math:`\eta_0`.
        name: kept in the config, as in TF.

    Example:
        >>> round(LinearCosineDecay(0.1, decay_steps=100)(100), 8)
        0.0001

    Reference: ``tf.compat.v1.train.linear_cosine_decay`` (TF 2.x).
    """

    def __init__(
        self,
        initial_learning_rate: float,
        decay_steps: int | float,
        num_periods: float = 0.5,
        alpha: float = 0.0,
        beta: float = 0.001,
        name: str | None = None,
    ) -> None:
        self._store_linear_cosine(
            initial_learning_rate, decay_steps, num_periods, alpha, beta, name
        )

    def _formula(self, step: Any, xp: Any) -> Any:
        return self._linear_cosine(xp.minimum(step, self.decay_steps), xp, 0.0)

    def __call__(self, step: Any = None) -> Any:
        if not (
            (type(step) is int and 0 <= step < HUGE) or (type(step) is float and 0.0 <= step < INF)
        ):
            return self._call_other(step)
        decay_steps = self.decay_steps
        value: float = self._linear_cosine(
            decay_steps if decay_steps < step else step, ScalarOps, 0.0
        )
        return value


@builtin
class NoisyLinearCosineDecay(_LinearCosineBase):
    r"""Linear cosine decay with Gaussian noise on the linear term.

    As :class:`LinearCosineDecay`, with :math:`\ell` replaced by
    :math:`\ell + \sigma_t z_t`, where
    :math:`\sigma_t^2 = v_0 / (1 + \min(t,T))^{d}` and :math:`z_t` is a
    standard normal draw that is a pure function of ``seed`` and
    :math:`\lfloor \min(t, T) \rfloor`: the same step always gives the same
    rate, on every array library and under ``jax.jit``. (TF draws fresh noise
    at every call; ``seed=None`` here means seed 0.)

    Args:
        initial_learning_rate: :math:`\eta_0`.
        decay_steps: :math:`T > 0`.
        initial_variance: :math:`v_0 \ge 0`.
        variance_decay: :math:`d \ge 0`.
        num_periods, alpha, beta: as in :class:`LinearCosineDecay`.
        seed: the noise seed (an integer), or None for 0.
        name: kept in the config, as in TF.

    Example:
        >>> schedule = NoisyLinearCosineDecay(0.1, decay_steps=100, seed=7)
        >>> schedule(3) == schedule(3)
        True

    Reference: ``tf.compat.v1.train.noisy_linear_cosine_decay`` (TF 2.x).
    """

    #: Integers the array formula mixes by bit operations (see ``lrkit._arrays.for_arrays``).
    _integer_attributes = ("seed", "_mixed_seed")

    def __init__(
        self,
        initial_learning_rate: float,
        decay_steps: int | float,
        initial_variance: float = 1.0,
        variance_decay: float = 0.55,
        num_periods: float = 0.5,
        alpha: float = 0.0,
        beta: float = 0.001,
        seed: int | None = None,
        name: str | None = None,
    ) -> None:
        owner = type(self).__name__
        self._store_linear_cosine(
            initial_learning_rate, decay_steps, num_periods, alpha, beta, name
        )
        self.initial_variance = check_number(
            owner, "initial_variance", initial_variance, minimum=0.0
        )
        self.variance_decay = check_number(owner, "variance_decay", variance_decay, minimum=0.0)
        self.seed = check_optional_int(owner, "seed", seed)
        self._mixed_seed = mix_seed(self.seed or 0)

    def _formula(self, step: Any, xp: Any) -> Any:
        step = xp.minimum(step, self.decay_steps)
        # power: Python floats raise OverflowError where arrays give inf.
        std = xp.sqrt(self.initial_variance / power(1.0 + step, self.variance_decay, xp))
        noise = std * standard_normal(step, self.seed or 0, xp)
        return self._linear_cosine(step, xp, noise)

    def __call__(self, step: Any = None) -> Any:
        if not (
            (type(step) is int and 0 <= step < HUGE) or (type(step) is float and 0.0 <= step < INF)
        ):
            return self._call_other(step)
        decay_steps = self.decay_steps
        if decay_steps < step:
            step = decay_steps
        try:
            std = math.sqrt(self.initial_variance / (1.0 + step) ** self.variance_decay)
        except OverflowError:  # (1 + t) ** d beyond float's range: no noise left
            std = 0.0
        noise = std * scalar_standard_normal(step, self._mixed_seed)
        value: float = self._linear_cosine(step, ScalarOps, noise)
        return value
