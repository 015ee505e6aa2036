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

from lrkit._combinators.composition import Join
from lrkit._combinators.groups import GroupSchedules
from lrkit._combinators.groups import scale_by_group as _scale_by_group
from lrkit._core.schedule import LearningRateSchedule
from lrkit._core.validation import check_rate, check_schedule, show
from lrkit._families.decays import Constant
from lrkit.compat._lrsched_decays import (
    constant,
    cosine,
    cosine_restarts,
    exponential,
    exponential_decay,
    inverse_sqrt,
    linear,
    multi_step,
    polynomial,
    polynomial_decay,
    step_decay,
)
from lrkit.compat._lrsched_phases import (
    exp_range,
    one_cycle,
    triangular,
    triangular2,
    warmup_stable_decay,
)
from lrkit.compat._toolkit import steps_argument, warmup_then

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
    warmup = steps_argument(owner, "warmup_steps", warmup_steps, minimum=1)
    return warmup_then(schedule, warmup, start=check_rate(owner, "start_lr", start_lr))


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
        duration = steps_argument(owner, f"phases[{i}] duration", phase[0], minimum=1)
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
    return [
        schedule(step) for step in range(steps_argument(owner, "num_steps", num_steps, minimum=1))
    ]


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
                raise ValueError(f"{owner}: multipliers[{name!r}] must be > 0, got {show(factor)}")
    return _scale_by_group(schedule, multipliers)
