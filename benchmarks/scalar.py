"""Worker: the cost of one call on a Python int, lrkit against one other kind of schedule.

``python -m benchmarks.scalar --against hand`` times every case of
:mod:`benchmarks.scalar_cases` (lrkit, the ``math`` formula hand-written as a
minimal callable object, each combinator's lrkit parts composed by hand, an
empty function, an empty callable object and an empty callable object making
lrkit's step check);
``--against lrsched|optax|keras`` times the same and that library's schedule
for the cases it has. Keras uses the backend named by
``KERAS_BACKEND``, which ``benchmarks.run`` sets per process.
"""

from __future__ import annotations

import os
import sys
from typing import Any

from benchmarks.common import (
    Contender,
    assert_close,
    emit,
    loop_timer,
    paired,
    progress,
    row,
    skipped,
    time_side_by_side,
    worker_parser,
)
from benchmarks.scalar_cases import ScalarCase, cases, covered, steps_for

HAND_TARGET = 1.3  # lrkit / the formula hand-written as a minimal callable object
PARTS_TARGET = 1.3  # combinator / its lrkit parts composed by hand ("the sum of its parts")
PEER_TARGET = 1.0  # lrkit / lrsched
HAND_NAME = "hand-written object"


def empty_function(t: int) -> int:
    return t


INF = float("inf")


class EmptyObject:
    """The cheapest callable object: what calling any object costs at least."""

    def __call__(self, t: Any) -> Any:
        return t


class CheckedObject:
    """The cheapest schedule object: an empty callable object making lrkit's one step check.

    Like every schedule serving arrays as well as Python numbers, it first
    checks that its step is a non-negative finite Python number (arrays and
    other steps would go elsewhere).
    """

    def __call__(self, t: Any) -> Any:
        if not ((type(t) is int and t >= 0) or (type(t) is float and 0.0 <= t < INF)):
            return None
        return t


def fresh(schedule: Any, case: ScalarCase) -> Any:
    """``schedule``; where lrkit caches (``case.uncached``), a call clearing the cache first."""
    if not case.uncached:
        return schedule
    import lrkit

    # The module defining TimmNoise holds the cached draw (wherever lrkit puts it).
    clear = sys.modules[lrkit.TimmNoise.__module__].torch_noise.cache_clear

    def call(t: int) -> Any:
        clear()
        return schedule(t)

    return call


def check(case: ScalarCase, name: str, function: Any, tolerance: float, slow: bool) -> None:
    """``function`` gives lrkit's values at the timed steps and more (fewer where ``slow``)."""
    schedule = case.make()
    steps = sorted({*steps_for(case), *range(0, 2 * case.end + 1, max(1, case.end // 97))})
    if slow:
        steps = [*steps_for(case)[::4], 2 * case.end]
    expected = [schedule(step) for step in steps]
    got = [float(function(step)) for step in steps]
    assert_close(f"{case.name}: {name}", got, expected, tolerance)


def other_library(against: str) -> tuple[str, Any, float]:
    """(display name, module handed to the case's factory, value tolerance)."""
    import importlib.metadata

    if against == "lrsched":
        import lrsched  # type: ignore[import-untyped]

        return f"lrsched {importlib.metadata.version('lrsched')}", lrsched, 1e-12
    if against == "optax":
        os.environ.setdefault("JAX_PLATFORMS", "cpu")
        import jax
        import optax  # type: ignore[import-untyped]

        return f"optax {optax.__version__} (eager JAX {jax.__version__})", optax, 1e-6
    import keras  # type: ignore[import-untyped]

    backend = keras.backend.backend()
    name = f"Keras {keras.__version__} ({backend} backend)"
    return name, keras.optimizers.schedules, 1e-6


def floor_of(other: Contender, checked: Contender, bare: Contender) -> float:
    """The least ratio to ``other`` a schedule object can reach, the median over repeats.

    That is ``other``'s time plus what ``checked`` (an empty callable object
    making lrkit's step check) costs more than ``bare``, over ``other``'s
    time. ``bare`` is what ``other`` is called as: an empty callable object
    for the hand-written objects (the floor adds the check), an empty
    function for lrsched's closures (the floor adds the object call and the
    check).
    """
    floors = sorted(
        (t + c - b) / t
        for t, c, b in zip(other.seconds, checked.seconds, bare.seconds, strict=True)
    )
    return floors[len(floors) // 2]


def run(against: str, repeats: int, target_seconds: float, quick: bool) -> dict[str, Any]:
    section = "scalar"
    if against == "hand":
        other_name, module, tolerance = HAND_NAME, None, 0.0
    else:
        try:
            other_name, module, tolerance = other_library(against)
        except ImportError as error:
            return skipped(section, against, str(error))
    rows = []
    for case in cases():
        factory = None if module is None else getattr(case, against)
        if module is not None and factory is None:
            continue
        schedule = case.make()
        slow = against in ("optax", "keras")  # tens of microseconds per call and more
        check(case, HAND_NAME, case.hand, 1e-12, slow=False)
        steps = steps_for(case)
        if quick or slow:
            steps = steps[::8]

        def timed(name: str, function: Any, steps: list[int] = steps) -> Contender:
            return Contender(name, loop_timer(function, steps), units=len(steps))

        hand, lrkit = timed("hand", case.hand), timed("lrkit", fresh(schedule, case))
        function, obj = timed("fn", empty_function), timed("obj", EmptyObject())
        checked = timed("checked", CheckedObject())
        contenders = [hand, lrkit, function, obj, checked]
        parts = None
        if module is not None:
            peer = factory(module)
            check(case, other_name, peer, tolerance, slow)
            other = timed(other_name, peer)
            contenders.append(other)
        elif case.parts:
            composed = case.parts()
            check(case, "its parts composed by hand", composed, 1e-12, slow=False)
            parts = timed("parts", composed)
            contenders.append(parts)
        progress(f"  scalar vs {against}: {case.name}")
        time_side_by_side(contenders, repeats, target_seconds)
        if module is not None:
            target = PEER_TARGET if against == "lrsched" else None
            rows.append(
                row(
                    section,
                    case.name,
                    other_name,
                    lrkit.seconds,
                    other.seconds,
                    target=target,
                    floor=floor_of(other, checked, function) if target else None,
                )
            )
            continue
        rows.append(
            row(
                section,
                case.name,
                other_name,
                lrkit.seconds,
                hand.seconds,
                target=None if case.parts else HAND_TARGET,
                floor=floor_of(hand, checked, obj),
            )
        )
        if parts is not None:
            rows.append(
                row(
                    section,
                    case.name,
                    "its lrkit parts, by hand",
                    lrkit.seconds,
                    parts.seconds,
                    target=PARTS_TARGET,
                )
            )
    extra: dict[str, Any] = {}
    if against == "hand":
        import lrkit as package

        registered = {name for name in package.registered_names() if ">" not in name}
        extra["not_covered"] = sorted(registered - covered())
        extra["call_overhead"] = paired(obj.seconds, function.seconds)["ratio"]
        extra["check_overhead"] = paired(checked.seconds, obj.seconds)["ratio"]
        extra["lrkit_version"] = package.__version__
    return {"section": section, "versus": against, "rows": rows, **extra}


def main(argv: list[str] | None = None) -> int:
    parser = worker_parser(__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--against", choices=["hand", "lrsched", "optax", "keras"], required=True)
    args = parser.parse_args(argv)
    repeats = args.repeats or (3 if args.quick else 20)
    emit(run(args.against, repeats, 0.001 if args.quick else 0.01, args.quick))
    return 0


if __name__ == "__main__":
    sys.exit(main())
