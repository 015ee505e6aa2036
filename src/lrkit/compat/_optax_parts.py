"""The pieces :mod:`lrkit.compat.optax` builds optax's schedules from.

Argument checks that read NumPy and JAX scalars (the toolkit's kinds, on
their Python value), optax's ``transition_begin``
delay and its ``boundaries_and_scales`` pairs.
"""

from __future__ import annotations

import numbers
from collections.abc import Mapping

from lrkit._combinators.composition import Join
from lrkit._core.schedule import LearningRateSchedule
from lrkit._core.validation import show
from lrkit._families.decays import Constant
from lrkit.compat._toolkit import length_argument, number_argument

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = [
    "begin_step",
    "boundary_of",
    "delayed",
    "non_negative",
    "plain",
    "positive",
    "rate_value",
    "real",
    "scale_pairs",
]


def plain(value: Any) -> Any:
    """A 0-d array (NumPy or JAX) as its Python value; anything else as it is."""
    if not isinstance(value, numbers.Real) and getattr(value, "ndim", None) == 0:
        return value.item()
    return value


def real(owner: str, name: str, value: Any) -> float:
    """A finite real number, as a Python ``float``."""
    return number_argument(owner, name, plain(value))


def begin_step(owner: str, name: str, value: Any) -> int | float:
    """A finite step (an ``int`` stays an ``int``), negative ones as 0."""
    value = plain(value)
    if real(owner, name, value) <= 0:
        return 0
    return length_argument(owner, name, value)


def non_negative(owner: str, name: str, value: Any) -> float:
    """A finite number >= 0; a negative one is shown as given (a JAX or NumPy scalar's repr)."""
    number = real(owner, name, value)
    if number < 0:
        raise ValueError(f"{owner}: {name} must be >= 0, got {show(value)}")
    return number


def rate_value(owner: str, name: str, value: Any) -> float:
    """A rate: a finite number >= 0 (optax computes negative ones; lrkit refuses them)."""
    return non_negative(owner, name, value)


def positive(owner: str, name: str, value: Any) -> float:
    """A finite number > 0 (a divisor)."""
    number = real(owner, name, value)
    if not number > 0:
        raise ValueError(f"{owner}: {name} must be > 0 (it divides a rate), got {show(value)}")
    return number


def delayed(
    schedule: LearningRateSchedule, init_value: float, begin: float
) -> LearningRateSchedule:
    """``init_value`` before step ``begin``, then ``schedule`` on ``step - begin``."""
    if begin <= 0:
        return schedule
    return Join([Constant(init_value), schedule], boundaries=[begin])


def boundary_of(owner: str, key: Any) -> int | float:
    """A boundary: a finite number, an ``int`` kept an ``int``."""
    key = plain(key)
    number = real(owner, "boundaries_and_scales", key)
    return int(key) if isinstance(key, numbers.Integral) else number


def scale_pairs(owner: str, boundaries_and_scales: Any) -> list[tuple[int | float, float]]:
    """The ``(boundary, scale)`` pairs in boundary order; every scale must be >= 0."""
    if not boundaries_and_scales:
        return []
    if not isinstance(boundaries_and_scales, Mapping):
        raise TypeError(
            f"{owner}: boundaries_and_scales must be a dict of step: scale or None, "
            f"got {show(boundaries_and_scales)}"
        )
    pairs = sorted(
        (boundary_of(owner, key), real(owner, f"scale at {key}", scale))
        for key, scale in boundaries_and_scales.items()
    )
    for boundary, scale in pairs:
        if not scale >= 0.0:
            raise ValueError(
                f"{owner}: boundaries_and_scales must have non-negative scale factors, "
                f"got {show(scale)} at step {show(boundary)}"
            )
    return pairs
