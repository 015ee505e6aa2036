r"""Where a step falls among restarting cycles: the one locator of the restarting families.

Cycles follow each other without gaps; cycle :math:`i` (from 0) lasts
:math:`T m^i` steps, with :math:`T` the first cycle's length and :math:`m \ge 1`
the growth of each length. :class:`Cycles` answers, for a step (a Python
number or an array, over the namespace ``xp``), which cycle it is in, how far
into that cycle it is and how long the cycle is::

    index, into, length = cycles.locate(step, xp)

``index`` is a float (0.0 for the first cycle), ``into / length`` the
fraction of the cycle completed (``into`` rather than the cycle's start:
the families would round again subtracting a start). Two kinds of cycles:

* real lengths (the default): ``into`` and ``length`` are in units of the
  first cycle (the step divided by :math:`T` first, as SGDR does), so the
  first cycle is ``[0, 1)``. With :math:`m > 1` cycle :math:`i` starts at
  :math:`(1 - m^i) / (1 - m)`; the index comes from a logarithm, whose
  rounding is corrected, so each restart is found exactly. Python numbers
  look the first 64 cycles up in a table (a bisection) instead.
* whole steps (``whole_steps=True``): every length is truncated to whole
  steps one by one (:math:`\lfloor T m^i \rfloor`), ``into`` and ``length``
  are in steps. Equal cycles take the step's remainder (exact, so a float32
  step keeps its phase); growing ones look the step up among the cycle
  starts, listed up to the first past :math:`2^{53}`.

Example:
    >>> from lrkit._core.arrays import ScalarOps
    >>> Cycles(10, mul=2.0).locate(25, ScalarOps)  # cycles [0, 10), [10, 30), [30, 70)...
    (1.0, 1.5, 2.0)
    >>> Cycles(10, mul=2.0).locate(30, ScalarOps)
    (2.0, 0.0, 4.0)
    >>> Cycles(10, mul=2.0, whole_steps=True).locate(25, ScalarOps)
    (1.0, 15.0, 20.0)
    >>> Cycles(10, mul=2.0).ends(3)
    [10.0, 30.0, 70.0]
"""

from __future__ import annotations

import math
import sys
from bisect import bisect_right
from math import floor as _floor

from lrkit._core.arrays import ScalarOps, _as_array, power, powers
from lrkit._core.validation import show

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["MAX_CYCLES", "Cycles", "cycle_table"]

_INF = math.inf

#: Real-length cycles whose bounds Python numbers look up in a table.
_TABLED = 64

#: Whole-step cycle starts are listed up to the first one past this step: every
#: larger float is an even integer, and float32/float64 steps hold no finer phase.
_LAST_EXACT_STEP = 2**53

#: The most whole-step cycles listed; a ``mul`` needing more to reach the step
#: above (one barely over 1) is refused.
MAX_CYCLES = 4096


class Cycles:
    r"""Cycles of lengths :math:`T, Tm, Tm^2, \dots` (see the module).

    Args:
        first: :math:`T > 0`, the first cycle's length in steps.
        mul: :math:`m \ge 1`, the growth of each cycle's length.
        whole_steps: truncate every length to whole steps (``into`` and
            ``length`` in steps), instead of real lengths (``into`` and
            ``length`` in units of :math:`T`).
        owner, name: the class and parameter named in the error for a
            ``mul`` barely above 1 with ``whole_steps``.
    """

    def __init__(
        self,
        first: float,
        mul: float = 1.0,
        *,
        whole_steps: bool = False,
        owner: str = "Cycles",
        name: str = "mul",
    ) -> None:
        self.first = first
        self.mul = mul
        self.whole_steps = whole_steps
        self._starts: list[float] = []
        self._lengths: list[float] = []
        self._lows: list[float] = []
        self._bounds: list[tuple[float, float, float]] = []
        if mul == 1.0:
            return
        if whole_steps:
            self._starts, self._lengths = cycle_table(owner, int(first), mul, name)
            return
        # The first cycles' (start, high, length) in units of the first cycle,
        # as the general path computes them, and the part [low, high) of each
        # cycle that the general path gives it whichever way its logarithm
        # rounds: Python numbers bisect there instead of taking a logarithm.
        lengths = powers(mul, _TABLED + 1)
        starts = [(1.0 - length) / (1.0 - mul) for length in lengths]
        ends = [start + length for start, length in zip(starts, lengths, strict=True)]
        # Past this, the logarithm overflows (and gives NaN, as the general
        # path does): the table stops short of it.
        overflow = sys.float_info.max / 2.0 / (mul - 1.0)
        for index in range(_TABLED):
            low = starts[0] if index == 0 else max(starts[index], ends[index - 1])
            high = min(ends[index], starts[index + 1], overflow)
            self._lows.append(low)
            self._bounds.append((starts[index], high, lengths[index]))

    def locate(self, step: Any, xp: Any) -> tuple[Any, Any, Any]:
        """(cycle index, how far into the cycle, the cycle's length) at ``step``.

        In units of the first cycle for real lengths, in steps for whole
        steps. NaN steps give NaN.
        """
        if self.whole_steps:
            return self._locate_steps(step, xp)
        position = step / self.first
        mul = self.mul
        if xp is ScalarOps:
            if position < 1.0:  # the first cycle
                return 0.0, position, 1.0
            if mul == 1.0:
                index = float(_floor(position)) if position < _INF else position
                return index, position - index, 1.0
            index = bisect_right(self._lows, position) - 1
            start, high, length = self._bounds[index]
            if position < high:
                return float(index), position - start, length
        elif mul == 1.0:
            index = xp.floor(position)
            return index, position - index, 1.0
        index = xp.floor(xp.log(1.0 - position * (1.0 - mul)) / math.log(mul))
        # The logarithm may round across a boundary: move by one cycle if so.
        start = (1.0 - power(mul, index, xp)) / (1.0 - mul)
        index = xp.where(position < start, index - 1.0, index)
        index = xp.where(position >= start + power(mul, index, xp), index + 1.0, index)
        length = power(mul, index, xp)
        start = (1.0 - length) / (1.0 - mul)
        return index, position - start, length

    def _locate_steps(self, step: Any, xp: Any) -> tuple[Any, Any, Any]:
        if not self._starts:
            length = float(self.first)
            # The remainder is exact for floats (a float32 step keeps its phase).
            into = step % length
            if xp is not ScalarOps:  # an array's remainder may round up to the length
                into = xp.where(into >= length, into - length, into)
            return xp.floor((step - into) / length + 0.5), into, length
        if xp is ScalarOps:
            index = bisect_right(self._starts, step) - 1
            return float(index), step - self._starts[index], self._lengths[index]
        # Array lookups on one dimension (TensorFlow's search takes no other).
        shape = tuple(step.shape)
        flat = xp.reshape(step, (-1,))
        starts = _as_array(self._starts, flat, xp)
        index = xp.searchsorted(starts, flat, side="right") - 1
        start = xp.take(starts, index)
        length = xp.take(_as_array(self._lengths, flat, xp), index)
        return (
            xp.reshape(xp.astype(index, flat.dtype), shape),
            xp.reshape(flat - start, shape),
            xp.reshape(length, shape),
        )

    def ends(self, count: int) -> list[float]:
        """The steps where the first ``count`` cycles end (``lrkit.plot`` marks them)."""
        if self._starts:
            return self._starts[1 : count + 1]
        found, length, end = [], float(self.first), 0.0
        for _ in range(count):
            end += length
            found.append(end)
            if not self.whole_steps:
                length *= self.mul
        return found


def cycle_table(
    owner: str, cycle_steps: int, cycle_mul: float, name: str = "cycle_mul"
) -> tuple[list[float], list[float]]:
    """(start, length) of each whole-step cycle up to the first that starts past 2**53."""
    starts, lengths = [0.0], [float(cycle_steps)]
    start, index = 0, 0
    while start <= _LAST_EXACT_STEP:
        start += int(lengths[-1])
        index += 1
        if index >= MAX_CYCLES:
            raise ValueError(
                f"{owner}: {name} must be 1, or large enough that fewer than "
                f"{MAX_CYCLES} cycles start before step 2**53 (about 1.008 or more), "
                f"got {show(cycle_mul)}"
            )
        starts.append(float(start))
        try:
            lengths.append(float(int(cycle_steps * cycle_mul**index)))
        except OverflowError:  # longer than float's range: the last cycle never ends
            lengths.append(math.inf)
            break
    return starts, lengths
