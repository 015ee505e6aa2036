"""Worker: the time of ``import lrkit`` against ``import optax`` and ``import keras``.

Each import runs in a fresh interpreter (``python -c``), which times the
import statement alone with ``time.perf_counter`` and lists the array
libraries it brought in; the runs of the three packages are interleaved in a
rotated order, and each row is the median over runs of the ratio of lrkit's
time to the other package's in the same round. Keras is imported with
``KERAS_BACKEND=numpy`` (its lightest backend; the default, TensorFlow,
takes seconds). The targets: ``import lrkit`` under 30 ms, and no array
library imported; the number of modules it loads is shown (the test suite
bounds it, and checks that none is a third-party or slow standard-library
module, since a timed test would fail on a loaded machine).
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
from typing import Any

from benchmarks.common import emit, paired, progress, worker_parser

IMPORT_BUDGET_SECONDS = 0.030
HEAVY = ("numpy", "torch", "jax", "jaxlib", "keras", "tensorflow", "matplotlib", "array_api_compat")

PROBE = """
import sys, time
before = set(sys.modules)
start = time.perf_counter()
import {package}
elapsed = time.perf_counter() - start
modules = len(set(sys.modules) - before)
import json
print(json.dumps({{"seconds": elapsed, "modules": modules,
                  "heavy": [m for m in {heavy!r} if m in sys.modules]}}))
"""


def import_once(package: str) -> dict[str, Any]:
    env = dict(os.environ, KERAS_BACKEND="numpy", JAX_PLATFORMS="cpu", TF_CPP_MIN_LOG_LEVEL="3")
    completed = subprocess.run(
        [sys.executable, "-c", PROBE.format(package=package, heavy=HEAVY)],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    result: dict[str, Any] = json.loads(completed.stdout.strip().splitlines()[-1])
    return result


def run(rounds: int) -> dict[str, Any]:
    packages = ["lrkit"]
    for package in ("optax", "keras"):
        try:
            import_once(package)  # also warms the file system cache
        except subprocess.CalledProcessError:
            progress(f"  imports: {package} is not importable, skipped")
            continue
        packages.append(package)
    import_once("lrkit")
    seconds: dict[str, list[float]] = {package: [] for package in packages}
    modules: dict[str, int] = {}
    heavy: set[str] = set()
    for index in range(rounds):
        shift = index % len(packages)
        for package in packages[shift:] + packages[:shift]:
            result = import_once(package)
            seconds[package].append(result["seconds"])
            modules[package] = result["modules"]
            if package == "lrkit":
                heavy.update(result["heavy"])
    progress(f"  imports: {rounds} rounds of {', '.join(packages)}")
    lrkit_seconds = seconds["lrkit"]
    rows = [
        {
            "section": "imports",
            "case": "import lrkit",
            "versus": "budget (30 ms)",
            "ratio": statistics.median(lrkit_seconds) / IMPORT_BUDGET_SECONDS,
            "ratio_min": min(lrkit_seconds) / IMPORT_BUDGET_SECONDS,
            "target": 1.0,
            "lrkit": statistics.median(lrkit_seconds),
            "other": IMPORT_BUDGET_SECONDS,
            "unit": "s",
        },
        {
            "section": "imports",
            "case": "import lrkit",
            "versus": "array libraries imported",
            "ratio": float(len(heavy)),
            "ratio_min": float(len(heavy)),
            "target": 0.0,
            "lrkit": sorted(heavy),
            "other": [],
            "unit": "modules",
        },
        {
            "section": "imports",
            "case": "import lrkit",
            "versus": "modules loaded (tests bound the count)",
            "ratio": float(modules["lrkit"]),
            "ratio_min": float(modules["lrkit"]),
            "target": None,
            "lrkit": modules["lrkit"],
            "other": None,
            "unit": "modules",
        },
    ]
    for package in packages[1:]:
        result = paired(lrkit_seconds, seconds[package])
        rows.append(
            {
                "section": "imports",
                "case": "import lrkit",
                "versus": f"import {package}" + (" (numpy backend)" if package == "keras" else ""),
                **result,
                "target": None,
                "lrkit": statistics.median(lrkit_seconds),
                "other": statistics.median(seconds[package]),
                "unit": "s",
            }
        )
    return {"section": "imports", "versus": "optax, keras", "rows": rows}


def main(argv: list[str] | None = None) -> int:
    parser = worker_parser(__doc__.splitlines()[0] if __doc__ else None)
    args = parser.parse_args(argv)
    emit(run(args.repeats or (3 if args.quick else 15)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
