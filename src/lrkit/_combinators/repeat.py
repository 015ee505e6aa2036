"""``Repeat``: a schedule run over and over, every ``period_steps`` steps."""

from __future__ import annotations

from lrkit._core import parameters as p
from lrkit._core.arrays import ScalarOps
from lrkit._core.pieces import Piecewise
from lrkit._core.schedule import LearningRateSchedule
from lrkit._core.serialization import builtin

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["Repeat"]

#: The periods whose phases ``_phase_boundaries`` lists (``lrkit.plot`` marks them).
_LISTED_PERIODS = 64


@builtin
class Repeat(Piecewise):
    r"""A schedule run over and over: :math:`\eta(t) = s(t \bmod P)`.

    Args:
        schedule: the schedule of one period; it sees steps in :math:`[0, P)`.
        period_steps: :math:`P > 0`.

    ``lrkit.plot`` marks each restart and the wrapped schedule's phases in
    each period; ``lrkit show`` previews three periods.

    Example:
        >>> from lrkit import LinearDecay
        >>> schedule = Repeat(LinearDecay(0.1, decay_steps=10), period_steps=10)
        >>> schedule(5), schedule(10), schedule(25)
        (0.05, 0.1, 0.05)
    """

    schedule: LearningRateSchedule = p.schedule()
    period_steps: int | float = p.steps()

    def _repeated(self, t: Any, xp: Any) -> Any:
        period = self.period_steps
        # The remainder is exact for floats (a float32 step keeps its phase).
        local = t % period
        if xp is ScalarOps:  # the wrapped schedule's own Python-number path
            return self.schedule.__call__(local - period if local >= period else local)
        local = xp.where(local >= period, local - period, local)
        return self.schedule._formula(xp.maximum(local, 0.0 * local), xp)

    pieces = (_repeated,)

    def _phase_boundaries(self) -> list[float]:
        """The restarts and the wrapped schedule's phases in each period (the first 64)."""
        period = self.period_steps
        inner = [step for step in self.schedule._phase_boundaries() if 0 < step < period]
        found: list[float] = []
        for index in range(_LISTED_PERIODS):
            start = index * period
            if index:
                found.append(start)
            found.extend(start + step for step in inner)
        return found

    def _horizon(self) -> float | None:
        return 3 * self.period_steps  # three periods
