"""The ``lrsched`` package's schedule functions, returning lrkit schedules.

Each function takes lrsched's keyword-only parameters (version 0.5) and
returns an lrkit schedule (built from lrkit's families and combinators) whose
value at every integer step is lrsched's; lrkit schedules also take
fractional steps and arrays. ``with_warmup``, ``sequential``, ``sample`` and
``scale_by_group`` take lrkit schedules where lrsched takes its functions.

Arguments lrsched rejects are rejected here too, as ``ValueError`` or
``TypeError`` naming the argument. lrkit is stricter where lrsched would
compute a negative or meaningless rate: rates must be >= 0, ``gamma`` of
``exponential``/``multi_step`` >= 0, ``power`` of ``polynomial`` >= 0,
``gamma`` of ``exp_range`` in ``[0, 1]``, and ``min_lr <= base_lr`` for
``cosine_restarts`` and ``final_lr <= base_lr`` for ``warmup_stable_decay``.

Importing this module does not import ``lrsched``.

Example:
    >>> from lrkit.compat import lrsched
    >>> schedule = lrsched.with_warmup(
    ...     lrsched.cosine(base_lr=0.1, min_lr=0.0, total_steps=100), warmup_steps=10, start_lr=0.0
    ... )
    >>> schedule(5), schedule(60)
    (0.05, 0.05)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from lrkit._combinators import Join, Offset, Warmup
from lrkit._cyclic import CyclicDecay
from lrkit._decay import Constant, CosinePowerDecay, LinearDecay, MultiStepDecay, StepDecay
from lrkit._keras_family import CosineDecayRestarts, ExponentialDecay, PolynomialDecay
from lrkit._modern import InverseSqrtDecay
from lrkit._research_cycles import GroupSchedules
from lrkit._research_cycles import scale_by_group as _scale_by_group
from lrkit._schedule import LearningRateSchedule
from lrkit._validation import (
    check_choice,
    check_fraction,
    check_int,
    check_number,
    check_rate,
    check_rate_at_most,
    check_schedule,
    show,
)
from lrkit._wsd_shapes import TrapezoidalDecay, remaining_steps

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = [
    "constant",
    "cosine",
    "cosine_restarts",
    "exp_range",
    "exponential",
    "exponential_decay",
    "inverse_sqrt",
    "linear",
    "multi_step",
    "one_cycle",
    "polynomial",
    "polynomial_decay",
    "sample",
    "scale_by_group",
    "sequential",
    "step_decay",
    "triangular",
    "triangular2",
    "warmup_stable_decay",
    "with_warmup",
]


def _steps(owner: str, name: str, value: Any) -> int:
    return check_int(owner, name, value, minimum=1)


def _positive(owner: str, name: str, value: Any) -> float:
    return check_number(owner, name, value, minimum=0.0, exclusive_minimum=True)


def constant(*, lr: float) -> LearningRateSchedule:
    """A flat rate: :class:`~lrkit.Constant`.

    Example:
        >>> constant(lr=0.1)(100)
        0.1
    """
    return Constant(check_rate("constant", "lr", lr))


def step_decay(*, base_lr: float, drop: float, step_size: int) -> LearningRateSchedule:
    r""":math:`b \cdot \text{drop}^{\lfloor t / s \rfloor}`: :class:`~lrkit.StepDecay`.

    Example:
        >>> step_decay(base_lr=0.1, drop=0.5, step_size=10)(25)
        0.025
    """
    owner = "step_decay"
    base = _positive(owner, "base_lr", base_lr)
    drop = check_number(owner, "drop", drop, minimum=0.0, maximum=1.0, exclusive_minimum=True)
    return StepDecay(base, _steps(owner, "step_size", step_size), gamma=drop)


def multi_step(*, base_lr: float, milestones: Sequence[int], gamma: float) -> LearningRateSchedule:
    r""":math:`b\,\gamma^{k}`, :math:`k` the milestones :math:`\le t`.

    A :class:`~lrkit.MultiStepDecay`.

    Example:
        >>> multi_step(base_lr=1.0, milestones=[10, 5], gamma=0.5)(7)
        0.5
    """
    owner = "multi_step"
    base = check_rate(owner, "base_lr", base_lr)
    gamma = check_rate(owner, "gamma", gamma)
    if isinstance(milestones, (str, bytes)) or not isinstance(milestones, Sequence):
        raise TypeError(f"{owner}: milestones must be a list of integers, got {show(milestones)}")
    marks = [_steps(owner, f"milestones[{i}]", m) for i, m in enumerate(milestones)]
    return MultiStepDecay(base, sorted(marks), gamma)


def exponential(*, base_lr: float, gamma: float) -> LearningRateSchedule:
    r""":math:`b\,\gamma^{t}`: :class:`~lrkit.ExponentialDecay` with ``decay_steps=1``.

    Example:
        >>> exponential(base_lr=1.0, gamma=0.5)(3)
        0.125
    """
    owner = "exponential"
    base = check_rate(owner, "base_lr", base_lr)
    gamma = check_rate(owner, "gamma", gamma)
    if gamma == 0.0:  # 0 ** 0 = 1 at step 0, then 0
        return StepDecay(base, 1, gamma=0.0)
    return ExponentialDecay(base, 1, gamma)


def exponential_decay(
    *, base_lr: float, decay_rate: float, decay_steps: int
) -> LearningRateSchedule:
    r""":math:`b\,r^{t / T}` with :math:`0 < r < 1`: :class:`~lrkit.ExponentialDecay`.

    Example:
        >>> exponential_decay(base_lr=1.0, decay_rate=0.5, decay_steps=10)(20)
        0.25
    """
    owner = "exponential_decay"
    base = _positive(owner, "base_lr", base_lr)
    rate = _positive(owner, "decay_rate", decay_rate)
    if rate >= 1.0:
        raise ValueError(f"{owner}: decay_rate must be < 1, got {show(decay_rate)}")
    return ExponentialDecay(base, _steps(owner, "decay_steps", decay_steps), rate)


def polynomial(
    *, base_lr: float, end_lr: float, total_steps: int, power: float
) -> LearningRateSchedule:
    r""":math:`e + (b - e)(1 - \min(t, T)/T)^{p}`: :class:`~lrkit.PolynomialDecay`.

    Example:
        >>> polynomial(base_lr=1.0, end_lr=0.0, total_steps=10, power=2.0)(5)
        0.25
    """
    owner = "polynomial"
    base = check_rate(owner, "base_lr", base_lr)
    end = check_rate(owner, "end_lr", end_lr)
    total = _steps(owner, "total_steps", total_steps)
    power = check_number(owner, "power", power, minimum=0.0)
    return PolynomialDecay(base, total, end_learning_rate=end, power=power)


def polynomial_decay(
    *, start_lr: float, end_lr: float, total_steps: int, power: float
) -> LearningRateSchedule:
    r""":math:`(s - e)(1 - \min(t, T)/T)^{p} + e`, :math:`p > 0`: :class:`~lrkit.PolynomialDecay`.

    Example:
        >>> polynomial_decay(start_lr=1.0, end_lr=0.0, total_steps=10, power=1.0)(5)
        0.5
    """
    owner = "polynomial_decay"
    start = check_rate(owner, "start_lr", start_lr)
    end = check_rate(owner, "end_lr", end_lr)
    total = _steps(owner, "total_steps", total_steps)
    power = _positive(owner, "power", power)
    return PolynomialDecay(start, total, end_learning_rate=end, power=power)


def linear(*, base_lr: float, end_lr: float, total_steps: int) -> LearningRateSchedule:
    """A line from ``base_lr`` to ``end_lr`` at ``total_steps``: :class:`~lrkit.LinearDecay`.

    Example:
        >>> linear(base_lr=1.0, end_lr=0.0, total_steps=10)(5)
        0.5
    """
    owner = "linear"
    base = check_rate(owner, "base_lr", base_lr)
    end = check_rate(owner, "end_lr", end_lr)
    return LinearDecay(base, _steps(owner, "total_steps", total_steps), end_learning_rate=end)


def cosine(*, base_lr: float, min_lr: float, total_steps: int) -> LearningRateSchedule:
    """A half cosine to ``min_lr`` at ``total_steps``: :class:`~lrkit.CosinePowerDecay`.

    Example:
        >>> cosine(base_lr=1.0, min_lr=0.0, total_steps=10)(5)
        0.5
    """
    owner = "cosine"
    base = check_rate(owner, "base_lr", base_lr)
    floor = check_rate(owner, "min_lr", min_lr)
    total = _steps(owner, "total_steps", total_steps)
    return CosinePowerDecay(base, total, end_learning_rate=floor)


def cosine_restarts(
    *, base_lr: float, min_lr: float, period: int, t_mult: int
) -> LearningRateSchedule:
    r"""SGDR: ``min_lr`` plus a :class:`~lrkit.CosineDecayRestarts` of height ``base_lr - min_lr``.

    Example:
        >>> schedule = cosine_restarts(base_lr=1.0, min_lr=0.0, period=10, t_mult=2)
        >>> schedule(5), schedule(10), schedule(20)
        (0.5, 1.0, 0.5)
    """
    owner = "cosine_restarts"
    base = check_rate(owner, "base_lr", base_lr)
    floor = check_rate_at_most(owner, "min_lr", min_lr, "base_lr", base)
    period = _steps(owner, "period", period)
    t_mult = _steps(owner, "t_mult", t_mult)
    restarts = CosineDecayRestarts(base - floor, period, t_mul=float(t_mult))
    return Offset(restarts, floor) if floor else restarts


def inverse_sqrt(*, base_lr: float, warmup_steps: int) -> LearningRateSchedule:
    r"""Linear warmup, then :math:`b\sqrt{W / t}`: :class:`~lrkit.InverseSqrtDecay`.

    Example:
        >>> inverse_sqrt(base_lr=1.0, warmup_steps=4)(16)
        0.5
    """
    owner = "inverse_sqrt"
    base = check_rate(owner, "base_lr", base_lr)
    return InverseSqrtDecay(base, warmup_steps=_steps(owner, "warmup_steps", warmup_steps))


def one_cycle(
    *,
    max_lr: float,
    total_steps: int,
    pct_start: float,
    initial_div: float,
    final_div: float,
) -> LearningRateSchedule:
    r"""A cosine rise from ``max_lr / initial_div``, then a cosine fall to ``max_lr / final_div``.

    The rise lasts :math:`w = \min(\max(1, \text{round}(p\,T)), T - 1)` steps
    (a cosine :class:`~lrkit.Warmup`), the fall the remaining :math:`T - w`
    (:class:`~lrkit.CosinePowerDecay`). Unlike torch's ``OneCycleLR``, the
    final rate is ``max_lr / final_div``.

    Example:
        >>> schedule = one_cycle(
        ...     max_lr=1.0, total_steps=100, pct_start=0.25, initial_div=10.0, final_div=100.0
        ... )
        >>> schedule(0), schedule(25), schedule(100)
        (0.1, 1.0, 0.01)
    """
    owner = "one_cycle"
    peak = check_rate(owner, "max_lr", max_lr)
    total = check_int(owner, "total_steps", total_steps, minimum=2)
    pct_start = check_number(owner, "pct_start", pct_start, minimum=0.0, exclusive_minimum=True)
    if pct_start >= 1.0:
        raise ValueError(f"{owner}: pct_start must be < 1, got {show(pct_start)}")
    start = peak / _positive(owner, "initial_div", initial_div)
    end = peak / _positive(owner, "final_div", final_div)
    rise = min(max(1, round(pct_start * total)), total - 1)
    fall = CosinePowerDecay(peak, total - rise, end_learning_rate=end)
    return Warmup(fall, rise, initial_learning_rate=start, shape="cosine")


_WSD_DECAY_SHAPES = ("linear", "1-sqrt")


def warmup_stable_decay(
    *,
    base_lr: float,
    warmup_steps: int,
    decay_steps: int,
    total_steps: int,
    final_lr: float,
    warmup_start: float,
    decay_shape: str,
) -> LearningRateSchedule:
    r"""Warmup, plateau, decay over the last ``decay_steps``: :class:`~lrkit.TrapezoidalDecay`.

    With ``decay_steps=0`` lrsched stays at ``base_lr`` for good, and so does this.

    Example:
        >>> schedule = warmup_stable_decay(
        ...     base_lr=0.1, warmup_steps=10, decay_steps=20, total_steps=100,
        ...     final_lr=0.0, warmup_start=0.0, decay_shape="linear",
        ... )
        >>> schedule(5), schedule(50), schedule(90)
        (0.05, 0.1, 0.05)
    """
    owner = "warmup_stable_decay"
    base = check_rate(owner, "base_lr", base_lr)
    final = check_rate(owner, "final_lr", final_lr)
    start = check_rate(owner, "warmup_start", warmup_start)
    total = _steps(owner, "total_steps", total_steps)
    warmup = check_int(owner, "warmup_steps", warmup_steps, minimum=0)
    decay = check_int(owner, "decay_steps", decay_steps, minimum=0)
    remaining_steps(owner, total, warmup, "decay_steps", decay)
    shape = check_choice(owner, "decay_shape", decay_shape, _WSD_DECAY_SHAPES)
    if final > base:
        raise ValueError(f"{owner}: final_lr must be <= base_lr ({show(base)}), got {show(final)}")
    # lrsched holds base_lr for good when there is no decay phase.
    alpha = 1.0 if decay == 0 else (final / base if base > 0 else 0.0)
    return TrapezoidalDecay(
        base, total, warmup, decay, initial_learning_rate=start, alpha=alpha, decay_shape=shape
    )


def _cyclic(
    owner: str, min_lr: Any, max_lr: Any, step_size: Any, mode: str, gamma: float = 1.0
) -> LearningRateSchedule:
    low = check_rate(owner, "min_lr", min_lr)
    high = check_rate(owner, "max_lr", max_lr)
    size = _steps(owner, "step_size", step_size)
    return CyclicDecay(low, high, step_size_up=size, mode=mode, gamma=gamma)


def triangular(*, min_lr: float, max_lr: float, step_size: int) -> LearningRateSchedule:
    """A triangle wave between ``min_lr`` and ``max_lr``: :class:`~lrkit.CyclicDecay`.

    Example:
        >>> triangular(min_lr=0.0, max_lr=1.0, step_size=10)(15)
        0.5
    """
    return _cyclic("triangular", min_lr, max_lr, step_size, "triangular")


def triangular2(*, min_lr: float, max_lr: float, step_size: int) -> LearningRateSchedule:
    """The triangle wave with its amplitude halved each cycle.

    Example:
        >>> triangular2(min_lr=0.0, max_lr=1.0, step_size=10)(30)
        0.5
    """
    return _cyclic("triangular2", min_lr, max_lr, step_size, "triangular2")


def exp_range(
    *, min_lr: float, max_lr: float, step_size: int, gamma: float
) -> LearningRateSchedule:
    r"""The triangle wave with its amplitude times :math:`\gamma^{t}`, :math:`\gamma \in [0, 1]`.

    Example:
        >>> exp_range(min_lr=0.0, max_lr=1.0, step_size=1, gamma=0.5)(1)
        0.5
    """
    owner = "exp_range"
    gamma = check_fraction(owner, "gamma", gamma)
    return _cyclic(owner, min_lr, max_lr, step_size, "exp_range", gamma)


def with_warmup(
    schedule: LearningRateSchedule, *, warmup_steps: int, start_lr: float
) -> LearningRateSchedule:
    """A linear ramp from ``start_lr`` to ``schedule(0)``, then ``schedule``: a ``Warmup``.

    Example:
        >>> with_warmup(constant(lr=1.0), warmup_steps=4, start_lr=0.0)(2)
        0.5
    """
    owner = "with_warmup"
    schedule = check_schedule(owner, "schedule", schedule)
    warmup = _steps(owner, "warmup_steps", warmup_steps)
    return Warmup(schedule, warmup, initial_learning_rate=check_rate(owner, "start_lr", start_lr))


def sequential(phases: Sequence[tuple[int, LearningRateSchedule]]) -> LearningRateSchedule:
    """Phases ``(duration, schedule)`` back to back, then the last phase's final value.

    A :class:`~lrkit.Join` of the phases and a :class:`~lrkit.Constant` at
    the last phase's value on its final step.

    Example:
        >>> schedule = sequential([(5, constant(lr=1.0)), (10, linear(base_lr=1.0, end_lr=0.0,
        ...                                                          total_steps=10))])
        >>> schedule(4), schedule(10), schedule(100)
        (1.0, 0.5, 0.09999999999999998)
    """
    owner = "sequential"
    if isinstance(phases, (str, bytes)) or not isinstance(phases, Sequence):
        raise TypeError(
            f"{owner}: phases must be a list of (duration, schedule), got {show(phases)}"
        )
    if not phases:
        raise ValueError(f"{owner}: phases must not be empty, got {show(phases)}")
    schedules, boundaries, end = [], [], 0
    for i, phase in enumerate(phases):
        if not isinstance(phase, Sequence) or len(phase) != 2:
            raise TypeError(f"{owner}: phases[{i}] must be (duration, schedule), got {show(phase)}")
        duration = _steps(owner, f"phases[{i}] duration", phase[0])
        schedules.append(check_schedule(owner, f"phases[{i}] schedule", phase[1]))
        if i:
            boundaries.append(end)
        end += duration
    last = schedules[-1](duration - 1)
    return Join([*schedules, Constant(last)], boundaries=[*boundaries, end])


def sample(schedule: LearningRateSchedule, *, num_steps: int) -> list[float]:
    """``schedule`` at steps ``0 .. num_steps - 1``.

    Example:
        >>> sample(linear(base_lr=1.0, end_lr=0.0, total_steps=4), num_steps=3)
        [1.0, 0.75, 0.5]
    """
    owner = "sample"
    schedule = check_schedule(owner, "schedule", schedule)
    return [schedule(step) for step in range(_steps(owner, "num_steps", num_steps))]


def scale_by_group(
    schedule: LearningRateSchedule, *, multipliers: Mapping[str, float]
) -> GroupSchedules:
    """Each named group at a fixed multiple (> 0) of ``schedule``: :func:`lrkit.scale_by_group`.

    Example:
        >>> scale_by_group(constant(lr=0.1), multipliers={"head": 2.0})(0)
        {'head': 0.2}
    """
    owner = "scale_by_group"
    if isinstance(multipliers, Mapping):
        for name, factor in multipliers.items():
            if isinstance(factor, (int, float)) and not factor > 0:
                raise ValueError(
                    f"{owner}: multipliers[{name!r}] must be > 0, got {show(factor)}"
                )
    return _scale_by_group(schedule, multipliers)
