"""What every benchmark worker shares: side-by-side timing, paired ratios, JSON out.

Methodology (all sections): every contender is first checked to give lrkit's
values. Each contender's loop count is calibrated so that one measurement
takes about ``target_seconds``; then each repeat times every contender once,
in an order rotated by one place per repeat. The headline ratio of a
contender pair is the median, over repeats, of the ratio of their times *in
the same repeat*, which cancels most drift in machine speed; the ratio of the
fastest repeats is a secondary column.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import timeit
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

#: Printed before the worker's JSON result on stdout, so that stray output of
#: imported libraries cannot be mistaken for it.
RESULT_MARKER = "@@lrkit-benchmark-result@@"


@dataclass
class Contender:
    """One thing to time: ``make_timer()`` gives a ``timeit.Timer`` of one unit of work.

    ``units`` is the number of calls one timer loop makes (per-call times are
    reported); ``seconds`` holds one per-call time per repeat.
    """

    name: str
    make_timer: Callable[[], timeit.Timer]
    units: int = 1
    number: int = 1
    seconds: list[float] = field(default_factory=list)


def call_timer(function: Callable[[Any], Any], argument: Any) -> Callable[[], timeit.Timer]:
    """A timer of ``function(argument)``."""
    return lambda: timeit.Timer("f(x)", globals={"f": function, "x": argument})


def loop_timer(function: Callable[[Any], Any], steps: Sequence[Any]) -> Callable[[], timeit.Timer]:
    """A timer of ``function(step)`` for every step of ``steps``."""
    return lambda: timeit.Timer("for s in steps: f(s)", globals={"f": function, "steps": steps})


def time_side_by_side(contenders: Sequence[Contender], repeats: int, target_seconds: float) -> None:
    """Calibrate, then time every contender once per repeat in a rotated order."""
    for contender in contenders:
        contender.seconds.clear()
        timer = contender.make_timer()
        timer.timeit(1)  # warm up: first-call compilation, caches
        loops, elapsed = 1, timer.timeit(1)
        while elapsed < target_seconds / 4 and loops < 1_000_000:
            loops *= 4
            elapsed = timer.timeit(loops)
        contender.number = max(1, round(loops * target_seconds / max(elapsed, 1e-9)))
    order = list(contenders)
    for repeat in range(repeats):
        shift = repeat % len(order)
        for contender in order[shift:] + order[:shift]:
            elapsed = contender.make_timer().timeit(contender.number)
            contender.seconds.append(elapsed / (contender.number * contender.units))


def paired(numerator: Sequence[float], denominator: Sequence[float]) -> dict[str, float]:
    """The median of per-repeat ratios, and the ratio of the fastest repeats."""
    ratios = [a / b for a, b in zip(numerator, denominator, strict=True)]
    return {"ratio": statistics.median(ratios), "ratio_min": min(numerator) / min(denominator)}


def sum_seconds(contenders: Sequence[Contender]) -> list[float]:
    """Per repeat, the summed per-call times of several contenders."""
    return [sum(values) for values in zip(*(c.seconds for c in contenders), strict=True)]


def row(
    section: str,
    case: str,
    versus: str,
    lrkit: Sequence[float],
    other: Sequence[float],
    *,
    target: float | None,
    unit: str = "s",
    **extra: Any,
) -> dict[str, Any]:
    """One result row: lrkit's cost over the other's (lower is better for lrkit)."""
    result: dict[str, Any] = {"section": section, "case": case, "versus": versus}
    result.update(paired(lrkit, other))
    result.update(
        target=target,
        lrkit=statistics.median(lrkit),
        other=statistics.median(other),
        unit=unit,
    )
    result.update(extra)
    return result


def worker_parser(description: str | None) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--quick", action="store_true", help="small sizes, few repeats")
    parser.add_argument("--repeats", type=int, help="repeats per comparison")
    return parser


def emit(result: dict[str, Any]) -> None:
    """Hand the result to ``benchmarks.run``: the marker line, then one line of JSON."""
    sys.stdout.flush()
    print(RESULT_MARKER)
    print(json.dumps(result))
    sys.stdout.flush()


def skipped(section: str, versus: str, reason: str) -> dict[str, Any]:
    return {"section": section, "versus": versus, "rows": [], "skipped": reason}


def progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def assert_close(
    what: str, got: Any, expected: Any, tolerance: float, scale: float | None = None
) -> None:
    """``|got - expected| <= tolerance * scale`` elementwise (scale: the peak of ``expected``)."""
    import numpy as np

    got = np.asarray(got, dtype=np.float64)
    expected = np.asarray(expected, dtype=np.float64)
    if got.shape != expected.shape:
        raise AssertionError(f"{what}: shape {got.shape}, expected {expected.shape}")
    peak = float(np.max(np.abs(expected))) if scale is None else scale
    error = np.abs(got - expected)
    worst = int(np.argmax(error)) if error.size else 0
    if error.size and not error.flat[worst] <= tolerance * max(peak, 1e-300):
        raise AssertionError(
            f"{what}: {got.flat[worst]!r} where lrkit gives {expected.flat[worst]!r} "
            f"(index {worst}; tolerance {tolerance:g} of {peak:g})"
        )


def machine() -> dict[str, Any]:
    """The machine and interpreter the numbers come from."""
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as file:
            for line in file:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return {
        "cpu": cpu,
        "logical_cpus": os.cpu_count(),
        "system": f"{platform.system()} ({platform.machine()})",
        "python": f"{platform.python_implementation()} {platform.python_version()}",
    }


def versions(packages: Sequence[str]) -> dict[str, str]:
    import importlib.metadata

    found = {}
    for package in packages:
        try:
            found[package] = importlib.metadata.version(package)
        except importlib.metadata.PackageNotFoundError:
            found[package] = "not installed"
    return found
