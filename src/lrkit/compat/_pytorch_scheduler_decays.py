"""``pytorch-scheduler``'s decays of one curve, and the argument checks its schedulers share.

REX, hyperbolic, exp-hyperbolic, power, k-decay, Chebyshev, slanted
triangular, tanh, inverse square root, identity and polynomial: each
function has the name and parameters of one of the package's schedulers and
returns an lrkit schedule; :mod:`lrkit.compat.pytorch_scheduler` re-exports
them all.
"""

from __future__ import annotations

import math

from lrkit._combinators.repeat import Repeat
from lrkit._core.schedule import LearningRateSchedule
from lrkit._core.validation import (
    check_bool,
    check_int,
    check_number,
    check_rate,
    check_rate_at_most,
    show,
)
from lrkit._families.decays import Constant
from lrkit._families.inverse_decays import InverseSqrtDecay, TanhDecay
from lrkit._families.keras_decays import PolynomialDecay
from lrkit._families.research import (
    ExpHyperbolicDecay,
    HyperbolicDecay,
    KDecay,
    PowerDecay,
    RexDecay,
)
from lrkit._families.research_cycles import ChebyshevDecay, SlantedTriangular
from lrkit.compat._toolkit import steps_argument, warmup_then

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = [
    "ChebyshevScheduler",
    "ExpHyperbolicLRScheduler",
    "HyperbolicLRScheduler",
    "IdentityScheduler",
    "InverseSqrtScheduler",
    "KDecayScheduler",
    "PolynomialScheduler",
    "PowerDecayScheduler",
    "RexScheduler",
    "SlantedTriangularScheduler",
    "TanhDecayScheduler",
]


# -- argument checks ---------------------------------------------------------------


def _warmup(owner: str, warmup_steps: Any, total_steps: int, name: str = "warmup_steps") -> int:
    """A warmup length in ``[0, total_steps)``."""
    steps = steps_argument(owner, name, warmup_steps)
    if steps >= total_steps:
        raise ValueError(
            f"{owner}: {name} must be < total_steps ({total_steps}), got {show(warmup_steps)}"
        )
    return steps


def _alpha(owner: str, base_lr: float, min_lr: Any) -> float:
    """``min_lr`` as a fraction of ``base_lr`` (lrkit's floors are fractions)."""
    floor = check_rate_at_most(owner, "min_lr", min_lr, "base_lr", base_lr)
    return floor / base_lr if base_lr > 0 else 0.0


# -- decays of one curve -------------------------------------------------------------


def RexScheduler(base_lr: float, total_steps: int) -> LearningRateSchedule:
    r"""REX: :math:`b\,(1 - z)/(1 - z/2)`, :math:`z = t/T`, as :class:`~lrkit.RexDecay`.

    Example:
        >>> RexScheduler(0.1, total_steps=10)(10)
        0.0
    """
    owner = "RexScheduler"
    return RexDecay(
        check_rate(owner, "base_lr", base_lr),
        steps_argument(owner, "total_steps", total_steps, minimum=1),
    )


def _hyperbolic(
    owner: str,
    family: type[HyperbolicDecay] | type[ExpHyperbolicDecay],
    base_lr: Any,
    total_steps: Any,
    upper_bound: Any,
    min_lr: Any,
    warmup_steps: Any,
) -> LearningRateSchedule:
    base = check_rate(owner, "base_lr", base_lr)
    total = steps_argument(owner, "total_steps", total_steps, minimum=1)
    warmup = _warmup(owner, warmup_steps, total)
    upper = check_int(owner, "upper_bound", upper_bound)
    if upper < total:
        raise ValueError(
            f"{owner}: upper_bound must be >= total_steps ({total}), got {show(upper_bound)}"
        )
    alpha = _alpha(owner, base, min_lr)
    decay = family(base, total - warmup, upper, alpha=alpha)
    return warmup_then(decay, warmup, start=float(min_lr))


def HyperbolicLRScheduler(
    base_lr: float,
    total_steps: int,
    upper_bound: int,
    min_lr: float = 1e-6,
    warmup_steps: int = 0,
) -> LearningRateSchedule:
    r"""HyperbolicLR, as :class:`~lrkit.HyperbolicDecay` over ``total_steps - warmup_steps``.

    A linear warmup from ``min_lr`` to ``base_lr`` (a :class:`~lrkit.Warmup`)
    comes first when ``warmup_steps > 0``; ``upper_bound >= total_steps``.

    Example:
        >>> HyperbolicLRScheduler(0.1, total_steps=100, upper_bound=100, min_lr=0.0)(50)
        0.05
    """
    return _hyperbolic(
        "HyperbolicLRScheduler",
        HyperbolicDecay,
        base_lr,
        total_steps,
        upper_bound,
        min_lr,
        warmup_steps,
    )


def ExpHyperbolicLRScheduler(
    base_lr: float,
    total_steps: int,
    upper_bound: int,
    min_lr: float = 1e-6,
    warmup_steps: int = 0,
) -> LearningRateSchedule:
    r"""ExpHyperbolicLR, as :class:`~lrkit.ExpHyperbolicDecay` (``min_lr > 0``).

    Example:
        >>> schedule = ExpHyperbolicLRScheduler(0.1, 100, upper_bound=100, min_lr=0.001)
        >>> round(schedule(100), 9)
        0.001
    """
    owner = "ExpHyperbolicLRScheduler"
    if check_rate(owner, "min_lr", min_lr) == 0:
        raise ValueError(f"{owner}: min_lr must be > 0, got {show(min_lr)}")
    return _hyperbolic(
        owner, ExpHyperbolicDecay, base_lr, total_steps, upper_bound, min_lr, warmup_steps
    )


def PowerDecayScheduler(
    base_lr: float,
    total_steps: int,
    warmup_steps: int = 0,
    alpha: float = 0.5,
    min_lr: float = 0.0,
) -> LearningRateSchedule:
    r"""Power-law decay :math:`\max(b\,(t/W)^{-\alpha}, \eta_{min})` after a linear warmup.

    :class:`~lrkit.PowerDecay` with time scale ``warmup_steps`` behind a
    :class:`~lrkit.Warmup` from 0; without a warmup the rate is
    :math:`b\,(t + 1)^{-\alpha}` (time scale 1). The package's ``alpha`` is
    the exponent (``PowerDecay``'s ``power``); ``total_steps`` is only checked.

    Example:
        >>> schedule = PowerDecayScheduler(0.1, total_steps=100, warmup_steps=10, alpha=1.0)
        >>> schedule(5), schedule(10), schedule(20)
        (0.05, 0.1, 0.05)
    """
    owner = "PowerDecayScheduler"
    base = check_rate(owner, "base_lr", base_lr)
    total = steps_argument(owner, "total_steps", total_steps, minimum=1)
    exponent = check_number(owner, "alpha", alpha, minimum=0.0, exclusive_minimum=True)
    fraction = _alpha(owner, base, min_lr)
    warmup = _warmup(owner, warmup_steps, total)
    decay = PowerDecay(base, warmup or 1, power=exponent, alpha=fraction)
    return warmup_then(decay, warmup)


def KDecayScheduler(
    base_lr: float, total_steps: int, k: float = 1.0, min_lr: float = 0.0
) -> LearningRateSchedule:
    r"""k-decay of a cosine: :class:`~lrkit.KDecay` with ``shape="cosine"``.

    Example:
        >>> KDecayScheduler(0.1, total_steps=100, k=1.0)(50)
        0.05
    """
    owner = "KDecayScheduler"
    base = check_rate(owner, "base_lr", base_lr)
    total = steps_argument(owner, "total_steps", total_steps, minimum=1)
    k = check_number(owner, "k", k, minimum=0.0, exclusive_minimum=True)
    return KDecay(base, total, k=k, alpha=_alpha(owner, base, min_lr))


def ChebyshevScheduler(
    base_lr: float, total_steps: int, min_lr: float = 0.0
) -> LearningRateSchedule:
    r"""Rates at the sorted Chebyshev nodes: :class:`~lrkit.ChebyshevDecay`.

    Example:
        >>> round(ChebyshevScheduler(1.0, total_steps=4)(1), 4)
        0.6913
    """
    owner = "ChebyshevScheduler"
    base = check_rate(owner, "base_lr", base_lr)
    total = steps_argument(owner, "total_steps", total_steps, minimum=1)
    return ChebyshevDecay(base, total, alpha=_alpha(owner, base, min_lr))


def SlantedTriangularScheduler(
    base_lr: float, total_steps: int, cut_frac: float = 0.1, ratio: float = 32.0
) -> LearningRateSchedule:
    r"""ULMFiT's slanted triangular schedule: :class:`~lrkit.SlantedTriangular`.

    The package clamps the rate to ``base_lr``, so a ``ratio <= 1`` is a
    constant ``base_lr``. lrkit refuses a ``cut_frac`` that leaves no rising
    step (``floor(total_steps * cut_frac) == 0``), where the package's rate
    jumps from ``base_lr / ratio`` at step 0 to nearly ``base_lr`` at step 1.

    Example:
        >>> schedule = SlantedTriangularScheduler(0.032, total_steps=100, cut_frac=0.1)
        >>> schedule(0), schedule(10)
        (0.001, 0.032)
    """
    owner = "SlantedTriangularScheduler"
    base = check_rate(owner, "base_lr", base_lr)
    total = steps_argument(owner, "total_steps", total_steps, minimum=1)
    cut_frac = check_number(owner, "cut_frac", cut_frac, minimum=0.0, exclusive_minimum=True)
    if cut_frac >= 1.0:
        raise ValueError(f"{owner}: cut_frac must be < 1, got {show(cut_frac)}")
    ratio = check_number(owner, "ratio", ratio, minimum=0.0, exclusive_minimum=True)
    if ratio <= 1.0:
        return Constant(base)
    if math.floor(total * cut_frac) == 0:
        raise ValueError(
            f"{owner}: cut_frac must leave at least one rising step "
            f"(total_steps * cut_frac >= 1), got {show(cut_frac)}"
        )
    return SlantedTriangular(base, total, cut_frac=cut_frac, ratio=ratio)


def TanhDecayScheduler(
    base_lr: float, total_steps: int, steepness: float = 3.0, min_lr: float = 0.0
) -> LearningRateSchedule:
    r""":math:`\eta_{min} + \tfrac12(b - \eta_{min})(1 - \tanh(s(2t/T - 1)))`.

    :class:`~lrkit.TanhDecay` with ``lower_bound = -steepness`` and
    ``upper_bound = steepness``.

    Example:
        >>> TanhDecayScheduler(0.1, total_steps=100)(50)
        0.05
    """
    owner = "TanhDecayScheduler"
    base = check_rate(owner, "base_lr", base_lr)
    total = steps_argument(owner, "total_steps", total_steps, minimum=1)
    steepness = check_number(owner, "steepness", steepness, minimum=0.0, exclusive_minimum=True)
    alpha = _alpha(owner, base, min_lr)
    return TanhDecay(base, total, alpha=alpha, lower_bound=-steepness, upper_bound=steepness)


def InverseSqrtScheduler(base_lr: float, warmup_steps: int) -> LearningRateSchedule:
    r"""Linear warmup to ``base_lr``, then :math:`b\sqrt{W/t}`: :class:`~lrkit.InverseSqrtDecay`.

    Example:
        >>> InverseSqrtScheduler(0.1, warmup_steps=4)(16)
        0.05
    """
    owner = "InverseSqrtScheduler"
    base = check_rate(owner, "base_lr", base_lr)
    warmup = steps_argument(owner, "warmup_steps", warmup_steps, minimum=1)
    return InverseSqrtDecay(base, warmup_steps=warmup)


def IdentityScheduler(base_lr: float) -> LearningRateSchedule:
    """``base_lr`` at every step: :class:`~lrkit.Constant`.

    Example:
        >>> IdentityScheduler(0.1)(100)
        0.1
    """
    return Constant(check_rate("IdentityScheduler", "base_lr", base_lr))


def PolynomialScheduler(
    base_lr: float,
    total_steps: int,
    power: float = 1.0,
    min_lr: float = 0.0,
    warmup_steps: int = 0,
    cycle: bool = False,
) -> LearningRateSchedule:
    r"""A linear warmup from 0, then :math:`(b - \eta_{min})(1 - p)^{n} + \eta_{min}`.

    :class:`~lrkit.PolynomialDecay` over ``total_steps - warmup_steps`` behind
    a :class:`~lrkit.Warmup`; ``cycle=True`` repeats the whole with period
    ``total_steps`` (:class:`~lrkit.Repeat`), as the package's ``step %
    total_steps`` does.

    Example:
        >>> schedule = PolynomialScheduler(0.1, total_steps=10, power=2.0, cycle=True)
        >>> schedule(5), schedule(10), schedule(15)
        (0.025, 0.1, 0.025)
    """
    owner = "PolynomialScheduler"
    base = check_rate(owner, "base_lr", base_lr)
    total = steps_argument(owner, "total_steps", total_steps, minimum=1)
    power = check_number(owner, "power", power, minimum=0.0, exclusive_minimum=True)
    end = check_rate(owner, "min_lr", min_lr)
    warmup = _warmup(owner, warmup_steps, total)
    cycle = check_bool(owner, "cycle", cycle)
    decay = PolynomialDecay(base, total - warmup, end_learning_rate=end, power=power)
    schedule = warmup_then(decay, warmup)
    return Repeat(schedule, total) if cycle else schedule
