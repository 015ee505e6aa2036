"""Evaluation on every kind of step: Python numbers, NumPy, torch, JAX, duck types.

Every registered class (through the shared ``EXAMPLES`` table) is evaluated
on each kind of input and compared with the float64 values of the Python
path; output types, dtypes, shapes and devices follow the API contract.
"""

from __future__ import annotations

import functools
import math
import os
import subprocess
import sys
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pytest
from array_api_compat import array_namespace
from hypothesis import given, settings
from hypothesis import strategies as st

import lrkit
from conftest import EXAMPLES, property_examples
from lrkit._core.arrays import evaluate_array

torch = pytest.importorskip("torch")
jax = pytest.importorskip("jax")
jnp = pytest.importorskip("jax.numpy")

HEAVY_MODULES = ("numpy", "torch", "jax", "jaxlib", "keras", "matplotlib", "array_api_compat")


class WithArray:
    """A duck-typed array (as a Keras variable is): only ``__array__``."""

    def __init__(self, value: Any) -> None:
        self.value = value

    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
        return np.asarray(self.value, dtype=dtype)


class WithFloat:
    """A duck-typed number: only ``__float__``."""

    def __init__(self, value: float) -> None:
        self.value = value

    def __float__(self) -> float:
        return float(self.value)


# -- reference values ------------------------------------------------------------


def reference(schedule: lrkit.LearningRateSchedule, steps: Any) -> np.ndarray:
    """float64 values from the Python-number path, elementwise."""
    steps = np.asarray(steps, dtype=np.float64)
    return np.array([schedule(float(step)) for step in steps.flat]).reshape(steps.shape)


@functools.cache
def float32_envelope(
    schedule: lrkit.LearningRateSchedule, step: float, width: float = 2.0**-20
) -> tuple[float, float]:
    """The range of float64 values over the steps float32 cannot tell from ``step``.

    float32 holds a step to about 2**-24 of its size and each operation of the
    formula adds a rounding of that size, so a float32 result is only defined
    up to the schedule's variation over a window of a few ulps around the step
    (wide where the schedule jumps, as a staircase, or oscillates fast).
    """
    delta = width * max(abs(step), 1.0)
    window = np.linspace(step - delta, step + delta, 65)
    values = [schedule(float(s)) for s in window] + [schedule(float(step))]
    return min(values), max(values)


def assert_float32_close(schedule: lrkit.LearningRateSchedule, steps: Any, got: Any) -> None:
    """Each value within float32 rounding of the envelope at its step.

    The rounding is relative to the schedule's scale (its largest value at
    these steps or at step 0), as a difference of two rates near the peak
    (``peak * (1 - t / T)`` at ``t = T``) is only known to a few ulps of it.
    """
    steps = np.asarray(steps, dtype=np.float64)
    got = np.asarray(got, dtype=np.float64)
    assert got.shape == steps.shape
    scale = max(abs(schedule(0)), float(np.max(np.abs(reference(schedule, steps)))))
    for step, value in zip(steps.flat, got.flat, strict=True):
        low, high = float32_envelope(schedule, float(step))
        slack = 4e-7 * scale + 2e-6 * max(abs(low), abs(high))
        assert low - slack <= value <= high + slack, (
            f"{schedule!r} at step {step}: {value} outside float32 range [{low}, {high}]"
        )


def assert_matches_reference(schedule: lrkit.LearningRateSchedule, steps: Any, got: Any) -> None:
    """float64 results match the Python path tightly; float32 ones within float32."""
    if np.asarray(got).dtype == np.float64:
        np.testing.assert_allclose(
            np.asarray(got), reference(schedule, steps), rtol=1e-12, atol=1e-15
        )
    else:
        assert_float32_close(schedule, steps, got)


def to_numpy(result: Any) -> np.ndarray:
    if isinstance(result, torch.Tensor):
        return result.detach().cpu().numpy()
    return np.asarray(result)


ARRAY_TYPES = {"numpy": (np.ndarray, np.generic), "torch": torch.Tensor, "jax": jax.Array}


# -- input kinds -----------------------------------------------------------------


@dataclass(frozen=True)
class Kind:
    """One way of passing steps: how to build it, what comes back."""

    make: Callable[[np.ndarray], Any]
    integral: bool
    library: str
    result_dtype: Callable[[], Any]
    call: Callable[[lrkit.LearningRateSchedule, Any], Any] = lambda schedule, step: schedule(step)
    elementwise: bool = False  # one call per step (scalars and 0-d arrays)
    max_step: float = 1e12  # the largest step the input type holds exactly


def _jax_default_float() -> Any:
    return jnp.asarray(0.0).dtype


def _jit(schedule: lrkit.LearningRateSchedule, step: Any) -> Any:
    return jax.jit(schedule)(step)


def _vmap(schedule: lrkit.LearningRateSchedule, step: Any) -> Any:
    return jax.jit(jax.vmap(schedule))(step)  # jitted: one compilation, not one per operation


INT32_MAX = float(2**31 - 1)
_F64, _F32 = (lambda: np.float64), (lambda: np.float32)
_TORCH_DEFAULT = torch.get_default_dtype

KINDS: dict[str, Kind] = {
    "numpy-int64": Kind(lambda a: np.asarray(a, np.int64), True, "numpy", _F64),
    "numpy-int32": Kind(lambda a: np.asarray(a, np.int32), True, "numpy", _F64, max_step=INT32_MAX),
    "numpy-uint16": Kind(lambda a: np.asarray(a, np.uint16), True, "numpy", _F64, max_step=65535),
    "numpy-float64": Kind(lambda a: np.asarray(a, np.float64), False, "numpy", _F64),
    "numpy-float32": Kind(lambda a: np.asarray(a, np.float32), False, "numpy", _F32),
    "numpy-0d-int64": Kind(
        lambda a: np.asarray(a, np.int64), True, "numpy", _F64, elementwise=True
    ),
    "numpy-scalar-int64": Kind(np.int64, True, "numpy", _F64, elementwise=True),
    "numpy-scalar-float32": Kind(np.float32, False, "numpy", _F32, elementwise=True),
    "numpy-scalar-float64": Kind(np.float64, False, "numpy", _F64, elementwise=True),
    "torch-int64": Kind(
        lambda a: torch.as_tensor(a, dtype=torch.int64), True, "torch", _TORCH_DEFAULT
    ),
    "torch-int32": Kind(
        lambda a: torch.as_tensor(a, dtype=torch.int32),
        True,
        "torch",
        _TORCH_DEFAULT,
        max_step=INT32_MAX,
    ),
    "torch-float32": Kind(
        lambda a: torch.as_tensor(a, dtype=torch.float32), False, "torch", lambda: torch.float32
    ),
    "torch-float64": Kind(
        lambda a: torch.as_tensor(a, dtype=torch.float64), False, "torch", lambda: torch.float64
    ),
    "torch-0d-int64": Kind(
        lambda a: torch.as_tensor(int(a), dtype=torch.int64),
        True,
        "torch",
        _TORCH_DEFAULT,
        elementwise=True,
    ),
    "jax-int32": Kind(
        lambda a: jnp.asarray(a, jnp.int32), True, "jax", _jax_default_float, max_step=INT32_MAX
    ),
    "jax-float32": Kind(lambda a: jnp.asarray(a, jnp.float32), False, "jax", lambda: jnp.float32),
    "jax-jit-int32": Kind(
        lambda a: jnp.asarray(a, jnp.int32),
        True,
        "jax",
        _jax_default_float,
        call=_jit,
        max_step=INT32_MAX,
    ),
    "jax-jit-float32": Kind(
        lambda a: jnp.asarray(a, jnp.float32), False, "jax", lambda: jnp.float32, call=_jit
    ),
    "jax-vmap-int32": Kind(
        lambda a: jnp.asarray(a, jnp.int32),
        True,
        "jax",
        _jax_default_float,
        call=_vmap,
        max_step=INT32_MAX,
    ),
    "jax-jit-python-int": Kind(
        int, True, "jax", _jax_default_float, call=_jit, elementwise=True, max_step=INT32_MAX
    ),
    "__array__-int": Kind(lambda a: WithArray(np.asarray(a, np.int64)), True, "numpy", _F64),
    "__array__-float32": Kind(lambda a: WithArray(np.asarray(a, np.float32)), False, "numpy", _F32),
    "__float__": Kind(
        lambda a: WithFloat(float(a)), False, "builtins", lambda: None, elementwise=True
    ),
}

KIND_PARAMS = [pytest.param(kind, id=key) for key, kind in KINDS.items() if kind.library != "jax"]

#: The names of each class's examples, in table order.
VARIANTS: dict[type, list[str]] = {}
for _name, _schedule in EXAMPLES.items():
    VARIANTS.setdefault(type(_schedule), []).append(_name)


def every_class_in_turn(options: dict[str, Any]) -> list[Any]:
    """(schedule, option) pairs: each option with one example of every class.

    The n-th option takes each class's n-th example (cycling), so every example
    still meets some option while the costly options (JAX compiles each
    schedule anew) run once per class instead of once per example.
    """
    params = []
    for index, (key, option) in enumerate(options.items()):
        for names in VARIANTS.values():
            name = names[index % len(names)]
            params.append(pytest.param(EXAMPLES[name], option, id=f"{name}-{key}"))
    return params


def with_examples(options: dict[str, Any]) -> list[Any]:
    """(schedule, option) pairs: every example with each option, JAX's options class by class."""
    params = every_class_in_turn({k: v for k, v in options.items() if k.startswith("jax")})
    params += [
        pytest.param(schedule, option, id=f"{name}-{key}")
        for key, option in options.items()
        if not key.startswith("jax")
        for name, schedule in EXAMPLES.items()
    ]
    return params


def _jax_kind_params() -> list[Any]:
    """Every example eagerly and compiled: one eager and one compiled JAX kind each, in turn."""
    jax_kinds = [key for key, kind in KINDS.items() if kind.library == "jax"]
    eager = [key for key in jax_kinds if KINDS[key].call not in (_jit, _vmap)]
    compiled = [key for key in jax_kinds if key not in eager]
    params = []
    for index, (name, schedule) in enumerate(EXAMPLES.items()):
        for kinds in (eager, compiled):
            key = kinds[index % len(kinds)]
            params.append(pytest.param(schedule, KINDS[key], id=f"{name}-{key}"))
    return params


JAX_KIND_PARAMS = _jax_kind_params()


STEPS_SHAPE = (2, 32)  # one shape for every example: JAX compiles each operation once


def _steps_for_kind(boundary: list[float], kind: Kind) -> np.ndarray:
    """The boundary steps the kind can hold, as a 2-D array (shapes must be kept)."""
    steps = [s for s in boundary if s <= kind.max_step]
    if kind.integral:
        steps = sorted({float(math.floor(s)) for s in steps})
    size = 16 if kind.elementwise else math.prod(STEPS_SHAPE)
    if len(steps) > size:
        steps = [steps[i] for i in np.linspace(0, len(steps) - 1, size).round().astype(int)]
    steps += [steps[-1]] * (size - len(steps))
    return np.asarray(steps, dtype=np.float64).reshape(2, -1)


def _check_result_type(kind: Kind, step: Any, result: Any) -> None:
    if kind.library == "builtins":
        assert type(result) is float
        return
    assert isinstance(result, ARRAY_TYPES[kind.library]), type(result)
    assert result.dtype == kind.result_dtype()
    if kind.library == "torch":
        assert result.device == step.device
    expected_shape = np.shape(np.asarray(step)) if kind.library != "torch" else tuple(step.shape)
    assert tuple(result.shape) == expected_shape


@pytest.mark.parametrize("kind", KIND_PARAMS)
def test_values_and_types_on_every_input_kind(
    example_schedule: lrkit.LearningRateSchedule,
    kind: Kind,
    boundary_steps: Callable[[lrkit.LearningRateSchedule], list[float]],
) -> None:
    _check_values_and_types(example_schedule, kind, boundary_steps)


@pytest.mark.parametrize(("example_schedule", "kind"), JAX_KIND_PARAMS)
def test_values_and_types_on_jax_inputs(
    example_schedule: lrkit.LearningRateSchedule,
    kind: Kind,
    boundary_steps: Callable[[lrkit.LearningRateSchedule], list[float]],
) -> None:
    _check_values_and_types(example_schedule, kind, boundary_steps)


def _check_values_and_types(
    example_schedule: lrkit.LearningRateSchedule,
    kind: Kind,
    boundary_steps: Callable[[lrkit.LearningRateSchedule], list[float]],
) -> None:
    steps = _steps_for_kind(boundary_steps(example_schedule), kind)
    if kind.elementwise:
        results = []
        for step in steps.flat:
            step_input = kind.make(step)
            result = kind.call(example_schedule, step_input)
            _check_result_type(kind, step_input, result)
            results.append(float(to_numpy(result)))
        got = np.asarray(results, dtype=np.asarray(to_numpy(result)).dtype).reshape(steps.shape)
    else:
        step_input = kind.make(steps)
        result = kind.call(example_schedule, step_input)
        _check_result_type(kind, step_input, result)
        got = to_numpy(result)
    assert_matches_reference(example_schedule, steps, got)


def test_python_numbers_give_python_floats(
    example_schedule: lrkit.LearningRateSchedule,
    boundary_steps: Callable[[lrkit.LearningRateSchedule], list[float]],
) -> None:
    for step in boundary_steps(example_schedule):
        from_float = example_schedule(step)
        from_int = example_schedule(int(step))
        assert type(from_float) is float
        assert type(from_int) is float
        if step == int(step):
            assert from_int == pytest.approx(from_float, rel=1e-15, abs=0.0)


@pytest.mark.parametrize(
    "default", [torch.float32, torch.float64], ids=["default-float32", "default-float64"]
)
def test_torch_integer_steps_give_the_default_dtype(
    example_schedule: lrkit.LearningRateSchedule, default: Any
) -> None:
    previous = torch.get_default_dtype()
    torch.set_default_dtype(default)
    try:
        result = example_schedule(torch.arange(5))
    finally:
        torch.set_default_dtype(previous)
    assert result.dtype == default
    assert result.device == torch.arange(1).device
    assert_matches_reference(example_schedule, np.arange(5.0), result.numpy())


# -- JAX: large int32 steps, jit and vmap ---------------------------------------------

INT32_STEPS = [2**31 - 1, 2**31 - 2, 2**31 - 129, 2**31 - 1000, 2**30 + 12345, 2**24 + 1]


@pytest.mark.parametrize(
    ("example_schedule", "transform"), every_class_in_turn({"eager": None, "jit": jax.jit})
)
def test_jax_int32_steps_near_the_limit_do_not_overflow(
    example_schedule: lrkit.LearningRateSchedule, transform: Any
) -> None:
    steps = jnp.asarray(INT32_STEPS, dtype=jnp.int32)
    got = np.asarray((transform or (lambda f: f))(example_schedule)(steps))
    assert np.all(np.isfinite(got))
    # float32 holds these steps to a few hundred; the value must lie in the range the
    # float64 reference spans over that uncertainty (an int32 wrap-around would
    # give the value at step 0 or a NaN instead).
    assert_float32_close(example_schedule, np.asarray(INT32_STEPS, dtype=np.float64), got)


def test_jax_jit_traces_once_per_input_signature() -> None:
    calls: list[Any] = []
    schedule = lrkit.CosineDecay(0.1, decay_steps=100)

    def traced(step: Any) -> Any:
        calls.append(step)
        return schedule(step)

    jitted = jax.jit(traced)
    values = [float(jitted(jnp.asarray(step, jnp.int32))) for step in (0, 10, 50, 100)]
    assert len(calls) == 1
    np.testing.assert_allclose(values, reference(schedule, [0, 10, 50, 100]), rtol=1e-6)


# -- the scalar fast path equals the array formula -------------------------------------


@settings(max_examples=property_examples(15), deadline=None)
@given(data=st.data())
def test_scalar_fast_path_equals_the_array_formula(
    example_schedule: lrkit.LearningRateSchedule,
    step_strategy: Callable[[lrkit.LearningRateSchedule], st.SearchStrategy[float | int]],
    data: st.DataObject,
) -> None:
    step = float(data.draw(step_strategy(example_schedule), label="step"))
    fast = example_schedule.__call__(step)
    array = np.asarray([step], dtype=np.float64)
    slow = np.broadcast_to(example_schedule._formula(array, array_namespace(array)), (1,))
    assert type(fast) is float
    np.testing.assert_allclose(fast, slow[0], rtol=1e-12, atol=1e-16)
    # The public entry points agree with the paths they dispatch to.
    assert example_schedule(step) == fast
    np.testing.assert_allclose(evaluate_array(example_schedule._formula, array), slow, rtol=0)


def _period_edges(first_decay_steps: float, t_mul: float) -> list[float]:
    """Steps at, just before and just after the starts of the first 70 periods."""
    steps = []
    for period in range(70):
        try:
            start = first_decay_steps * (1.0 - t_mul**period) / (1.0 - t_mul)
        except OverflowError:
            break
        if not math.isfinite(start):
            break
        steps += [start, math.nextafter(start, 0.0), math.nextafter(start, math.inf)]
        steps += [float(math.floor(start)), float(math.ceil(start))]
    return steps


@pytest.mark.parametrize("t_mul", [1.0001, 1.5, 2.0, 3.7, 1e10, 1e100])
def test_restarts_scalar_path_equals_the_formula_at_period_edges(t_mul: float) -> None:
    """CosineDecayRestarts finds its period by bisection: the formula's period at every edge.

    Also where the formula's logarithm overflows (huge t_mul and steps), which
    gives NaN on both paths.
    """
    from lrkit._core.arrays import ScalarOps

    schedule = lrkit.CosineDecayRestarts(1.0, 3.5, t_mul=t_mul, m_mul=0.9, alpha=0.1)
    steps = [*_period_edges(3.5, t_mul), 2.0**53, 1e300, 1.7e308]
    for step in steps:
        fast, formula = schedule(step), float(schedule._formula(step, ScalarOps))
        assert fast == formula or (math.isnan(fast) and math.isnan(formula)), step


def test_float_convertible_steps_survive_powers_past_float_range() -> None:
    """A ``__float__`` step runs the formula on Python floats, where ``**`` raises on overflow."""
    schedule = lrkit.NoisyLinearCosineDecay(
        0.1, 100, initial_variance=1.001, variance_decay=5.5e99, num_periods=5e99, seed=7
    )
    assert schedule(WithFloat(1.0)) == schedule(1.0)


# -- call-time behaviour: negative, NaN, bool and complex steps ------------------------

NEGATIVE_STEPS: dict[str, Callable[[], Any]] = {
    "python-int": lambda: -1,
    "python-int-large": lambda: -(10**12),
    "python-float": lambda: -0.5,
    "python-float-inf": lambda: -math.inf,
    "numpy-int64": lambda: np.asarray([-1, -100], np.int64),
    "numpy-float32": lambda: np.asarray([-0.5, -1e30], np.float32),
    "numpy-float64": lambda: np.asarray([-1e300, -math.inf]),
    "numpy-scalar": lambda: np.int32(-7),
    "torch-int64": lambda: torch.tensor([-1, -5]),
    "torch-float32": lambda: torch.tensor([-0.25, -math.inf]),
    "jax-int32": lambda: jnp.asarray([-1, -(2**31)], jnp.int32),
    "jax-float32": lambda: jnp.asarray([-3.5, -1e30], jnp.float32),
    "__array__": lambda: WithArray([-2, -3]),
    "__float__": lambda: WithFloat(-4.0),
}


@pytest.mark.parametrize(("example_schedule", "make"), with_examples(NEGATIVE_STEPS))
def test_negative_steps_act_as_step_zero(
    example_schedule: lrkit.LearningRateSchedule, make: Callable[[], Any]
) -> None:
    result = example_schedule(make())
    expected = example_schedule(0)
    got = to_numpy(result)
    np.testing.assert_allclose(got, np.full(got.shape, expected), rtol=1e-6)


LONG_INTEGER_STEPS: dict[str, Callable[[], Any]] = {
    # Just past two blocks of 2**15: three blocks, the last one partial.
    "int64-from-zero": lambda: np.arange(70_000, dtype=np.int64),
    "int64-with-negatives": lambda: np.arange(-35_000, 35_000, dtype=np.int64),
    "int32-strided": lambda: np.arange(210_000, dtype=np.int32)[::3],
    "uint16-2d": lambda: (np.arange(70_000) % 60_000).astype(np.uint16).reshape(140, 500),
    "int64-reversed": lambda: np.arange(-10, 69_990, dtype=np.int64)[::-1],
}


@pytest.mark.parametrize(("example_schedule", "make"), every_class_in_turn(LONG_INTEGER_STEPS))
def test_long_integer_arrays_equal_short_pieces(
    example_schedule: lrkit.LearningRateSchedule, make: Callable[[], Any]
) -> None:
    """Arrays past two blocks are converted and evaluated a block at a time: same rates."""
    steps = make()
    pieces = [example_schedule(piece) for piece in np.array_split(steps.reshape(-1), 20)]
    expected = np.concatenate(pieces).reshape(steps.shape)
    np.testing.assert_array_equal(example_schedule(steps), expected)


NAN_STEPS: dict[str, Callable[[], Any]] = {
    "python-float": lambda: math.nan,
    "numpy-float64": lambda: np.asarray([math.nan, 1.0, -1.0]),
    "numpy-float32": lambda: np.asarray([math.nan, 1.0, -1.0], np.float32),
    "numpy-scalar": lambda: np.float64(math.nan),
    "torch-float32": lambda: torch.tensor([math.nan, 1.0, -1.0]),
    "torch-float64": lambda: torch.tensor([math.nan, 1.0, -1.0], dtype=torch.float64),
    "jax-float32": lambda: jnp.asarray([math.nan, 1.0, -1.0], jnp.float32),
    "__array__": lambda: WithArray([math.nan, 1.0, -1.0]),
    "__float__": lambda: WithFloat(math.nan),
}


@pytest.mark.parametrize(("example_schedule", "make"), with_examples(NAN_STEPS))
def test_nan_step_gives_nan(
    example_schedule: lrkit.LearningRateSchedule, make: Callable[[], Any]
) -> None:
    got = np.atleast_1d(to_numpy(example_schedule(make())))
    assert math.isnan(got[0])
    if got.size > 1:  # the other entries are untouched by the NaN beside them
        np.testing.assert_allclose(got[1:], [example_schedule(1.0), example_schedule(0)], rtol=1e-6)


NAN_BESIDE_INF_STEPS: dict[str, Callable[[], Any]] = {
    "numpy-float64": lambda: np.asarray([math.nan, math.inf, 1.0]),
    "torch-float32": lambda: torch.tensor([math.nan, math.inf, 1.0]),
    "torch-float64": lambda: torch.tensor([math.inf, math.nan, 1.0], dtype=torch.float64)[
        [1, 0, 2]
    ],
    "jax-float32": lambda: jnp.asarray([math.nan, math.inf, 1.0], jnp.float32),
}


@pytest.mark.parametrize(("example_schedule", "make"), with_examples(NAN_BESIDE_INF_STEPS))
def test_nan_beside_inf_gives_nan_for_both(
    example_schedule: lrkit.LearningRateSchedule, make: Callable[[], Any]
) -> None:
    """A NaN step must not hide a +inf one (a NaN maximum says nothing about +inf)."""
    got = np.atleast_1d(to_numpy(example_schedule(make())))
    assert math.isnan(got[0])
    assert math.isnan(got[1])
    np.testing.assert_allclose(got[2], example_schedule(1.0), rtol=1e-6)


BAD_STEPS: dict[str, Callable[[], Any]] = {
    "python-True": lambda: True,
    "python-False": lambda: False,
    "numpy-bool-scalar": lambda: np.bool_(True),
    "numpy-bool-array": lambda: np.asarray([True, False]),
    "torch-bool": lambda: torch.tensor([True]),
    "jax-bool": lambda: jnp.asarray([True]),
    "python-complex": lambda: 1 + 0j,
    "numpy-complex-scalar": lambda: np.complex64(2),
    "numpy-complex-array": lambda: np.asarray([1j, 2]),
    "torch-complex": lambda: torch.tensor([1j]),
    "jax-complex": lambda: jnp.asarray([1 + 1j]),
    "__array__-bool": lambda: WithArray([True]),
    "__array__-complex": lambda: WithArray([1j]),
}


@pytest.mark.parametrize("make", BAD_STEPS.values(), ids=BAD_STEPS.keys())
def test_bool_and_complex_steps_raise_type_error(
    example_schedule: lrkit.LearningRateSchedule, make: Callable[[], Any]
) -> None:
    with pytest.raises(TypeError, match="step"):
        example_schedule(make())


@pytest.mark.parametrize(
    "make", [BAD_STEPS["jax-bool"], BAD_STEPS["jax-complex"]], ids=["bool", "complex"]
)
def test_bool_and_complex_steps_raise_type_error_under_jit(make: Callable[[], Any]) -> None:
    with pytest.raises(TypeError, match="step"):
        jax.jit(lrkit.CosineDecay(0.1, 10))(make())


@pytest.mark.parametrize(
    "step", [None, "3", [1, 2], object()], ids=["None", "str", "list", "object"]
)
def test_non_numeric_steps_raise_type_error(step: Any) -> None:
    with pytest.raises(TypeError, match="step"):
        lrkit.CosineDecay(0.1, 10)(step)


def test_overflowing_growth_gives_inf_on_every_kind() -> None:
    growth = lrkit.ExponentialDecay(1e-3, decay_steps=1000, decay_rate=1.5)
    assert growth(10**12) == math.inf
    assert growth(1e12) == math.inf
    # inf is the rate, not an accident: NumPy is not let to warn about it.
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert np.all(growth(np.asarray([1e12])) == math.inf)


def test_subnormal_steps_are_tiny_steps() -> None:
    # step / T underflows to 0 here: the cycle's horizon must still be one period.
    schedule = lrkit.PolynomialDecay(0.1, decay_steps=10, cycle=True)
    assert schedule(5e-324) == pytest.approx(0.1)
    assert schedule(np.asarray([5e-324]))[0] == pytest.approx(0.1)


# -- NoisyLinearCosineDecay: the noise is a pure function of (seed, step) ------------


def test_noise_is_the_same_on_every_input_kind() -> None:
    schedule = lrkit.NoisyLinearCosineDecay(0.1, decay_steps=50, seed=11)
    steps = np.arange(0, 56)
    expected = np.array([schedule(int(step)) for step in steps])
    assert len(np.unique(np.round(expected, 12))) > 50  # noisy: no repeats
    float64_results = [
        schedule(np.asarray(steps)),
        schedule(np.asarray(steps, np.float64)),
        schedule(torch.as_tensor(steps, dtype=torch.float64)).numpy(),
        schedule(WithArray(steps)),
        [schedule(float(step)) for step in steps],
        [schedule(np.int64(step)) for step in steps],
    ]
    for got in float64_results:
        np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-15)
    float32_results = [
        schedule(np.asarray(steps, np.float32)),
        schedule(torch.as_tensor(steps)).numpy(),
        schedule(jnp.asarray(steps, jnp.int32)),
        jax.jit(schedule)(jnp.asarray(steps, jnp.int32)),
        jax.jit(jax.vmap(schedule))(jnp.asarray(steps, jnp.float32)),
    ]
    for got in float32_results:
        np.testing.assert_allclose(np.asarray(got, np.float64), expected, rtol=2e-5, atol=1e-7)


def test_noise_depends_on_seed_and_step_only() -> None:
    steps = np.arange(0, 100, dtype=np.float64)
    first = lrkit.NoisyLinearCosineDecay(0.1, decay_steps=100, seed=1)
    again = lrkit.NoisyLinearCosineDecay(0.1, decay_steps=100, seed=1)
    other = lrkit.NoisyLinearCosineDecay(0.1, decay_steps=100, seed=2)
    np.testing.assert_array_equal(first(steps), first(steps))
    np.testing.assert_array_equal(first(steps), again(steps))
    assert [first(3) for _ in range(3)] == [first(3)] * 3
    assert not np.allclose(first(steps), other(steps))
    # seed=None means seed 0.
    np.testing.assert_array_equal(
        lrkit.NoisyLinearCosineDecay(0.1, 100)(steps),
        lrkit.NoisyLinearCosineDecay(0.1, 100, seed=0)(steps),
    )


SEEDS = [0, 1, 5, 2**31, 2**32 - 1, 2**32, 2**32 + 5, 2**64 + 5, -1, -5, -(2**32) - 5, 2**32 - 5]


def test_every_bit_of_the_seed_counts() -> None:
    steps = np.arange(0, 20, dtype=np.float64)
    draws = {
        seed: tuple(lrkit.NoisyLinearCosineDecay(0.1, decay_steps=100, seed=seed)(steps))
        for seed in SEEDS
    }
    assert len(set(draws.values())) == len(SEEDS)


def _standard_normal_draws(seed: int, steps: Any) -> Any:
    """The z of each step, from a schedule where rate = (1 - t/T) + sigma_t * z_t."""
    bare = lrkit.NoisyLinearCosineDecay(
        1.0,
        decay_steps=10**6,
        initial_variance=1.0,
        variance_decay=0.5,
        num_periods=0.0,
        beta=0.0,
        seed=seed,
    )
    steps = np.asarray(steps, dtype=np.float64)
    sigma = np.sqrt(1.0 / np.sqrt(1.0 + steps))
    return (bare(steps) - (10**6 - steps) / 10**6) / sigma


def test_noise_is_drawn_once_per_whole_step() -> None:
    z = _standard_normal_draws(3, [7.0, 7.25, 7.75, 8.0])
    np.testing.assert_allclose(z[1:3], z[0], rtol=1e-9)
    assert abs(z[3] - z[0]) > 1e-6


def test_noise_draws_look_standard_normal() -> None:
    z = _standard_normal_draws(5, np.arange(200_000))
    assert abs(z.mean()) < 0.01
    assert abs(z.std() - 1.0) < 0.01
    assert abs(np.mean(z[1:] * z[:-1])) < 0.01  # consecutive steps uncorrelated
    assert abs(np.mean(z**3)) < 0.03  # symmetric
    assert abs(np.mean(z**4) - 3.0) < 0.1  # normal tails


# -- import cost and laziness --------------------------------------------------------


def _clean_env(**extra: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    env.update(extra)
    return env


def _python(
    code: str, *, env: dict[str, str], cwd: Any, flags: tuple[str, ...] = ()
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *flags, "-c", code],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        timeout=120,
        check=True,
    )


def test_import_lrkit_imports_no_array_library(tmp_path: Any) -> None:
    code = (
        "import sys, lrkit\n"
        f"heavy = {HEAVY_MODULES!r}\n"
        "print(sorted(m for m in sys.modules if m.partition('.')[0] in heavy))\n"
    )
    out = _python(code, env=_clean_env(), cwd=tmp_path).stdout.strip()
    assert out == "[]"


def test_numpy_steps_work_right_after_import(tmp_path: Any) -> None:
    code = (
        "import lrkit\n"
        "import numpy\n"
        "a = lrkit.CosineDecay(0.1, decay_steps=100)(numpy.arange(3))\n"
        "print(type(a).__name__, a.dtype, repr(float(a[2])))\n"
    )
    out = _python(code, env=_clean_env(), cwd=tmp_path).stdout.split()
    expected = lrkit.CosineDecay(0.1, decay_steps=100)(2)
    assert out[:2] == ["ndarray", "float64"]
    assert float(out[2]) == pytest.approx(expected, rel=1e-12)


#: Standard-library modules that cost milliseconds to import; ``import lrkit`` needs none.
SLOW_STDLIB = (
    "typing",
    "inspect",
    "dataclasses",
    "json",
    "re",
    "enum",
    "ast",
    "logging",
    "subprocess",
    "threading",
    "asyncio",
    "importlib.metadata",
    "decimal",
    "fractions",
)


def test_import_lrkit_loads_few_modules(tmp_path: Any) -> None:
    """What keeps ``import lrkit`` fast, counted instead of timed (``python -m benchmarks``
    reports the time): only lrkit's own modules and a few light standard-library ones."""
    code = (
        "import sys\n"
        "before = set(sys.modules)\n"
        "import lrkit\n"
        "print(*sorted(set(sys.modules) - before))\n"
    )
    new = _python(code, env=_clean_env(), cwd=tmp_path).stdout.split()
    assert "lrkit._core.schedule" in new
    own = [name for name in new if name.partition(".")[0] == "lrkit"]
    other = [name for name in new if name.partition(".")[0] != "lrkit"]
    assert [name for name in other if name.partition(".")[0] not in sys.stdlib_module_names] == []
    assert [name for name in other if name in SLOW_STDLIB] == []
    packages = {name.rpartition(".")[0] for name in own}  # lrkit and its sub-packages
    assert len([name for name in own if name not in packages]) <= 35, own
    assert len(other) <= 35, other
