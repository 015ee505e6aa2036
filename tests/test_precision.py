"""Precision at scale: steps up to 10**12 on every input type, against float64.

The float64 reference of a schedule is its Python-number path at Python
float steps (every integer below 2**53 is exact there). Against it:

* Python ``int`` steps give the same value, bit for bit;
* NumPy ``int64`` arrays (computed in float64) agree to a few ulps;
* torch ``int64`` tensors are computed in float64 and rounded once to torch's
  default float32: the float32 nearest the reference, give or take one ulp;
* JAX ``int64`` and ``int32`` arrays with 64-bit mode on (jitted, where XLA
  may fuse and reorder operations) agree to a few ulps; without it JAX has no float64, which
  ``tests/test_arrays.py`` covers with a float32 envelope.

The parity families are checked at the same steps against their reference
libraries computing in float64: torch's closed forms (Python floats) and
optax under ``jax_enable_x64``.

float32 *steps* are taken as given: above 2**24 = 16,777,216 a float32 cannot
hold every integer, so ``np.float32(2**24 + 1)`` is step 2**24, and a
boundary between them is invisible to float32 steps but not to integer ones.
"""

from __future__ import annotations

import atexit
import importlib.util
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import lrkit
from conftest import EXAMPLES, LARGE_STEP, interesting_steps

#: Steps around every power of two where a float type runs out of integers,
#: int32's limit, and up to LARGE_STEP (10**12).
LARGE_STEPS = [
    0,
    1,
    7,
    2**24 - 1,
    2**24 + 1,
    2**31 - 1,
    2**31 + 1,
    2**32 + 3,
    10**9 + 7,
    999_999_999_989,
    LARGE_STEP - 1,
    LARGE_STEP,
]
RTOL = 1e-13  # a few float64 ulps of the schedule's scale

IDS = list(EXAMPLES)
SCHEDULES = list(EXAMPLES.values())


def steps_for(schedule: lrkit.LearningRateSchedule) -> list[int]:
    boundaries = {int(step) for step in interesting_steps(schedule) if step <= LARGE_STEP}
    return sorted(set(LARGE_STEPS) | boundaries)


def reference(schedule: lrkit.LearningRateSchedule, steps: list[int]) -> np.ndarray:
    return np.asarray([schedule(float(step)) for step in steps], dtype=np.float64)


def assert_close(got: Any, expected: np.ndarray, schedule: lrkit.LearningRateSchedule) -> None:
    got = np.asarray(got, dtype=np.float64)
    scale = max(float(np.max(np.abs(expected))), abs(schedule(0)), 1e-300)
    np.testing.assert_allclose(got, expected, rtol=RTOL, atol=RTOL * scale)


@pytest.mark.parametrize("schedule", SCHEDULES, ids=IDS)
def test_python_int_steps_equal_float_steps(schedule: lrkit.LearningRateSchedule) -> None:
    steps = steps_for(schedule)
    assert [schedule(step) for step in steps] == reference(schedule, steps).tolist()


@pytest.mark.parametrize("schedule", SCHEDULES, ids=IDS)
def test_numpy_int64_steps(schedule: lrkit.LearningRateSchedule) -> None:
    steps = steps_for(schedule)
    expected = reference(schedule, steps)
    result = schedule(np.asarray(steps, dtype=np.int64))
    assert result.dtype == np.float64
    assert_close(result, expected, schedule)
    scalars = [schedule(np.int64(step)) for step in steps]
    assert_close(scalars, expected, schedule)


@pytest.mark.parametrize("schedule", SCHEDULES, ids=IDS)
def test_torch_int64_steps_round_once_to_float32(schedule: lrkit.LearningRateSchedule) -> None:
    torch = pytest.importorskip("torch")
    steps = steps_for(schedule)
    expected = reference(schedule, steps)
    result = schedule(torch.as_tensor(steps, dtype=torch.int64))
    assert result.dtype == torch.get_default_dtype() == torch.float32
    got = result.numpy().astype(np.float64)
    nearest = expected.astype(np.float32).astype(np.float64)
    ulp = np.spacing(np.abs(expected).astype(np.float32)).astype(np.float64)
    scale = max(float(np.max(np.abs(expected))), 1e-300)
    # One float32 rounding of a float64 value good to a few float64 ulps.
    assert np.all(np.abs(got - nearest) <= ulp + RTOL * scale), (got, nearest)


def test_torch_float64_default_gives_float64() -> None:
    torch = pytest.importorskip("torch")
    before = torch.get_default_dtype()
    torch.set_default_dtype(torch.float64)
    try:
        for schedule in SCHEDULES:
            steps = steps_for(schedule)
            result = schedule(torch.as_tensor(steps, dtype=torch.int64))
            assert result.dtype == torch.float64
            assert_close(result.numpy(), reference(schedule, steps), schedule)
    finally:
        torch.set_default_dtype(before)


# -- JAX with 64-bit mode, and optax in float64: one fresh interpreter, started early -------

_JAX_X64_SCRIPT = r"""
import json, sys
import numpy as np
import jax, jax.numpy as jnp
import optax
sys.path.insert(0, sys.argv[1])
from conftest import EXAMPLES
from test_precision import steps_for, reference, optax_pairs
from lrkit.compat import optax as compat

assert jnp.asarray(1.0).dtype == jnp.float64
out = {"examples": {}, "optax": {}}
steps = {key: steps_for(schedule) for key, schedule in EXAMPLES.items()}
# Every example in one jitted function per dtype: one compilation each (eager JAX
# dispatches operation by operation, which takes far longer for a hundred schedules).
evaluate = jax.jit(lambda arrays: {k: EXAMPLES[k](a) for k, a in arrays.items()})
wide = evaluate({k: jnp.asarray(s, jnp.int64) for k, s in steps.items()})
narrow = evaluate(
    {k: jnp.asarray([s for s in v if s < 2**31], jnp.int32) for k, v in steps.items()}
)
for key, schedule in EXAMPLES.items():
    out["examples"][key] = {
        "steps": steps[key],
        "reference": reference(schedule, steps[key]).tolist(),
        "int64-jit": np.asarray(wide[key]).tolist(),
        "int32-jit": np.asarray(narrow[key]).tolist(),
        "dtype": str(wide[key].dtype),
    }
eager = EXAMPLES["CosineWave"](jnp.asarray(steps["CosineWave"], jnp.int64))
out["eager-CosineWave"] = np.asarray(eager).tolist()
for name, args in optax_pairs():
    ours = getattr(compat, name)(**args)
    theirs = getattr(optax, name)(**args)
    steps = [s for s in steps_for(ours)]
    out["optax"][name] = {
        "lrkit": [ours(s) for s in steps],
        "optax": [float(theirs(jnp.asarray(s, jnp.int64))) for s in steps],
    }
print(json.dumps(out))
"""


def optax_pairs() -> list[tuple[str, dict[str, Any]]]:
    """optax schedules (by name) with arguments whose whole shape spans huge steps."""
    return [
        ("cosine_decay_schedule", {"init_value": 0.1, "decay_steps": 10**12, "alpha": 0.1}),
        ("polynomial_schedule", {"init_value": 0.1, "end_value": 0.01, "power": 2.0,
                                 "transition_steps": 3 * 10**11, "transition_begin": 10**9}),
        ("linear_schedule", {"init_value": 0.0, "end_value": 1.0, "transition_steps": 10**12}),
        ("exponential_decay", {"init_value": 1.0, "transition_steps": 10**10,
                               "decay_rate": 0.5}),
        ("warmup_cosine_decay_schedule", {"init_value": 0.0, "peak_value": 1.0,
                                          "warmup_steps": 10**9, "decay_steps": 10**12,
                                          "end_value": 0.01}),
    ]  # fmt: skip


#: The JAX x64 run, started when the tests are collected (see ``start_in_background``).
_X64_RUN: dict[str, Any] = {}


def _stop_x64_run() -> None:
    process = _X64_RUN.get("process")
    if process is not None and process.poll() is None:
        process.kill()
        process.wait()
    for key in ("out", "err"):
        if key in _X64_RUN:
            _X64_RUN[key].close()


def start_in_background() -> None:
    """Start the JAX x64 and optax evaluation (once), beside the rest of the suite."""
    if _X64_RUN or any(importlib.util.find_spec(name) is None for name in ("jax", "optax")):
        return
    tests = str(Path(__file__).parent)
    environment = {**os.environ, "JAX_ENABLE_X64": "1", "JAX_PLATFORMS": "cpu"}
    out = tempfile.TemporaryFile("w+")  # noqa: SIM115 (closed by _stop_x64_run)
    err = tempfile.TemporaryFile("w+")  # noqa: SIM115
    process = subprocess.Popen(
        [sys.executable, "-c", _JAX_X64_SCRIPT, tests],
        stdout=out,
        stderr=err,
        env=environment,
        text=True,
    )
    _X64_RUN.update(process=process, out=out, err=err)
    atexit.register(_stop_x64_run)


@pytest.fixture(scope="module")
def jax_x64() -> Iterator[dict[str, Any]]:
    pytest.importorskip("jax")
    pytest.importorskip("optax")
    start_in_background()
    process = _X64_RUN["process"]
    try:
        process.wait(timeout=300)
    except subprocess.TimeoutExpired:
        process.kill()
        raise
    _X64_RUN["out"].seek(0)
    _X64_RUN["err"].seek(0)
    assert process.returncode == 0, _X64_RUN["err"].read()[-3000:]
    result: dict[str, Any] = json.loads(_X64_RUN["out"].read().strip().splitlines()[-1])
    yield result
    _stop_x64_run()


@pytest.mark.parametrize("key", IDS)
def test_jax_int64_and_int32_steps_with_x64(key: str, jax_x64: dict[str, Any]) -> None:
    schedule = EXAMPLES[key]
    row = jax_x64["examples"][key]
    expected = np.asarray(row["reference"])
    assert row["dtype"] == "float64"
    assert_close(row["int64-jit"], expected, schedule)
    small = [i for i, step in enumerate(row["steps"]) if step < 2**31]
    assert_close(row["int32-jit"], expected[small], schedule)


def test_jax_eager_with_x64(jax_x64: dict[str, Any]) -> None:
    schedule = EXAMPLES["CosineWave"]
    expected = np.asarray(jax_x64["examples"]["CosineWave"]["reference"])
    assert_close(jax_x64["eager-CosineWave"], expected, schedule)


@pytest.mark.parametrize("name", [name for name, _ in optax_pairs()])
def test_optax_compat_matches_optax_in_float64(name: str, jax_x64: dict[str, Any]) -> None:
    row = jax_x64["optax"][name]
    np.testing.assert_allclose(row["lrkit"], row["optax"], rtol=1e-12, atol=1e-15)


TORCH_CLOSED_FORMS = {
    "StepLR": ({"step_size": 10**9 + 7, "gamma": 0.5}, {}),
    "MultiStepLR": ({"milestones": [10**6, 10**9, 10**12 - 1], "gamma": 0.5}, {}),
    "ExponentialLR": ({"gamma": 0.999999}, {}),
    "LinearLR": ({"start_factor": 0.25, "total_iters": 10**12}, {}),
    "PolynomialLR": ({"total_iters": 10**12, "power": 2.0}, {}),
    "CosineAnnealingLR": ({"T_max": 10**12, "eta_min": 0.01}, {}),
}


@pytest.mark.parametrize("name", list(TORCH_CLOSED_FORMS))
def test_torch_compat_matches_torch_closed_forms_at_huge_steps(name: str) -> None:
    torch = pytest.importorskip("torch")
    from lrkit.compat import torch as compat

    arguments, _ = TORCH_CLOSED_FORMS[name]
    ours = getattr(compat, name)(0.1, **arguments)
    for step in steps_for(ours):
        optimizer = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=0.1)
        scheduler = getattr(torch.optim.lr_scheduler, name)(optimizer, **arguments)
        scheduler.last_epoch = step
        (theirs,) = scheduler._get_closed_form_lr()  # Python floats: float64
        assert ours(step) == pytest.approx(theirs, rel=1e-12, abs=1e-16), step


# -- float32 steps ---------------------------------------------------------------------


def test_float32_steps_lose_integers_above_2_to_the_24() -> None:
    """What float32 steps cannot say, lrkit cannot recover: they are taken as given."""
    edge = 2**24
    assert float(np.float32(edge + 1)) == edge  # the integer after 2**24 has no float32
    schedule = lrkit.PiecewiseConstantDecay([edge], [1.0, 0.5])
    assert schedule(edge + 1) == 0.5
    assert schedule(np.asarray([edge + 1], np.int64))[0] == 0.5
    assert schedule(np.asarray([edge + 1], np.int32))[0] == 0.5  # integer steps stay exact
    as_float32 = schedule(np.asarray([edge + 1], np.float32))
    assert as_float32.dtype == np.float32
    assert as_float32[0] == 1.0  # the step arrived as 2**24: before the boundary
    for step in range(edge - 3, edge + 4):  # below 2**24 float32 steps are exact
        if step <= edge:
            assert float(np.float32(step)) == step
