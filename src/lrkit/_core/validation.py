"""Argument checks shared by every schedule constructor.

Each helper names the owner (the class), the parameter, the value it got and
the rule it broke, and returns the value normalised for storage: a Python
``int`` or ``float`` (NumPy scalars are accepted and converted), never a bool
in place of a number.
"""

from __future__ import annotations

import math
import numbers
import reprlib
from collections.abc import Sequence

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from lrkit._core.schedule import LearningRateSchedule


__all__ = [
    "check_bool",
    "check_choice",
    "check_fraction",
    "check_increasing",
    "check_int",
    "check_name",
    "check_number",
    "check_optional_int",
    "check_rate",
    "check_schedule",
    "check_schedules",
    "check_steps",
    "show",
]


_REPR = reprlib.Repr()
_REPR.maxlevel, _REPR.maxlist, _REPR.maxtuple, _REPR.maxdict = 4, 12, 12, 8
_REPR.maxstring, _REPR.maxother, _REPR.maxlong = 80, 80, 80


def show(value: Any) -> str:
    """``repr(value)`` for an error message: shortened, and safe on deep nesting.

    An integer too long for Python's int-to-text limit shows as its size.
    """
    try:
        return _REPR.repr(value)
    except ValueError:
        if isinstance(value, int):
            return f"<an integer of {value.bit_length()} bits>"
        return f"<a {type(value).__name__} that has no repr>"


def _fail_type(owner: str, name: str, value: Any, expected: str) -> TypeError:
    return TypeError(
        f"{owner}: {name} must be {expected}, got {show(value)} of type {type(value).__name__}"
    )


def check_number(
    owner: str,
    name: str,
    value: Any,
    *,
    minimum: float | None = None,
    maximum: float | None = None,
    exclusive_minimum: bool = False,
) -> float:
    """A finite real number within optional bounds, as a Python ``float``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise _fail_type(owner, name, value, "a real number")
    try:
        number = float(value)
    except OverflowError:  # an integer beyond float's range
        number = math.inf
    if not math.isfinite(number):
        raise ValueError(f"{owner}: {name} must be finite, got {show(value)}")
    if minimum is not None:
        if exclusive_minimum and not number > minimum:
            raise ValueError(f"{owner}: {name} must be > {minimum:g}, got {show(value)}")
        if not exclusive_minimum and not number >= minimum:
            raise ValueError(f"{owner}: {name} must be >= {minimum:g}, got {show(value)}")
    if maximum is not None and not number <= maximum:
        raise ValueError(f"{owner}: {name} must be <= {maximum:g}, got {show(value)}")
    return number


def check_rate(owner: str, name: str, value: Any) -> float:
    """A learning rate: a finite number >= 0."""
    return check_number(owner, name, value, minimum=0.0)


def check_rate_at_most(owner: str, name: str, value: Any, bound_name: str, bound: float) -> float:
    """A rate that may not pass ``bound`` (a floor below its peak): ``check_rate``, then ``<=``."""
    rate = check_rate(owner, name, value)
    if rate > bound:
        raise ValueError(
            f"{owner}: {name} must be <= {bound_name} ({show(bound)}), got {show(value)}"
        )
    return rate


def check_steps(owner: str, name: str, value: Any, *, allow_zero: bool = False) -> int | float:
    """A step count: positive (or non-negative) and finite; ints stay ints."""
    number = check_number(owner, name, value, minimum=0.0, exclusive_minimum=not allow_zero)
    if isinstance(value, numbers.Integral):
        return int(value)
    return number


def check_optional_int(owner: str, name: str, value: Any) -> int | None:
    """``None`` or an integer (a seed, for example)."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise _fail_type(owner, name, value, "an integer or None")
    return _bounded_int(owner, name, value)


#: Integers are refused from this magnitude on: beyond float's range, and too
#: long for the JSON a config is written to.
_INT_LIMIT = 2**1024


def _bounded_int(owner: str, name: str, value: Any) -> int:
    number = int(value)
    if not -_INT_LIMIT < number < _INT_LIMIT:
        raise ValueError(f"{owner}: {name} must be below 2**1024 in magnitude, got {show(value)}")
    return number


def check_int(owner: str, name: str, value: Any, *, minimum: int | None = None) -> int:
    """An integer (a count of steps or cycles), optionally ``>= minimum``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise _fail_type(owner, name, value, "an integer")
    number = _bounded_int(owner, name, value)
    if minimum is not None and number < minimum:
        raise ValueError(f"{owner}: {name} must be >= {minimum}, got {show(value)}")
    return number


def check_fraction(owner: str, name: str, value: Any) -> float:
    """A number in ``[0, 1]``."""
    return check_number(owner, name, value, minimum=0.0, maximum=1.0)


def check_bool(owner: str, name: str, value: Any) -> bool:
    """A real ``bool`` (``0``/``1`` or the string ``"false"`` are refused)."""
    if not isinstance(value, bool):
        raise _fail_type(owner, name, value, "a bool")
    return value


def check_name(owner: str, value: Any) -> str | None:
    """The ``name`` every schedule carries: a string as in Keras, or None as in TF."""
    if value is not None and not isinstance(value, str):
        raise _fail_type(owner, "name", value, "a string or None")
    return value


def check_increasing(
    owner: str, name: str, values: Any, *, strict: bool = True
) -> list[int | float]:
    """Finite non-negative numbers, strictly increasing (``strict=False``: non-decreasing)."""
    if hasattr(values, "tolist") and not isinstance(values, Sequence):
        values = values.tolist()  # a NumPy or framework array
    if isinstance(values, (str, bytes)) or not isinstance(values, Sequence):
        raise _fail_type(owner, name, values, "a list of numbers")
    checked = [check_steps(owner, f"{name}[{i}]", v, allow_zero=True) for i, v in enumerate(values)]
    for i in range(1, len(checked)):
        if not (checked[i] > checked[i - 1] or (not strict and checked[i] == checked[i - 1])):
            rule = "strictly increasing" if strict else "non-decreasing"
            raise ValueError(
                f"{owner}: {name} must be {rule}, got {show(list(values))} "
                f"({name}[{i}]={checked[i]!r} follows {checked[i - 1]!r})"
            )
    return checked


def check_choice(owner: str, name: str, value: Any, choices: Sequence[str]) -> str:
    """One of a fixed set of strings (a shape or a mode)."""
    if not isinstance(value, str):
        raise _fail_type(owner, name, value, f"one of {list(choices)}")
    if value not in choices:
        raise ValueError(f"{owner}: {name} must be one of {list(choices)}, got {show(value)}")
    return value


def check_schedule(owner: str, name: str, value: Any) -> LearningRateSchedule:
    """An lrkit schedule (a nested one, in a combinator)."""
    from lrkit._core.schedule import LearningRateSchedule

    if not isinstance(value, LearningRateSchedule):
        raise _fail_type(owner, name, value, "an lrkit schedule")
    return value


def check_schedules(owner: str, name: str, values: Any) -> list[LearningRateSchedule]:
    """A non-empty list of lrkit schedules."""
    if isinstance(values, (str, bytes)) or not isinstance(values, Sequence):
        raise _fail_type(owner, name, values, "a list of lrkit schedules")
    if not values:
        raise ValueError(f"{owner}: {name} must not be empty, got {show(values)}")
    return [check_schedule(owner, f"{name}[{i}]", value) for i, value in enumerate(values)]
