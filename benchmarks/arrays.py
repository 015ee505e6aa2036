"""Worker: evaluating a schedule on an array of steps, lrkit against one other way.

``--against numpy``: ``schedule(np.arange(n))`` (int64 steps, float64 rates)
against the hand-written NumPy formula. ``--against torch``: on a float32
``torch.arange(n)`` against the hand-written torch formula. ``--against
optax``: ``jax.jit(schedule)`` against ``jax.jit`` of optax's schedule with
the same values, on int32 ``jnp.arange(n)`` (float32 rates), results
waited for. Sizes are 1,000,000 and 10,000,000 steps (``--quick``: 10,000 and
100,000).
"""

from __future__ import annotations

import os
import sys
from typing import Any

from benchmarks.array_cases import ArrayCase, cases
from benchmarks.common import (
    Contender,
    assert_close,
    call_timer,
    emit,
    progress,
    row,
    skipped,
    time_side_by_side,
    worker_parser,
)

NUMPY_TARGET = 1.5  # lrkit / hand-written NumPy
JIT_TARGET = 1.1  # lrkit under jax.jit / optax under jax.jit: "within noise"

FULL_SIZES = (1_000_000, 10_000_000)
QUICK_SIZES = (10_000, 100_000)


def size_name(n: int) -> str:
    return f"{n:,} steps"


def numpy_contenders(case: ArrayCase, n: int) -> tuple[Contender, Contender, str]:
    import numpy as np

    steps = np.arange(n)
    schedule, hand = case.make(n), case.numpy_formula(n)
    expected = schedule(steps)
    assert expected.dtype == np.float64
    assert_close(f"{case.name}, {n} steps: NumPy formula", hand(steps), expected, 1e-12)
    name = f"hand-written NumPy {np.__version__}"
    return (
        Contender("lrkit", call_timer(schedule, steps)),
        Contender(name, call_timer(hand, steps)),
        name,
    )


def torch_contenders(case: ArrayCase, n: int) -> tuple[Contender, Contender, str]:
    import torch

    steps = torch.arange(n, dtype=torch.float32)
    schedule, hand = case.make(n), case.torch_formula(n)
    expected = schedule(steps)
    assert expected.dtype == torch.float32
    # float32 steps: values agree to float32 rounding of the step and the rate.
    assert_close(f"{case.name}, {n} steps: torch formula", hand(steps), expected, 2e-5)
    name = f"hand-written torch {torch.__version__} (float32)"
    return (
        Contender("lrkit", call_timer(schedule, steps)),
        Contender(name, call_timer(hand, steps)),
        name,
    )


def optax_contenders(case: ArrayCase, n: int) -> tuple[Contender, Contender, str] | None:
    if case.optax is None:
        return None
    import jax
    import jax.numpy as jnp
    import optax  # type: ignore[import-untyped]

    steps = jnp.arange(n, dtype=jnp.int32)
    lrkit_jit = jax.jit(case.make(n))
    optax_jit = jax.jit(case.optax(optax, n))
    expected = lrkit_jit(steps)
    assert expected.dtype == jnp.float32
    assert_close(f"{case.name}, {n} steps: optax", optax_jit(steps), expected, 1e-5)

    def waited(function: Any) -> Any:
        return lambda x: function(x).block_until_ready()

    name = f"optax {optax.__version__} under jax.jit"
    return (
        Contender("lrkit", call_timer(waited(lrkit_jit), steps)),
        Contender(name, call_timer(waited(optax_jit), steps)),
        name,
    )


def run(
    against: str, sizes: tuple[int, ...], repeats: int, target_seconds: float
) -> dict[str, Any]:
    section = "arrays"
    try:
        if against == "optax":
            os.environ.setdefault("JAX_PLATFORMS", "cpu")
            import optax  # type: ignore[import-untyped]  # noqa: F401
        elif against == "torch":
            import torch  # noqa: F401
        else:
            import numpy  # noqa: F401
    except ImportError as error:
        return skipped(section, against, str(error))
    target = {"numpy": NUMPY_TARGET, "optax": JIT_TARGET}.get(against)
    build = {"numpy": numpy_contenders, "torch": torch_contenders, "optax": optax_contenders}[
        against
    ]
    rows = []
    for case in cases():
        for n in sizes:
            built = build(case, n)
            if built is None:
                continue
            lrkit, other, name = built
            progress(f"  arrays vs {against}: {case.name}, {size_name(n)}")
            time_side_by_side([lrkit, other], repeats, target_seconds)
            rows.append(
                row(
                    section,
                    f"{case.name}, {size_name(n)}",
                    name,
                    lrkit.seconds,
                    other.seconds,
                    target=target,
                )
            )
    return {"section": section, "versus": against, "rows": rows}


def main(argv: list[str] | None = None) -> int:
    parser = worker_parser(__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--against", choices=["numpy", "torch", "optax"], required=True)
    args = parser.parse_args(argv)
    repeats = args.repeats or (3 if args.quick else 7)
    sizes = QUICK_SIZES if args.quick else FULL_SIZES
    emit(run(args.against, sizes, repeats, 0.01 if args.quick else 0.2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
