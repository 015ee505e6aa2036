"""Shared test setup: Keras runs on its NumPy backend in the test suite.

Also the table of example schedules (at least one per registered class) and
the Hypothesis strategies for steps that the core behaviour tests share.
"""

import os

os.environ.setdefault("KERAS_BACKEND", "numpy")

import importlib.util
import math
import sys
from collections.abc import Callable
from typing import Any

# Loading triton's native library after TensorFlow's crashes the process (a
# segmentation fault); the other order works. Keras imports TensorFlow when it
# serializes, torch imports triton with its first optimizer: load triton first
# (unless TensorFlow is in already: scripts that import this table after Keras).
if (
    "tensorflow" not in sys.modules
    and importlib.util.find_spec("triton")
    and importlib.util.find_spec("tensorflow")
):
    import triton  # noqa: F401

import pytest
from hypothesis import settings
from hypothesis import strategies as st

import lrkit

# -- property-test profiles ------------------------------------------------------------
# ``python -m pytest`` runs every property test with a quick count of examples;
# the "long" profile (``LRKIT_TEST_PROFILE=long``, or ``--hypothesis-profile=long``),
# which CI runs as well, multiplies each count by LONG_FACTOR.

LONG_FACTOR = 10
settings.register_profile("long", deadline=None, max_examples=1000)
if os.environ.get("LRKIT_TEST_PROFILE"):
    settings.load_profile(os.environ["LRKIT_TEST_PROFILE"])


def lrkit_lines(call: Callable[[], Any]) -> int:
    """How many lines of lrkit's own code ``call()`` runs (a count, not a clock)."""
    count = 0

    def local(frame: Any, event: str, arg: Any) -> Any:
        nonlocal count
        count += event == "line"
        return local

    def tracer(frame: Any, event: str, arg: Any) -> Any:
        return local if frame.f_globals.get("__name__", "").startswith("lrkit") else None

    sys.settrace(tracer)
    try:
        call()
    finally:
        sys.settrace(None)
    return count


def property_examples(quick: int) -> int:
    """``quick`` examples in the default run, ``LONG_FACTOR`` times as many in the long one.

    Called where a module builds its ``settings``, which happens after pytest
    has loaded the ``--hypothesis-profile`` given on its command line.
    """
    return quick * LONG_FACTOR if settings.get_current_profile_name() == "long" else quick


#: Valid instances of every schedule class lrkit registers, by readable id.
#: A class registered without an entry here fails ``test_every_registered_class_has_an_example``.
EXAMPLES: dict[str, lrkit.LearningRateSchedule] = {
    "ExponentialDecay": lrkit.ExponentialDecay(0.1, decay_steps=10, decay_rate=0.5),
    "ExponentialDecay-staircase": lrkit.ExponentialDecay(
        0.1, decay_steps=7, decay_rate=0.9, staircase=True, name="exp"
    ),
    "PiecewiseConstantDecay": lrkit.PiecewiseConstantDecay([10, 20.5, 100], [1.0, 0.5, 0.1, 0.01]),
    "PiecewiseConstantDecay-boundary-0": lrkit.PiecewiseConstantDecay([0], [0.2, 0.1], name=None),
    "PolynomialDecay": lrkit.PolynomialDecay(0.1, decay_steps=100),
    "PolynomialDecay-cycle": lrkit.PolynomialDecay(
        0.1, decay_steps=10, end_learning_rate=0.01, power=2.0, cycle=True
    ),
    "PolynomialDecay-sqrt-rising": lrkit.PolynomialDecay(
        0.01, decay_steps=50.5, end_learning_rate=0.1, power=0.5
    ),
    "InverseTimeDecay": lrkit.InverseTimeDecay(0.1, decay_steps=10, decay_rate=0.5),
    "InverseTimeDecay-staircase": lrkit.InverseTimeDecay(
        1.0, decay_steps=3, decay_rate=2.0, staircase=True
    ),
    "CosineDecay": lrkit.CosineDecay(0.1, decay_steps=100),
    "CosineDecay-alpha": lrkit.CosineDecay(0.1, decay_steps=1000, alpha=0.1),
    "CosineDecay-warmup": lrkit.CosineDecay(
        0.0, decay_steps=100, alpha=0.05, warmup_target=0.5, warmup_steps=20
    ),
    "CosineDecay-warmup-target-no-steps": lrkit.CosineDecay(0.1, decay_steps=30, warmup_target=0.3),
    "CosineDecayRestarts": lrkit.CosineDecayRestarts(0.1, first_decay_steps=10),
    "CosineDecayRestarts-t_mul-1": lrkit.CosineDecayRestarts(
        0.1, first_decay_steps=7, t_mul=1.0, m_mul=0.5, alpha=0.1
    ),
    "CosineDecayRestarts-t_mul-1.5": lrkit.CosineDecayRestarts(
        0.2, first_decay_steps=3.5, t_mul=1.5, m_mul=0.9, alpha=0.01, name="sgdr"
    ),
    "LinearCosineDecay": lrkit.LinearCosineDecay(0.1, decay_steps=100),
    "LinearCosineDecay-periods": lrkit.LinearCosineDecay(
        0.1, decay_steps=40, num_periods=2.0, alpha=0.1, beta=0.01, name="lc"
    ),
    "NoisyLinearCosineDecay": lrkit.NoisyLinearCosineDecay(0.1, decay_steps=100, seed=7),
    "NoisyLinearCosineDecay-seed-None": lrkit.NoisyLinearCosineDecay(
        0.1, decay_steps=1000, initial_variance=0.5, variance_decay=0.3, num_periods=1.0
    ),
    "NoisyLinearCosineDecay-no-noise": lrkit.NoisyLinearCosineDecay(
        0.1, decay_steps=60, initial_variance=0.0, seed=-3
    ),
    "Warmup": lrkit.Warmup(lrkit.CosineDecay(0.1, decay_steps=100), warmup_steps=10),
    "Warmup-cosine-from-start": lrkit.Warmup(
        lrkit.ExponentialDecay(0.2, 10, 0.5),
        warmup_steps=7.5,
        initial_learning_rate=0.01,
        shape="cosine",
    ),
    "Warmup-exponential": lrkit.Warmup(
        lrkit.PolynomialDecay(0.3, 40),
        warmup_steps=20,
        initial_learning_rate=0.001,
        shape="exponential",
    ),
    "Join": lrkit.Join(
        [lrkit.PolynomialDecay(0.0, 10, end_learning_rate=0.1), lrkit.CosineDecayRestarts(0.1, 20)],
        boundaries=[10],
    ),
    "Join-three": lrkit.Join(
        [
            lrkit.ExponentialDecay(0.1, 5, 0.9),
            lrkit.PiecewiseConstantDecay([], [0.05]),
            lrkit.CosineDecay(0.05, 50, alpha=0.1),
        ],
        boundaries=[20, 35.5],
    ),
    "Scale": lrkit.Scale(lrkit.InverseTimeDecay(1.0, 10, 0.5), 0.1),
    "Offset": lrkit.Offset(lrkit.CosineDecay(0.1, 100), 0.001),
    "Shift": lrkit.Shift(lrkit.Warmup(lrkit.CosineWave(0.1, 30), warmup_steps=10), 3),
    "Shift-fractional": lrkit.Shift(lrkit.CosineDecay(0.1, 100), steps=12.5),
    # timm's seeded noise (_noise.py): torch's generator, reproduced in Python
    "TimmNoise": lrkit.TimmNoise(lrkit.CosineDecay(0.1, decay_steps=100), start_step=10, seed=7),
    "TimmNoise-uniform-range": lrkit.TimmNoise(
        lrkit.Warmup(lrkit.StepDecay(0.2, 10, 0.5), warmup_steps=5),
        start_step=2.5,
        end_step=40,
        noise_type="uniform",
        noise_pct=0.3,
        seed=-5,
    ),
    "TimmNoise-narrow-big-seed": lrkit.TimmNoise(
        lrkit.Constant(0.01), end_step=30, noise_pct=0.25, noise_std=0.5, seed=2**40 + 3
    ),
    "Clip": lrkit.Clip(lrkit.ExponentialDecay(0.1, 10, 0.5), min_learning_rate=0.01),
    "Clip-both": lrkit.Clip(
        lrkit.LinearCosineDecay(0.2, 60, num_periods=2.0), 0.02, max_learning_rate=0.15
    ),
    "Sum": lrkit.Sum([lrkit.CosineDecay(0.1, 100), lrkit.ExponentialDecay(0.01, 10, 0.5)]),
    "Product": lrkit.Product(
        [lrkit.CosineDecay(1.0, 100), lrkit.Warmup(lrkit.ExponentialDecay(0.1, 10, 0.9), 5)]
    ),
    # -- lrkit's own simple decays (_decay.py) --
    "Constant": lrkit.Constant(0.01),
    "LinearDecay": lrkit.LinearDecay(0.1, decay_steps=100),
    "LinearDecay-rising": lrkit.LinearDecay(0.001, decay_steps=12.5, end_learning_rate=0.1),
    "CosinePowerDecay": lrkit.CosinePowerDecay(0.1, decay_steps=100),
    "CosinePowerDecay-power-rising": lrkit.CosinePowerDecay(
        0.05, decay_steps=30.5, end_learning_rate=0.2, exponent=2.5
    ),
    "StepDecay": lrkit.StepDecay(0.1, step_size=30),
    "StepDecay-half": lrkit.StepDecay(0.2, step_size=2.5, gamma=0.5),
    "MultiStepDecay": lrkit.MultiStepDecay(0.1, milestones=[30, 80]),
    "MultiStepDecay-duplicates": lrkit.MultiStepDecay(1.0, milestones=[0, 10, 10, 25.5], gamma=0.5),
    # -- lrkit's own recent-practice schedules (_modern.py) --
    "InverseSqrtDecay": lrkit.InverseSqrtDecay(0.1, warmup_steps=100),
    "InverseSqrtDecay-noam": lrkit.InverseSqrtDecay(4000**-0.5, warmup_steps=4000, d_model=512),
    "InverseSqrtDecay-t5": lrkit.InverseSqrtDecay(
        0.01, warmup_steps=10_000, warmup_shape="constant"
    ),
    "InverseSqrtDecay-timescale-no-warmup": lrkit.InverseSqrtDecay(0.1, timescale=7.5),
    "TanhDecay": lrkit.TanhDecay(0.1, decay_steps=100),
    "TanhDecay-floor": lrkit.TanhDecay(
        0.2, decay_steps=33.5, alpha=0.1, lower_bound=-4.0, upper_bound=2.5
    ),
    "WarmupStableDecay": lrkit.WarmupStableDecay(0.1, 10, 70, 20),
    "WarmupStableDecay-1-sqrt": lrkit.WarmupStableDecay(
        0.1,
        5,
        20.5,
        30,
        initial_learning_rate=0.01,
        alpha=0.1,
        decay_shape="1-sqrt",
        warmup_shape="cosine",
    ),
    "WarmupStableDecay-exponential": lrkit.WarmupStableDecay(
        0.3, 0, 10, 40, alpha=0.01, decay_shape="exponential", warmup_shape="1-sqrt"
    ),
    "WarmupStableDecay-inverse-sqrt": lrkit.WarmupStableDecay(
        0.1, 8, 0, 50, initial_learning_rate=0.1, alpha=0.2, decay_shape="inverse-sqrt"
    ),
    "WarmupStableDecay-linear-cycles": lrkit.WarmupStableDecay(
        0.1, 4, 4, 0, decay_shape="linear", num_cycles=2.0
    ),
    # -- cyclic schedules (_cyclic.py, _cosine_cycles.py) --
    "OneCycle": lrkit.OneCycle(0.1, total_steps=100),
    "OneCycle-three-phase-linear": lrkit.OneCycle(
        1.0,
        total_steps=40,
        pct_start=0.25,
        anneal_strategy="linear",
        div_factor=10.0,
        final_div_factor=100.0,
        three_phase=True,
    ),
    "OneCycle-one-step-rise": lrkit.OneCycle(0.5, total_steps=8, pct_start=0.125),
    "OneCycle-skipped-rise-float-steps": lrkit.OneCycle(
        0.2, total_steps=12.5, pct_start=0.0625, div_factor=2.0, three_phase=True
    ),
    "CyclicDecay": lrkit.CyclicDecay(0.01, 0.1, step_size_up=20.5),
    "CyclicDecay-triangular2-uneven": lrkit.CyclicDecay(
        0.1, 0.5, step_size_up=5, step_size_down=15.5, mode="triangular2"
    ),
    "CyclicDecay-exp-range": lrkit.CyclicDecay(
        0.001, 0.01, step_size_up=8, step_size_down=4, mode="exp_range", gamma=0.875
    ),
    "CyclicDecay-falling": lrkit.CyclicDecay(0.2, 0.05, step_size_up=7, step_size_down=4),
    "CosineCycles": lrkit.CosineCycles(0.1, cycle_steps=100),
    "CosineCycles-restarts": lrkit.CosineCycles(
        0.1, cycle_steps=10, cycle_decay=0.5, cycle_limit=4, alpha=0.125
    ),
    "CosineCycles-growing-k-decay": lrkit.CosineCycles(
        0.2,
        cycle_steps=6.5,
        cycle_mul=1.5,
        cycle_decay=0.75,
        cycle_limit=5,
        alpha=0.25,
        k_decay=2.0,
    ),
    "CosineWave": lrkit.CosineWave(0.1, decay_steps=50.5),
    "CosineWave-rising": lrkit.CosineWave(0.01, decay_steps=12.5, end_learning_rate=0.2),
    # -- research schedules (_research.py, _research_cycles.py) --
    "RexDecay": lrkit.RexDecay(0.1, decay_steps=100),
    "RexDecay-floor": lrkit.RexDecay(0.2, decay_steps=12.5, alpha=0.1),
    "HyperbolicDecay": lrkit.HyperbolicDecay(0.1, decay_steps=100, upper_bound_steps=150),
    "HyperbolicDecay-tight": lrkit.HyperbolicDecay(
        0.2, decay_steps=20.5, upper_bound_steps=20.5, alpha=0.05
    ),
    "ExpHyperbolicDecay": lrkit.ExpHyperbolicDecay(0.1, decay_steps=100, upper_bound_steps=120),
    "ExpHyperbolicDecay-tight": lrkit.ExpHyperbolicDecay(
        0.5, decay_steps=30, upper_bound_steps=30, alpha=0.001
    ),
    "PowerDecay": lrkit.PowerDecay(0.1, decay_steps=10),
    "PowerDecay-floor": lrkit.PowerDecay(0.2, decay_steps=2.5, power=1.5, alpha=0.01),
    "KDecay": lrkit.KDecay(0.1, decay_steps=100, k=2.0),
    "KDecay-polynomial": lrkit.KDecay(
        0.2, decay_steps=40.5, k=0.5, alpha=0.1, shape="polynomial", power=2.0
    ),
    "ChebyshevDecay": lrkit.ChebyshevDecay(0.1, decay_steps=50),
    "ChebyshevDecay-fractal-reciprocal": lrkit.ChebyshevDecay(
        1.0, decay_steps=16, alpha=0.25, reciprocal=True, fractal=True
    ),
    "SlantedTriangular": lrkit.SlantedTriangular(0.01, total_steps=100),
    "SlantedTriangular-no-rise": lrkit.SlantedTriangular(
        0.1, total_steps=7.5, cut_frac=0.0, ratio=4.0
    ),
    "Repeat": lrkit.Repeat(lrkit.LinearDecay(0.1, decay_steps=15), period_steps=13.75),
    # -- the stateful plateau schedule (_plateau.py); fresh, so every test sees the same --
    "ReduceOnPlateau": lrkit.ReduceOnPlateau(0.1, patience=5),
    "ReduceOnPlateau-over-schedule": lrkit.ReduceOnPlateau(
        lrkit.Warmup(lrkit.CosineDecay(0.1, decay_steps=100), warmup_steps=10),
        mode="max",
        factor=0.5,
        patience=0,
        threshold=0.01,
        threshold_mode="abs",
        cooldown=2,
        min_lr=0.001,
        eps=0.0,
        name="plateau",
    ),
    "Repeat-warmup-fraction": lrkit.Repeat(
        lrkit.Warmup(lrkit.CosineDecay(0.1, 20), warmup_steps=5), period_steps=17.25
    ),
    # -- whole-step warmup cosine restarts (_restarts.py) --
    # Decaying peaks: test_arrays' float32 envelope cannot resolve 10-step cycles at 1e12.
    "CosineWarmupRestarts": lrkit.CosineWarmupRestarts(0.1, cycle_steps=10, cycle_decay=0.5),
    "CosineWarmupRestarts-warmup-growing": lrkit.CosineWarmupRestarts(
        0.2, cycle_steps=7, warmup_steps=2.5, cycle_mul=1.5, cycle_decay=0.75, alpha=0.05
    ),
    "CosineWarmupRestarts-peaks-below-floor": lrkit.CosineWarmupRestarts(
        0.1, cycle_steps=3, warmup_steps=1, cycle_mul=2.0, cycle_decay=0.25, alpha=0.5
    ),
    # -- named warmup / plateau / decay shapes (_wsd_shapes.py) --
    "TrapezoidalDecay": lrkit.TrapezoidalDecay(0.1, 100, warmup_steps=10, decay_steps=20),
    "TrapezoidalDecay-1-sqrt": lrkit.TrapezoidalDecay(
        0.2,
        50.5,
        warmup_steps=5.5,
        decay_steps=15,
        initial_learning_rate=0.01,
        alpha=0.1,
        decay_shape="1-sqrt",
    ),
    "TrapezoidalDecay-no-plateau": lrkit.TrapezoidalDecay(0.1, 30, warmup_steps=0, decay_steps=30),
    "FlatCosineDecay": lrkit.FlatCosineDecay(0.1, total_steps=100),
    "FlatCosineDecay-fractional": lrkit.FlatCosineDecay(
        0.2, total_steps=40.5, flat_fraction=0.3, alpha=0.05
    ),
    "WarmupHoldCosineDecay": lrkit.WarmupHoldCosineDecay(0.1, 100, warmup_steps=10, hold_steps=40),
    "WarmupHoldCosineDecay-all-phases-fractional": lrkit.WarmupHoldCosineDecay(
        0.3, 60.5, warmup_steps=7.5, hold_steps=20, initial_learning_rate=0.03, alpha=0.1
    ),
}


def sample_arguments(cls: type[lrkit.LearningRateSchedule]) -> dict[str, Any]:
    """Valid values for a class's required parameters, from their declared kinds.

    A class added to lrkit is exercised by the tests built on :data:`EXAMPLES`
    (and by the bad-input tables) from its declaration alone; a class whose
    rules between parameters refuse these values lists examples above.
    """
    samples: dict[str, Callable[[Any], Any]] = {
        "rate": lambda spec: 0.1,
        "steps": lambda spec: 100,
        "fraction": lambda spec: 0.5,
        "number": lambda spec: _sample_number(spec.details),
        "integer": lambda spec: max(spec.details["minimum"] or 0, 1) + 1,
        "flag": lambda spec: False,
        "choice": lambda spec: spec.details["options"][0],
        "name": lambda spec: "sample",
        "boundaries": lambda spec: [10, 20],
        "schedule": lambda spec: lrkit.CosineDecay(0.1, 100),
        "schedules": lambda spec: [lrkit.CosineDecay(0.1, 100), lrkit.Constant(0.01)],
    }
    return {
        name: samples[spec.kind](spec)
        for name, spec in getattr(cls, "_parameter_specs", {}).items()
        if spec.required
    }


def _sample_number(details: dict[str, Any]) -> float:
    low, high = details["minimum"], details["maximum"]
    if low is not None and high is not None:
        return (low + high) / 2
    return 1.0 if low is None else low + 1.0


# Every registered class without an example above gets one from its declared parameters.
for _name in lrkit.registered_names():
    _cls = getattr(lrkit, _name, None)
    _covered = any(type(s) is _cls for s in EXAMPLES.values())
    if ">" not in _name and _cls is not None and not _covered:
        EXAMPLES[_name] = _cls(**sample_arguments(_cls))

EXAMPLE_PARAMS = [pytest.param(schedule, id=key) for key, schedule in EXAMPLES.items()]


@pytest.fixture(scope="session")
def builtin_classes() -> dict[str, type[lrkit.LearningRateSchedule]]:
    """lrkit's own registered classes by name (user classes register as ``package>name``)."""
    return {name: getattr(lrkit, name) for name in lrkit.registered_names() if ">" not in name}


@pytest.fixture(scope="session", params=EXAMPLE_PARAMS)
def example_schedule(request: pytest.FixtureRequest) -> lrkit.LearningRateSchedule:
    """Every entry of :data:`EXAMPLES` in turn."""
    schedule: lrkit.LearningRateSchedule = request.param
    return schedule


@pytest.fixture(scope="session")
def examples() -> dict[str, lrkit.LearningRateSchedule]:
    return EXAMPLES


# -- steps -------------------------------------------------------------------

#: Steps up to this size are exercised; float64 resolves every integer below it.
LARGE_STEP = 10**12


def interesting_steps(schedule: lrkit.LearningRateSchedule) -> list[float]:
    """Step 0 and the steps around each boundary a schedule's config names.

    Every config number under a key that counts steps (``*_steps``,
    ``boundaries``) gives itself, its neighbours and a few multiples, which
    covers staircase jumps, warmup ends, clamping and (for geometric restart
    periods) the first restarts.
    """
    config = schedule.get_config()
    marks: list[float] = []
    for key, value in config.items():
        if key.endswith("steps") or key == "boundaries":
            marks.extend(value if isinstance(value, list) else [value])
    t_mul = config.get("t_mul")
    if isinstance(t_mul, float) and "first_decay_steps" in config:
        first = config["first_decay_steps"]
        marks.extend(
            first * k if t_mul == 1.0 else first * (t_mul**k - 1.0) / (t_mul - 1.0)
            for k in range(1, 8)
        )
    steps = {0.0, 0.5, 1.0, 2.0, 3.0, float(LARGE_STEP)}
    for mark in marks:
        if isinstance(mark, (int, float)) and math.isfinite(mark):
            for offset in (-1.0, -0.5, 0.0, 0.5, 1.0):
                steps.add(max(0.0, float(mark) + offset))
            steps.update(float(mark) * factor for factor in (2, 3, 7))
    steps.update(float(sum(marks[:2])) + offset for offset in (-1.0, 0.0, 1.0) if marks)
    return sorted(step for step in steps if step >= 0.0)


def steps_for(schedule: lrkit.LearningRateSchedule) -> st.SearchStrategy[float | int]:
    """Non-negative steps: the schedule's boundary steps, integers and floats, some large."""
    return st.one_of(
        st.sampled_from(interesting_steps(schedule)),
        st.integers(min_value=0, max_value=10_000),
        st.integers(min_value=0, max_value=LARGE_STEP),
        st.floats(min_value=0.0, max_value=float(LARGE_STEP)),
    )


@pytest.fixture(scope="session")
def step_strategy() -> Callable[[lrkit.LearningRateSchedule], st.SearchStrategy[float | int]]:
    """``step_strategy(schedule)``: a Hypothesis strategy of steps for ``schedule``."""
    return steps_for


@pytest.fixture(scope="session")
def boundary_steps() -> Callable[[lrkit.LearningRateSchedule], list[float]]:
    """``boundary_steps(schedule)``: step 0 and the steps around its boundaries."""
    return interesting_steps


def function_calls(action: Callable[[], Any]) -> int:
    """How many Python and C functions ``action()`` calls: a measure of work, not of time.

    Tests that must show work bounded (not growing with an input's size) count
    calls instead of timing, which a loaded machine makes flaky. Counts vary a
    little with the interpreter's state (the garbage collector's callbacks),
    so comparisons leave some room; growth with the size is orders larger.
    """
    calls = 0

    def count(frame: Any, event: str, arg: Any) -> None:
        nonlocal calls
        if event in ("call", "c_call"):
            calls += 1

    previous = sys.getprofile()
    sys.setprofile(count)
    try:
        action()
    finally:
        sys.setprofile(previous)
    return calls


def bounded(work: int, reference: int, factor: float = 1.0) -> bool:
    """``work`` is at most ``factor`` times ``reference``, give or take the counts' jitter."""
    return work <= 1.5 * factor * reference + 50


# -- long subprocesses, started early ---------------------------------------------------


def pytest_collection_finish(session: pytest.Session) -> None:
    """Start the suite's long subprocesses as soon as tests that need them are selected.

    A test module may define ``start_in_background()`` (the example scripts,
    the docs build): it is called here, before the first test runs, so those
    processes use the second core while pytest's own process runs the other
    tests; the module's fixtures then wait for their results.
    """
    modules = {getattr(item, "module", None) for item in session.items}
    for module in modules:
        start = getattr(module, "start_in_background", None)
        if callable(start):
            start()
