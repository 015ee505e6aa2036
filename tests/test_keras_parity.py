"""Parity of the Keras family with ``keras.optimizers.schedules`` (Keras 3).

Every schedule in a table of configurations is evaluated on Python ints by
lrkit and by the real Keras class built with the same arguments, on a grid of
steps: 0, both sides of every boundary (decay ends, piecewise boundaries,
cycle ends, warmup ends, restarts), points inside, past the end, and very
large steps (10**6, 10**9).

Two comparisons:

* Keras as it runs by default (float32), in this process on Keras's NumPy
  backend, with a float32-sized tolerance.
* Keras in float64 (``keras.config.set_floatx("float64")``), with a tight
  tolerance. Keras 3's NumPy and JAX backends canonicalise float64 to float32
  in every op whatever ``floatx`` says, so this runs Keras on its torch
  backend, which honours float64, in a subprocess (a backend is chosen once
  per process).

Also: lrkit reads what ``keras.optimizers.schedules.serialize`` writes (as a
dict, after a JSON round trip, and with ``__tensor__``-wrapped NumPy values),
and lrkit's own serialization round-trips.
"""

from __future__ import annotations

import atexit
import importlib.util
import itertools
import json
import math
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np
import pytest

import lrkit

keras = pytest.importorskip("keras")
keras_schedules = keras.optimizers.schedules

# -- the table -----------------------------------------------------------------

LARGE_STEPS = (10**6, 10**9)
#: Steps from which Keras's float32 arithmetic on the step stops being exact
#: for the configurations below (see ``float32_large_step_atol``).
LARGE_STEP_THRESHOLD = 10**5


@dataclass(frozen=True)
class Case:
    id: str
    name: str
    kwargs: dict[str, Any]
    steps: tuple[int, ...]
    #: Exact restart steps (CosineDecayRestarts only), for the restart checks.
    restarts: tuple[int, ...] = ()
    #: Absolute float32 tolerance for steps >= LARGE_STEP_THRESHOLD where the
    #: default one does not fit; the case's comment says why.
    float32_large_step_atol: float | None = field(default=None)

    @property
    def scale(self) -> float:
        """The largest rate the configuration names: the unit for ``atol``."""
        rates = [
            self.kwargs.get(key)
            for key in ("initial_learning_rate", "warmup_target", "end_learning_rate")
        ]
        rates += list(self.kwargs.get("values", ()))
        return max(abs(r) for r in rates if r is not None) or 1.0


def _grid(*points: int) -> tuple[int, ...]:
    """0, 1, 2, each point with its two neighbours, and the large steps."""
    steps = {0, 1, 2, *LARGE_STEPS}
    for point in points:
        steps.update(p for p in (point - 1, point, point + 1) if p >= 0)
    return tuple(sorted(steps))


def _restart_steps(first_decay_steps: int, t_mul: float, count: int = 10) -> tuple[int, ...]:
    """The first ``count`` steps where a new SGDR period starts (integral ones).

    Computed exactly, with fractions. Ten periods keep Keras's float32 phase
    accurate: with t_mul == 1 its completed fraction t / T0 loses a relative
    2**-24 of t / T0, an error that grows with the number of periods.
    """
    steps, start, length = [], Fraction(0), Fraction(first_decay_steps)
    for _ in range(count):
        start += length
        length *= Fraction(t_mul)
        if start.denominator == 1:
            steps.append(int(start))
    return tuple(steps)


def _restarts_case(case_id: str, **kwargs: Any) -> Case:
    first = kwargs["first_decay_steps"]
    restarts = _restart_steps(first, kwargs.get("t_mul", 2.0))
    middles = [first // 2] + [(a + b) // 2 for a, b in itertools.pairwise(restarts)]
    return Case(case_id, "CosineDecayRestarts", kwargs, _grid(*restarts, *middles), restarts)


CASES = [
    Case(
        "exponential",
        "ExponentialDecay",
        dict(initial_learning_rate=0.1, decay_steps=1000, decay_rate=0.96),
        _grid(500, 1000, 3000, 12345),
    ),
    Case(
        "exponential-staircase",
        "ExponentialDecay",
        dict(initial_learning_rate=1.0, decay_steps=7, decay_rate=0.5, staircase=True),
        _grid(3, 7, 14, 70),
    ),
    # A growth rate: past some step the value overflows (inf in Keras).
    Case(
        "exponential-growth",
        "ExponentialDecay",
        dict(initial_learning_rate=0.01, decay_steps=100, decay_rate=1.01),
        _grid(100, 1000),
    ),
    Case(
        "piecewise",
        "PiecewiseConstantDecay",
        dict(boundaries=[100, 200], values=[1.0, 0.5, 0.1]),
        _grid(50, 100, 150, 200),
    ),
    Case(
        "piecewise-boundary-at-0",
        "PiecewiseConstantDecay",
        dict(boundaries=[0, 10, 20, 1_000_000], values=[0.3, 0.2, 0.1, 0.05, 0.01]),
        _grid(0, 10, 15, 20, 1_000_000),
    ),
    Case(
        "polynomial-linear",
        "PolynomialDecay",
        dict(initial_learning_rate=0.1, decay_steps=100),
        _grid(50, 100, 200),
    ),
    Case(
        "polynomial-sqrt",
        "PolynomialDecay",
        dict(initial_learning_rate=0.1, decay_steps=100, end_learning_rate=0.01, power=0.5),
        _grid(50, 100),
    ),
    Case(
        "polynomial-cycle-square",
        "PolynomialDecay",
        dict(
            initial_learning_rate=0.1,
            decay_steps=100,
            end_learning_rate=0.0,
            power=2.0,
            cycle=True,
        ),
        _grid(50, 100, 150, 200, 300),
    ),
    # With cycle=True the horizon at step t is T * ceil(t / T), so at large t
    # the decay is near its end, 1 - p is tiny, and Keras's float32
    # p = t / horizon carries an absolute error of up to ~2**-23: (1 - p)**0.5
    # can then be off by sqrt(2**-23), times the span (initial - end).
    Case(
        "polynomial-cycle-sqrt",
        "PolynomialDecay",
        dict(
            initial_learning_rate=1.0,
            decay_steps=30,
            end_learning_rate=0.1,
            power=0.5,
            cycle=True,
        ),
        _grid(15, 30, 45, 60, 90),
        float32_large_step_atol=(1.0 - 0.1) * math.sqrt(2.0**-23),
    ),
    Case(
        "inverse-time",
        "InverseTimeDecay",
        dict(initial_learning_rate=0.1, decay_steps=10, decay_rate=0.5),
        _grid(5, 10, 20, 1000),
    ),
    Case(
        "inverse-time-staircase",
        "InverseTimeDecay",
        dict(initial_learning_rate=0.1, decay_steps=10, decay_rate=0.5, staircase=True),
        _grid(5, 10, 20, 1000),
    ),
    Case(
        "inverse-time-staircase-fast",
        "InverseTimeDecay",
        dict(initial_learning_rate=1.0, decay_steps=3, decay_rate=2.0, staircase=True),
        _grid(3, 6, 300),
    ),
    Case(
        "cosine",
        "CosineDecay",
        dict(initial_learning_rate=0.1, decay_steps=1000),
        _grid(250, 500, 1000),
    ),
    Case(
        "cosine-alpha",
        "CosineDecay",
        dict(initial_learning_rate=0.1, decay_steps=1000, alpha=0.1),
        _grid(250, 500, 1000),
    ),
    Case(
        "cosine-warmup-from-0",
        "CosineDecay",
        dict(initial_learning_rate=0.0, decay_steps=1000, warmup_target=0.1, warmup_steps=100),
        _grid(50, 100, 600, 1100),
    ),
    Case(
        "cosine-warmup-alpha",
        "CosineDecay",
        dict(
            initial_learning_rate=0.01,
            decay_steps=500,
            alpha=0.05,
            warmup_target=0.2,
            warmup_steps=50,
        ),
        _grid(25, 50, 300, 550),
    ),
    # warmup_steps=0 with a target: no warmup, the decay starts from the target.
    Case(
        "cosine-target-without-warmup-steps",
        "CosineDecay",
        dict(initial_learning_rate=0.1, decay_steps=1000, warmup_target=0.2, warmup_steps=0),
        _grid(500, 1000),
    ),
    # warmup_steps without a target (Keras ignores them; lrkit refuses them at
    # construction): test_serialization's test_keras_warmup_steps_without_a_target.
    # A target below the initial rate: the "warmup" goes down.
    Case(
        "cosine-warm-down",
        "CosineDecay",
        dict(initial_learning_rate=0.5, decay_steps=100, warmup_target=0.1, warmup_steps=10),
        _grid(5, 10, 60, 110),
    ),
    _restarts_case("restarts-t1", initial_learning_rate=0.1, first_decay_steps=10, t_mul=1.0),
    _restarts_case("restarts-t2", initial_learning_rate=0.1, first_decay_steps=10),
    _restarts_case("restarts-t1.5", initial_learning_rate=0.1, first_decay_steps=8, t_mul=1.5),
    _restarts_case(
        "restarts-t2-m0.5-alpha",
        initial_learning_rate=0.1,
        first_decay_steps=10,
        t_mul=2.0,
        m_mul=0.5,
        alpha=0.1,
    ),
    _restarts_case(
        "restarts-t1-m0.9-alpha",
        initial_learning_rate=1.0,
        first_decay_steps=7,
        t_mul=1.0,
        m_mul=0.9,
        alpha=0.05,
    ),
    _restarts_case(
        "restarts-t1.5-m0.8-alpha",
        initial_learning_rate=0.1,
        first_decay_steps=100,
        t_mul=1.5,
        m_mul=0.8,
        alpha=0.2,
    ),
    # Restarts where float64 log(1 + t/T0 (t_mul - 1)) / log(t_mul) rounds to
    # just below the period index: steps 61 (t_mul 1.25), 211 (1.5), 121 and
    # 29524 (3.0). lrkit must still start the new period there.
    _restarts_case(
        "restarts-t1.25-T16", initial_learning_rate=0.1, first_decay_steps=16, t_mul=1.25
    ),
    _restarts_case(
        "restarts-t1.5-T16-alpha",
        initial_learning_rate=0.2,
        first_decay_steps=16,
        t_mul=1.5,
        alpha=0.1,
    ),
    _restarts_case(
        "restarts-t3-T1-m0.7",
        initial_learning_rate=0.1,
        first_decay_steps=1,
        t_mul=3.0,
        m_mul=0.7,
    ),
    # m_mul > 1: each period starts higher, and the value overflows eventually.
    _restarts_case(
        "restarts-t1-m-growth",
        initial_learning_rate=0.1,
        first_decay_steps=10,
        t_mul=1.0,
        m_mul=1.1,
    ),
]

CASE_PARAMS = [pytest.param(case, id=case.id) for case in CASES]
RESTART_CASE_PARAMS = [
    param for param, case in zip(CASE_PARAMS, CASES, strict=True) if case.restarts
]


def _lrkit_schedule(case: Case) -> lrkit.LearningRateSchedule:
    return getattr(lrkit, case.name)(**case.kwargs)


def _keras_schedule(case: Case) -> Any:
    return getattr(keras_schedules, case.name)(**case.kwargs)


def _keras_value(keras_schedule: Any, step: int) -> Any:
    """Keras's value at ``step`` (growth configurations overflow: no warning)."""
    with np.errstate(over="ignore"):
        return keras_schedule(step)


# -- comparison ------------------------------------------------------------------

# Keras's default: float32 throughout. Each float32 operation rounds to a
# relative 2**-24 (6e-8) and a formula chains up to a dozen of them, so the
# relative tolerance is 2e-6 (about 30 float32 roundings). Near-zero values
# come from cancellations such as 1 + cos(x) for x near pi, whose error is
# absolute, a few float32 ulps of the rates involved: atol = 1e-6 x the
# largest rate of the configuration.
FLOAT32_RTOL = 2e-6
FLOAT32_ATOL = 1e-6
# Keras in float64: the same formulas, evaluated in another order, agree to a
# few float64 ulps.
FLOAT64_RTOL = 1e-12
FLOAT64_ATOL = 1e-15
# Keras's torch backend computes floor, ceil and minimum in float32 even when
# floatx is float64 (they canonicalise the dtype like the NumPy backend does).
# That is exact while their arguments stay below 2**24; above, the result
# carries a float32 rounding (e.g. floor(10**9 / 3) in a staircase).
FLOAT64_LARGE_STEP_RTOL = 2.0**-22


def _close(actual: float, expected: float, rtol: float, atol: float) -> bool:
    if math.isnan(expected) or math.isinf(expected):
        return actual == expected or (math.isnan(actual) and math.isnan(expected))
    return abs(actual - expected) <= atol + rtol * abs(expected)


def _is_keras_restart_rounding(case: Case, step: int, keras_value: float) -> bool:
    """Keras's known rounding at an exact restart step (see the test below).

    Keras finds the period of step t from floor(log(1 + t/T0 (t_mul - 1)) /
    log(t_mul)); at an exact restart the quotient is an integer, and when the
    logarithms round it to just below, Keras stays in the previous period with
    a completed fraction of 1: the bottom of the cosine, alpha x the initial
    rate, instead of the new period's peak.
    """
    if step not in case.restarts or case.kwargs.get("t_mul", 2.0) == 1.0:
        return False
    trough = case.kwargs["initial_learning_rate"] * case.kwargs.get("alpha", 0.0)
    return _close(keras_value, trough, FLOAT32_RTOL, FLOAT32_ATOL * case.scale)


def _assert_parity(
    case: Case,
    keras_values: list[float],
    *,
    rtol: float,
    atol: float,
    large_step_rtol: float | None = None,
    large_step_atol: float | None = None,
    float32_reference: bool = False,
    schedule: lrkit.LearningRateSchedule | None = None,
) -> None:
    """lrkit's values on the case's steps against Keras's ``keras_values``."""
    schedule = schedule if schedule is not None else _lrkit_schedule(case)
    failures = []
    for step, expected in zip(case.steps, keras_values, strict=True):
        actual = schedule(step)
        assert type(actual) is float, f"step {step}: got {type(actual).__name__}"
        if _is_keras_restart_rounding(case, step, expected):
            continue  # lrkit's value at restarts is checked exactly below
        step_rtol, step_atol = rtol, atol * case.scale
        if step >= LARGE_STEP_THRESHOLD:
            step_rtol = large_step_rtol if large_step_rtol is not None else rtol
            step_atol = large_step_atol if large_step_atol is not None else step_atol
        if float32_reference and math.isinf(expected):
            # Float32 overflows before float64: lrkit's value must be out of
            # float32's range too.
            ok = _float32(actual) == expected
        else:
            ok = _close(actual, expected, step_rtol, step_atol)
        if not ok:
            failures.append(f"step {step}: lrkit {actual!r}, keras {expected!r}")
    assert not failures, f"{case.id} {case.kwargs}:\n" + "\n".join(failures)


def _float32(value: float) -> float:
    """A float64 value as float32 would hold it (overflow to inf included)."""
    with np.errstate(over="ignore"):
        return float(np.float32(value))


# -- float32: Keras's default ---------------------------------------------------


@pytest.mark.parametrize("case", CASE_PARAMS)
def test_matches_keras_float32(case: Case) -> None:
    keras_schedule = _keras_schedule(case)
    keras_values = []
    for step in case.steps:
        value = _keras_value(keras_schedule, step)
        assert keras.backend.standardize_dtype(value.dtype) == "float32"
        keras_values.append(float(value))
    _assert_parity(
        case,
        keras_values,
        rtol=FLOAT32_RTOL,
        atol=FLOAT32_ATOL,
        large_step_atol=case.float32_large_step_atol,
        float32_reference=True,
    )


# -- float64: Keras with floatx="float64" --------------------------------------

_FLOAT64_SCRIPT = """
import json, sys

import keras

keras.config.set_floatx("float64")
cases = json.load(sys.stdin)
results = {}
for case_id, class_name, kwargs, steps in cases:
    schedule = getattr(keras.optimizers.schedules, class_name)(**kwargs)
    values = []
    for step in steps:
        value = schedule(step)
        if str(value.dtype) != "torch.float64":
            raise SystemExit(f"{case_id}: Keras returned {value.dtype}, not float64")
        values.append(float(value))
    results[case_id] = values
with open(sys.argv[1], "w") as out:
    json.dump(results, out)
"""


#: Keras's float64 run, started when the tests are collected (see ``start_in_background``).
_FLOAT64_RUN: dict[str, Any] = {}


def _stop_float64_run() -> None:
    process = _FLOAT64_RUN.get("process")
    if process is not None and process.poll() is None:
        process.kill()
        process.wait()
    for key in ("out", "err"):
        if key in _FLOAT64_RUN:
            _FLOAT64_RUN[key].close()


def start_in_background() -> None:
    """Start Keras's float64 evaluation of every case (once), beside the rest of the suite."""
    if _FLOAT64_RUN or importlib.util.find_spec("torch") is None:
        return
    env = {**os.environ, "KERAS_BACKEND": "torch", "TF_CPP_MIN_LOG_LEVEL": "3"}
    payload = json.dumps([[c.id, c.name, c.kwargs, list(c.steps)] for c in CASES])
    out = tempfile.NamedTemporaryFile("w+", suffix=".json")  # noqa: SIM115 (closed at the end)
    err = tempfile.TemporaryFile("w+")  # noqa: SIM115
    process = subprocess.Popen(
        [sys.executable, "-c", _FLOAT64_SCRIPT, out.name],
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=err,
        env=env,
        text=True,
    )
    assert process.stdin is not None
    process.stdin.write(payload)
    process.stdin.close()
    _FLOAT64_RUN.update(process=process, out=out, err=err)
    atexit.register(_stop_float64_run)


@pytest.fixture(scope="module")
def keras_float64_values() -> Iterator[dict[str, list[float]]]:
    """Every case evaluated by Keras in float64 (torch backend, one subprocess)."""
    pytest.importorskip("torch")
    start_in_background()
    process = _FLOAT64_RUN["process"]
    process.wait(timeout=300)
    _FLOAT64_RUN["err"].seek(0)
    assert process.returncode == 0, _FLOAT64_RUN["err"].read()[-4000:]
    with open(_FLOAT64_RUN["out"].name) as file:
        values: dict[str, list[float]] = json.load(file)
    yield values
    _stop_float64_run()


@pytest.mark.parametrize("case", CASE_PARAMS)
def test_matches_keras_float64(case: Case, keras_float64_values: dict[str, list[float]]) -> None:
    _assert_parity(
        case,
        keras_float64_values[case.id],
        rtol=FLOAT64_RTOL,
        atol=FLOAT64_ATOL,
        large_step_rtol=FLOAT64_LARGE_STEP_RTOL,
    )


@pytest.fixture
def floatx_float64() -> Any:
    previous = keras.config.floatx()
    keras.config.set_floatx("float64")
    yield
    keras.config.set_floatx(previous)


@pytest.mark.usefixtures("floatx_float64")
def test_matches_keras_float64_in_process() -> None:
    """The float64 comparison in this process, where Keras's backend allows it.

    Keras 3's NumPy and JAX backends compute in float32 whatever floatx says,
    so there this skips: the subprocess comparison above is the float64 check.
    """
    for case in CASES:
        keras_schedule = _keras_schedule(case)
        values = [_keras_value(keras_schedule, step) for step in case.steps]
        dtypes = {keras.backend.standardize_dtype(value.dtype) for value in values}
        if dtypes != {"float64"}:
            pytest.skip(
                f"Keras's {keras.backend.backend()} backend computes in {sorted(dtypes)} "
                "with floatx float64"
            )
        _assert_parity(
            case,
            [float(value) for value in values],
            rtol=FLOAT64_RTOL,
            atol=FLOAT64_ATOL,
            large_step_rtol=FLOAT64_LARGE_STEP_RTOL,
        )


# -- restarts and the PolynomialDecay cycle at step 0 ------------------------------


@pytest.mark.parametrize("case", RESTART_CASE_PARAMS)
def test_restarts_start_at_the_period_peak(case: Case) -> None:
    """At the first step of period i the rate is its peak, computed exactly here.

    Peak of period i: initial * ((1 - alpha) * m_mul**i + alpha); the step
    before is near the bottom of the previous period.
    """
    schedule = _lrkit_schedule(case)
    initial = case.kwargs["initial_learning_rate"]
    m_mul, alpha = case.kwargs.get("m_mul", 1.0), case.kwargs.get("alpha", 0.0)
    assert schedule(0) == pytest.approx(initial, rel=1e-15)
    for i, step in enumerate(case.restarts, start=1):
        with np.errstate(over="ignore"):
            peak = initial * ((1.0 - alpha) * float(np.float64(m_mul) ** i) + alpha)
        assert schedule(step) == pytest.approx(peak, rel=1e-12), f"restart {i} at step {step}"


# (t_mul, first_decay_steps, step, period index): exact restart steps where
# Keras's float32 logarithms round the period index down (found by scanning
# Keras 3.15 on the NumPy backend). The quotient log(1 + t/T0 (t_mul - 1)) /
# log(t_mul) is exactly the integer i there -- checked below with fractions --
# so Keras's own formula in exact arithmetic gives the peak of period i, as
# does its t_mul == 1 branch at every multiple of first_decay_steps. lrkit
# corrects the rounding and returns the peak; Keras (on this platform) returns
# the trough of the previous period, alpha x the initial rate.
KERAS_ROUNDING_CASES = [
    pytest.param(1.75, 8, 22, 2, id="t1.75-T8-step22"),
    pytest.param(1.75, 1000, 2750, 2, id="t1.75-T1000-step2750"),
    pytest.param(2.0, 1, 32767, 15, id="t2-T1-step32767"),
]


@pytest.mark.parametrize(("t_mul", "first_decay_steps", "step", "period"), KERAS_ROUNDING_CASES)
def test_restart_where_keras_logarithm_rounds_down(
    t_mul: float, first_decay_steps: int, step: int, period: int
) -> None:
    completed = Fraction(step, first_decay_steps)
    assert 1 + completed * (Fraction(t_mul) - 1) == Fraction(t_mul) ** period

    initial, m_mul, alpha = 0.5, 0.9, 0.1
    kwargs = dict(
        initial_learning_rate=initial,
        first_decay_steps=first_decay_steps,
        t_mul=t_mul,
        m_mul=m_mul,
        alpha=alpha,
    )
    schedule = lrkit.CosineDecayRestarts(**kwargs)
    keras_schedule = keras_schedules.CosineDecayRestarts(**kwargs)
    peak = initial * ((1.0 - alpha) * m_mul**period + alpha)
    trough = initial * alpha

    assert schedule(step) == pytest.approx(peak, rel=1e-12)
    # Either side of the restart lrkit and Keras agree.
    for neighbour in (step - 1, step + 1):
        expected = float(keras_schedule(neighbour))
        assert _close(schedule(neighbour), expected, FLOAT32_RTOL, FLOAT32_ATOL * initial)
    # Keras itself: the peak if its logarithms happen to round up on this
    # platform, else the previous period's trough.
    keras_value = float(keras_schedule(step))
    assert _close(keras_value, peak, FLOAT32_RTOL, FLOAT32_ATOL) or _close(
        keras_value, trough, FLOAT32_RTOL, FLOAT32_ATOL
    )


@pytest.mark.parametrize("power", [0.5, 1.0, 2.0])
def test_polynomial_cycle_at_step_zero(power: float) -> None:
    """Keras special-cases step 0 with cycle=True (ceil(0) would be a zero horizon)."""
    kwargs = dict(
        initial_learning_rate=0.3,
        decay_steps=10,
        end_learning_rate=0.01,
        power=power,
        cycle=True,
    )
    schedule = lrkit.PolynomialDecay(**kwargs)
    keras_value = float(keras_schedules.PolynomialDecay(**kwargs)(0))
    assert schedule(0) == 0.3
    assert _close(schedule(0), keras_value, FLOAT32_RTOL, FLOAT32_ATOL)
    # and the start of every later cycle is the end of the previous one
    for step in (10, 20, 30):
        keras_value = float(keras_schedules.PolynomialDecay(**kwargs)(step))
        assert _close(schedule(step), keras_value, FLOAT32_RTOL, FLOAT32_ATOL * 0.3)
        assert schedule(step) == pytest.approx(0.01, rel=1e-12)


# -- serialization -----------------------------------------------------------------


def _serialized_forms(config: dict[str, Any]) -> list[Any]:
    """A Keras config as a dict, after json.dumps/json.loads, and as JSON text."""
    text = json.dumps(config)
    return [config, json.loads(text), text]


@pytest.mark.parametrize("case", CASE_PARAMS)
def test_deserializes_keras_serialize_output(case: Case) -> None:
    keras_schedule = _keras_schedule(case)
    config = keras_schedules.serialize(keras_schedule)
    assert config["module"] == "keras.optimizers.schedules"
    keras_values = [float(_keras_value(keras_schedule, step)) for step in case.steps]
    for form in _serialized_forms(config):
        schedule = lrkit.deserialize(form)
        assert type(schedule) is getattr(lrkit, case.name)
        assert schedule == _lrkit_schedule(case)
        # The same parameters under the same names, defaults included.
        assert schedule.get_config() == keras_schedule.get_config()
    _assert_parity(
        case,
        keras_values,
        rtol=FLOAT32_RTOL,
        atol=FLOAT32_ATOL,
        large_step_atol=case.float32_large_step_atol,
        float32_reference=True,
        schedule=lrkit.deserialize(json.dumps(config)),
    )


@pytest.mark.parametrize("case", CASE_PARAMS)
def test_keras_reads_lrkit_config(case: Case) -> None:
    """lrkit's get_config() builds the same schedule in Keras."""
    schedule = _lrkit_schedule(case)
    keras_schedule = getattr(keras_schedules, case.name).from_config(schedule.get_config())
    assert keras_schedule.get_config() == schedule.get_config()


WRAPPED_STEPS = (0, 1, 5, 9, 10, 11, 15, 19, 20, 21, 50, 99, 100, 101, 1000, 10**6)

WRAPPED_FACTORIES = [
    pytest.param(
        lambda: keras_schedules.PiecewiseConstantDecay(
            np.array([10, 20]), np.array([1.0, 0.5, 0.1])
        ),
        id="piecewise-arrays",
    ),
    pytest.param(
        lambda: keras_schedules.PiecewiseConstantDecay(
            [np.int64(10), np.int64(20)], [np.float32(1.0), np.float32(0.5), np.float32(0.1)]
        ),
        id="piecewise-scalar-lists",
    ),
    pytest.param(lambda: keras_schedules.CosineDecay(np.float32(0.1), 100), id="cosine"),
    pytest.param(
        lambda: keras_schedules.CosineDecay(
            np.float32(0.01), 100, warmup_target=np.float64(0.3), warmup_steps=np.int64(10)
        ),
        id="cosine-warmup",
    ),
    pytest.param(
        lambda: keras_schedules.ExponentialDecay(
            np.float64(0.1), np.int64(10), np.float32(0.96), staircase=np.bool_(True)
        ),
        id="exponential",
    ),
    pytest.param(
        lambda: keras_schedules.PolynomialDecay(
            np.float32(0.1), np.int32(100), np.float64(0.01), power=np.float16(0.5)
        ),
        id="polynomial",
    ),
    pytest.param(
        lambda: keras_schedules.InverseTimeDecay(np.float32(0.1), np.int64(10), np.float32(0.5)),
        id="inverse-time",
    ),
    pytest.param(
        lambda: keras_schedules.CosineDecayRestarts(
            np.float32(0.1), np.int64(10), t_mul=np.float64(1.0), m_mul=np.float32(0.5)
        ),
        id="restarts",
    ),
]


@pytest.mark.parametrize("factory", WRAPPED_FACTORIES)
def test_deserializes_keras_configs_with_numpy_values(factory: Any) -> None:
    keras_schedule = factory()
    config = keras_schedules.serialize(keras_schedule)
    assert '"__tensor__"' in json.dumps(config) or '"__numpy__"' in json.dumps(config)
    for form in _serialized_forms(config):
        schedule = lrkit.deserialize(form)
        assert type(schedule).__name__ == type(keras_schedule).__name__
        # The rebuilt config holds plain JSON values.
        assert json.loads(json.dumps(schedule.get_config())) == schedule.get_config()
        for step in WRAPPED_STEPS:
            expected = float(keras_schedule(step))
            assert _close(schedule(step), expected, FLOAT32_RTOL, FLOAT32_ATOL), f"step {step}"


@pytest.mark.parametrize("case", CASE_PARAMS)
def test_lrkit_serialization_round_trip(case: Case) -> None:
    schedule = _lrkit_schedule(case)
    config = lrkit.serialize(schedule)
    assert set(config) == {"module", "class_name", "config", "registered_name"}
    assert config["class_name"] == case.name
    restored_forms = [
        lrkit.deserialize(config),
        lrkit.deserialize(json.loads(json.dumps(config))),
        lrkit.deserialize(json.dumps(config)),
        lrkit.from_json(lrkit.to_json(schedule)),
        type(schedule).from_config(schedule.get_config()),
    ]
    expected = [schedule(step) for step in case.steps]
    for restored in restored_forms:
        assert type(restored) is type(schedule)
        assert restored == schedule
        assert restored.get_config() == schedule.get_config()
        assert [restored(step) for step in case.steps] == expected
