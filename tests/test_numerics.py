"""Numerics at the edges: sorted lookups, half-precision steps, huge steps, no warnings.

* Boundary lists (``PiecewiseConstantDecay``, ``MultiStepDecay``) are searched,
  not scanned: the number of array operations does not grow with the list,
  and the values are Keras's and torch's (``step <= boundary`` keeps the
  earlier value; a repeated milestone decays twice).
* float16 and bfloat16 steps are computed in float32: the rates are the
  float32 rates, rounded once to the step's dtype.
* A schedule that constructs evaluates at every step without raising (Python
  ints beyond float's range included) and, on NumPy, without a warning.
"""

from __future__ import annotations

import bisect
import copy
import math
import random
import sys
import warnings
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest
from array_api_compat import array_namespace
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import lrkit
from conftest import EXAMPLES, property_examples
from lrkit._core.arrays import for_arrays

torch = pytest.importorskip("torch")
jax = pytest.importorskip("jax")
jnp = pytest.importorskip("jax.numpy")

LARGEST = sys.float_info.max

# -- sorted lookups ----------------------------------------------------------------------


class CountingNamespace:
    """An array namespace that counts the calls made to it (work, not time)."""

    def __init__(self, xp: Any, *, hide: tuple[str, ...] = ()) -> None:
        self._xp, self._hide, self.calls = xp, hide, 0

    def __getattr__(self, name: str) -> Any:
        if name in self._hide:
            raise AttributeError(name)
        attribute = getattr(self._xp, name)
        if not callable(attribute):
            return attribute

        def counted(*args: Any, **kwargs: Any) -> Any:
            self.calls += 1
            return attribute(*args, **kwargs)

        return counted


def _piecewise(count: int) -> lrkit.PiecewiseConstantDecay:
    boundaries = [k * 2.5 for k in range(count)]  # ints and halves
    return lrkit.PiecewiseConstantDecay(boundaries, [1.0 / (k + 1) for k in range(count + 1)])


def _multistep(count: int) -> lrkit.MultiStepDecay:
    milestones = sorted([k * 3 for k in range(count // 2)] * 2)  # each twice
    return lrkit.MultiStepDecay(1.0, milestones, gamma=0.999)


def _operations(schedule: lrkit.LearningRateSchedule, steps: np.ndarray, **hide: Any) -> int:
    xp = CountingNamespace(array_namespace(steps), **hide)
    for_arrays(schedule)._formula(steps, xp)
    return xp.calls


@pytest.mark.parametrize("build", [_piecewise, _multistep], ids=["piecewise", "multistep"])
def test_boundary_lists_are_searched_not_scanned(build: Any) -> None:
    steps = np.linspace(0.0, 30_000.0, 1001)
    few, many = _operations(build(10), steps), _operations(build(10_000), steps)
    assert many == few <= 12
    # A namespace without searchsorted still works, comparing with each boundary.
    assert _operations(build(10), steps, hide=("searchsorted",)) >= 10


def _reference(schedule: Any, steps: np.ndarray) -> np.ndarray:
    """Keras's and torch's rule with bisect on the float64 steps."""
    if isinstance(schedule, lrkit.PiecewiseConstantDecay):
        edges, values, find = schedule.boundaries, schedule.values, bisect.bisect_left
    else:
        edges, values, find = schedule.milestones, schedule._values, bisect.bisect_right
    return np.array([math.nan if s != s else values[find(edges, s)] for s in steps.tolist()])


@pytest.mark.parametrize("build", [_piecewise, _multistep], ids=["piecewise", "multistep"])
def test_large_boundary_lists_give_the_reference_values(build: Any) -> None:
    schedule = build(4000)
    edges = schedule.boundaries if hasattr(schedule, "boundaries") else schedule.milestones
    steps = np.array(
        [0.0, math.nan, 1e9]
        + [max(edge + offset, 0.0) for edge in edges[::37] for offset in (-0.5, 0.0, 0.5, 1.0)]
    )
    expected = _reference(schedule, steps)
    np.testing.assert_array_equal(schedule(steps), expected)
    np.testing.assert_array_equal(schedule(torch.as_tensor(steps)).numpy(), expected)
    shaped = steps[: 4 * 100].reshape(4, 10, 10)
    np.testing.assert_array_equal(schedule(shaped), expected[:400].reshape(4, 10, 10))
    # float32 holds these steps (multiples of 0.5 below 2**23) exactly.
    exact = steps[np.abs(steps) < 2**22]
    for got in (schedule(jnp.asarray(exact)), jax.jit(schedule)(jnp.asarray(exact))):
        np.testing.assert_allclose(np.asarray(got), _reference(schedule, exact), rtol=1e-7)
    assert [schedule(float(s)) for s in steps[3:]] == expected[3:].tolist()


# -- half-precision steps ---------------------------------------------------------------

HALF_STEPS = np.array([0.0, 1.0, 2.5, 5.0, 10.0, 20.0, 100.0, 262.0, 1000.0, 2048.0])
HALF_KINDS = {
    "numpy-float16": (lambda a: np.asarray(a, np.float16), np.float32, lambda r: r),
    "torch-float16": (
        lambda a: torch.as_tensor(a, dtype=torch.float16),
        torch.float32,
        lambda r: r.float().numpy(),
    ),
    "torch-bfloat16": (
        lambda a: torch.as_tensor(a, dtype=torch.bfloat16),
        torch.float32,
        lambda r: r.float().numpy(),
    ),
    "jax-float16": (lambda a: jnp.asarray(a, jnp.float16), jnp.float32, np.asarray),
    "jax-bfloat16": (
        lambda a: jnp.asarray(a, jnp.bfloat16),
        jnp.float32,
        lambda r: np.asarray(r, np.float32),
    ),
}
UNSTATEFUL = {
    name: schedule
    for name, schedule in EXAMPLES.items()
    if not isinstance(schedule, lrkit.ReduceOnPlateau)
}


def _as(array: Any, dtype: Any) -> Any:
    return array.to(dtype) if isinstance(array, torch.Tensor) else array.astype(dtype)


@pytest.mark.parametrize("kind", list(HALF_KINDS))
def test_half_precision_steps_give_the_float32_rates(kind: str) -> None:
    make, float32, to_numpy = HALF_KINDS[kind]
    steps = make(HALF_STEPS)
    for name, schedule in UNSTATEFUL.items():
        got = schedule(steps)
        assert got.dtype == steps.dtype, name
        # The float32 rates at the steps the half type holds, rounded once.
        expected = _as(schedule(_as(steps, float32)), steps.dtype)
        np.testing.assert_array_equal(to_numpy(got), to_numpy(expected), err_msg=name)


def test_half_precision_regressions() -> None:
    """NoisyLinearCosineDecay gave NaN, CosineDecayRestarts 39x off at step 262."""
    noisy = lrkit.NoisyLinearCosineDecay(0.1, decay_steps=100, seed=7)
    expected = noisy(np.arange(50.0))
    for steps in (np.arange(50, dtype=np.float16), torch.arange(50, dtype=torch.float16)):
        got = np.asarray(noisy(steps), dtype=np.float64)
        np.testing.assert_allclose(got, expected, rtol=2**-10, atol=1e-6)
    restarts = lrkit.CosineDecayRestarts(0.1, first_decay_steps=10)
    exact = restarts(262)
    for step in (np.float16(262), np.asarray([262], np.float16), torch.tensor([262.0]).half()):
        got = float(np.asarray(restarts(step), dtype=np.float64).ravel()[0])
        assert got == pytest.approx(exact, rel=2**-10)


# -- every step evaluates: huge ints, huge floats -------------------------------------------

HUGE_INTS = [2**1024 - 2**970 - 1, 2**1024 - 2**970, 2**1024, 10**400, 10**4000]


@pytest.mark.parametrize("name", list(EXAMPLES))
def test_python_ints_beyond_float_range_give_the_rate_at_the_largest_float(name: str) -> None:
    schedule = EXAMPLES[name]
    at_largest = schedule(LARGEST)
    for step in HUGE_INTS:
        got = schedule(step)
        assert type(got) is float
        assert got == at_largest or (math.isnan(got) and math.isnan(at_largest)), step


def test_inverse_sqrt_decay_with_tiny_alpha_evaluates_everywhere() -> None:
    for alpha in (1e-200, 5e-324, 1e-20, 1e-15):
        schedule = lrkit.WarmupStableDecay(0.1, 8, 0, 50, alpha=alpha, decay_shape="inverse-sqrt")
        steps = [0, 4, 8, 9, 20, 57, 58, 100, 10**30]
        values = [schedule(step) for step in steps]
        assert values[2] == pytest.approx(0.1)
        for step, value in zip(steps[3:7], values[3:7], strict=True):
            progress = (step - 8) / 50
            assert value == pytest.approx(0.1 * alpha / math.sqrt(progress + alpha**2))
        assert values[-1] == values[-2] == pytest.approx(0.1 * alpha)
        arrays = (np.asarray(steps, np.float64), torch.tensor(steps, dtype=torch.float64))
        for got in (schedule(array) for array in arrays):
            np.testing.assert_allclose(np.asarray(got, np.float64)[:8], values[:8], rtol=1e-6)


# -- no raising, no warnings, on mutated valid configs ----------------------------------------

EXTREMES = [
    0, 1, 2, 0.5, 7, 2**31 + 1, 2**53, 10**300, 5e-324, 1e-300, 1e-200, 1e-20, 0.999999,
    1.000001, 1e6, 1e15, 1e30, 1e100, 1e300, LARGEST,
]  # fmt: skip
PYTHON_STEPS = [0, 1, 3, 7.5, 10**6, 2**53, 10**20, 1e300, LARGEST, 10**400, 2**1024, 5e-324]
EDGE_STEPS = [0.0, 5e-324, 1e-300, 0.5, 1.0, 7.0, 10.0, 1e6, 2.0**53, 1e30, 1e300, LARGEST]
EDGE_STEPS += [math.inf, -math.inf, math.nan, -1.0]
SERIALIZED = [lrkit.serialize(schedule) for schedule in UNSTATEFUL.values()]


def _number_paths(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _number_paths(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _number_paths(item, (*path, index))
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        yield path


@st.composite
def valid_schedules(draw: st.DrawFn) -> lrkit.LearningRateSchedule:
    """An example's config with one to three numbers replaced by extremes, if it constructs."""
    config = copy.deepcopy(draw(st.sampled_from(SERIALIZED)))
    paths = list(_number_paths(config))
    if paths:
        for _ in range(draw(st.integers(1, 3))):
            *parents, last = draw(st.sampled_from(paths))
            holder = config
            for key in parents:
                holder = holder[key]
            holder[last] = draw(st.sampled_from(EXTREMES))
    try:
        return lrkit.deserialize(config)
    except (ValueError, TypeError):
        return EXAMPLES[draw(st.sampled_from(list(UNSTATEFUL)))]


def _edge_arrays() -> list[np.ndarray]:
    with np.errstate(all="ignore"):
        floats = [np.asarray(EDGE_STEPS, dtype) for dtype in (np.float64, np.float32, np.float16)]
    info = np.iinfo(np.int64)
    return [*floats, np.asarray([0, 1, 7, 2**53, info.max, info.min], np.int64)]


@settings(
    max_examples=property_examples(40),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(schedule=valid_schedules())
def test_valid_configs_never_raise_or_warn(schedule: lrkit.LearningRateSchedule) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for step in PYTHON_STEPS:
            assert type(schedule(step)) is float
        for steps in _edge_arrays():
            assert schedule(steps).shape == steps.shape
            for step in steps[:3]:
                schedule(step)  # NumPy scalars


def test_every_example_on_numpy_edge_steps_without_warnings() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for schedule in UNSTATEFUL.values():
            for steps in _edge_arrays():
                schedule(steps)


def test_a_fixed_sample_of_mutated_configs_never_raises_or_warns() -> None:
    """The same property on 300 mutations drawn with a fixed seed (no shrinking, reproducible)."""
    rng = random.Random(15)
    for _ in range(300):
        config = copy.deepcopy(rng.choice(SERIALIZED))
        paths = list(_number_paths(config))
        for _ in range(rng.randint(1, 3) if paths else 0):
            *parents, last = rng.choice(paths)
            holder = config
            for key in parents:
                holder = holder[key]
            holder[last] = rng.choice(EXTREMES)
        try:
            schedule = lrkit.deserialize(config)
        except (ValueError, TypeError):
            continue
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            for step in PYTHON_STEPS:
                schedule(step)
            for steps in _edge_arrays()[:2]:
                schedule(steps)


def test_array_helpers_docstring_examples_run() -> None:
    import doctest

    import lrkit._core.arrays

    result = doctest.testmod(lrkit._core.arrays)
    assert result.attempted >= 3
    assert result.failed == 0
