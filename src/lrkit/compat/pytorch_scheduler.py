"""The ``pytorch-scheduler`` package's schedulers as lrkit schedules.

Each function has the name and parameters of one of the package's
schedulers (version 0.2), with the optimizer replaced by ``base_lr``, the
param group's rate when the scheduler is built, and returns an lrkit
schedule whose value at step ``t`` is the rate the scheduler sets on a
one-group optimizer after ``t`` calls of ``scheduler.step()``. Every one is
built from lrkit's families and combinators:

* REX, hyperbolic, exp-hyperbolic, power, k-decay, Chebyshev and slanted
  triangular: :class:`~lrkit.RexDecay`, :class:`~lrkit.HyperbolicDecay`,
  :class:`~lrkit.ExpHyperbolicDecay`, :class:`~lrkit.PowerDecay`,
  :class:`~lrkit.KDecay`, :class:`~lrkit.ChebyshevDecay`,
  :class:`~lrkit.SlantedTriangular` (behind a :class:`~lrkit.Warmup` where
  the scheduler has one);
* trapezoidal, flat cosine and warmup-hold-cosine:
  :class:`~lrkit.TrapezoidalDecay`, :class:`~lrkit.FlatCosineDecay`,
  :class:`~lrkit.WarmupHoldCosineDecay`; cosine with warmup, linear decay
  and WSD: instances of :class:`~lrkit.WarmupStableDecay`;
* ``CosineAnnealingWarmupRestarts``: :class:`~lrkit.CosineWarmupRestarts`,
  which has the package's whole-step cycles and its drop to ``min_lr`` at
  every restart;
* the rest: :class:`~lrkit.InverseSqrtDecay`, :class:`~lrkit.TanhDecay`,
  :class:`~lrkit.PolynomialDecay` (repeated with :class:`~lrkit.Repeat` when
  ``cycle=True``) and :class:`~lrkit.Constant`; ``WarmupScheduler`` and
  ``SequentialComposer`` are :class:`~lrkit.Join` of the schedules given.

lrkit's families take the floor as a fraction of the peak, so ``min_lr``
must not exceed ``base_lr`` (the package allows it). Step counts must be
integers. Arguments the package rejects are rejected here too, as
``ValueError`` or ``TypeError`` naming the argument.

Not here: ``ScheduleFreeWrapper`` (an optimizer wrapper that averages
parameters, not a schedule) and the preset tables.

Importing this module imports neither torch nor ``pytorch_scheduler``.

Example:
    >>> from lrkit.compat import pytorch_scheduler as ps
    >>> schedule = ps.WSDScheduler(0.1, total_steps=100, warmup_steps=10, stable_steps=70)
    >>> schedule(5), schedule(50), schedule(100)
    (0.05, 0.1, 0.0)
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from lrkit._combinators import Join, Product, Warmup
from lrkit._decay import Constant
from lrkit._keras_family import PolynomialDecay
from lrkit._modern import InverseSqrtDecay, TanhDecay, WarmupStableDecay
from lrkit._research import ExpHyperbolicDecay, HyperbolicDecay, KDecay, PowerDecay, RexDecay
from lrkit._research_cycles import ChebyshevDecay, Repeat, SlantedTriangular
from lrkit._restarts import CosineWarmupRestarts, cycle_table
from lrkit._schedule import LearningRateSchedule
from lrkit._validation import (
    check_bool,
    check_choice,
    check_int,
    check_number,
    check_rate,
    check_rate_at_most,
    check_schedule,
    check_schedules,
    show,
)
from lrkit._wsd_shapes import (
    FlatCosineDecay,
    TrapezoidalDecay,
    WarmupHoldCosineDecay,
    remaining_steps,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = [
    "ChebyshevScheduler",
    "CosineAnnealingWarmupRestarts",
    "CosineWithWarmupScheduler",
    "ExpHyperbolicLRScheduler",
    "FlatCosineScheduler",
    "HyperbolicLRScheduler",
    "IdentityScheduler",
    "InverseSqrtScheduler",
    "KDecayScheduler",
    "LinearDecayScheduler",
    "PolynomialScheduler",
    "PowerDecayScheduler",
    "RexScheduler",
    "SequentialComposer",
    "SlantedTriangularScheduler",
    "TanhDecayScheduler",
    "TrapezoidalScheduler",
    "WSDScheduler",
    "WarmupHoldCosineScheduler",
    "WarmupScheduler",
    "create_scheduler",
    "create_scheduler_from_plan",
]


# -- argument checks ---------------------------------------------------------------


def _total(owner: str, total_steps: Any) -> int:
    return check_int(owner, "total_steps", total_steps, minimum=1)


def _warmup(owner: str, warmup_steps: Any, total_steps: int, name: str = "warmup_steps") -> int:
    """A warmup length in ``[0, total_steps)``."""
    steps = check_int(owner, name, warmup_steps, minimum=0)
    if steps >= total_steps:
        raise ValueError(
            f"{owner}: {name} must be < total_steps ({total_steps}), got {show(warmup_steps)}"
        )
    return steps


def _alpha(owner: str, base_lr: float, min_lr: Any) -> float:
    """``min_lr`` as a fraction of ``base_lr`` (lrkit's floors are fractions)."""
    floor = check_rate_at_most(owner, "min_lr", min_lr, "base_lr", base_lr)
    return floor / base_lr if base_lr > 0 else 0.0


def _wsd(
    owner: str,
    base_lr: Any,
    warmup: int,
    stable: int,
    decay: int,
    min_lr: Any,
    shape: str,
) -> LearningRateSchedule:
    """A linear warmup from 0, a plateau at ``base_lr``, then a decay to ``min_lr``."""
    base = check_rate(owner, "base_lr", base_lr)
    alpha = _alpha(owner, base, min_lr)
    return WarmupStableDecay(base, warmup, stable, decay, alpha=alpha, decay_shape=shape)


def _after_warmup(
    schedule: LearningRateSchedule, warmup_steps: int, start: float = 0.0
) -> LearningRateSchedule:
    return Warmup(schedule, warmup_steps, initial_learning_rate=start) if warmup_steps else schedule


# -- decays of one curve -------------------------------------------------------------


def RexScheduler(base_lr: float, total_steps: int) -> LearningRateSchedule:
    r"""REX: :math:`b\,(1 - z)/(1 - z/2)`, :math:`z = t/T`, as :class:`~lrkit.RexDecay`.

    Example:
        >>> RexScheduler(0.1, total_steps=10)(10)
        0.0
    """
    owner = "RexScheduler"
    return RexDecay(check_rate(owner, "base_lr", base_lr), _total(owner, total_steps))


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
    total = _total(owner, total_steps)
    warmup = _warmup(owner, warmup_steps, total)
    upper = check_int(owner, "upper_bound", upper_bound, minimum=total)
    alpha = _alpha(owner, base, min_lr)
    decay = family(base, total - warmup, upper, alpha=alpha)
    return _after_warmup(decay, warmup, start=float(min_lr))


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
    total = _total(owner, total_steps)
    exponent = check_number(owner, "alpha", alpha, minimum=0.0, exclusive_minimum=True)
    fraction = _alpha(owner, base, min_lr)
    warmup = _warmup(owner, warmup_steps, total)
    decay = PowerDecay(base, warmup or 1, power=exponent, alpha=fraction)
    return _after_warmup(decay, warmup)


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
    total = _total(owner, total_steps)
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
    total = _total(owner, total_steps)
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
    total = _total(owner, total_steps)
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
    total = _total(owner, total_steps)
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
    warmup = check_int(owner, "warmup_steps", warmup_steps, minimum=1)
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
    total = _total(owner, total_steps)
    power = check_number(owner, "power", power, minimum=0.0, exclusive_minimum=True)
    end = check_rate(owner, "min_lr", min_lr)
    warmup = _warmup(owner, warmup_steps, total)
    cycle = check_bool(owner, "cycle", cycle)
    decay = PolynomialDecay(base, total - warmup, end_learning_rate=end, power=power)
    schedule = _after_warmup(decay, warmup)
    return Repeat(schedule, total) if cycle else schedule


# -- warmup, plateau, decay --------------------------------------------------------------


def CosineWithWarmupScheduler(
    base_lr: float, total_steps: int, warmup_steps: int = 0, min_lr: float = 0.0
) -> LearningRateSchedule:
    r"""Linear warmup from 0, cosine to ``min_lr``: a :class:`~lrkit.WarmupStableDecay`.

    Example:
        >>> CosineWithWarmupScheduler(0.1, total_steps=110, warmup_steps=10)(60)
        0.05
    """
    owner = "CosineWithWarmupScheduler"
    total = _total(owner, total_steps)
    warmup = _warmup(owner, warmup_steps, total)
    return _wsd(owner, base_lr, warmup, 0, total - warmup, min_lr, "cosine")


def FlatCosineScheduler(
    base_lr: float, total_steps: int, flat_fraction: float = 0.7, min_lr: float = 0.0
) -> LearningRateSchedule:
    r"""``base_lr`` until ``floor(total_steps * flat_fraction)``, then cosine to ``min_lr``.

    A :class:`~lrkit.FlatCosineDecay`.

    Example:
        >>> schedule = FlatCosineScheduler(0.1, total_steps=100, flat_fraction=0.5)
        >>> schedule(50), schedule(75), schedule(100)
        (0.1, 0.05, 0.0)
    """
    owner = "FlatCosineScheduler"
    base = check_rate(owner, "base_lr", base_lr)
    total = _total(owner, total_steps)
    fraction = check_number(owner, "flat_fraction", flat_fraction, minimum=0.0)
    if fraction >= 1.0:
        raise ValueError(f"{owner}: flat_fraction must be < 1, got {show(flat_fraction)}")
    return FlatCosineDecay(base, total, flat_fraction=fraction, alpha=_alpha(owner, base, min_lr))


def LinearDecayScheduler(
    base_lr: float, total_steps: int, warmup_steps: int = 0, min_lr: float = 0.0
) -> LearningRateSchedule:
    r"""Linear warmup from 0, then a line to ``min_lr`` at ``total_steps``.

    Example:
        >>> LinearDecayScheduler(0.1, total_steps=100)(50)
        0.05
    """
    owner = "LinearDecayScheduler"
    total = _total(owner, total_steps)
    warmup = _warmup(owner, warmup_steps, total)
    return _wsd(owner, base_lr, warmup, 0, total - warmup, min_lr, "linear")


def TrapezoidalScheduler(
    base_lr: float,
    total_steps: int,
    warmup_steps: int,
    decay_steps: int,
    min_lr: float = 0.0,
) -> LearningRateSchedule:
    r"""Linear warmup from 0, a plateau, a linear cooldown over the last ``decay_steps``.

    A :class:`~lrkit.TrapezoidalDecay`.

    Example:
        >>> schedule = TrapezoidalScheduler(0.1, 100, warmup_steps=10, decay_steps=20)
        >>> schedule(5), schedule(50), schedule(90)
        (0.05, 0.1, 0.05)
    """
    owner = "TrapezoidalScheduler"
    base = check_rate(owner, "base_lr", base_lr)
    total = _total(owner, total_steps)
    warmup = check_int(owner, "warmup_steps", warmup_steps, minimum=0)
    decay = check_int(owner, "decay_steps", decay_steps, minimum=0)
    remaining_steps(owner, total, warmup, "decay_steps", decay)
    return TrapezoidalDecay(base, total, warmup, decay, alpha=_alpha(owner, base, min_lr))


def _three_phases(
    owner: str, total_steps: Any, warmup_steps: Any, plateau_steps: Any, name: str
) -> tuple[int, int, int]:
    total = _total(owner, total_steps)
    warmup = check_int(owner, "warmup_steps", warmup_steps, minimum=0)
    plateau = check_int(owner, name, plateau_steps, minimum=0)
    if warmup + plateau >= total:
        raise ValueError(
            f"{owner}: warmup_steps + {name} must be < total_steps ({total}), "
            f"got {show(warmup)} + {show(plateau)}"
        )
    return warmup, plateau, total - warmup - plateau


def WarmupHoldCosineScheduler(
    base_lr: float,
    total_steps: int,
    warmup_steps: int = 0,
    hold_steps: int = 0,
    min_lr: float = 0.0,
) -> LearningRateSchedule:
    r"""Linear warmup from 0, hold ``base_lr`` for ``hold_steps``, cosine to ``min_lr``.

    A :class:`~lrkit.WarmupHoldCosineDecay`.

    Example:
        >>> WarmupHoldCosineScheduler(0.1, 100, warmup_steps=10, hold_steps=40)(75)
        0.05
    """
    owner = "WarmupHoldCosineScheduler"
    base = check_rate(owner, "base_lr", base_lr)
    warmup, hold, decay = _three_phases(owner, total_steps, warmup_steps, hold_steps, "hold_steps")
    alpha = _alpha(owner, base, min_lr)
    return WarmupHoldCosineDecay(base, warmup + hold + decay, warmup, hold, alpha=alpha)


_WSD_SHAPES = {"cosine": "cosine", "linear": "linear", "sqrt": "1-sqrt"}


def WSDScheduler(
    base_lr: float,
    total_steps: int,
    warmup_steps: int,
    stable_steps: int,
    min_lr: float = 0.0,
    decay_type: str = "cosine",
) -> LearningRateSchedule:
    r"""Warmup-stable-decay: :class:`~lrkit.WarmupStableDecay` (``"sqrt"`` is ``"1-sqrt"``).

    lrkit refuses a ``decay_type`` other than ``"cosine"``, ``"linear"`` or
    ``"sqrt"`` (the package treats any other string as ``"sqrt"``).

    Example:
        >>> WSDScheduler(0.1, 100, warmup_steps=10, stable_steps=70, decay_type="linear")(90)
        0.05
    """
    owner = "WSDScheduler"
    shape = check_choice(owner, "decay_type", decay_type, tuple(_WSD_SHAPES))
    phases = _three_phases(owner, total_steps, warmup_steps, stable_steps, "stable_steps")
    return _wsd(owner, base_lr, *phases, min_lr, _WSD_SHAPES[shape])


# -- cosine restarts -----------------------------------------------------------------------


def CosineAnnealingWarmupRestarts(
    base_lr: float,
    first_cycle_steps: int,
    warmup_steps: int = 0,
    max_lr: float = 0.1,
    min_lr: float = 0.001,
    cycle_mult: float = 1.0,
    gamma: float = 1.0,
) -> LearningRateSchedule:
    r"""SGDR with a linear warmup from ``min_lr`` in every cycle.

    A :class:`~lrkit.CosineWarmupRestarts`. Cycle :math:`i` lasts
    ``int(first_cycle_steps * cycle_mult ** i)`` steps and peaks at
    ``max_lr * gamma ** i``; the rate is ``min_lr`` on the first step of
    every cycle (also without a warmup). As in the package, the rates come
    from ``max_lr`` and ``min_lr`` alone: ``base_lr`` is checked, not used.

    lrkit refuses ``cycle_mult < 1``: the package's cycle lengths then
    truncate to 0 after a while, and its ``step()`` never returns once the
    steps reach that point. It also refuses ``cycle_mult`` just above 1
    (below about 1.008; see :class:`~lrkit.CosineWarmupRestarts`).

    Example:
        >>> schedule = CosineAnnealingWarmupRestarts(
        ...     0.1, first_cycle_steps=10, warmup_steps=2, max_lr=1.0, min_lr=0.0, gamma=0.5
        ... )
        >>> schedule(0), schedule(2), schedule(6), schedule(10), schedule(12)
        (0.0, 1.0, 0.5, 0.0, 0.5)
    """
    owner = "CosineAnnealingWarmupRestarts"
    check_rate(owner, "base_lr", base_lr)
    first = check_int(owner, "first_cycle_steps", first_cycle_steps, minimum=1)
    warmup = check_int(owner, "warmup_steps", warmup_steps, minimum=0)
    if warmup >= first:
        raise ValueError(
            f"{owner}: warmup_steps must be < first_cycle_steps ({first}), got {show(warmup_steps)}"
        )
    peak = check_rate(owner, "max_lr", max_lr)
    floor = check_rate_at_most(owner, "min_lr", min_lr, "max_lr", peak)
    alpha = floor / peak if peak > 0 else 0.0
    mult = check_number(owner, "cycle_mult", cycle_mult, minimum=0.0, exclusive_minimum=True)
    if mult < 1.0:
        raise ValueError(
            f"{owner}: cycle_mult must be >= 1 (below 1 the package's cycles shrink to 0 "
            f"steps and its step() never returns), got {show(cycle_mult)}"
        )
    if mult != 1.0:
        cycle_table(owner, first, mult, name="cycle_mult")
    gamma = check_number(owner, "gamma", gamma, minimum=0.0, exclusive_minimum=True)
    return CosineWarmupRestarts(peak, first, warmup, cycle_mul=mult, cycle_decay=gamma, alpha=alpha)


# -- composition -------------------------------------------------------------------------


def WarmupScheduler(
    base_lr: float,
    base_scheduler: LearningRateSchedule,
    warmup_steps: int,
    warmup_type: str = "linear",
) -> LearningRateSchedule:
    r"""``base_lr`` times a warmup factor for ``warmup_steps``, then ``base_scheduler``.

    The factor of :math:`f = t / W` is :math:`f` (``"linear"``),
    :math:`\tfrac12(1 - \cos \pi f)` (``"cosine"``) or :math:`f^2`
    (``"exponential"``); from step :math:`W` on the rate is
    ``base_scheduler`` at :math:`t - W` (a :class:`~lrkit.Join`).
    ``base_scheduler`` is an lrkit schedule, one of this module's for the
    package's own schedulers.

    Example:
        >>> schedule = WarmupScheduler(0.1, RexScheduler(0.1, 100), warmup_steps=10)
        >>> schedule(5), schedule(10)
        (0.05, 0.1)
    """
    owner = "WarmupScheduler"
    base = check_rate(owner, "base_lr", base_lr)
    after = check_schedule(owner, "base_scheduler", base_scheduler)
    warmup = check_int(owner, "warmup_steps", warmup_steps, minimum=0)
    kind = check_choice(owner, "warmup_type", warmup_type, ("linear", "cosine", "exponential"))
    if warmup == 0:
        return after
    shape = "cosine" if kind == "cosine" else "linear"
    ramp: LearningRateSchedule = Warmup(Constant(base), warmup, shape=shape)
    if kind == "exponential":
        ramp = Product([ramp, Warmup(Constant(1.0), warmup)])
    return Join([ramp, after], boundaries=[warmup])


def SequentialComposer(
    base_lr: float, schedulers: Sequence[LearningRateSchedule], milestones: Sequence[int]
) -> LearningRateSchedule:
    r"""``schedulers[i]`` from ``milestones[i - 1]`` on, on the step since then.

    A :class:`~lrkit.Join`; a scheduler whose stretch is empty (a repeated
    milestone, or a first milestone of 0) is never used, as in the package.

    Example:
        >>> schedule = SequentialComposer(
        ...     0.1, [IdentityScheduler(0.1), RexScheduler(0.1, 10)], milestones=[5]
        ... )
        >>> schedule(4), schedule(5), schedule(15)
        (0.1, 0.1, 0.0)
    """
    owner = "SequentialComposer"
    check_rate(owner, "base_lr", base_lr)
    parts = check_schedules(owner, "schedulers", schedulers)
    if isinstance(milestones, (str, bytes)) or not isinstance(milestones, Sequence):
        raise TypeError(f"{owner}: milestones must be a list of integers, got {show(milestones)}")
    marks = [check_int(owner, f"milestones[{i}]", m, minimum=0) for i, m in enumerate(milestones)]
    if len(marks) != len(parts) - 1:
        raise ValueError(
            f"{owner}: milestones must have one entry fewer than schedulers "
            f"({len(parts)}), got {show(list(milestones))}"
        )
    if marks != sorted(marks):
        raise ValueError(f"{owner}: milestones must be sorted, got {show(list(milestones))}")
    starts = [0, *marks]
    kept = [
        (start, part)
        for i, (start, part) in enumerate(zip(starts, parts, strict=True))
        if i == len(parts) - 1 or starts[i + 1] > start
    ]
    if len(kept) == 1:
        return kept[0][1]
    return Join([part for _, part in kept], boundaries=[start for start, _ in kept[1:]])


# -- factories -----------------------------------------------------------------------------

_BY_NAME: dict[str, Callable[..., LearningRateSchedule]] = {
    "chebyshev": ChebyshevScheduler,
    "cosine_annealing": CosineAnnealingWarmupRestarts,
    "cosine_with_warmup": CosineWithWarmupScheduler,
    "exp_hyperbolic": ExpHyperbolicLRScheduler,
    "flat_cosine": FlatCosineScheduler,
    "hyperbolic": HyperbolicLRScheduler,
    "identity": IdentityScheduler,
    "inverse_sqrt": InverseSqrtScheduler,
    "k_decay": KDecayScheduler,
    "linear_decay": LinearDecayScheduler,
    "polynomial": PolynomialScheduler,
    "power_decay": PowerDecayScheduler,
    "rex": RexScheduler,
    "slanted_triangular": SlantedTriangularScheduler,
    "tanh_decay": TanhDecayScheduler,
    "trapezoidal": TrapezoidalScheduler,
    "warmup_hold_cosine": WarmupHoldCosineScheduler,
    "wsd": WSDScheduler,
}
_BY_NAME.update({function.__name__.lower(): function for function in list(_BY_NAME.values())})


def create_scheduler(base_lr: float, name: str, **kwargs: Any) -> LearningRateSchedule:
    """The schedule named ``name`` (a class name or short name, any case) with ``kwargs``.

    Example:
        >>> create_scheduler(0.1, "rex", total_steps=10)(10)
        0.0
    """
    if not isinstance(name, str) or name.lower() not in _BY_NAME:
        raise ValueError(
            f"create_scheduler: name must be one of {sorted(_BY_NAME)}, got {show(name)}"
        )
    return _BY_NAME[name.lower()](base_lr, **kwargs)


def create_scheduler_from_plan(
    base_lr: float,
    name: str,
    epochs: int,
    steps_per_epoch: int,
    grad_accum_steps: int = 1,
    **kwargs: Any,
) -> LearningRateSchedule:
    """``create_scheduler`` with ``total_steps = epochs * steps_per_epoch // grad_accum_steps``.

    Example:
        >>> create_scheduler_from_plan(0.1, "linear_decay", epochs=2, steps_per_epoch=50)(50)
        0.05
    """
    owner = "create_scheduler_from_plan"
    epochs = check_int(owner, "epochs", epochs, minimum=0)
    per_epoch = check_int(owner, "steps_per_epoch", steps_per_epoch, minimum=0)
    accumulate = check_int(owner, "grad_accum_steps", grad_accum_steps, minimum=1)
    total = (epochs * per_epoch) // accumulate
    return create_scheduler(base_lr, name, total_steps=total, **kwargs)
