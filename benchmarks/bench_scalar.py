"""Per-call cost of a cosine schedule on a Python int step.

Compares ``lrkit.CosineDecay(0.1, 10_000)(step)`` (and its warmup variant)
with:

* a hand-written ``math`` expression of the same formula in a plain function
  (the floor any pure-Python schedule can reach),
* Keras 3's ``keras.optimizers.schedules.CosineDecay`` on the NumPy backend
  (``KERAS_BACKEND=numpy`` is set before Keras is imported),
* lrsched's ``cosine`` closure (``with_warmup`` around it for the warmup variant),
* optax's ``cosine_decay_schedule`` / ``warmup_cosine_decay_schedule``
  (eager JAX on the CPU).

Every contender is first checked to give the same values as lrkit. Timing
uses ``timeit`` (garbage collection off); each repeat times every contender
once, in a rotated order, and the headline is the median over repeats of the
time ratio to the hand-written function *in the same repeat*, which cancels
most machine drift. Absolute nanoseconds per call are secondary columns.

Run ``python benchmarks/bench_scalar.py`` (about a minute) or with ``--quick``
(a few seconds, for CI smoke runs); ``--json PATH`` also writes the results.
Libraries that are not installed are skipped.
"""

from __future__ import annotations

import os

# Before anything can import Keras or JAX.
os.environ["KERAS_BACKEND"] = "numpy"
os.environ.setdefault("JAX_PLATFORMS", "cpu")

import argparse
import importlib.metadata
import json
import math
import platform
import statistics
import sys
import timeit
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import lrkit

Schedule = Callable[[int], Any]

HAND = "hand-written math"
LRKIT = "lrkit"
LRSCHED = "lrsched"


@dataclass
class Contender:
    name: str
    function: Schedule
    tolerance: float = 1e-12  # relative to the peak rate; 1e-6 for float32 libraries
    number: int = 1  # timeit loops per measurement, set by calibration
    seconds: list[float] = field(default_factory=list)  # per call, one per repeat


@dataclass
class Case:
    title: str
    lrkit_schedule: lrkit.LearningRateSchedule
    end: int  # the step from which the rate is constant
    contenders: list[Contender]
    skipped: dict[str, str]


# -- the contenders -----------------------------------------------------------


def cosine_by_hand(init: float, decay_steps: int, alpha: float) -> Schedule:
    def f(t: int) -> float:
        return init * (
            (1 - alpha) * 0.5 * (1 + math.cos(math.pi * min(t, decay_steps) / decay_steps)) + alpha
        )

    return f


def warmup_cosine_by_hand(
    init: float, peak: float, warmup_steps: int, decay_steps: int, alpha: float
) -> Schedule:
    end = warmup_steps + decay_steps

    def f(t: int) -> float:
        t = min(t, end)
        if t < warmup_steps:
            return (peak - init) * (t / warmup_steps) + init
        cosine = 0.5 * (1 + math.cos(math.pi * (t - warmup_steps) / decay_steps))
        return peak * ((1 - alpha) * cosine + alpha)

    return f


def empty_function(t: int) -> int:
    return t


def build_cases() -> list[Case]:
    init, peak, warmup, decay = 0.1, 0.1, 1_000, 9_000
    plain = Case(
        "CosineDecay(0.1, 10_000)",
        lrkit.CosineDecay(0.1, 10_000),
        10_000,
        [Contender(HAND, cosine_by_hand(init, 10_000, 0.0))],
        {},
    )
    warm = Case(
        f"CosineDecay(0.0, {decay:_}, warmup_target={peak}, warmup_steps={warmup:_})",
        lrkit.CosineDecay(0.0, decay, warmup_target=peak, warmup_steps=warmup),
        warmup + decay,
        [Contender(HAND, warmup_cosine_by_hand(0.0, peak, warmup, decay, 0.0))],
        {},
    )
    for case in (plain, warm):
        case.contenders.append(Contender(LRKIT, case.lrkit_schedule))

    try:
        import lrsched
    except ImportError as error:
        for case in (plain, warm):
            case.skipped[LRSCHED] = str(error)
    else:
        plain.contenders.append(
            Contender(LRSCHED, lrsched.cosine(base_lr=init, min_lr=0.0, total_steps=10_000))
        )
        cosine = lrsched.cosine(base_lr=peak, min_lr=0.0, total_steps=decay)
        warm.contenders.append(
            Contender(LRSCHED, lrsched.with_warmup(cosine, warmup_steps=warmup, start_lr=0.0))
        )

    try:
        import keras  # type: ignore[import-untyped]
    except ImportError as error:
        for case in (plain, warm):
            case.skipped["Keras 3"] = str(error)
    else:
        backend = keras.backend.backend()
        assert backend == "numpy", f"Keras backend is {backend}, expected numpy"
        name = f"Keras {keras.__version__} (numpy backend)"
        schedules = keras.optimizers.schedules
        plain.contenders.append(Contender(name, schedules.CosineDecay(init, 10_000), 1e-6))
        warm.contenders.append(
            Contender(
                name,
                schedules.CosineDecay(0.0, decay, warmup_target=peak, warmup_steps=warmup),
                1e-6,
            )
        )

    try:
        import jax
        import optax  # type: ignore[import-untyped]
    except ImportError as error:
        for case in (plain, warm):
            case.skipped["optax"] = str(error)
    else:
        name = f"optax {optax.__version__} (JAX {jax.default_backend()})"
        plain.contenders.append(Contender(name, optax.cosine_decay_schedule(init, 10_000), 1e-6))
        warm.contenders.append(
            Contender(
                name,
                optax.warmup_cosine_decay_schedule(0.0, peak, warmup, warmup + decay),
                1e-6,
            )
        )

    for case in (plain, warm):
        case.contenders.append(Contender("(empty function: call overhead)", empty_function))
    return [plain, warm]


# -- checking and timing ----------------------------------------------------------


def check_values(case: Case) -> None:
    """Every contender must give lrkit's values (float32 libraries to 1e-6 of the peak)."""
    reference = case.lrkit_schedule
    steps = sorted({*range(0, case.end + 1, case.end // 100), case.end + 1, 2 * case.end})
    peak = max(reference(step) for step in steps)
    for contender in case.contenders:
        if contender.function is empty_function:
            continue
        for step in steps:
            got, expected = float(contender.function(step)), reference(step)
            if not abs(got - expected) <= contender.tolerance * peak:
                raise AssertionError(
                    f"{case.title}: {contender.name} gives {got!r} at step {step}, "
                    f"lrkit gives {expected!r}"
                )


def timer(function: Schedule, steps: list[int]) -> timeit.Timer:
    return timeit.Timer("for s in steps: f(s)", globals={"f": function, "steps": steps})


def run_case(case: Case, steps: list[int], repeats: int, target_seconds: float) -> None:
    for contender in case.contenders:
        contender.seconds.clear()
        t = timer(contender.function, steps)
        t.timeit(1)  # warm up (first-call compilation, caches)
        loops, elapsed = 1, t.timeit(1)
        while elapsed < target_seconds / 4 and loops < 1_000_000:
            loops *= 4
            elapsed = t.timeit(loops)
        contender.number = max(1, round(loops * target_seconds / max(elapsed, 1e-9)))
    order = list(case.contenders)
    for repeat in range(repeats):
        shift = repeat % len(order)
        for contender in order[shift:] + order[:shift]:
            elapsed = timer(contender.function, steps).timeit(contender.number)
            contender.seconds.append(elapsed / (contender.number * len(steps)))


def ratios(numerator: Contender, denominator: Contender) -> dict[str, float]:
    paired = [a / b for a, b in zip(numerator.seconds, denominator.seconds, strict=True)]
    return {
        "median_paired": statistics.median(paired),
        "of_minimums": min(numerator.seconds) / min(denominator.seconds),
    }


def summarize(case: Case) -> dict[str, Any]:
    by_name = {contender.name: contender for contender in case.contenders}
    hand = by_name[HAND]
    rows = []
    for contender in case.contenders:
        vs_hand = ratios(contender, hand)
        rows.append(
            {
                "name": contender.name,
                "x_hand_median": vs_hand["median_paired"],
                "x_hand_min": vs_hand["of_minimums"],
                "ns_min": min(contender.seconds) * 1e9,
                "ns_median": statistics.median(contender.seconds) * 1e9,
                "loops": contender.number,
            }
        )
    result: dict[str, Any] = {"case": case.title, "rows": rows, "skipped": case.skipped}
    if LRSCHED in by_name:
        result["lrkit_over_lrsched"] = ratios(by_name[LRKIT], by_name[LRSCHED])
    return result


def print_case(summary: dict[str, Any], repeats: int) -> None:
    print(f"\n{summary['case']}  ({repeats} repeats)")
    width = max(len(row["name"]) for row in summary["rows"])
    print(
        f"  {'':<{width}}  {'x hand (median)':>15}  {'x hand (min)':>12}"
        f"  {'ns/call min':>11}  {'ns/call median':>14}"
    )
    for row in summary["rows"]:
        print(
            f"  {row['name']:<{width}}  {row['x_hand_median']:>14.2f}x  {row['x_hand_min']:>11.2f}x"
            f"  {row['ns_min']:>11.1f}  {row['ns_median']:>14.1f}"
        )
    for name, reason in summary["skipped"].items():
        print(f"  {name}: skipped ({reason})")
    if "lrkit_over_lrsched" in summary:
        ratio = summary["lrkit_over_lrsched"]
        print(
            f"  lrkit / lrsched: {ratio['median_paired']:.3f} (median of paired ratios), "
            f"{ratio['of_minimums']:.3f} (ratio of minimums)"
        )


def versions() -> dict[str, str]:
    found = {"python": platform.python_version()}
    for package in ("lrkit", "lrsched", "keras", "optax", "jax", "numpy"):
        try:
            found[package] = importlib.metadata.version(package)
        except importlib.metadata.PackageNotFoundError:
            found[package] = "not installed"
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="few, short repeats (CI smoke run)")
    parser.add_argument("--repeats", type=int, help="repeats per case (default 30, quick 3)")
    parser.add_argument("--json", metavar="PATH", help="also write the results to PATH")
    args = parser.parse_args(argv)
    repeats = args.repeats or (3 if args.quick else 30)
    target_seconds = 0.002 if args.quick else 0.02

    cases = build_cases()
    for case in cases:
        check_values(case)
    print(f"Python {platform.python_version()} on {platform.machine()}, {platform.system()}")
    keras_backend, jax_platforms = os.environ["KERAS_BACKEND"], os.environ["JAX_PLATFORMS"]
    print(f"Keras backend: {keras_backend}; JAX platforms: {jax_platforms}")
    print("All contenders agree with lrkit (float32 libraries to 1e-6).")
    print("Ratios: time per call / hand-written math time per call (lower is faster).")

    summaries = []
    for case in cases:
        # 64 integer steps across the run and past its end (warmup and decay alike).
        steps = [round(i * 1.25 * case.end / 63) for i in range(64)]
        run_case(case, steps, repeats, target_seconds)
        summary = summarize(case)
        summaries.append(summary)
        print_case(summary, repeats)

    if args.json:
        report = {
            "benchmark": "scalar step, per call",
            "quick": args.quick,
            "repeats": repeats,
            "platform": platform.platform(),
            "versions": versions(),
            "keras_backend": os.environ["KERAS_BACKEND"],
            "cases": summaries,
        }
        with open(args.json, "w", encoding="utf-8") as file:
            json.dump(report, file, indent=2)
        print(f"\nwrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
