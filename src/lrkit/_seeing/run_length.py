"""The run length to show a schedule over when none is given, and the steps to mark on it.

Both come from the schedule's own shape methods (``_horizon`` and
``_phase_boundaries``), so a schedule class of one's own is previewed as
its author describes it, without a change here. Used by ``lrkit show``
and ``lrkit plot`` without ``--steps``, and by the Jupyter display of a
schedule.
"""

from __future__ import annotations

import math

from lrkit._core.schedule import LearningRateSchedule
from lrkit._core.shape import DEFAULT_STEPS, phase_boundaries

__all__ = ["DEFAULT_STEPS", "MAX_SUGGESTED_STEPS", "phase_boundaries", "suggested_steps"]

#: The longest run :func:`suggested_steps` proposes.
MAX_SUGGESTED_STEPS = 10_000_000


def suggested_steps(schedule: LearningRateSchedule) -> int:
    """The run length to show a schedule over when none is given.

    The step where the schedule's shape ends, as the schedule itself tells
    with ``_horizon()`` (``decay_steps`` plus ``warmup_steps`` for a warmup
    ``CosineDecay``, three periods for ``CosineDecayRestarts``, the last
    boundary of a ``Join`` plus its last schedule's length...), rounded up
    and kept within ``[1, MAX_SUGGESTED_STEPS]``; :data:`DEFAULT_STEPS`
    where it has no end (``None``). A schedule class of one's own gets its
    preview length by overriding ``_horizon``.

    Example:
        >>> import lrkit
        >>> suggested_steps(lrkit.LinearDecay(0.1, decay_steps=2000))
        2000
    """
    horizon = schedule._horizon()
    if horizon is None:
        return DEFAULT_STEPS
    return min(max(math.ceil(horizon), 1), MAX_SUGGESTED_STEPS)
