"""Worker: peak memory of evaluating a schedule on NumPy steps, lrkit against hand-written NumPy.

The peak is what ``tracemalloc`` (which sees NumPy's array buffers) records
above the memory in use before the call, for ``schedule(np.arange(n))`` and
the hand-written formula of :mod:`benchmarks.array_cases`, with
``n = 10,000,000`` (``--quick``: 100,000). The steps themselves are allocated
before and are not counted; the result is. Peaks are deterministic, so the
median of a few repeats is reported.
"""

from __future__ import annotations

import gc
import statistics
import sys
import tracemalloc
from collections.abc import Callable
from typing import Any

from benchmarks.array_cases import cases
from benchmarks.common import emit, progress, row, skipped, worker_parser

MEMORY_TARGET = 1.5  # lrkit's peak / the hand-written NumPy peak


def peak_bytes(function: Callable[[Any], Any], steps: Any) -> int:
    gc.collect()
    tracemalloc.start()
    tracemalloc.reset_peak()
    before = tracemalloc.get_traced_memory()[0]
    result = function(steps)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    del result
    return peak - before


def run(n: int, repeats: int) -> dict[str, Any]:
    try:
        import numpy as np
    except ImportError as error:
        return skipped("memory", "numpy", str(error))
    steps = np.arange(n)
    rows = []
    for case in cases():
        schedule, hand = case.make(n), case.numpy_formula(n)
        schedule(steps[:10])  # first-call imports and caches are not the call's memory
        hand(steps[:10])
        progress(f"  memory: {case.name}, {n:,} steps")
        lrkit_peaks, hand_peaks = [], []
        for _ in range(repeats):
            lrkit_peaks.append(peak_bytes(schedule, steps))
            hand_peaks.append(peak_bytes(hand, steps))
        rows.append(
            row(
                "memory",
                f"{case.name}, {n:,} steps",
                f"hand-written NumPy {np.__version__}",
                [float(p) for p in lrkit_peaks],
                [float(p) for p in hand_peaks],
                target=MEMORY_TARGET,
                unit="bytes",
                result_bytes=n * 8,
            )
        )
        assert statistics.median(hand_peaks) >= n * 8  # the result at least: tracing works
    return {"section": "memory", "versus": "numpy", "rows": rows}


def main(argv: list[str] | None = None) -> int:
    parser = worker_parser(__doc__.splitlines()[0] if __doc__ else None)
    args = parser.parse_args(argv)
    emit(run(100_000 if args.quick else 10_000_000, args.repeats or 3))
    return 0


if __name__ == "__main__":
    sys.exit(main())
