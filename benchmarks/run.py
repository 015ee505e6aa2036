"""lrkit's side-by-side benchmark suite: one command, a table of ratios, JSON results.

    python -m benchmarks                  # the full suite (about 10 minutes)
    python -m benchmarks --quick          # small sizes, few repeats (a CI smoke run)
    python -m benchmarks --only scalar --json results.json
    python -m benchmarks --check          # exit 1 where a ratio misses its target by > 50%

Every comparison runs in its own Python process (a worker module of this
package), side by side with the contenders it is compared with; the workers
hand back their rows as JSON. Each row is a ratio, lrkit's cost over the
other's (lower is better for lrkit): the median over repeats of the ratio
measured within one repeat. Sections:

* ``scalar``: one call on a Python int, every family, against the ``math``
  formula hand-written as a minimal callable object, lrsched, optax (eager)
  and Keras 3 (NumPy and JAX backends, one process each); combinators also
  against the sum of their parts;
* ``arrays``: 1,000,000 and 10,000,000 steps against hand-written NumPy, optax
  under ``jax.jit`` and hand-written torch;
* ``memory``: the peak memory of 10,000,000 steps against hand-written NumPy;
* ``adapter``: ``lrkit.torch.LRScheduler.step()`` against torch's own
  scheduler, 1 and 10 param groups;
* ``imports``: ``import lrkit`` against its 30 ms budget, ``import optax`` and
  ``import keras``.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import subprocess
import sys
import time
from collections.abc import Collection
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: make the package importable
    sys.path.insert(0, str(ROOT))

from benchmarks.common import RESULT_MARKER, machine, versions  # noqa: E402

SECTIONS = ("scalar", "arrays", "memory", "adapter", "imports")
PACKAGES = ("lrkit", "numpy", "array-api-compat", "torch", "jax", "optax", "keras", "lrsched")
#: How far past its target a ratio may be before ``--check`` fails.
CHECK_SLACK = 1.5

#: (section, worker module, worker arguments, extra environment), one process each.
JOBS: list[tuple[str, str, list[str], dict[str, str]]] = [
    ("scalar", "benchmarks.scalar", ["--against", "hand"], {}),
    ("scalar", "benchmarks.scalar", ["--against", "lrsched"], {}),
    ("scalar", "benchmarks.scalar", ["--against", "optax"], {}),
    ("scalar", "benchmarks.scalar", ["--against", "keras"], {"KERAS_BACKEND": "numpy"}),
    ("scalar", "benchmarks.scalar", ["--against", "keras"], {"KERAS_BACKEND": "jax"}),
    ("arrays", "benchmarks.arrays", ["--against", "numpy"], {}),
    ("arrays", "benchmarks.arrays", ["--against", "optax"], {}),
    ("arrays", "benchmarks.arrays", ["--against", "torch"], {}),
    ("memory", "benchmarks.memory", [], {}),
    ("adapter", "benchmarks.adapter", [], {}),
    ("imports", "benchmarks.imports", [], {}),
]


def load_average() -> list[float] | None:
    """The 1, 5 and 15 minute load averages, where the system has them."""
    try:
        return [round(value, 2) for value in os.getloadavg()]
    except (AttributeError, OSError):
        return None


def run_worker(module: str, arguments: list[str], extra_env: dict[str, str]) -> dict[str, Any]:
    """Run one worker process; its progress goes to stderr, its result comes back."""
    env = dict(os.environ, JAX_PLATFORMS="cpu", TF_CPP_MIN_LOG_LEVEL="3", **extra_env)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    command = [sys.executable, "-m", module, *arguments]
    completed = subprocess.run(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)
    lines = completed.stdout.splitlines()
    if completed.returncode != 0 or RESULT_MARKER not in lines:
        tail = "\n".join(lines[-20:])
        return {"error": f"{' '.join(command[2:])} exited with {completed.returncode}\n{tail}"}
    result: dict[str, Any] = json.loads(lines[lines.index(RESULT_MARKER) + 1])
    return result


def status(row: dict[str, Any]) -> str:
    """``ok``, ``ok at floor``, ``miss`` or ``MISS`` (more than 50% past the target)."""
    target = row.get("target")
    if target is None:
        return ""
    ratio = row["ratio"]
    if ratio <= target:
        return "ok"
    floor = row.get("floor")
    if floor is not None and ratio <= target * floor:
        return "ok at floor"
    allowed = target * (floor or 1.0) * CHECK_SLACK
    return "miss" if ratio <= allowed else "MISS"


def show_amount(value: Any, unit: str) -> str:
    if value is None:
        return ""
    if not isinstance(value, (int, float)):
        return ", ".join(value) or "none"
    if unit == "bytes":
        return f"{value / 2**20:.0f} MiB"
    if unit == "s":
        for scale, name in ((1e-6, "ns"), (1e-3, "us"), (1.0, "ms")):
            if value < scale:
                return f"{value * 1e3 / scale:.3g} {name}"
        return f"{value:.3g} s"
    return f"{value:g} {unit}"


def table(rows: list[dict[str, Any]]) -> list[list[str]]:
    """The rows as text cells, with a header."""
    cells = [
        ["section", "case", "versus", "ratio", "fastest", "target", "status", "lrkit", "other"]
    ]
    for row in rows:
        unit = row.get("unit", "s")
        counted = unit == "modules"
        ratio = f"{row['ratio']:.0f}" if counted else f"{row['ratio']:.2f}x"
        fastest = "" if counted else f"{row['ratio_min']:.2f}x"
        target = (
            ""
            if row["target"] is None
            else (f"{row['target']:.0f}" if counted else f"{row['target']:.2f}x")
        )
        state = row["status"]
        if row.get("floor") is not None:
            state = f"{state} (floor {row['floor']:.2f}x)".strip()
        cells.append(
            [
                row["section"],
                row["case"],
                row["versus"],
                ratio,
                fastest,
                target,
                state,
                show_amount(row["lrkit"], unit),
                show_amount(row["other"], unit),
            ]
        )
    return cells


def text_table(cells: list[list[str]], right: Collection[int] = (3, 4, 5, 7, 8)) -> str:
    """``cells`` in aligned columns, those numbered in ``right`` flush right."""
    widths = [max(len(line[i]) for line in cells) for i in range(len(cells[0]))]
    lines = []
    for line in cells:
        parts = [
            cell.rjust(width) if i in right else cell.ljust(width)
            for i, (cell, width) in enumerate(zip(line, widths, strict=True))
        ]
        lines.append("  ".join(parts).rstrip())
    return "\n".join(lines)


def markdown_table(cells: list[list[str]]) -> str:
    header, *body = cells
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(cell.replace("|", "\\|") for cell in line) + " |" for line in body]
    return "\n".join(lines)


def summary_lines(report: dict[str, Any]) -> list[str]:
    rows = report["rows"]
    judged = [row for row in rows if row["target"] is not None]
    counts = {
        name: sum(row["status"] == name for row in judged)
        for name in ("ok", "ok at floor", "miss", "MISS")
    }
    lines = [
        f"{len(judged)} ratios with a target: {counts['ok']} ok, "
        f"{counts['ok at floor']} ok at the floor, {counts['miss']} missed, "
        f"{counts['MISS']} missed by more than 50%."
    ]
    for worker in report["workers"]:
        if "skipped" in worker:
            lines.append(f"skipped: {worker['section']} vs {worker['versus']}: {worker['skipped']}")
        if worker.get("not_covered"):
            lines.append(
                f"registered classes without a scalar case: {', '.join(worker['not_covered'])}"
            )
        if "error" in worker:
            lines.append(f"FAILED: {worker['error']}")
    return lines


LEGEND = """\
Ratios are lrkit's cost over the other's (time, or peak memory in the memory
section): the median over repeats of the ratio within one repeat; "fastest"
is the ratio of the fastest repeats. Scalar rows against the hand-written
object (the formula in a minimal class whose __call__ reads its parameters
from self) and lrsched show the floor: the other's time plus what the one
step check costs (an empty callable object checking that its step is a
Python number, as any schedule serving arrays too must, against an empty
callable object without it; against an empty function for lrsched's
closures), over the other's time: the least any such schedule object pays;
"ok at floor" is a ratio within the target times the floor. "MISS" is more
than 50% past the target (what --check fails on)."""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks", description=__doc__.splitlines()[0] if __doc__ else None
    )
    parser.add_argument("--quick", action="store_true", help="small sizes, few repeats (CI)")
    parser.add_argument(
        "--check", action="store_true", help="exit 1 if a ratio misses its target by more than 50%%"
    )
    parser.add_argument("--json", metavar="PATH", help="also write the results as JSON")
    parser.add_argument("--markdown", metavar="PATH", help="also write the table as Markdown")
    parser.add_argument(
        "--only",
        action="append",
        choices=SECTIONS,
        metavar="SECTION",
        help=f"run only this section (repeatable): {', '.join(SECTIONS)}",
    )
    parser.add_argument(
        "--repeats", type=int, help="repeats per comparison (each worker's default)"
    )
    args = parser.parse_args(argv)

    started = datetime.datetime.now(datetime.timezone.utc)
    load_start = load_average()
    workers = []
    rows: list[dict[str, Any]] = []
    for section, module, arguments, extra_env in JOBS:
        if args.only and section not in args.only:
            continue
        arguments = [*arguments, *(["--quick"] if args.quick else [])]
        if args.repeats:
            arguments += ["--repeats", str(args.repeats)]
        label = " ".join(
            [module.rpartition(".")[2], *arguments[:2]]
            + [f"{key}={value}" for key, value in extra_env.items()]
        )
        print(f"running {label}", file=sys.stderr, flush=True)
        began = time.perf_counter()
        result = run_worker(module, arguments, extra_env)
        result["seconds"] = round(time.perf_counter() - began, 1)
        print(f"  ({result['seconds']:.0f} s)", file=sys.stderr, flush=True)
        result.setdefault("section", section)
        result.setdefault("versus", " ".join(arguments[1:2]))
        for row in result.get("rows", []):
            row["status"] = status(row)
        rows += result.pop("rows", [])
        workers.append(result)

    report = {
        "benchmark": "lrkit side-by-side suite",
        "mode": "quick" if args.quick else "full",
        "started": started.isoformat(timespec="seconds"),
        "command": " ".join(["python -m benchmarks", *(sys.argv[1:] if argv is None else argv)]),
        "machine": {**machine(), "load_average": {"start": load_start, "end": load_average()}},
        "versions": versions(PACKAGES),
        "rows": rows,
        "workers": workers,
    }
    cells = table(rows)
    print()
    print(text_table(cells))
    print()
    print(LEGEND)
    lines = summary_lines(report)
    print("\n".join(lines))
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {args.json}")
    if args.markdown:
        description = report["machine"]
        load = description["load_average"]
        header = (
            f"# lrkit benchmarks, {report['mode']} mode, {report['started'][:10]}\n\n"
            f"`{report['command']}` on {description['cpu']}, {description['logical_cpus']} "
            f"logical CPUs, {description['system']}, {description['python']}; load average "
            f"(1, 5, 15 min) {load['start']} at the start, {load['end']} at the end.\n\n"
            + ", ".join(f"{name} {version}" for name, version in report["versions"].items())
            + "\n\n"
        )
        legend = LEGEND.replace("\n", " ")
        body = markdown_table(cells) + "\n\n" + legend + "\n\n" + "\n".join(lines) + "\n"
        Path(args.markdown).write_text(header + body, encoding="utf-8")
        print(f"wrote {args.markdown}")
    if any("error" in worker for worker in workers):
        return 2
    if args.check and any(row["status"] == "MISS" for row in rows):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
