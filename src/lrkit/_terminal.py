"""The terminal chart of ``lrkit show``, drawn by plotext (the ``plot`` extra).

plotext is imported only when a chart is drawn; without it ``lrkit show``
prints its table alone.
"""

from __future__ import annotations

import math
import os
import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from lrkit._schedule import LearningRateSchedule


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
    """A line chart of ``values`` over ``steps`` as text, or None without plotext.

    ``boundaries`` are marked with vertical lines. Steps whose rate is not
    finite are left out; the rate axis starts at 0 when every rate is >= 0.
    """
    try:
        import plotext as plt
    except ImportError:
        return None
    points = [(s, v) for s, v in zip(steps, values, strict=True) if math.isfinite(v)]
    if len(points) < 2:
        return None
    xs, ys = [s for s, _ in points], [v for _, v in points]
    low, high = min(0.0, min(ys)), max(ys)
    if high <= low:  # a constant rate of 0: give the axis some height
        high = low + 1.0
    first, last = xs[0], xs[-1]
    plt.clear_figure()
    try:
        plt.plotsize(width, height)
        plt.theme("pro" if color else "clear")
        plt.plot(xs, ys, marker="braille")
        for step in boundaries:
            if first <= step <= last:
                plt.vline(step, "gray" if color else None)
        plt.xlim(first, last)
        plt.ylim(low, high)
        y_ticks = [low + (high - low) * i / (_TICKS - 1) for i in range(_TICKS)]
        plt.yticks(y_ticks, [format(tick, ".3g") for tick in y_ticks])
        span = last - first + 1  # round numbers: 0, 2,500, ..., 9,999 for 10,000 steps
        x_ticks = sorted({min(round(first + span * i / (_TICKS - 1)), last) for i in range(_TICKS)})
        plt.xticks(x_ticks, [f"{tick:,}" for tick in x_ticks])
        plt.xlabel("step")
        text: str = plt.build()
    finally:
        plt.clear_figure()
    return text if color else plt.uncolorize(text)
