"""``lrkit.describe``: the numbers that summarise a schedule over a training run.

Every statistic is defined once, over the rates at the integer steps
``0, 1, ..., total_steps - 1`` (the steps a run of ``total_steps`` updates
sees). The rates come from Python floats for short runs, which imports no
array library, and from one vectorised NumPy call for long ones; the two give
the same statistics up to the rounding of the last bits of the rates.

Also :func:`suggested_steps`, the run length shown when none is given (by
``lrkit show`` and the Jupyter display).
"""

from __future__ import annotations

import math
import numbers
import sys

from lrkit._schedule import LearningRateSchedule

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import Any


__all__ = ["Description", "describe", "suggested_steps"]

#: From this many steps on, rates are computed through NumPy when it is installed.
VECTORIZE_FROM = 200_000
#: ... and from this many when NumPy is imported already (so costs nothing to use).
VECTORIZE_FROM_LOADED = 5_000
#: The run length shown for a schedule that does not suggest one of its own.
DEFAULT_STEPS = 10_000
#: The longest run :func:`suggested_steps` proposes.
MAX_SUGGESTED_STEPS = 10_000_000

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

    The schedule is evaluated at every step ``0..total_steps-1``; see
    :class:`Description` for what each number means.

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
        raise ValueError(f"describe: total_steps must be >= 1, got {total_steps}")
    loaded = "numpy" in sys.modules
    return summarize(schedule, total_steps, VECTORIZE_FROM_LOADED if loaded else VECTORIZE_FROM)


def summarize(schedule: LearningRateSchedule, total_steps: int, vectorize_from: int) -> Description:
    """:func:`describe` without the argument checks, through NumPy from ``vectorize_from`` steps.

    The command line passes :data:`VECTORIZE_FROM`, so that what it prints
    does not depend on whether NumPy happens to be imported.
    """
    values = _vectorized(schedule, total_steps) if total_steps >= vectorize_from else None
    ops: type[_PythonOps] | type[_NumpyOps] = _NumpyOps
    if values is None:
        values = [float(schedule(step)) for step in range(total_steps)]
        ops = _PythonOps
    nan_step = ops.first_nan(values)
    if nan_step is not None:
        raise ValueError(f"{schedule!r} gives NaN at step {nan_step:,}")
    peak, peak_step = ops.first_max(values)
    minimum, minimum_step = ops.first_min(values)
    area = ops.total(values)
    return Description(
        total_steps=total_steps,
        start=float(values[0]),
        peak=peak,
        peak_step=peak_step,
        end=float(values[-1]),
        minimum=minimum,
        minimum_step=minimum_step,
        mean=area / total_steps,
        area=area,
        warmup_end=ops.first_non_rise(values),
    )


def _vectorized(schedule: LearningRateSchedule, total_steps: int) -> Any:
    """The rates as a float64 NumPy array, or None without NumPy."""
    try:
        import numpy as np
    except ImportError:
        return None
    with np.errstate(all="ignore"):  # as on Python floats: inf is a value, NaN is reported
        values = np.asarray(schedule(np.arange(total_steps, dtype=np.float64)), dtype=np.float64)
    if values.shape != (total_steps,):
        raise ValueError(f"{schedule!r} returned shape {values.shape} for {total_steps} steps")
    return values


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
        return math.fsum(values)

    @staticmethod
    def first_non_rise(values: Sequence[float]) -> int:
        for step in range(len(values) - 1):
            if not values[step + 1] > values[step]:
                return step
        return len(values) - 1


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
        return float(values.sum())

    @staticmethod
    def first_non_rise(values: Any) -> int:
        stops = values[1:] <= values[:-1]
        return int(stops.argmax()) if stops.any() else len(values) - 1


# -- the run length to show ------------------------------------------------------


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
    """Where a schedule's shape ends, or None if it has no natural end."""
    name = type(schedule).__name__
    config = schedule.get_config()
    if name in ("CosineDecay", "LinearCosineDecay", "NoisyLinearCosineDecay") or (
        name == "PolynomialDecay" and not config.get("cycle")
    ):
        horizon: float = config["decay_steps"]
        if config.get("warmup_target") is not None:
            horizon += config.get("warmup_steps", 0)
        return horizon
    if name == "CosineDecayRestarts":  # three periods
        t_mul = config["t_mul"]
        return float(config["first_decay_steps"] * (1 + t_mul + t_mul * t_mul))
    if name == "PiecewiseConstantDecay":  # the last boundary at 3/4 of the way
        return config["boundaries"][-1] * 4 / 3 if config["boundaries"] else None
    from lrkit._combinators import Join, Warmup

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
