"""The terminal chart of ``lrkit show``, drawn by plotext (the ``plot`` extra).

plotext (5.x or 6.x) is imported only when a chart is drawn; without it, or
when it fails in any way, ``lrkit show`` prints its table alone, whose bars
are the built-in chart.
"""

from __future__ import annotations

import math
import os
import sys
from typing import Any, NamedTuple

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from lrkit._core.schedule import LearningRateSchedule


__all__ = ["chart", "sample_steps", "schedule_chart"]

CHART_HEIGHT = 16
MAX_CHART_WIDTH = 100
_TICKS = 5


def sample_steps(total: int, rows: int) -> list[int]:
    """``rows`` distinct steps evenly spaced from 0 to ``total - 1``.

    The multiples of ``total / (rows - 1)``, rounded down, with the last one
    moved to ``total - 1``: round numbers (0, 1000, ..., 9000, 9999 for
    10,000 steps), distinct because they are more than one step apart.
    """
    if rows >= total:
        return list(range(total))
    return [min(i * total // (rows - 1), total - 1) for i in range(rows)]


def schedule_chart(
    schedule: LearningRateSchedule,
    total: int,
    boundaries: Sequence[float],
    evaluate: Callable[[LearningRateSchedule, int], float],
) -> str | None:
    """The chart of steps ``0..total-1`` as wide as the terminal (at most 100 columns).

    ``evaluate(schedule, step)`` gives each rate; colours only on a terminal
    without ``NO_COLOR``.
    """
    import shutil

    width = min(shutil.get_terminal_size((80, 24)).columns, MAX_CHART_WIDTH)
    steps = sample_steps(total, max(2, 2 * width))  # braille: two dots per column
    values = [evaluate(schedule, step) for step in steps]
    color = sys.stdout.isatty() and "NO_COLOR" not in os.environ
    return chart(
        steps, values, boundaries=boundaries, width=width, height=CHART_HEIGHT, color=color
    )


def chart(
    steps: Sequence[int],
    values: Sequence[float],
    *,
    boundaries: Sequence[float] = (),
    width: int = 80,
    height: int = 16,
    color: bool = False,
) -> str | None:
    """A line chart of ``values`` over ``steps`` as text, or None without a working plotext.

    ``boundaries`` are marked with vertical lines. Steps whose rate is not
    finite are left out; the rate axis starts at 0 when every rate is >= 0.
    plotext 5.x and 6.x are supported; when plotext is missing, of an API
    neither of them has, or raises anything while drawing, the result is None
    and ``lrkit show`` prints its table (whose bars are the built-in chart).
    """
    points = [(s, v) for s, v in zip(steps, values, strict=True) if math.isfinite(v)]
    if len(points) < 2:
        return None
    xs, ys = [s for s, _ in points], [v for _, v in points]
    low, high = min(0.0, min(ys)), max(ys)
    if high <= low:  # a constant rate of 0: give the axis some height
        high = low + 1.0
    first, last = xs[0], xs[-1]
    y_ticks = [low + (high - low) * i / (_TICKS - 1) for i in range(_TICKS)]
    span = last - first + 1  # round numbers: 0, 2,500, ..., 9,999 for 10,000 steps
    x_ticks = sorted({min(round(first + span * i / (_TICKS - 1)), last) for i in range(_TICKS)})
    frame = _Frame(
        xs=xs,
        ys=ys,
        x_range=(first, last),
        y_range=(low, high),
        x_ticks=(x_ticks, [f"{tick:,}" for tick in x_ticks]),
        y_ticks=(y_ticks, [format(tick, ".3g") for tick in y_ticks]),
        lines=[step for step in boundaries if first <= step <= last],
        size=(width, height),
        color=color,
    )
    try:  # an optional library: nothing it does may break the command
        import plotext as plt

        if hasattr(plt, "clear_figure"):
            return _draw_plotext5(plt, frame)
        if hasattr(getattr(plt, "figure", None), "signal"):
            return _draw_plotext6(plt, frame)
    except Exception:
        return None
    return None


class _Frame(NamedTuple):
    """What a chart shows, computed once for whichever plotext API draws it."""

    xs: list[int]
    ys: list[float]
    x_range: tuple[int, int]
    y_range: tuple[float, float]
    x_ticks: tuple[list[int], list[str]]
    y_ticks: tuple[list[float], list[str]]
    lines: list[float]
    size: tuple[int, int]
    color: bool


def _draw_plotext5(plt: Any, frame: _Frame) -> str:
    """plotext 5.x: module-level functions over one global figure."""
    plt.clear_figure()
    try:
        plt.plotsize(*frame.size)
        plt.theme("pro" if frame.color else "clear")
        plt.plot(frame.xs, frame.ys, marker="braille")
        for step in frame.lines:
            plt.vline(step, "gray" if frame.color else None)
        plt.xlim(*frame.x_range)
        plt.ylim(*frame.y_range)
        plt.yticks(*frame.y_ticks)
        plt.xticks(*frame.x_ticks)
        plt.xlabel("step")
        text = str(plt.build())
    finally:
        plt.clear_figure()
    return text if frame.color else str(plt.uncolorize(text))


def _draw_plotext6(plt: Any, frame: _Frame) -> str:
    """plotext 6.x: methods of the master figure ``plt.figure``, built into a matrix."""
    figure = plt.figure
    figure.clear()
    try:
        figure.plot_size(*frame.size)
        figure.theme("default" if frame.color else "colorless")
        figure.draw(figure.signal(frame.xs, frame.ys, marker="braille"))
        for step in frame.lines:
            figure.line(step, "vertical")
        figure.ruler("x").lim(*frame.x_range)
        figure.ruler("y").lim(*frame.y_range)
        figure.ruler("y").ticks(*frame.y_ticks)
        figure.ruler("x").ticks(*frame.x_ticks)
        figure.label("step")
        text = str(figure.build().string(colorless=not frame.color))
    finally:
        figure.clear()
    return text
