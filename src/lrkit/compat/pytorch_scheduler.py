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

from collections.abc import Callable, Sequence

from lrkit._combinators.composition import Join, Product, Warmup
from lrkit._core.schedule import LearningRateSchedule
from lrkit._core.validation import (
    check_choice,
    check_int,
    check_rate,
    check_schedule,
    check_schedules,
    show,
)
from lrkit._families.decays import Constant
from lrkit.compat._pytorch_scheduler_decays import (
    ChebyshevScheduler,
    ExpHyperbolicLRScheduler,
    HyperbolicLRScheduler,
    IdentityScheduler,
    InverseSqrtScheduler,
    KDecayScheduler,
    PolynomialScheduler,
    PowerDecayScheduler,
    RexScheduler,
    SlantedTriangularScheduler,
    TanhDecayScheduler,
)
from lrkit.compat._pytorch_scheduler_phases import (
    CosineAnnealingWarmupRestarts,
    CosineWithWarmupScheduler,
    FlatCosineScheduler,
    LinearDecayScheduler,
    TrapezoidalScheduler,
    WarmupHoldCosineScheduler,
    WSDScheduler,
)
from lrkit.compat._toolkit import steps_argument

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
    warmup = steps_argument(owner, "warmup_steps", warmup_steps)
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
    marks = [steps_argument(owner, f"milestones[{i}]", m) for i, m in enumerate(milestones)]
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
    per_epoch = steps_argument(owner, "steps_per_epoch", steps_per_epoch)
    accumulate = steps_argument(owner, "grad_accum_steps", grad_accum_steps, minimum=1)
    total = (epochs * per_epoch) // accumulate
    if total < 1:
        raise ValueError(
            f"{owner}: epochs * steps_per_epoch // grad_accum_steps (the step count) must be "
            f">= 1, got {epochs} * {per_epoch} // {accumulate}"
        )
    return create_scheduler(base_lr, name, total_steps=total, **kwargs)
