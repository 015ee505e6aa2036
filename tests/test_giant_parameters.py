"""Step-count parameters of 2**31 and more, up to 2**53, on every array library.

A Python ``int`` that meets an array is converted to the library's integer
type first: JAX without x64 refuses ints from 2**31, torch from 2**63. Every
example schedule is rebuilt with each step-count parameter (``decay_steps``,
``boundaries``, ``milestones``, warmup and cycle lengths...) multiplied by
``2**31 + 1`` and by the power of two that takes the largest to ``2**53``,
and evaluated on NumPy, torch and JAX (eagerly and under ``jax.jit``) at the
original example's boundary steps scaled alike, against the Python-number
path of the same schedule.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest

import lrkit
from conftest import EXAMPLES, interesting_steps

torch = pytest.importorskip("torch")
jax = pytest.importorskip("jax")
jnp = pytest.importorskip("jax.numpy")

from test_arrays import assert_matches_reference  # noqa: E402  (after the skips)

#: Config keys that count steps, in every registered class.
STEP_KEYS = {
    "boundaries",
    "cycle_steps",
    "decay_steps",
    "end_step",
    "first_decay_steps",
    "hold_steps",
    "milestones",
    "period_steps",
    "stable_steps",
    "start_step",
    "step_size",
    "step_size_down",
    "step_size_up",
    "steps",
    "timescale",
    "total_steps",
    "upper_bound_steps",
    "warmup_steps",
}


def _scale(value: Any, factor: int, key: str | None = None) -> Any:
    """A serialized config with every step count multiplied by ``factor`` (ints stay ints)."""
    if isinstance(value, dict):
        return {name: _scale(item, factor, name) for name, item in value.items()}
    if isinstance(value, list):
        return [_scale(item, factor, key) for item in value]
    if key in STEP_KEYS and isinstance(value, (int, float)) and not isinstance(value, bool):
        return value * factor
    return value


def _step_counts(value: Any, key: str | None = None) -> list[float]:
    if isinstance(value, dict):
        return [count for name, item in value.items() for count in _step_counts(item, name)]
    if isinstance(value, list):
        return [count for item in value for count in _step_counts(item, key)]
    if key in STEP_KEYS and isinstance(value, (int, float)) and not isinstance(value, bool):
        return [value]
    return []


def _to_2_53(serialized: Any) -> int:
    """The power of two that takes the largest step count to 2**53 (or just below)."""
    largest = max([1, *_step_counts(serialized)])
    return 2 ** (53 - math.ceil(math.log2(largest)))


SCALABLE = {
    name: schedule
    for name, schedule in EXAMPLES.items()
    if max([0, *_step_counts(lrkit.serialize(schedule))]) > 0
    and not isinstance(schedule, lrkit.ReduceOnPlateau)  # its state is not a config
}
#: One example per class (the last listed, usually the one with the most options set).
ONE_PER_CLASS = list({type(schedule): name for name, schedule in SCALABLE.items()}.values())
CASES = [
    pytest.param(name, factor, id=f"{name}-{label}")
    for name in ONE_PER_CLASS
    for factor, label in ((2**31 + 1, "2^31+1"), (None, "to-2^53"))
]


def _scaled(name: str, factor: int | None) -> tuple[lrkit.LearningRateSchedule, int]:
    serialized = lrkit.serialize(SCALABLE[name])
    factor = factor or _to_2_53(serialized)
    try:
        return lrkit.deserialize(_scale(serialized, factor)), factor
    except ValueError:  # a power of two is required (ChebyshevDecay's fractal order)
        factor = 2 ** (factor.bit_length() - 1)
        return lrkit.deserialize(_scale(serialized, factor)), factor


STEP_COUNT = 16  # one shape for every case: eager JAX compiles each operation once


def _steps(name: str, factor: int) -> np.ndarray:
    steps = [step * factor for step in interesting_steps(SCALABLE[name]) if step <= 1e6]
    picked = np.linspace(0, len(steps) - 1, STEP_COUNT).round().astype(int)
    return np.asarray([steps[i] for i in picked], dtype=np.float64)


def test_every_class_with_step_counts_is_covered_past_2_31() -> None:
    covered = {type(schedule).__name__ for schedule in SCALABLE.values()}
    without_step_counts = {"Constant", "ReduceOnPlateau"}
    builtin = {name for name in lrkit.registered_names() if ">" not in name}  # not test classes
    assert covered == builtin - without_step_counts
    for name in SCALABLE:
        schedule, _ = _scaled(name, 2**31 + 1)
        assert max(_step_counts(lrkit.serialize(schedule))) >= 2**31, name


@pytest.mark.parametrize(("name", "factor"), CASES)
def test_giant_step_counts_on_every_array_library(name: str, factor: int | None) -> None:
    schedule, factor = _scaled(name, factor)
    steps = _steps(name, factor)
    whole = np.floor(steps)
    results = {
        "numpy-float64": (steps, schedule(steps)),
        "numpy-int64": (whole, schedule(whole.astype(np.int64))),
        "torch-float64": (steps, schedule(torch.as_tensor(steps)).numpy()),
        "torch-float32": (steps, schedule(torch.as_tensor(steps, dtype=torch.float32)).numpy()),
        "torch-int64": (whole, schedule(torch.as_tensor(whole.astype(np.int64))).numpy()),
        "jax-jit-float32": (steps, np.asarray(jax.jit(schedule)(jnp.asarray(steps, jnp.float32)))),
    }
    if factor == 2**31 + 1:  # eager JAX costs a dispatch per operation: one factor of two
        results["jax-float32"] = (steps, np.asarray(schedule(jnp.asarray(steps, jnp.float32))))
    for kind, (at, got) in results.items():
        if kind.endswith("float32"):
            if "Nois" in name:
                # A draw per whole step, and float32 rounds the step counts themselves
                # (decay_steps, start_step): the clamped step's draw is another's.
                continue
            at = at.astype(np.float32).astype(np.float64)  # the steps float32 holds
        try:
            assert_matches_reference(schedule, at, got)
        except AssertionError as error:
            raise AssertionError(f"{kind}: {error}") from None


@pytest.mark.parametrize("name", ONE_PER_CLASS[::3])
def test_int32_steps_below_giant_step_counts_under_jit(name: str) -> None:
    """``jax.jit(schedule)(10**9)`` (a Python int, traced as int32) and an int32 array."""
    schedule, _ = _scaled(name, 2**31 + 1)
    expected = schedule(10**9)
    for got in (jax.jit(schedule)(10**9), schedule(jnp.asarray(10**9))):
        assert_matches_reference(schedule, np.asarray([1e9]), np.asarray([got]))
    assert math.isfinite(expected) or math.isnan(expected)


def test_optax_cosine_decay_with_giant_int_steps() -> None:
    """optax's own ``test_with_giant_int_steps``, against optax itself."""
    optax = pytest.importorskip("optax")
    from lrkit.compat import optax as ox

    ours = ox.cosine_decay_schedule(1000.0, int(1e10))
    theirs = optax.cosine_decay_schedule(init_value=1000.0, decay_steps=int(1e10), alpha=0.0)
    expected = float(jax.jit(theirs)(int(1e9)))
    np.testing.assert_allclose(expected, 975.52826, rtol=1e-6)
    for got in (
        jax.jit(ours)(int(1e9)),
        ours(jnp.asarray(10**9)),
        jax.jit(ours)(jnp.asarray(10**9)),
        ours(torch.tensor(10**9)),
        ours(np.int64(10**9)),
        ours(10**9),
    ):
        np.testing.assert_allclose(float(got), expected, rtol=1e-6)


def test_step_counts_beyond_int64_on_torch() -> None:
    """torch refuses Python ints from 2**63 in its operations: counts up to 2**1000 work."""
    for decay_steps in (2**63, 2**64 + 1, 2**100, 2**1000):
        schedule = lrkit.PolynomialDecay(1.0, decay_steps, end_learning_rate=0.0)
        steps = [0.0, decay_steps / 2, float(decay_steps)]
        got = schedule(torch.tensor(steps, dtype=torch.float64)).numpy()
        np.testing.assert_allclose(got, [1.0, 0.5, 0.0], rtol=1e-12, atol=1e-15)
        if decay_steps < 2**128:  # float32 holds it
            got32 = np.asarray(schedule(jnp.asarray([0.0, 2.0**62], jnp.float32)))
            np.testing.assert_allclose(got32, [1.0, 1.0 - 2.0**62 / decay_steps], rtol=1e-6)
