"""What a schedule says about its own shape: the schedules it wraps, its phases, its end.

``describe``, ``plot``, ``lrkit show``, the notebook display and the compat
layers read a schedule through these methods and never switch on class
names: a new family describes its shape by overriding them.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, ClassVar

    from lrkit._core.parameters import Parameter
    from lrkit._core.schedule import LearningRateSchedule

__all__ = ["DEFAULT_STEPS", "Shape", "phase_boundaries"]

#: The run length shown for a schedule whose shape has no end of its own.
DEFAULT_STEPS = 10_000


class Shape:
    """The shape methods every schedule has (a base of ``LearningRateSchedule``)."""

    _parameter_specs: ClassVar[dict[str, Parameter]] = {}

    # Read by describe, plot, ``lrkit show`` and the compat layers, which never
    # switch on class names: a new family describes its own shape here.

    def _children(self) -> tuple[LearningRateSchedule, ...]:
        """The schedules this one evaluates: its parameters of kind schedule(s)."""
        found: list[LearningRateSchedule] = []
        for name, spec in type(self)._parameter_specs.items():
            if spec.kind == "schedule":
                found.append(getattr(self, name))
            elif spec.kind == "schedules":
                found.extend(getattr(self, name))
        return tuple(found)

    def _phase_boundaries(self) -> list[float]:
        """The steps where this schedule's phases meet (``lrkit.plot`` marks them).

        By default its children's, which run on the same steps (as in
        ``Scale`` or ``Sum``); a schedule with phases of its own, or that
        moves its children in time, overrides this.
        """
        return [step for child in self._children() for step in child._phase_boundaries()]

    def _horizon(self) -> float | None:
        """The step where the shape ends (its last phase's end), or None if it has none.

        By default the latest of its children's; families with a natural
        length (``decay_steps``...) override this. ``lrkit show``, ``plot``
        and the notebook display draw a schedule over about this many steps.
        """
        horizons = [h for h in (child._horizon() for child in self._children()) if h is not None]
        return max(horizons) if horizons else None

    def _repr_png_(self) -> bytes | None:
        """A small plot of the schedule, for Jupyter's rich display.

        Drawn over :func:`lrkit._seeing.describe.suggested_steps` steps; None (plain
        ``repr`` only) where matplotlib is not installed. matplotlib is
        imported here, on first display, never by ``import lrkit``.
        """
        from lrkit._seeing.describe import suggested_steps
        from lrkit._seeing.plot import render

        schedule: Any = self  # every Shape is a LearningRateSchedule
        try:
            return render(schedule, suggested_steps(schedule), width=480, height=270, dpi=96)
        except ImportError:
            return None


def phase_boundaries(schedule: Shape) -> list[float]:
    """The steps where a schedule's phases meet, nested ones included, sorted and distinct.

    What the schedule's ``_phase_boundaries()`` lists (``Warmup`` and
    ``Join`` list their own and their children's, shifted; ``Scale``,
    ``Sum``... their children's). ``lrkit.plot`` and ``lrkit show`` mark
    these steps.

    Example:
        >>> import lrkit
        >>> phase_boundaries(lrkit.Warmup(lrkit.LinearDecay(0.1, 100), warmup_steps=10))
        [10]
    """
    return sorted(set(schedule._phase_boundaries()))
