"""``lrkit.compat.optax`` against the real optax.

Each case builds the same schedule twice, once from optax and once from
``lrkit.compat.optax`` with the same arguments, and compares their values
over steps from 0 to well past the schedule's end: against optax in float64
(``jax_enable_x64``, switched on only inside a fixture that restores it) to
1e-6 relative, and against optax's default float32 to float32 precision.
The lrkit schedule is also evaluated on NumPy, torch and jitted JAX arrays.
"""

from __future__ import annotations

import math
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np
import pytest

import lrkit
from lrkit.compat import optax as compat

optax = pytest.importorskip("optax")
jax = pytest.importorskip("jax")
jnp = pytest.importorskip("jax.numpy")
torch = pytest.importorskip("torch")


def call(name: str, *args: Any, **kwargs: Any) -> Callable[[Any], Any]:
    """A builder: ``module.name(*args, **kwargs)`` for either module."""
    return lambda module: getattr(module, name)(*args, **kwargs)


def join(module: Any) -> Any:
    return module.join_schedules(
        [module.constant_schedule(1.0), module.linear_schedule(1.0, 0.0, 10)], [5]
    )


def join_three(module: Any) -> Any:
    return module.join_schedules(
        [
            module.linear_schedule(0.0, 0.5, 10),
            module.cosine_decay_schedule(0.5, 20, alpha=0.1),
            module.exponential_decay(0.05, 7, 0.5, staircase=True),
        ],
        [10, 30.5],
    )


def join_nested(module: Any) -> Any:
    inner = module.join_schedules(
        [module.constant_schedule(0.2), module.polynomial_schedule(0.2, 0.0, 2, 15)], [3]
    )
    return module.join_schedules([module.warmup_constant_schedule(0.0, 0.2, 4), inner], [4])


SGDR_CYCLES = [
    {"init_value": 0.0, "peak_value": 1.0, "warmup_steps": 5, "decay_steps": 20},
    {"init_value": 0.1, "peak_value": 0.5, "warmup_steps": 0, "decay_steps": 15},
    {
        "init_value": 0.0,
        "peak_value": 0.25,
        "warmup_steps": 3,
        "decay_steps": 30,
        "end_value": 0.01,
        "exponent": 2.0,
    },
]

#: (id, builder, a step past which the schedule is constant or trivially extrapolated)
CASES: list[tuple[str, Callable[[Any], Any], float]] = [
    ("constant", call("constant_schedule", 0.1), 10),
    ("constant-zero", call("constant_schedule", 0), 10),
    ("linear", call("linear_schedule", 1.0, 0.01, 100), 100),
    ("linear-rising-begin", call("linear_schedule", 0.0, 0.5, 50, transition_begin=10), 60),
    ("linear-no-steps", call("linear_schedule", 1.0, 0.0, 0), 10),
    ("linear-negative-steps", call("linear_schedule", 1.0, 0.0, -4, 3), 10),
    ("linear-negative-begin", call("linear_schedule", 0.3, 0.1, 20, transition_begin=-5), 20),
    ("linear-float-steps", call("linear_schedule", 0.1, 0.2, 7.5), 10),
    ("polynomial", call("polynomial_schedule", 1.0, 0.01, 2, 100), 100),
    ("polynomial-sqrt-begin", call("polynomial_schedule", 1.0, 0.0, 0.5, 40, 15), 55),
    ("polynomial-no-steps", call("polynomial_schedule", 0.5, 0.1, 1, 0), 10),
    ("polynomial-rising-cubic", call("polynomial_schedule", 0.2, 0.8, 3, 30), 30),
    ("polynomial-power-zero", call("polynomial_schedule", 0.2, 0.1, 0, 30), 30),
    ("piecewise-constant", call("piecewise_constant_schedule", 1.0, {100: 0.1, 200: 0.01}), 200),
    ("piecewise-constant-none", call("piecewise_constant_schedule", 0.5), 10),
    ("piecewise-constant-empty", call("piecewise_constant_schedule", 0.5, {}), 10),
    (
        "piecewise-constant-zero-boundary-and-zero-scale",
        call("piecewise_constant_schedule", 1.0, {0: 0.5, 10: 2.0, 15: 0.0}),
        15,
    ),
    (
        "piecewise-constant-negative-boundary",
        call("piecewise_constant_schedule", 1.0, {-5: 0.5, 20: 0.1}),
        20,
    ),
    (
        "piecewise-constant-float-unsorted",
        call("piecewise_constant_schedule", 0.3, {30: 0.5, 12.5: 0.5, 7: 3.0}),
        30,
    ),
    ("exponential", call("exponential_decay", 1.0, 10, 0.5), 100),
    ("exponential-staircase", call("exponential_decay", 1.0, 7, 0.8, staircase=True), 100),
    ("exponential-begin", call("exponential_decay", 0.5, 10, 0.9, transition_begin=25), 100),
    (
        "exponential-lower-bound",
        call("exponential_decay", 1.0, 5, 0.5, transition_begin=3, end_value=0.1),
        60,
    ),
    (
        "exponential-growth-upper-bound",
        call("exponential_decay", 0.1, 4, 1.5, staircase=True, end_value=0.9),
        60,
    ),
    ("exponential-growth-unbounded", call("exponential_decay", 0.001, 10, 1.2), 100),
    ("exponential-no-steps", call("exponential_decay", 0.3, 0, 0.5, end_value=0.5), 10),
    ("exponential-rate-zero", call("exponential_decay", 0.3, 10, 0.0), 10),
    ("exponential-negative-begin", call("exponential_decay", 1.0, 10, 0.5, -7), 50),
    ("exponential-negative-end", call("exponential_decay", 1.0, 10, 0.5, end_value=-1.0), 50),
    ("exponential-rate-one", call("exponential_decay", 0.2, 10, 1.0, end_value=0.1), 50),
    ("cosine", call("cosine_decay_schedule", 1.0, 100), 100),
    ("cosine-alpha", call("cosine_decay_schedule", 0.1, 50, alpha=0.1), 50),
    ("cosine-alpha-one", call("cosine_decay_schedule", 0.1, 50, alpha=1.0), 50),
    ("cosine-rising", call("cosine_decay_schedule", 0.1, 40, alpha=1.5), 40),
    ("cosine-exponent", call("cosine_decay_schedule", 1.0, 100, exponent=2.0), 100),
    ("cosine-sqrt-alpha", call("cosine_decay_schedule", 0.5, 33.5, 0.2, 0.5), 34),
    ("cosine-exponent-zero", call("cosine_decay_schedule", 0.5, 20, exponent=0.0), 20),
    (
        "interpolate-linear",
        call("piecewise_interpolate_schedule", "linear", 1.0, {4: 0.1, 8: 0.01}),
        8,
    ),
    (
        "interpolate-cosine",
        call("piecewise_interpolate_schedule", "cosine", 1.0, {4: 0.1, 8: 0.01}),
        8,
    ),
    ("interpolate-none", call("piecewise_interpolate_schedule", "linear", 0.4), 5),
    (
        "interpolate-cosine-zero-boundary",
        call("piecewise_interpolate_schedule", "cosine", 0.5, {0: 2.0, 10: 0.5}),
        10,
    ),
    (
        "interpolate-linear-short-interval",
        call("piecewise_interpolate_schedule", "linear", 1.0, {10: 0.5, 10.5: 0.1, 20: 2.0}),
        20,
    ),
    (
        "interpolate-cosine-zero-scale-then-up",
        call("piecewise_interpolate_schedule", "cosine", 1.0, {5: 0.0, 10: 5.0, 12: 0.0}),
        12,
    ),
    ("linear-onecycle", call("linear_onecycle_schedule", 100, 1.0), 100),
    (
        "linear-onecycle-custom",
        call("linear_onecycle_schedule", 1000, 0.1, 0.25, 0.9, 10.0, 100.0),
        1000,
    ),
    ("linear-onecycle-tiny", call("linear_onecycle_schedule", 7, 1.0), 7),
    (
        "linear-onecycle-collapsed",
        call("linear_onecycle_schedule", 10, 1.0, pct_start=0.5, pct_final=0.5),
        10,
    ),
    ("linear-onecycle-final-at-end", call("linear_onecycle_schedule", 20, 2.0, pct_final=1.0), 20),
    ("cosine-onecycle", call("cosine_onecycle_schedule", 100, 1.0), 100),
    ("cosine-onecycle-custom", call("cosine_onecycle_schedule", 50, 0.3, 0.1, 5.0, 1e3), 50),
    ("cosine-onecycle-tiny", call("cosine_onecycle_schedule", 3, 1.0), 3),
    ("cosine-onecycle-no-warmup", call("cosine_onecycle_schedule", 40, 1.0, pct_start=0.0), 40),
    ("warmup-constant", call("warmup_constant_schedule", 0.0, 1.0, 10), 10),
    ("warmup-constant-no-warmup", call("warmup_constant_schedule", 0.1, 0.5, 0), 10),
    ("warmup-cosine", call("warmup_cosine_decay_schedule", 0.0, 1.0, 10, 100), 100),
    (
        "warmup-cosine-end-exponent",
        call("warmup_cosine_decay_schedule", 0.01, 0.5, 20, 120, 0.05, 1.5),
        120,
    ),
    ("warmup-cosine-no-warmup", call("warmup_cosine_decay_schedule", 0.1, 0.5, 0, 50), 50),
    (
        "warmup-cosine-peak-zero",
        call("warmup_cosine_decay_schedule", 0.2, 0.0, 10, 30, end_value=0.1),
        30,
    ),
    (
        "warmup-cosine-end-above-peak",
        call("warmup_cosine_decay_schedule", 0.0, 0.1, 5, 25, end_value=0.3),
        25,
    ),
    ("warmup-exponential", call("warmup_exponential_decay_schedule", 0.0, 1.0, 10, 20, 0.5), 150),
    (
        "warmup-exponential-staircase-bounded",
        call("warmup_exponential_decay_schedule", 0.1, 1.0, 5, 10, 0.5, 7, True, 0.2),
        100,
    ),
    (
        "warmup-exponential-no-warmup",
        call("warmup_exponential_decay_schedule", 0.0, 0.5, 0, 10, 0.9),
        100,
    ),
    (
        "warmup-exponential-rate-zero",
        call("warmup_exponential_decay_schedule", 0.0, 0.5, 10, 10, 0.0),
        20,
    ),
    ("sgdr", call("sgdr_schedule", SGDR_CYCLES), 65),
    ("sgdr-one-cycle", call("sgdr_schedule", SGDR_CYCLES[:1]), 20),
    ("join", join, 15),
    ("join-three", join_three, 100),
    ("join-nested", join_nested, 25),
]

CASE_PARAMS = [pytest.param(build, end, id=case_id) for case_id, build, end in CASES]


#: Every case is evaluated at this many steps, so that JAX compiles each of optax's
#: operations once for all cases (eager optax is the reference: under ``jit``, XLA may
#: round ``T / T`` above 1 and optax's polynomial gives NaN at its end).
STEP_COUNT = 256


def steps_for(end: float) -> np.ndarray:
    """Integer steps to well past ``end``, steps around it, fractional and large steps."""
    special = [0.25, 0.5, end / 3 + 0.25, end - 1, end - 0.5, end, end + 0.75, end + 1]
    special += [10 * end + 1, 1000 * end + 7, 1e6 + 3]
    whole = np.round(np.linspace(0, 2 * math.ceil(end) + 3, STEP_COUNT - len(special)))
    return np.concatenate([whole, np.maximum(special, 0.0)])


def optax_values(schedule: Any, steps: np.ndarray, dtype: Any) -> np.ndarray:
    values = jax.vmap(schedule)(jnp.asarray(steps, dtype=dtype))
    return np.broadcast_to(np.asarray(values, dtype=np.float64), steps.shape)


def lrkit_values(schedule: lrkit.LearningRateSchedule, steps: np.ndarray) -> np.ndarray:
    return np.array([schedule(float(step)) for step in steps])


@pytest.fixture
def x64() -> Iterator[None]:
    """JAX in float64 for the duration of one test."""
    previous = jax.config.jax_enable_x64
    jax.config.update("jax_enable_x64", True)
    try:
        yield
    finally:
        jax.config.update("jax_enable_x64", previous)


# -- parity: the same values as optax ---------------------------------------------


@pytest.mark.parametrize(("build", "end"), CASE_PARAMS)
def test_values_equal_optax_in_float32(build: Callable[[Any], Any], end: float) -> None:
    # optax's default: int32 steps (as its optimizers count), float32 arithmetic.
    steps = np.floor(steps_for(end)[:-1])
    expected = optax_values(build(optax), steps, jnp.int32)
    got = lrkit_values(build(compat), steps)
    scale = max(float(np.max(np.abs(got[np.isfinite(got)]))), 1e-30)
    # float32 rounds each operation to 6e-8; a power of a large exponent loses more.
    np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-6 * scale)


@pytest.mark.usefixtures("x64")
@pytest.mark.parametrize(("build", "end"), CASE_PARAMS)
def test_values_equal_optax_in_float64(build: Callable[[Any], Any], end: float) -> None:
    steps = steps_for(end)
    schedule = build(compat)
    assert isinstance(schedule, lrkit.LearningRateSchedule)
    expected = optax_values(build(optax), steps, jnp.float64)
    # Python numbers, then arrays of every library.
    np.testing.assert_allclose(lrkit_values(schedule, steps), expected, rtol=1e-6, atol=1e-12)
    whole = steps == np.floor(steps)
    integers, at_integers = steps[whole].astype(np.int64), expected[whole]
    with np.errstate(over="ignore"):  # a growing rate may overflow to inf, as optax's does
        from_numpy = schedule(steps), schedule(integers)
    results = {
        "numpy-float64": (from_numpy[0], expected),
        "numpy-int64": (from_numpy[1], at_integers),
        "torch-float64": (schedule(torch.asarray(steps)).numpy(), expected),
        "torch-int64-as-float64": (
            schedule(torch.asarray(integers)).double().numpy(),
            at_integers,
        ),
        "jax-jit-float64": (np.asarray(jax.jit(schedule)(jnp.asarray(steps))), expected),
    }
    scale = float(np.max(np.abs(expected[np.isfinite(expected)])))
    for kind, (got, want) in results.items():
        if kind.startswith("torch-int64"):  # torch's default float, float32 here
            np.testing.assert_allclose(got, want, rtol=1e-6, atol=1e-7 * scale, err_msg=kind)
        else:
            assert got.dtype == np.float64, kind
            np.testing.assert_allclose(got, want, rtol=1e-6, atol=1e-12, err_msg=kind)


def test_jitted_float32_steps_equal_optax() -> None:
    # Under jit, as optax's optimizers call a schedule: int32 count in, float32 out.
    steps = jnp.arange(130, dtype=jnp.int32)
    for build in (call("warmup_cosine_decay_schedule", 0.0, 1.0, 10, 100), join_three):
        got = np.asarray(jax.jit(build(compat))(steps))
        expected = np.asarray(jax.jit(jax.vmap(build(optax)))(steps))
        assert got.dtype == np.float32
        np.testing.assert_allclose(got, expected, rtol=2e-6, atol=1e-7)


@pytest.mark.parametrize(("build", "end"), CASE_PARAMS)
def test_results_round_trip(build: Callable[[Any], Any], end: float) -> None:
    schedule = build(compat)
    again = lrkit.deserialize(lrkit.to_json(schedule))
    assert again == schedule
    steps = steps_for(end)
    np.testing.assert_array_equal(lrkit_values(again, steps), lrkit_values(schedule, steps))


def test_results_are_lrkit_families_and_combinators() -> None:
    assert compat.constant_schedule(0.1) == lrkit.Constant(0.1)
    assert compat.linear_schedule(1.0, 0.0, 0) == lrkit.Constant(1.0)
    assert compat.exponential_decay(0.3, 10, 0.0) == lrkit.Constant(0.3)
    assert compat.cosine_decay_schedule(0.1, 100, 0.1) == lrkit.CosineDecay(0.1, 100, 0.1)
    assert compat.cosine_decay_schedule(0.1, 100, exponent=2) == lrkit.CosinePowerDecay(
        0.1, 100, exponent=2.0
    )
    assert compat.linear_schedule(0.0, 1.0, 10, 5) == lrkit.Join(
        [lrkit.Constant(0.0), lrkit.LinearDecay(0.0, 10, 1.0)], [5.0]
    )
    assert compat.piecewise_constant_schedule(1.0, {10: 0.5}) == lrkit.Join(
        [lrkit.Constant(1.0), lrkit.Constant(0.5)], [10]
    )


# -- errors: optax's conditions, and lrkit's stricter ones ----------------------------

#: Arguments optax refuses with ValueError: lrkit refuses them too, naming the argument.
OPTAX_ERRORS: list[tuple[str, Callable[[Any], Any], str]] = [
    (
        "cosine-zero-steps",
        call("cosine_decay_schedule", 1.0, 0),
        "cosine_decay_schedule: decay_steps must be > 0, got 0",
    ),
    (
        "cosine-negative-steps",
        call("cosine_decay_schedule", 1.0, -5.5),
        "cosine_decay_schedule: decay_steps must be > 0, got -5.5",
    ),
    (
        "piecewise-constant-negative-scale",
        call("piecewise_constant_schedule", 1.0, {10: 0.5, 20: -0.1}),
        "piecewise_constant_schedule: boundaries_and_scales must have non-negative scale "
        "factors, got -0.1",
    ),
    (
        "interpolate-unknown-type",
        call("piecewise_interpolate_schedule", "quadratic", 1.0),
        "piecewise_interpolate_schedule: interpolate_type must be one of "
        "['linear', 'cosine'], got 'quadratic'",
    ),
    (
        "interpolate-type-none",
        call("piecewise_interpolate_schedule", None, 1.0, {5: 0.5}),
        "interpolate_type must be one of ['linear', 'cosine'], got None",
    ),
    (
        "interpolate-negative-scale",
        call("piecewise_interpolate_schedule", "cosine", 1.0, {5: -2.0}),
        "piecewise_interpolate_schedule: boundaries_and_scales must have non-negative scale "
        "factors, got -2.0",
    ),
    (
        "linear-onecycle-zero-steps",
        call("linear_onecycle_schedule", 0, 1.0),
        "linear_onecycle_schedule: transition_steps must be > 0, got 0",
    ),
    (
        "cosine-onecycle-negative-steps",
        call("cosine_onecycle_schedule", -10, 1.0),
        "cosine_onecycle_schedule: transition_steps must be > 0, got -10",
    ),
    (
        "warmup-cosine-no-decay",
        call("warmup_cosine_decay_schedule", 0.0, 1.0, 10, 10),
        "warmup_cosine_decay_schedule: decay_steps must be > warmup_steps (10), got 10",
    ),
    (
        "warmup-cosine-decay-before-warmup-ends",
        call("warmup_cosine_decay_schedule", 0.0, 1.0, 10, 4),
        "warmup_cosine_decay_schedule: decay_steps must be > warmup_steps (10), got 4",
    ),
    (
        "sgdr-bad-cycle",
        call(
            "sgdr_schedule",
            [{"init_value": 0.0, "peak_value": 1.0, "warmup_steps": 5, "decay_steps": 5}],
        ),
        "decay_steps must be > warmup_steps (5), got 5",
    ),
]


@pytest.mark.parametrize(
    ("build", "message"), [pytest.param(b, m, id=i) for i, b, m in OPTAX_ERRORS]
)
def test_optax_errors_are_value_errors(build: Callable[[Any], Any], message: str) -> None:
    with pytest.raises(ValueError):  # noqa: PT011 - the condition is optax's, the message its own
        build(optax)
    with pytest.raises(ValueError, match=re.escape(message)):
        build(compat)


#: What optax accepts and computes without meaning (NaN, negative rates, a schedule
#: run from before its start): lrkit refuses it at construction.
LRKIT_ERRORS: list[tuple[str, Callable[[Any], Any], type[Exception], str]] = [
    ("negative-rate", call("constant_schedule", -0.1), ValueError, "value must be >= 0"),
    (
        "nan-rate",
        call("linear_schedule", math.nan, 0.0, 10),
        ValueError,
        "init_value must be finite",
    ),
    ("string-rate", call("linear_schedule", "0.1", 0.0, 10), TypeError, "init_value"),
    (
        "negative-decay-rate",
        call("exponential_decay", 1.0, 10, -0.5),
        ValueError,
        "exponential_decay: decay_rate must be >= 0, got -0.5",
    ),
    (
        "growth-to-negative-bound",
        call("exponential_decay", 1.0, 10, 2.0, end_value=-1),
        ValueError,
        "exponential_decay: end_value must be >= 0 when decay_rate >= 1, got -1",
    ),
    (
        "negative-alpha",
        call("cosine_decay_schedule", 1.0, 10, alpha=-0.5),
        ValueError,
        "cosine_decay_schedule: alpha must be >= 0, got -0.5",
    ),
    (
        "negative-exponent",
        call("cosine_decay_schedule", 1.0, 10, exponent=-1),
        ValueError,
        "cosine_decay_schedule: exponent must be >= 0, got -1",
    ),
    (
        "interpolate-negative-boundary",
        call("piecewise_interpolate_schedule", "linear", 1.0, {-5: 0.5, 10: 0.1}),
        ValueError,
        "piecewise_interpolate_schedule: boundaries_and_scales steps must be >= 0, got -5",
    ),
    (
        "interpolate-not-a-dict",
        call("piecewise_interpolate_schedule", "linear", 1.0, [(5, 0.5)]),
        TypeError,
        "boundaries_and_scales must be a dict",
    ),
    (
        "warmup-cosine-negative-warmup",
        call("warmup_cosine_decay_schedule", 0.0, 1.0, -5, 10),
        ValueError,
        "warmup_cosine_decay_schedule: warmup_steps must be >= 0, got -5",
    ),
    (
        "warmup-exponential-negative-warmup",
        call("warmup_exponential_decay_schedule", 0.0, 1.0, -1, 10, 0.5),
        ValueError,
        "warmup_exponential_decay_schedule: warmup_steps must be >= 0, got -1",
    ),
    ("sgdr-empty", call("sgdr_schedule", []), ValueError, "sgdr_schedule: cosine_kwargs"),
    (
        "join-decreasing",
        lambda m: m.join_schedules([m.constant_schedule(1.0)] * 3, [10, 5]),
        ValueError,
        "strictly increasing",
    ),
    (
        "join-negative",
        lambda m: m.join_schedules([m.constant_schedule(1.0)] * 2, [-3]),
        ValueError,
        "boundaries[0] must be >= 0",
    ),
    (
        "join-count",
        lambda m: m.join_schedules([m.constant_schedule(1.0)] * 2, [3, 4]),
        ValueError,
        "one entry fewer",
    ),
    (
        "join-callable",
        lambda m: m.join_schedules([m.constant_schedule(1.0), lambda step: 0.1], [3]),
        TypeError,
        "schedules[1] must be an lrkit schedule",
    ),
]


@pytest.mark.parametrize(
    ("build", "error", "message"), [pytest.param(b, e, m, id=i) for i, b, e, m in LRKIT_ERRORS]
)
def test_meaningless_arguments_are_refused(
    build: Callable[[Any], Any], error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=re.escape(message)):
        build(compat)


def test_arguments_may_be_numpy_and_jax_scalars() -> None:
    schedule = compat.warmup_cosine_decay_schedule(
        np.float32(0.0), jnp.asarray(1.0), np.int64(10), 110, end_value=jnp.asarray(0.125)
    )
    assert schedule == compat.warmup_cosine_decay_schedule(0.0, 1.0, 10, 110, end_value=0.125)
    for value in schedule.get_config().values():
        assert not hasattr(value, "dtype")


# -- the module itself ----------------------------------------------------------------


def test_signatures_match_optax() -> None:
    import inspect

    for name in compat.__all__:
        ours = inspect.signature(getattr(compat, name)).parameters
        theirs = inspect.signature(getattr(optax, name)).parameters
        assert list(ours) == list(theirs), name
        for parameter in ours:
            assert ours[parameter].default == theirs[parameter].default, (name, parameter)
            assert ours[parameter].kind == theirs[parameter].kind, (name, parameter)


def test_importing_the_module_imports_no_optax_jax_or_numpy() -> None:
    code = (
        "import sys, lrkit.compat.optax as m\n"
        "m.warmup_cosine_decay_schedule(0.0, 1.0, 10, 100)(5)\n"
        "heavy = [n for n in ('optax', 'jax', 'jaxlib', 'numpy') if n in sys.modules]\n"
        "assert not heavy, heavy\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_docstring_examples_run() -> None:
    import doctest

    from lrkit.compat import _optax_composed, _optax_decays

    for module in (compat, _optax_decays, _optax_composed):
        assert doctest.testmod(module).failed == 0
