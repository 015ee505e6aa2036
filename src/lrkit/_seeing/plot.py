"""``lrkit.plot``: schedules drawn with matplotlib.

Also :func:`render`, the image file behind ``lrkit plot`` and the Jupyter
display of a schedule. matplotlib (and with it NumPy) is imported only when a
plot is drawn, never by ``import lrkit``.
"""

from __future__ import annotations

import math
import numbers

from lrkit._core.schedule import LearningRateSchedule
from lrkit._seeing.run_length import phase_boundaries

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import Any

    from matplotlib.axes import Axes


__all__ = ["FORMATS", "default_labels", "plot", "render"]

#: Above this many steps a curve is drawn through this many evenly spaced
#: steps (plus the steps around each phase boundary), not through every step.
MAX_POINTS = 2_000
#: The image formats :func:`render` writes.
FORMATS = ("png", "svg", "pdf")
#: The ``gid`` of the artists that mark phase boundaries.
BOUNDARY_GID = "lrkit-phase-boundary"

_LABEL_CHARS = 60


def plot(
    schedules: LearningRateSchedule | Sequence[LearningRateSchedule],
    total_steps: int,
    ax: Axes | None = None,
    *,
    log_scale: bool = False,
    labels: Sequence[str] | None = None,
    boundaries: bool = True,
    title: str | None = None,
    max_points: int = MAX_POINTS,
    **line_kwargs: Any,
) -> Axes:
    """Draw one schedule or several over steps ``0..total_steps-1``; return the Axes.

    Args:
        schedules: a schedule, or a list of schedules drawn on the same axes.
        total_steps: the run length :math:`N`.
        ax: the matplotlib Axes to draw on; a new figure's by default.
        log_scale: a logarithmic rate axis (steps with a rate of 0 are left out).
        labels: one legend entry per schedule; by default each schedule's
            class name (or the ``name`` it was given, where that is not its
            class's default name, such as Keras's ``"SGDRDecay"``), with the
            parameters that differ where two schedules would share a label.
        boundaries: mark the steps where phases meet (the end of a
            ``Warmup``, the boundaries of a ``Join``) with a dot on the curve
            and a dotted vertical line.
        title: the Axes title, if any.
        max_points: above this many steps, the curve goes through this many
            evenly spaced steps and the steps around each phase boundary.
        **line_kwargs: passed to ``Axes.plot`` for every curve (``linewidth``...).

    Example:
        >>> import lrkit
        >>> warm = lrkit.Warmup(lrkit.CosineDecay(1e-3, 9_000), warmup_steps=1_000)
        >>> ax = lrkit.plot([warm, lrkit.CosineDecay(1e-3, 10_000)], 10_000, log_scale=True)
        >>> ax.get_xlabel(), ax.get_ylabel()
        ('step', 'learning rate')
    """
    import numpy as np

    schedules = _as_list(schedules)
    if (
        isinstance(total_steps, bool)
        or not isinstance(total_steps, numbers.Integral)
        or total_steps < 1
    ):
        raise ValueError(f"plot: total_steps must be an integer >= 1, got {total_steps!r}")
    total_steps = int(total_steps)
    if isinstance(max_points, bool) or not isinstance(max_points, int) or max_points < 2:
        raise ValueError(f"plot: max_points must be an integer >= 2, got {max_points!r}")
    if labels is None:
        labels = default_labels(schedules)
    elif isinstance(labels, str) or len(labels) != len(schedules):
        raise ValueError(
            f"plot: labels must be a list of {len(schedules)} string(s), one per schedule, "
            f"got {labels!r}"
        )
    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots(figsize=(6.4, 4.0), layout="constrained")

    last = total_steps - 1
    marks = [
        [step for step in phase_boundaries(schedule) if 0 <= step <= last] if boundaries else []
        for schedule in schedules
    ]
    steps = _steps(total_steps, max_points, [step for found in marks for step in found])
    lowest, highest = math.inf, -math.inf
    for schedule, label, found in zip(schedules, labels, marks, strict=True):
        values = _values(schedule, steps)
        finite = values[np.isfinite(values)]
        if finite.size:
            lowest = min(lowest, float(finite.min()))
            highest = max(highest, float(finite.max()))
        (line,) = ax.plot(steps, values, label=label, **line_kwargs)
        if found:
            color = line.get_color()
            ax.plot(
                found,
                _values(schedule, np.asarray(found, dtype=np.float64)),
                linestyle="none",
                marker="o",
                markersize=4,
                color=color,
                label="_phase boundaries",
                gid=BOUNDARY_GID,
            )
            for step in found:
                ax.axvline(
                    step, color=color, linestyle=":", linewidth=0.8, alpha=0.6, gid=BOUNDARY_GID
                )

    ax.set_xlabel("step")
    ax.set_ylabel("learning rate")
    if last > 0:
        ax.set_xlim(0, last)
    if log_scale:
        ax.set_yscale("log", nonpositive="mask")
    elif lowest >= 0:  # rates from 0, with room above the highest (a constant too)
        ax.set_ylim(0, highest * 1.05 if highest > 0 else 1.0)
    ax.grid(alpha=0.3)
    if title is not None:
        ax.set_title(title)
    if any(not label.startswith("_") for label in labels):
        ax.legend(fontsize="small")
    return ax


def render(
    schedules: LearningRateSchedule | Sequence[LearningRateSchedule],
    total_steps: int,
    *,
    format: str = "png",
    width: int = 800,
    height: int = 480,
    dpi: int = 100,
    **plot_kwargs: Any,
) -> bytes:
    """The plot as an image file's bytes: PNG (``width`` x ``height`` pixels), SVG or PDF.

    Draws on a figure of its own (``matplotlib.figure.Figure``, not pyplot),
    so nothing is left open and no GUI backend is touched. ``plot_kwargs``
    go to :func:`plot`.
    """
    import io

    from matplotlib import rc_context
    from matplotlib.figure import Figure

    if format not in FORMATS:
        raise ValueError(f"render: format must be one of {list(FORMATS)}, got {format!r}")
    for name, value in (("width", width), ("height", height), ("dpi", dpi)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ValueError(f"render: {name} must be a positive integer, got {value!r}")
    metadata: dict[str, Any] = {
        "png": {"Software": None},
        "svg": {"Date": None},
        "pdf": {"CreationDate": None},
    }[format]
    buffer = io.BytesIO()
    # The same schedules give the same bytes: fixed SVG ids, no dates.
    with rc_context({"svg.hashsalt": "lrkit", "svg.fonttype": "none"}):
        figure = Figure(figsize=(width / dpi, height / dpi), dpi=dpi, layout="constrained")
        plot(schedules, total_steps, figure.add_subplot(), **plot_kwargs)
        figure.savefig(buffer, format=format, dpi=dpi, metadata=metadata)
    return buffer.getvalue()


def default_labels(schedules: Sequence[LearningRateSchedule]) -> list[str]:
    """Each schedule's class name, or the ``name`` it was given in place of the default.

    Schedules that would share a label are told apart by the parameters in
    which they differ: ``CosineDecay(alpha=0.1)``, ``CosineDecay(alpha=0.5)``.
    """
    names = [_name(schedule) for schedule in schedules]
    labels = list(names)
    for name in set(names):
        group = [i for i, other in enumerate(names) if other == name]
        if len(group) == 1:
            continue
        configs = [schedules[i].get_config() for i in group]
        keys = [key for key in configs[0] if len({repr(c.get(key)) for c in configs}) > 1]
        same_class = len({type(schedules[i]) for i in group}) == 1
        for i in group:
            if keys and same_class:
                shown = ", ".join(f"{key}={getattr(schedules[i], key, None)!r}" for key in keys)
                labels[i] = _shorten(f"{type(schedules[i]).__name__}({shown})")
            else:
                labels[i] = _shorten(repr(schedules[i]))
    return labels


def _name(schedule: LearningRateSchedule) -> str:
    """The class name, unless the schedule was given a ``name`` of its own.

    The Keras family's default names (``"SGDRDecay"`` for
    ``CosineDecayRestarts``, ``"PiecewiseConstant"``...) name no schedule
    the reader knows, so they give way to the class name.
    """
    from lrkit._core.schedule import _parameters

    name = getattr(schedule, "name", None)
    parameter = _parameters(type(schedule)).get("name")
    default = parameter.default if parameter is not None else None
    if isinstance(name, str) and name and name != default:
        return name
    return type(schedule).__name__


def _shorten(text: str) -> str:
    return text if len(text) <= _LABEL_CHARS else text[: _LABEL_CHARS - 1] + "…"


def _as_list(
    schedules: LearningRateSchedule | Sequence[LearningRateSchedule],
) -> list[LearningRateSchedule]:
    if isinstance(schedules, LearningRateSchedule):
        return [schedules]
    if isinstance(schedules, (str, bytes)) or not hasattr(schedules, "__iter__"):
        raise TypeError(
            f"plot expects a schedule or a list of schedules, got {type(schedules).__name__}"
        )
    found = list(schedules)
    if not found:
        raise ValueError("plot: no schedule to draw (got an empty list)")
    for i, schedule in enumerate(found):
        if not isinstance(schedule, LearningRateSchedule):
            raise TypeError(
                f"plot: schedules[{i}] must be an lrkit schedule, got {type(schedule).__name__}"
            )
    return found


def _steps(total_steps: int, max_points: int, marks: list[float]) -> Any:
    """The steps a curve goes through, as a float64 array."""
    import numpy as np

    if total_steps <= max_points:
        return np.arange(total_steps, dtype=np.float64)
    even = np.rint(np.linspace(0, total_steps - 1, max_points))
    around = [s for m in marks for s in (math.floor(m) - 1, math.floor(m), math.ceil(m))]
    extra = np.clip(np.asarray(around, dtype=np.float64), 0, total_steps - 1)
    return np.unique(np.concatenate([even, extra]))


def _values(schedule: LearningRateSchedule, steps: Any) -> Any:
    import numpy as np

    with np.errstate(all="ignore"):  # an overflow to inf is drawn, not warned about
        values = np.asarray(schedule(steps), dtype=np.float64)
    return np.broadcast_to(values, steps.shape)
