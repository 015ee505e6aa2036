"""torch's learning-rate schedulers (``torch.optim.lr_scheduler``) as lrkit schedules.

Each function takes the scheduler's parameters and defaults (torch 2.x) with
the optimizer replaced by ``base_lr``, the param group's rate when the
scheduler is built, and returns an lrkit schedule, composed from lrkit's
families and combinators, whose value at step ``t`` is the rate torch sets on
a one-group optimizer after ``t`` calls of ``scheduler.step()``. Fractional
steps give the rate of torch's ``scheduler.step(epoch)`` where torch computes
one there (``CyclicLR``, ``OneCycleLR``, ``CosineAnnealingWarmRestarts`` and
the closed forms).

Most torch schedulers compute each rate from the previous one (the
"chainable" form), so in torch the rate at a step depends on the history
that led there. Each function here gives that stepped sequence in closed
form; its docstring says how, where torch's history matters. The values
agree with stepping torch to within float64 rounding (about 1e-13 relative
after thousands of steps).

Arguments torch rejects are rejected here too, as ``ValueError`` or
``TypeError`` naming the argument. lrkit is stricter in a few places,
each noted: negative rates, non-integer step counts where torch compares
steps for equality, and settings torch accepts but cannot step through
(division by zero later on). Parameters that only move momentum
(``cycle_momentum``, ``base_momentum``, ``max_momentum``) are accepted and
checked but do not change the rate; ``last_epoch`` is not taken, as a
schedule has no state to resume.

**Drop-in form.** Called as torch's constructors are, with a torch optimizer
in ``base_lr``'s place (``CyclicLR``: before ``base_lr``; by position or as
``optimizer=``), each function returns an :class:`lrkit.torch.LRScheduler`
driving that optimizer: each param group's schedule built from the group's
``initial_lr``, torch's ``last_epoch`` taken, and, for ``OneCycleLR`` and
``CyclicLR``, torch's momentum cycling (``momentum``, or ``betas[0]`` on
optimizers with betas; ``cycle_momentum=False`` turns it off; an optimizer
with neither raises torch's ``ValueError``; where a linear ``OneCycleLR``
goes below 0 at step ``total_steps``, the rate is 0 there, as the adapter
writes no negative rate). ``SequentialLR`` and
``ChainedScheduler`` then take the schedulers built this way. Migrating is
changing ``from torch.optim import lr_scheduler`` to
``from lrkit.compat import torch as lr_scheduler``.

Importing this module does not import torch.

Example:
    >>> from lrkit.compat import torch as sched
    >>> warmup = sched.LinearLR(0.1, start_factor=0.1, total_iters=3)
    >>> cosine = sched.CosineAnnealingLR(0.1, T_max=5)
    >>> schedule = sched.SequentialLR(0.1, [warmup, cosine], milestones=[3])
    >>> [round(schedule(t), 5) for t in (0, 1, 2, 3, 8, 9)]
    [0.01, 0.04, 0.07, 0.1, 0.0, 0.00955]
"""

from __future__ import annotations

from collections.abc import Iterable

from lrkit._combinators.composition import Join, Offset
from lrkit._core.schedule import LearningRateSchedule
from lrkit._core.validation import (
    check_fraction,
    check_int,
    check_number,
    check_rate,
    check_rate_at_most,
    check_steps,
    show,
)
from lrkit._families.cycles import CosineWave
from lrkit._families.decays import Constant, LinearDecay, MultiStepDecay, StepDecay
from lrkit._families.keras_decays import CosineDecayRestarts, ExponentialDecay, PolynomialDecay
from lrkit.compat._drive import drop_in
from lrkit.compat._toolkit import steps_argument
from lrkit.compat._torch_compose import ChainedScheduler, SequentialLR
from lrkit.compat._torch_cycles import CyclicLR, OneCycleLR
from lrkit.compat._torch_drive import driver

__all__ = [
    "ChainedScheduler",
    "ConstantLR",
    "CosineAnnealingLR",
    "CosineAnnealingWarmRestarts",
    "CyclicLR",
    "ExponentialLR",
    "LinearLR",
    "MultiStepLR",
    "OneCycleLR",
    "PolynomialLR",
    "SequentialLR",
    "StepLR",
]


# -- chainable decays ------------------------------------------------------------


@drop_in(driver, replaces="base_lr")
def StepLR(base_lr: float, step_size: int, gamma: float = 0.1) -> LearningRateSchedule:
    r"""torch's ``StepLR``: :math:`b\,\gamma^{\lfloor t / s \rfloor}`, as :class:`~lrkit.StepDecay`.

    torch multiplies the current rate by :math:`\gamma` at every positive
    multiple of ``step_size``; the product is the closed form.

    Args:
        base_lr: :math:`b`, the group's rate.
        step_size: :math:`s`, an integer >= 1 (torch tests ``t % s == 0``, so a
            fractional size would skip decays; lrkit refuses it).
        gamma: :math:`\gamma \ge 0`.

    Example:
        >>> [StepLR(0.1, step_size=3, gamma=0.5)(t) for t in (0, 2, 3, 6)]
        [0.1, 0.1, 0.05, 0.025]
    """
    owner = "StepLR"
    base_lr = check_rate(owner, "base_lr", base_lr)
    step_size = steps_argument(owner, "step_size", step_size, minimum=1)
    gamma = check_rate(owner, "gamma", gamma)
    return StepDecay(base_lr, step_size, gamma)


@drop_in(driver, replaces="base_lr")
def MultiStepLR(
    base_lr: float, milestones: Iterable[int], gamma: float = 0.1
) -> LearningRateSchedule:
    r"""torch's ``MultiStepLR``, as :class:`~lrkit.MultiStepDecay`.

    :math:`b\,\gamma^{k}` with :math:`k` the number of milestones
    :math:`\le t`, counted with repetition: torch multiplies by
    :math:`\gamma^{n}` at a milestone listed :math:`n` times (a milestone 0
    applies at once).

    Args:
        base_lr: :math:`b`.
        milestones: integer steps >= 0, in any order (torch finds a milestone
            by equality, so a fractional one would never apply; lrkit refuses it).
        gamma: :math:`\gamma \ge 0`.

    Example:
        >>> schedule = MultiStepLR(1.0, milestones=[2, 2, 5], gamma=0.5)
        >>> [schedule(t) for t in (0, 1, 2, 5)]
        [1.0, 1.0, 0.25, 0.125]
    """
    owner = "MultiStepLR"
    base_lr = check_rate(owner, "base_lr", base_lr)
    if isinstance(milestones, (str, bytes)) or not isinstance(milestones, Iterable):
        raise TypeError(
            f"{owner}: milestones must be a list of integers, got {show(milestones)} "
            f"of type {type(milestones).__name__}"
        )
    steps = [steps_argument(owner, f"milestones[{i}]", m) for i, m in enumerate(milestones)]
    gamma = check_rate(owner, "gamma", gamma)
    return MultiStepDecay(base_lr, sorted(steps), gamma)


@drop_in(driver, replaces="base_lr")
def ConstantLR(
    base_lr: float, factor: float = 1.0 / 3, total_iters: int = 5
) -> LearningRateSchedule:
    r"""torch's ``ConstantLR``: :math:`b \cdot` ``factor`` before ``total_iters``, then :math:`b`.

    torch multiplies the rate by ``factor`` when it is built and by
    ``1 / factor`` at step ``total_iters``: a :class:`~lrkit.Join` of two
    :class:`~lrkit.Constant` rates.

    Args:
        base_lr: :math:`b`.
        factor: in :math:`[0, 1]`, as torch checks. (With ``factor=0`` torch
            divides by zero at ``total_iters``; lrkit gives :math:`b` there.)
        total_iters: an integer >= 1. (torch accepts 0 or less and then keeps
            :math:`b \cdot` ``factor`` for ever when stepped, but :math:`b` when
            ``SequentialLR`` restarts it; lrkit refuses it.)

    Example:
        >>> schedule = ConstantLR(0.1, factor=0.5, total_iters=2)
        >>> [schedule(t) for t in (0, 1, 2, 3)]
        [0.05, 0.05, 0.1, 0.1]
    """
    owner = "ConstantLR"
    base_lr = check_rate(owner, "base_lr", base_lr)
    factor = check_fraction(owner, "factor", factor)
    total_iters = steps_argument(owner, "total_iters", total_iters, minimum=1)
    return Join([Constant(base_lr * factor), Constant(base_lr)], [total_iters])


@drop_in(driver, replaces="base_lr")
def LinearLR(
    base_lr: float,
    start_factor: float = 1.0 / 3,
    end_factor: float = 1.0,
    total_iters: int = 5,
) -> LearningRateSchedule:
    r"""torch's ``LinearLR``, as :class:`~lrkit.LinearDecay`.

    :math:`b\,(s + (e - s)\min(t, T) / T)`. torch multiplies the rate by the
    ratio of successive factors at each step (so it cannot start from
    :math:`s = 0`); the product is the closed form.

    Args:
        base_lr: :math:`b`.
        start_factor: :math:`s \in (0, 1]`, as torch checks. For a warmup from
            0, use ``lrkit.LinearDecay(0.0, T, b)``.
        end_factor: :math:`e \in [0, 1]`, as torch checks.
        total_iters: :math:`T`, an integer >= 1. (torch accepts 0 and then
            keeps :math:`b s` for ever when stepped, but divides by zero when
            ``SequentialLR`` restarts it; lrkit refuses it.)

    Example:
        >>> schedule = LinearLR(0.1, start_factor=0.5, total_iters=4)
        >>> [round(schedule(t), 6) for t in (0, 2, 4, 9)]
        [0.05, 0.075, 0.1, 0.1]
    """
    owner = "LinearLR"
    base_lr = check_rate(owner, "base_lr", base_lr)
    start_factor = check_number(
        owner, "start_factor", start_factor, minimum=0.0, exclusive_minimum=True, maximum=1.0
    )
    end_factor = check_fraction(owner, "end_factor", end_factor)
    total_iters = steps_argument(owner, "total_iters", total_iters, minimum=1)
    return LinearDecay(base_lr * start_factor, total_iters, base_lr * end_factor)


@drop_in(driver, replaces="base_lr")
def ExponentialLR(base_lr: float, gamma: float) -> LearningRateSchedule:
    r"""torch's ``ExponentialLR``: :math:`b\,\gamma^{t}`, as :class:`~lrkit.ExponentialDecay`.

    torch multiplies the rate by :math:`\gamma` at each step.

    Args:
        base_lr: :math:`b`.
        gamma: :math:`\gamma > 0` (torch does not check; lrkit refuses 0 and
            negative factors).

    Example:
        >>> ExponentialLR(1.0, gamma=0.5)(3)
        0.125
    """
    owner = "ExponentialLR"
    base_lr = check_rate(owner, "base_lr", base_lr)
    gamma = check_number(owner, "gamma", gamma, minimum=0.0, exclusive_minimum=True)
    return ExponentialDecay(base_lr, 1, gamma)


@drop_in(driver, replaces="base_lr")
def PolynomialLR(base_lr: float, total_iters: int = 5, power: float = 1.0) -> LearningRateSchedule:
    r"""torch's ``PolynomialLR``: :math:`b\,(1 - \min(t, T)/T)^{p}`, ending at 0.

    As :class:`~lrkit.PolynomialDecay` with ``end_learning_rate=0``. torch
    multiplies by the ratio of successive terms at each step; the product is
    the closed form.

    Args:
        base_lr: :math:`b`.
        total_iters: :math:`T`, an integer >= 1. (torch accepts 0, keeps
            :math:`b` when stepped and divides by zero when ``SequentialLR``
            restarts it; lrkit refuses it.)
        power: :math:`p \ge 0` (a negative power makes torch divide by zero
            at :math:`T`).

    Example:
        >>> [PolynomialLR(0.1, total_iters=5)(t) for t in (0, 5, 9)]
        [0.1, 0.0, 0.0]
    """
    owner = "PolynomialLR"
    base_lr = check_rate(owner, "base_lr", base_lr)
    total_iters = steps_argument(owner, "total_iters", total_iters, minimum=1)
    power = check_number(owner, "power", power, minimum=0.0)
    return PolynomialDecay(base_lr, total_iters, end_learning_rate=0.0, power=power)


@drop_in(driver, replaces="base_lr")
def CosineAnnealingLR(base_lr: float, T_max: float, eta_min: float = 0.0) -> LearningRateSchedule:
    r"""torch's ``CosineAnnealingLR``, periodic past ``T_max``, as :class:`~lrkit.CosineWave`.

    .. math:: \eta_{min} + \tfrac12 (b - \eta_{min})\left(1 + \cos\frac{\pi t}{T}\right)

    is not clamped at :math:`T`: the rate rises back to :math:`b` at
    :math:`2T` and repeats. torch steps it recursively, multiplying
    :math:`\eta - \eta_{min}` by the ratio of successive cosine terms, and at
    each step after a trough (:math:`t = T + 1, 3T + 1, \dots`, where that
    ratio would be 0/0) adds the closed-form increment from its own
    :math:`b` instead; the sequence is this closed form.

    Args:
        base_lr: :math:`b`.
        T_max: :math:`T > 0`, half the period.
        eta_min: :math:`\eta_{min} \ge 0`.

    Example:
        >>> schedule = CosineAnnealingLR(0.1, T_max=10)
        >>> schedule(0), schedule(10), schedule(20)
        (0.1, 0.0, 0.1)
    """
    owner = "CosineAnnealingLR"
    base_lr = check_rate(owner, "base_lr", base_lr)
    T_max = check_steps(owner, "T_max", T_max)
    eta_min = check_rate(owner, "eta_min", eta_min)
    return CosineWave(base_lr, T_max, eta_min)


@drop_in(driver, replaces="base_lr")
def CosineAnnealingWarmRestarts(
    base_lr: float, T_0: int, T_mult: int = 1, eta_min: float = 0.0
) -> LearningRateSchedule:
    r"""torch's ``CosineAnnealingWarmRestarts`` (SGDR), as :class:`~lrkit.CosineDecayRestarts`.

    .. math:: \eta_{min} + \tfrac12 (b - \eta_{min})\left(1 + \cos\frac{\pi T_{cur}}{T_i}\right)

    with period :math:`i` lasting :math:`T_i = T_0 T_{mult}^i` steps. torch
    keeps :math:`T_{cur}` and :math:`T_i` as state, advanced by each
    ``step()`` or recomputed from a fractional ``step(epoch)``; here both come
    from the step, with restart boundaries found exactly (torch's logarithm
    can round a fractional epoch at a boundary into the previous period).

    Args:
        base_lr: :math:`b`.
        T_0: the first period, an integer >= 1 (as torch checks).
        T_mult: the growth of the periods, an integer >= 1 (as torch checks).
        eta_min: :math:`\eta_{min}`, in :math:`[0, b]` (torch also takes
            :math:`\eta_{min} > b`, a curve rising in each period; lrkit
            refuses it).

    Example:
        >>> schedule = CosineAnnealingWarmRestarts(0.1, T_0=10, T_mult=2)
        >>> schedule(0), schedule(5), schedule(10), schedule(30)
        (0.1, 0.05, 0.1, 0.1)
    """
    owner = "CosineAnnealingWarmRestarts"
    base_lr = check_rate(owner, "base_lr", base_lr)
    T_0 = steps_argument(owner, "T_0", T_0, minimum=1)
    T_mult = check_int(owner, "T_mult", T_mult, minimum=1)
    eta_min = check_rate_at_most(owner, "eta_min", eta_min, "base_lr", base_lr)
    restarts = CosineDecayRestarts(base_lr - eta_min, T_0, t_mul=float(T_mult))
    return Offset(restarts, eta_min) if eta_min > 0 else restarts
