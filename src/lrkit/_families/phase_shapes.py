"""The warmup and decay shapes of :mod:`lrkit._families.phases`, as piece functions.

A rise gives the rate at fraction ``f`` in ``[0, 1]`` of the warmup, a fall
the rate at progress ``p`` in ``[0, 1]`` of the decay; each is
``shape(schedule, x, xp)`` over an array namespace ``xp``, reading the
constants ``Phases._set_phases`` keeps on the schedule.

Example:
    >>> from lrkit import WarmupStableDecay
    >>> from lrkit._core.arrays import ScalarOps
    >>> schedule = WarmupStableDecay(0.1, 10, 0, 10, decay_shape="linear")
    >>> FALLS["linear"](schedule, 0.5, ScalarOps), RISES["linear"](schedule, 0.5, ScalarOps)
    (0.05, 0.05)
"""

from __future__ import annotations

import math

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

    Shape = Callable[[Any, Any, Any], Any]

__all__ = ["FALLS", "RISES", "TINY_ALPHA", "tiny_inverse_sqrt_fall"]

#: Below this ``alpha``, the inverse-sqrt decay is written so that ``alpha ** -2``
#: is never formed (it overflows float32 from about 5e-20).
TINY_ALPHA = 1e-15


# -- the warmup shapes: the rate at fraction f of the warmup ---------------------------


def _linear_rise(schedule: Any, fraction: Any, xp: Any) -> Any:
    return schedule._start + schedule._rise_height * fraction


def _cosine_rise(schedule: Any, fraction: Any, xp: Any) -> Any:
    return schedule._start + schedule._rise_height * (0.5 * (1.0 - xp.cos(math.pi * fraction)))


def _sqrt_rise(schedule: Any, fraction: Any, xp: Any) -> Any:
    return schedule._start + schedule._rise_height * (1.0 - xp.sqrt(1.0 - fraction))


# -- the decay shapes: the rate at progress p of the decay -----------------------------


def _linear_fall(schedule: Any, progress: Any, xp: Any) -> Any:
    return schedule._floor + schedule._fall_height * (1.0 - progress)


def _cosine_fall(schedule: Any, progress: Any, xp: Any) -> Any:
    remaining = 0.5 * (1.0 + xp.cos(schedule._angle * progress))
    return schedule._floor + schedule._fall_height * remaining


def _sqrt_fall(schedule: Any, progress: Any, xp: Any) -> Any:
    return schedule._floor + schedule._fall_height * (1.0 - xp.sqrt(progress))


def _exponential_fall(schedule: Any, progress: Any, xp: Any) -> Any:
    return schedule._peak * schedule._alpha**progress


def _inverse_sqrt_fall(schedule: Any, progress: Any, xp: Any) -> Any:
    return schedule._peak / xp.sqrt(1.0 + schedule._spread * progress)


def tiny_inverse_sqrt_fall(schedule: Any, progress: Any, xp: Any) -> Any:
    """The inverse-sqrt decay for ``alpha < TINY_ALPHA``."""
    # alpha ** -2 overflows (float32 from 5e-20, float64 from 7e-155): the same
    # value as peak * alpha / sqrt(p + (1 - p) alpha ** 2), which is peak at
    # p = 0 (where alpha ** 2 may underflow to 0) and has a root > 0 elsewhere.
    alpha, peak = schedule._alpha, schedule._peak
    start = progress == 0.0
    root = xp.where(start, 1.0, xp.sqrt(progress + (1.0 - progress) * (alpha * alpha)))
    return xp.where(start, peak, (peak * alpha) / root)


#: The warmup shapes by name (the order of the ``warmup_shape`` choices).
RISES: dict[str, Shape] = {"linear": _linear_rise, "cosine": _cosine_rise, "1-sqrt": _sqrt_rise}
#: The decay shapes by name (the order of the ``decay_shape`` choices).
FALLS: dict[str, Shape] = {
    "linear": _linear_fall,
    "cosine": _cosine_fall,
    "1-sqrt": _sqrt_fall,
    "exponential": _exponential_fall,
    "inverse-sqrt": _inverse_sqrt_fall,
}
