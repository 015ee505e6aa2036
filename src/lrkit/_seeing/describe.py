"""``lrkit.describe``: the numbers that summarise a schedule over a training run.

Every statistic is defined once, over the rates at the integer steps
``0, 1, ..., total_steps - 1`` (the steps a run of ``total_steps`` updates
sees). The rates come from Python floats for short runs, which imports no
array library, and from one vectorised NumPy call for long ones; the two give
the same statistics up to the rounding of the last bits of the rates.

Also :func:`suggested_steps` (from :mod:`lrkit._seeing.run_length`), the run length
shown when none is given (by ``lrkit show`` and the Jupyter display).
"""

from __future__ import annotations

import math
import numbers
import sys

from lrkit._core.schedule import LearningRateSchedule
from lrkit._core.validation import show
from lrkit._seeing.run_length import DEFAULT_STEPS as DEFAULT_STEPS  # re-exported
from lrkit._seeing.run_length import MAX_SUGGESTED_STEPS as MAX_SUGGESTED_STEPS
from lrkit._seeing.run_length import suggested_steps

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import Any


__all__ = ["MAX_TOTAL_STEPS", "Description", "describe", "suggested_steps"]

#: From this many steps on, rates are computed through NumPy when it is installed.
VECTORIZE_FROM = 200_000
#: ... and from this many when NumPy is imported already (so costs nothing to use).
VECTORIZE_FROM_LOADED = 5_000
#: The longest run :func:`describe` evaluates (every step of it).
MAX_TOTAL_STEPS = 100_000_000
#: Steps evaluated at a time on Python floats, and through NumPy.
BLOCK_STEPS = 1 << 16
NUMPY_BLOCK_STEPS = 1 << 20

_FIELDS = (
    "total_steps",
    "start",
    "peak",
    "peak_step",
    "end",
    "minimum",
    "minimum_step",
    "mean",
    "area",
    "warmup_end",
)


class Description:
    """What :func:`describe` finds: a schedule's rates over steps ``0..total_steps-1``.

    Attributes:
        total_steps: :math:`N`, the number of steps described.
        start: the rate at step 0.
        peak: the largest rate; ``peak_step`` is the first step that has it.
        end: the rate at step :math:`N - 1`, the last step of the run.
        minimum: the smallest rate; ``minimum_step`` is the first step that has it.
        mean: ``area / total_steps``.
        area: the sum of the rates at every step, :math:`\\sum_{t<N} \\eta(t)`:
            the run's whole learning-rate budget (how far plain SGD moves
            along a unit gradient).
        warmup_end: the first step after which the rate stops rising: the
            smallest :math:`w` with :math:`\\eta(w + 1) \\le \\eta(w)`
            (:math:`N - 1` if the rate rises at every step). It is 0 for a
            schedule that does not start with a rise, and the peak step for
            one that rises to its peak and then holds or falls.

    Immutable; compares equal field by field; :meth:`as_dict` gives the fields.
    """

    __slots__ = _FIELDS

    total_steps: int
    start: float
    peak: float
    peak_step: int
    end: float
    minimum: float
    minimum_step: int
    mean: float
    area: float
    warmup_end: int

    def __init__(
        self,
        *,
        total_steps: int,
        start: float,
        peak: float,
        peak_step: int,
        end: float,
        minimum: float,
        minimum_step: int,
        mean: float,
        area: float,
        warmup_end: int,
    ) -> None:
        values = locals()
        for field in _FIELDS:
            object.__setattr__(self, field, values[field])

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"a Description is immutable: cannot set {name!r}")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"a Description is immutable: cannot delete {name!r}")

    def as_dict(self) -> dict[str, Any]:
        """The fields as a dict, in the order of the constructor (JSON-ready)."""
        return {field: getattr(self, field) for field in _FIELDS}

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Description):
            return NotImplemented
        return self.as_dict() == other.as_dict()

    def __hash__(self) -> int:
        return hash(tuple(self.as_dict().values()))

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={value!r}" for name, value in self.as_dict().items())
        return f"Description({fields})"

    def __str__(self) -> str:
        last = self.total_steps - 1
        warmup = (
            "none (the rate does not rise at the start)"
            if self.warmup_end == 0
            else f"rises until step {self.warmup_end:,}"
        )
        rows = [
            ("steps", f"{self.total_steps:,} (0 to {last:,})"),
            ("start", fmt(self.start)),
            ("peak", f"{fmt(self.peak)} at step {self.peak_step:,}"),
            ("end", f"{fmt(self.end)} at step {last:,}"),
            ("minimum", f"{fmt(self.minimum)} at step {self.minimum_step:,}"),
            ("mean", fmt(self.mean)),
            ("area", f"{fmt(self.area)} (the sum of the rate over every step)"),
            ("warmup", warmup),
        ]
        return "\n".join(f"{name:<8} {text}" for name, text in rows)


def fmt(value: float) -> str:
    """A learning rate as lrkit prints it: six significant digits."""
    return format(value, ".6g")


def describe(schedule: LearningRateSchedule, total_steps: int) -> Description:
    """Start, peak, end, minimum, mean, area and warmup end of a run of ``total_steps``.

    The schedule is evaluated at every step ``0..total_steps-1`` (at most
    :data:`MAX_TOTAL_STEPS`), a block at a time, so memory stays small
    whatever the run's length; see :class:`Description` for what each
    number means.

    Raises ``TypeError`` or ``ValueError`` for a bad argument, and
    ``ValueError`` if the schedule gives NaN at one of the steps.

    Example:
        >>> import lrkit
        >>> schedule = lrkit.CosineDecay(0.0, 900, warmup_target=1e-3, warmup_steps=100)
        >>> summary = lrkit.describe(schedule, 1000)
        >>> summary.peak, summary.peak_step, summary.warmup_end
        (0.001, 100, 100)
        >>> round(summary.area, 6)
        0.5
    """
    if not isinstance(schedule, LearningRateSchedule):
        raise TypeError(f"describe expects an lrkit schedule, got {type(schedule).__name__}")
    if isinstance(total_steps, bool) or not isinstance(total_steps, numbers.Integral):
        raise TypeError(
            f"describe: total_steps must be an integer, got {type(total_steps).__name__}"
        )
    total_steps = int(total_steps)  # NumPy integers too
    if total_steps < 1:
        raise ValueError(f"describe: total_steps must be >= 1, got {show(total_steps)}")
    if total_steps > MAX_TOTAL_STEPS:
        raise ValueError(
            f"describe: total_steps must be <= MAX_TOTAL_STEPS ({MAX_TOTAL_STEPS:,}): every "
            f"step is evaluated; got {show(total_steps)}. Describe a shorter run, or "
            "evaluate the steps you need with schedule(steps)"
        )
    loaded = "numpy" in sys.modules
    return summarize(schedule, total_steps, VECTORIZE_FROM_LOADED if loaded else VECTORIZE_FROM)


def summarize(schedule: LearningRateSchedule, total_steps: int, vectorize_from: int) -> Description:
    """:func:`describe` without the argument checks, through NumPy from ``vectorize_from`` steps.

    The command line passes :data:`VECTORIZE_FROM`, so that what it prints
    does not depend on whether NumPy happens to be imported. The steps are
    evaluated in blocks of :data:`BLOCK_STEPS` (:data:`NUMPY_BLOCK_STEPS`
    through NumPy), each folded into the running statistics and dropped.
    """
    running = _Running(schedule)
    vectorized = total_steps >= vectorize_from and _numpy_or_none() is not None
    block = NUMPY_BLOCK_STEPS if vectorized else BLOCK_STEPS
    for start in range(0, total_steps, block):
        stop = min(start + block, total_steps)
        if vectorized:
            running.add(_vectorized(schedule, start, stop), _NumpyOps)
        else:
            running.add([float(schedule(step)) for step in range(start, stop)], _PythonOps)
    return running.description()


def _numpy_or_none() -> Any:
    try:
        import numpy
    except ImportError:
        return None
    return numpy


def _vectorized(schedule: LearningRateSchedule, start: int, stop: int) -> Any:
    """The rates at steps ``start..stop-1``, as a float64 NumPy array."""
    import numpy as np

    with np.errstate(all="ignore"):  # as on Python floats: inf is a value, NaN is reported
        steps = np.arange(start, stop, dtype=np.float64)
        values = np.asarray(schedule(steps), dtype=np.float64)
    if values.shape != steps.shape:
        raise ValueError(f"{schedule!r} returned shape {values.shape} for {steps.size} steps")
    return values


class _Running:
    """The statistics of the rates seen so far, fed one block of steps at a time."""

    def __init__(self, schedule: LearningRateSchedule) -> None:
        self.schedule = schedule
        self.steps = 0
        self.start = self.last = self.peak = self.minimum = math.nan
        self.peak_step = self.minimum_step = 0
        self.warmup_end: int | None = None
        self.areas: list[float] = []

    def add(self, values: Any, ops: type[_PythonOps] | type[_NumpyOps]) -> None:
        """Fold in the rates at the next ``len(values)`` steps."""
        offset = self.steps
        nan_step = ops.first_nan(values)
        if nan_step is not None:
            raise ValueError(f"{self.schedule!r} gives NaN at step {offset + nan_step:,}")
        peak, peak_step = ops.first_max(values)
        minimum, minimum_step = ops.first_min(values)
        first = float(values[0])
        if offset == 0:
            self.start = first
            self.peak, self.minimum = peak, minimum
            self.peak_step, self.minimum_step = peak_step, minimum_step
        else:
            if peak > self.peak:
                self.peak, self.peak_step = peak, offset + peak_step
            if minimum < self.minimum:
                self.minimum, self.minimum_step = minimum, offset + minimum_step
            if self.warmup_end is None and not first > self.last:
                self.warmup_end = offset - 1
        if self.warmup_end is None:
            stop = ops.first_non_rise(values)
            if stop is not None:
                self.warmup_end = offset + stop
        self.areas.append(ops.total(values))
        self.last = float(values[-1])
        self.steps = offset + len(values)

    def description(self) -> Description:
        total = self.steps
        area = _add_up(self.areas)
        return Description(
            total_steps=total,
            start=self.start,
            peak=self.peak,
            peak_step=self.peak_step,
            end=self.last,
            minimum=self.minimum,
            minimum_step=self.minimum_step,
            mean=area / total,
            area=area,
            warmup_end=total - 1 if self.warmup_end is None else self.warmup_end,
        )


def _add_up(values: Sequence[float]) -> float:
    """The exactly rounded sum; ``sum``'s inf or NaN where a value is not finite."""
    try:
        return math.fsum(values)
    except (ValueError, OverflowError):  # inf - inf, or a sum beyond float's range
        return sum(values, 0.0)


class _PythonOps:
    """The statistics' building blocks over a list of floats."""

    @staticmethod
    def first_nan(values: Sequence[float]) -> int | None:
        return next((i for i, value in enumerate(values) if value != value), None)

    @staticmethod
    def first_max(values: Sequence[float]) -> tuple[float, int]:
        peak = max(values)
        return peak, values.index(peak)

    @staticmethod
    def first_min(values: Sequence[float]) -> tuple[float, int]:
        low = min(values)
        return low, values.index(low)

    @staticmethod
    def total(values: Sequence[float]) -> float:
        return _add_up(values)

    @staticmethod
    def first_non_rise(values: Sequence[float]) -> int | None:
        for step in range(len(values) - 1):
            if not values[step + 1] > values[step]:
                return step
        return None


class _NumpyOps:
    """The same building blocks over a float64 NumPy array."""

    @staticmethod
    def first_nan(values: Any) -> int | None:
        import numpy as np

        nan = np.isnan(values)
        return int(nan.argmax()) if nan.any() else None

    @staticmethod
    def first_max(values: Any) -> tuple[float, int]:
        step = int(values.argmax())
        return float(values[step]), step

    @staticmethod
    def first_min(values: Any) -> tuple[float, int]:
        step = int(values.argmin())
        return float(values[step]), step

    @staticmethod
    def total(values: Any) -> float:
        import numpy as np

        with np.errstate(all="ignore"):  # inf - inf is NaN, as sum() gives
            return float(values.sum())

    @staticmethod
    def first_non_rise(values: Any) -> int | None:
        stops = values[1:] <= values[:-1]
        return int(stops.argmax()) if stops.any() else None
