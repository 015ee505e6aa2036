"""The run length to show a schedule over when none is given.

Used by ``lrkit show`` and ``lrkit plot`` without ``--steps``, and by the
Jupyter display of a schedule.
"""

from __future__ import annotations

import math

from lrkit._schedule import LearningRateSchedule

__all__ = ["DEFAULT_STEPS", "MAX_SUGGESTED_STEPS", "suggested_steps"]

#: The run length shown for a schedule that does not suggest one of its own.
DEFAULT_STEPS = 10_000
#: The longest run :func:`suggested_steps` proposes.
MAX_SUGGESTED_STEPS = 10_000_000


def suggested_steps(schedule: LearningRateSchedule) -> int:
    """The run length to show a schedule over when none is given.

    The end of its last phase where the schedule has one (``decay_steps``
    plus ``warmup_steps`` for a warmup ``CosineDecay``, three periods for
    ``CosineDecayRestarts``, the last boundary of a ``Join`` plus its last
    schedule's length...), else :data:`DEFAULT_STEPS`.
    """
    horizon = _horizon(schedule)
    if horizon is None:
        horizon = DEFAULT_STEPS
    return min(max(math.ceil(horizon), 1), MAX_SUGGESTED_STEPS)


def _horizon(schedule: LearningRateSchedule) -> float | None:
    """Where a schedule's shape ends, or None if it has no natural end.

    Reads the stored parameters (never ``get_config()``, which would
    serialize every nested level again at each level), so the work is linear
    in the size of the config.
    """
    from lrkit._combinators import Join, Warmup
    from lrkit._keras_family import (
        CosineDecay,
        CosineDecayRestarts,
        PiecewiseConstantDecay,
        PolynomialDecay,
    )
    from lrkit._tf_family import LinearCosineDecay, NoisyLinearCosineDecay

    if isinstance(schedule, (CosineDecay, LinearCosineDecay, NoisyLinearCosineDecay)) or (
        isinstance(schedule, PolynomialDecay) and not schedule.cycle
    ):
        horizon: float = schedule.decay_steps
        if getattr(schedule, "warmup_target", None) is not None:
            horizon += getattr(schedule, "warmup_steps", 0)
        return horizon
    if isinstance(schedule, CosineDecayRestarts):  # three periods
        t_mul = schedule.t_mul
        return float(schedule.first_decay_steps * (1 + t_mul + t_mul * t_mul))
    if isinstance(schedule, PiecewiseConstantDecay):  # the last boundary at 3/4 of the way
        return schedule.boundaries[-1] * 4 / 3 if schedule.boundaries else None
    children = _children(schedule)
    if isinstance(schedule, Warmup):
        inner = _horizon(children[0])
        warmup: float = schedule.warmup_steps
        return warmup + inner if inner is not None else max(warmup * 4, DEFAULT_STEPS)
    if isinstance(schedule, Join):
        last: float = schedule.boundaries[-1] if schedule.boundaries else 0.0
        inner = _horizon(children[-1])
        return last + inner if inner is not None else max(last * 4 / 3, DEFAULT_STEPS)
    horizons = [h for h in map(_horizon, children) if h is not None]
    return max(horizons) if horizons else None


def _children(schedule: LearningRateSchedule) -> list[LearningRateSchedule]:
    """The schedules a combinator wraps (``schedule`` or ``schedules``)."""
    from lrkit._combinators import Clip, Join, Offset, Product, Scale, Sum, Warmup

    if isinstance(schedule, (Warmup, Scale, Offset, Clip)):
        return [schedule.schedule]
    if isinstance(schedule, (Join, Sum, Product)):
        return list(schedule.schedules)
    return []
