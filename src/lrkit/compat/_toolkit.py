"""What the compat layers share: argument checks of lrkit's parameter kinds, and the warmup.

Every compat function checks its arguments with the kinds lrkit's own
schedules declare their parameters with (:mod:`lrkit._core.parameters`), so
a rate, a step count or a divisor gets the same check, and the same error
message, in ``lrkit.compat.torch`` as in ``lrkit.LinearDecay``. Where two
compat layers follow different rules for the same word (a ``warmup_steps``
of 0 is an empty warmup in one library and refused in another), the rule is
an argument here, chosen by each caller.

Most compat layers build "a linear warmup, then schedule X" the same way:
:func:`warmup_then`.

Example:
    >>> from lrkit import LinearDecay
    >>> steps_argument("f", "total_steps", 0, minimum=1)
    Traceback (most recent call last):
    ...
    ValueError: f: total_steps must be >= 1, got 0
    >>> warmup_then(LinearDecay(0.1, 90), 10)(5)
    0.05
"""

from __future__ import annotations

import math

from lrkit._combinators.composition import Join, Warmup
from lrkit._core import parameters as p
from lrkit._families.decays import Constant

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from lrkit._core.parameters import Parameter
    from lrkit._core.schedule import LearningRateSchedule

__all__ = [
    "length_argument",
    "non_negative_argument",
    "number_argument",
    "positive_argument",
    "rate_argument",
    "steps_argument",
    "warmup_then",
]

_RATE: Parameter = p.rate()
_NON_NEGATIVE: Parameter = p.number(minimum=0.0)
_POSITIVE: Parameter = p.number(minimum=0.0, exclusive_minimum=True)
_LENGTHS: dict[bool, Parameter] = {zero: p.steps(allow_zero=zero) for zero in (False, True)}
#: Whole step counts by their least value: 0 (a warmup may be empty), 1 (a
#: length the schedule divides by). Other minimums get their kind when asked.
_COUNTS: dict[int, Parameter] = {least: p.integer(minimum=least) for least in (0, 1)}


def rate_argument(owner: str, name: str, value: Any) -> float:
    """A learning rate, or a value on its scale (a floor, a peak): a finite number ``>= 0``.

    lrkit's ``rate`` kind.
    """
    rate: float = _RATE.check(owner, name, value)
    return rate


def steps_argument(owner: str, name: str, value: Any, *, minimum: int = 0) -> int:
    """A whole number of steps ``>= minimum``, as torch, transformers and timm count them.

    lrkit's ``integer`` kind. ``minimum=0`` where the library takes 0 (an
    empty warmup), ``minimum=1`` where it refuses it (a length it divides by).
    """
    kind = _COUNTS.get(minimum) or p.integer(minimum=minimum)
    count: int = kind.check(owner, name, value)
    return count


def length_argument(owner: str, name: str, value: Any, *, allow_zero: bool = False) -> int | float:
    """A length in steps that may be fractional: finite, ``> 0`` (``>= 0`` with ``allow_zero``).

    lrkit's ``steps`` kind: an ``int`` stays an ``int``.
    """
    length: int | float = _LENGTHS[allow_zero].check(owner, name, value)
    return length


def non_negative_argument(owner: str, name: str, value: Any) -> float:
    """A finite number ``>= 0`` that is not a rate (a power, a number of cycles)."""
    number: float = _NON_NEGATIVE.check(owner, name, value)
    return number


def positive_argument(owner: str, name: str, value: Any) -> float:
    """A finite number ``> 0`` (a divisor, a decay rate)."""
    number: float = _POSITIVE.check(owner, name, value)
    return number


def number_argument(
    owner: str,
    name: str,
    value: Any,
    *,
    minimum: float | None = None,
    maximum: float | None = None,
    exclusive_minimum: bool = False,
) -> float:
    """A finite real number within optional bounds: lrkit's ``number`` kind."""
    kind = p.number(minimum=minimum, maximum=maximum, exclusive_minimum=exclusive_minimum)
    number: float = kind.check(owner, name, value)
    return number


def warmup_then(
    after: LearningRateSchedule,
    steps: int | float,
    *,
    start: float = 0.0,
    target: float | None = None,
    rel_tol: float = 0.0,
    ramp: LearningRateSchedule | None = None,
) -> LearningRateSchedule:
    r"""A linear ramp from ``start`` over ``steps`` steps, then ``after`` on ``t - steps``.

    .. math:: \eta(t) = \eta_0 + (\eta_1 - \eta_0)\, t / W \text{ for } t < W,
        \qquad \eta(t) = s(t - W) \text{ for } t \ge W

    The ramp ends at ``target`` :math:`\eta_1`, ``after``'s first value
    :math:`s(0)` if not given. Where it ends there (within ``rel_tol``) it is
    a :class:`~lrkit.Warmup`; where ``after`` starts elsewhere (a library
    that ramps to the peak while its decay is already over), a
    :class:`~lrkit.Join` of the ramp (``ramp``, or ``Warmup(Constant(target),
    steps, start)``) and ``after``. No warmup (``steps`` of 0) is ``after``
    itself.

    Args:
        after: the schedule from step ``steps`` on, on its own step from 0.
        steps: :math:`W \ge 0`, checked by the caller.
        start: :math:`\eta_0`, the rate at step 0.
        target: :math:`\eta_1`, where the ramp ends (default :math:`s(0)`).
        rel_tol: how close :math:`s(0)` must be to ``target`` for a ``Warmup``.
        ramp: the ramp the ``Join`` starts with where ``after`` does not start
            at ``target`` (the caller's library's own).

    Example:
        >>> from lrkit import Constant
        >>> warmup_then(Constant(1.0), 4)(2)
        0.5
        >>> warmup_then(Constant(0.5), 4, target=1.0)(4)
        0.5
    """
    if steps == 0:
        return after
    if target is None or math.isclose(after(0.0), target, rel_tol=rel_tol, abs_tol=0.0):
        return Warmup(after, steps, initial_learning_rate=start)
    if ramp is None:
        ramp = Warmup(Constant(target), steps, initial_learning_rate=start)
    return Join([ramp, after], [steps])
