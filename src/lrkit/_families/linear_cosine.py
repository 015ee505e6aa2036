"""TF 2.x's linear cosine decays (``tf.compat.v1.train.linear_cosine_decay``).

``LinearCosineDecay`` and ``NoisyLinearCosineDecay`` have TF's names,
parameters, defaults and formulas; the noisy one draws its noise as a pure
function of ``seed`` and the step instead of TF's fresh draw at every call.
Both are one formula (a one-piece :class:`~lrkit._core.pieces.Piecewise`)
around :func:`_linear_cosine`, which they share.
"""

from __future__ import annotations

import math

from lrkit._core import parameters as p
from lrkit._core.arrays import ScalarOps, power
from lrkit._core.pieces import Piecewise
from lrkit._core.random import mix_seed, scalar_standard_normal, standard_normal
from lrkit._core.serialization import builtin

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["LinearCosineDecay", "NoisyLinearCosineDecay"]


def _linear_cosine(schedule: Any, step: Any, xp: Any, noise: Any) -> Any:
    """The formula both decays share, at a step already clamped to ``decay_steps``."""
    decay_steps = schedule.decay_steps
    linear = (decay_steps - step) / decay_steps + noise
    # Whole periods dropped first (exactly), so a huge num_periods stays finite.
    periods = (schedule.num_periods * (step / decay_steps)) % 1.0
    cosine = 0.5 * (1.0 + xp.cos(2.0 * math.pi * periods))
    return schedule.initial_learning_rate * ((schedule.alpha + linear) * cosine + schedule.beta)


@builtin
class LinearCosineDecay(Piecewise):
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

    initial_learning_rate: float = p.rate()
    decay_steps: int | float = p.steps()
    num_periods: float = p.number(default=0.5, minimum=0.0)
    alpha: float = p.number(default=0.0, minimum=0.0)
    beta: float = p.number(default=0.001, minimum=0.0)
    name: str | None = p.name(default=None)

    def _decayed(self, t: Any, xp: Any) -> Any:
        return _linear_cosine(self, xp.minimum(t, self.decay_steps), xp, 0.0)

    pieces = (_decayed,)

    def _horizon(self) -> float | None:
        return self.decay_steps


@builtin
class NoisyLinearCosineDecay(Piecewise):
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

    #: Integers the array formula mixes by bit operations (see ``lrkit._core.arrays.for_arrays``).
    _integer_attributes = ("seed", "_mixed_seed")

    initial_learning_rate: float = p.rate()
    decay_steps: int | float = p.steps()
    initial_variance: float = p.number(default=1.0, minimum=0.0)
    variance_decay: float = p.number(default=0.55, minimum=0.0)
    num_periods: float = p.number(default=0.5, minimum=0.0)
    alpha: float = p.number(default=0.0, minimum=0.0)
    beta: float = p.number(default=0.001, minimum=0.0)
    seed: int | None = p.seed(default=None)
    name: str | None = p.name(default=None)

    def _derive(self) -> None:
        self._mixed_seed = mix_seed(self.seed or 0)

    def _decayed(self, t: Any, xp: Any) -> Any:
        t = xp.minimum(t, self.decay_steps)
        # power: Python floats raise OverflowError where arrays give inf (no noise left).
        std = xp.sqrt(self.initial_variance / power(1.0 + t, self.variance_decay, xp))
        if xp is ScalarOps:  # the same draw, with the seed mixed once
            draw = scalar_standard_normal(t, self._mixed_seed)
        else:
            draw = standard_normal(t, self.seed or 0, xp)
        return _linear_cosine(self, t, xp, std * draw)

    pieces = (_decayed,)

    def _horizon(self) -> float | None:
        return self.decay_steps
