"""Parity with TensorFlow 2.x: the linear cosine decays and tf.keras 2.x configs.

* ``LinearCosineDecay`` against ``tf.compat.v1.train.linear_cosine_decay`` and
  TF's legacy Keras class
  (``tensorflow.python.keras.optimizer_v2.learning_rate_schedule``), over a
  table of (num_periods, alpha, beta) and a grid of steps.
* ``NoisyLinearCosineDecay`` against TF's noisy version with
  ``initial_variance=0`` (no noise: deterministic), and statistical checks of
  lrkit's own noise (TF draws fresh noise on every call, so its values can't
  be compared): the implied draws are standard normal, a pure function of
  (seed, step), different per seed, and the same on Python ints and on NumPy,
  torch and JAX (also jitted) arrays.
* ``lrkit.deserialize`` reads what TF's legacy ``serialize`` writes (the
  tf.keras 2.x format: bare ``{"class_name", "config"}``, ``name=None``) for
  all eight Keras/TF classes and gives the TF object's values.

TF computes these schedules in float32 (its linear cosine decays can't run in
float64: they multiply by a float32 pi constant), so the tolerances are
float32-sized, as in ``test_keras_parity.py``.
"""

from __future__ import annotations

import json
import math
from typing import Any

import numpy as np
import pytest

import lrkit

tf = pytest.importorskip("tensorflow")

pytestmark = pytest.mark.tensorflow

# Float32 evaluation in TF: each operation rounds to a relative 2**-24 and a
# formula chains about ten, hence rtol = 2e-6; values near zero (the cosine
# factor crossing 0) carry absolute errors of a few float32 ulps of the
# largest term: atol = 1e-6 x that scale.
FLOAT32_RTOL = 2e-6
FLOAT32_ATOL = 1e-6

LARGE_STEPS = (10**6, 10**9)


def _close(actual: float, expected: float, rtol: float, atol: float) -> bool:
    return abs(actual - expected) <= atol + rtol * abs(expected)


def _assert_all_close(
    steps: Any, actual: list[float], expected: list[float], rtol: float, atol: float, what: str
) -> None:
    failures = [
        f"step {step}: lrkit {a!r}, reference {e!r}"
        for step, a, e in zip(steps, actual, expected, strict=True)
        if not _close(a, e, rtol, atol)
    ]
    assert not failures, f"{what}:\n" + "\n".join(failures)


def _grid(decay_steps: int, num_periods: float) -> tuple[int, ...]:
    """0, the quarter points of every cosine period, the end, and beyond."""
    points = {0, 1, 2, decay_steps - 1, decay_steps, decay_steps + 1, 2 * decay_steps}
    quarters = max(1, math.ceil(4 * num_periods))
    for k in range(1, quarters):
        point = round(decay_steps * k / (4 * num_periods))
        points.update({point - 1, point, point + 1})
    points.update(LARGE_STEPS)
    return tuple(sorted(p for p in points if p >= 0))


# (initial_learning_rate, decay_steps, num_periods, alpha, beta)
LINEAR_COSINE_CASES = [
    pytest.param(0.1, 1000, 0.5, 0.0, 0.001, id="defaults"),
    pytest.param(0.1, 1000, 2.0, 0.1, 0.01, id="two-periods"),
    pytest.param(1.0, 100, 0.0, 0.0, 0.001, id="no-cosine"),
    pytest.param(0.05, 500, 3.5, 0.5, 0.0, id="many-periods"),
    pytest.param(0.3, 7, 1.25, 0.0, 0.2, id="short-odd-periods"),
    pytest.param(0.1, 40, 0.5, 1.0, 0.0, id="alpha-one"),
]


def _scale(lr: float, alpha: float, beta: float) -> float:
    return lr * (1.0 + alpha + beta)


@pytest.fixture(scope="module")
def legacy() -> Any:
    """TF's legacy (tf.keras 2.x) schedule module."""
    return pytest.importorskip("tensorflow.python.keras.optimizer_v2.learning_rate_schedule")


# -- LinearCosineDecay ---------------------------------------------------------------


@pytest.mark.parametrize(("lr", "decay_steps", "num_periods", "alpha", "beta"), LINEAR_COSINE_CASES)
def test_linear_cosine_matches_tf_compat_v1(
    lr: float, decay_steps: int, num_periods: float, alpha: float, beta: float
) -> None:
    steps = _grid(decay_steps, num_periods)
    schedule = lrkit.LinearCosineDecay(lr, decay_steps, num_periods, alpha, beta)
    expected = []
    for step in steps:
        decayed = tf.compat.v1.train.linear_cosine_decay(
            lr, step, decay_steps, num_periods=num_periods, alpha=alpha, beta=beta
        )
        # In eager mode TF returns a callable, evaluated at each call.
        assert callable(decayed)
        expected.append(float(decayed()))
    actual = [schedule(step) for step in steps]
    atol = FLOAT32_ATOL * _scale(lr, alpha, beta)
    _assert_all_close(steps, actual, expected, FLOAT32_RTOL, atol, "linear_cosine_decay")


@pytest.mark.parametrize(("lr", "decay_steps", "num_periods", "alpha", "beta"), LINEAR_COSINE_CASES)
def test_linear_cosine_matches_tf_legacy_class(
    legacy: Any, lr: float, decay_steps: int, num_periods: float, alpha: float, beta: float
) -> None:
    steps = _grid(decay_steps, num_periods)
    kwargs = dict(num_periods=num_periods, alpha=alpha, beta=beta)
    reference = legacy.LinearCosineDecay(lr, decay_steps, **kwargs)
    schedule = lrkit.LinearCosineDecay(lr, decay_steps, **kwargs)
    expected = [float(reference(step)) for step in steps]
    actual = [schedule(step) for step in steps]
    atol = FLOAT32_ATOL * _scale(lr, alpha, beta)
    _assert_all_close(steps, actual, expected, FLOAT32_RTOL, atol, "legacy LinearCosineDecay")


def test_linear_cosine_defaults_match_tf(legacy: Any) -> None:
    """Same defaults: num_periods=0.5, alpha=0.0, beta=0.001, name=None."""
    reference = legacy.LinearCosineDecay(0.1, 100).get_config()
    assert lrkit.LinearCosineDecay(0.1, 100).get_config() == reference


# -- NoisyLinearCosineDecay without noise ------------------------------------------

# (initial_learning_rate, decay_steps, variance_decay, num_periods, alpha, beta)
NOISY_CASES = [
    pytest.param(0.1, 1000, 0.55, 0.5, 0.0, 0.001, id="defaults"),
    pytest.param(0.1, 1000, 0.0, 2.0, 0.1, 0.01, id="two-periods"),
    pytest.param(0.05, 500, 1.5, 3.5, 0.5, 0.0, id="many-periods"),
    pytest.param(0.3, 7, 0.55, 1.25, 0.0, 0.2, id="short-odd-periods"),
]


@pytest.mark.parametrize(
    ("lr", "decay_steps", "variance_decay", "num_periods", "alpha", "beta"), NOISY_CASES
)
def test_noisy_linear_cosine_without_noise_matches_tf(
    legacy: Any,
    lr: float,
    decay_steps: int,
    variance_decay: float,
    num_periods: float,
    alpha: float,
    beta: float,
) -> None:
    steps = _grid(decay_steps, num_periods)
    kwargs = dict(
        initial_variance=0.0,
        variance_decay=variance_decay,
        num_periods=num_periods,
        alpha=alpha,
        beta=beta,
    )
    schedule = lrkit.NoisyLinearCosineDecay(lr, decay_steps, seed=42, **kwargs)
    compat = [
        float(tf.compat.v1.train.noisy_linear_cosine_decay(lr, step, decay_steps, **kwargs)())
        for step in steps
    ]
    legacy_schedule = legacy.NoisyLinearCosineDecay(lr, decay_steps, **kwargs)
    legacy_values = [float(legacy_schedule(step)) for step in steps]
    actual = [schedule(step) for step in steps]
    atol = FLOAT32_ATOL * _scale(lr, alpha, beta)
    _assert_all_close(steps, actual, compat, FLOAT32_RTOL, atol, "noisy_linear_cosine_decay")
    _assert_all_close(steps, actual, legacy_values, FLOAT32_RTOL, atol, "legacy noisy class")


# -- lrkit's noise ---------------------------------------------------------------------

NOISE_DRAWS = 20_000


def _implied_draws(
    values: np.ndarray,
    steps: np.ndarray,
    *,
    lr: float,
    decay_steps: int,
    initial_variance: float,
    variance_decay: float,
    num_periods: float,
    alpha: float,
    beta: float,
) -> tuple[np.ndarray, np.ndarray]:
    """The standard normal draws behind noisy values, from TF's documented formula.

    value = lr * ((alpha + linear + std * z) * cosine + beta), with
    linear = (T - t) / T, cosine = (1 + cos(2 pi n t / T)) / 2 and
    std = sqrt(v0 / (1 + t) ** d), t = min(step, T). Returns the draws and a
    mask of the steps where the cosine factor is far enough from 0 for z to
    be recovered accurately.
    """
    t = np.minimum(steps.astype(np.float64), decay_steps)
    linear = (decay_steps - t) / decay_steps
    cosine = 0.5 * (1.0 + np.cos(np.pi * 2.0 * num_periods * t / decay_steps))
    std = np.sqrt(initial_variance / (1.0 + t) ** variance_decay)
    usable = np.abs(cosine) > 0.05
    with np.errstate(divide="ignore", invalid="ignore"):
        z = ((values / lr - beta) / cosine - alpha - linear) / std
    return z, usable


def _normal_cdf(z: np.ndarray) -> np.ndarray:
    return 0.5 * (1.0 + np.array([math.erf(v / math.sqrt(2.0)) for v in z]))


def _assert_standard_normal(z: np.ndarray) -> None:
    """Deterministic draws, so fixed bounds: about 4.5 standard errors each."""
    n = len(z)
    assert np.all(np.isfinite(z))
    assert abs(z.mean()) < 4.5 / math.sqrt(n)
    # The sample variance of n normal draws has a standard error sqrt(2 / n).
    assert abs(z.var() - 1.0) < 4.5 * math.sqrt(2.0 / n)
    # Kolmogorov-Smirnov distance to N(0, 1); 1.95 / sqrt(n) is the 0.1% level.
    ordered = np.sort(z)
    cdf = _normal_cdf(ordered)
    ranks = np.arange(1, n + 1) / n
    distance = max(np.max(ranks - cdf), np.max(cdf - (ranks - 1.0 / n)))
    assert distance < 1.95 / math.sqrt(n)
    # Tails: P(|z| > 3) = 0.0027 for a normal.
    tail = np.mean(np.abs(z) > 3.0)
    assert 0.0027 - 4.5 * math.sqrt(0.0027 / n) < tail < 0.0027 + 4.5 * math.sqrt(0.0027 / n)
    # Consecutive steps are uncorrelated.
    lag1 = np.corrcoef(z[:-1], z[1:])[0, 1]
    assert abs(lag1) < 4.5 / math.sqrt(n)


@pytest.mark.parametrize(
    ("initial_variance", "variance_decay", "num_periods", "alpha", "beta", "seed"),
    [
        pytest.param(0.25, 0.0, 0.5, 0.0, 0.001, 123, id="fixed-variance"),
        pytest.param(1.0, 0.55, 0.5, 0.2, 0.01, 7, id="decaying-variance"),
        pytest.param(0.04, 0.0, 3.0, 0.1, 0.0, None, id="periods-seed-none"),
    ],
)
def test_noise_is_standard_normal(
    initial_variance: float,
    variance_decay: float,
    num_periods: float,
    alpha: float,
    beta: float,
    seed: int | None,
) -> None:
    lr, decay_steps = 0.5, 10 * NOISE_DRAWS
    kwargs = dict(
        initial_variance=initial_variance,
        variance_decay=variance_decay,
        num_periods=num_periods,
        alpha=alpha,
        beta=beta,
    )
    schedule = lrkit.NoisyLinearCosineDecay(lr, decay_steps, seed=seed, **kwargs)
    # Every tenth step across the decay, so the cosine factor takes all values.
    steps = np.arange(NOISE_DRAWS) * 10 + 3
    values = np.array([schedule(int(step)) for step in steps])
    z, usable = _implied_draws(values, steps, lr=lr, decay_steps=decay_steps, **kwargs)
    assert usable.mean() > 0.8
    _assert_standard_normal(z[usable])


def test_standard_normal_helper_is_standard_normal() -> None:
    """The counter-based generator itself, on NumPy arrays and Python floats."""
    xp = pytest.importorskip("array_api_compat.numpy")
    from lrkit._core.arrays import ScalarOps
    from lrkit._core.random import standard_normal

    steps = np.arange(NOISE_DRAWS, dtype=np.float64)
    draws = np.asarray(standard_normal(steps, 2024, xp))
    _assert_standard_normal(draws)
    # Python floats give the same draws as arrays.
    for step in (0, 1, 17, 999, 12_345):
        assert standard_normal(float(step), 2024, ScalarOps) == pytest.approx(
            draws[step], rel=1e-12, abs=1e-12
        )
    # A function of floor(step): any point inside a step gives its draw.
    assert standard_normal(17.75, 2024, ScalarOps) == pytest.approx(draws[17], rel=1e-12)
    # Other seeds give unrelated draws.
    for other_seed in (2025, 0, -1, 2**31 + 2024):
        other = np.asarray(standard_normal(steps, other_seed, xp))
        assert abs(np.corrcoef(draws, other)[0, 1]) < 4.5 / math.sqrt(NOISE_DRAWS)


def test_seeds_beyond_32_bits_give_different_noise() -> None:
    steps = range(100)
    low = lrkit.NoisyLinearCosineDecay(0.1, 1000, seed=5)
    high = lrkit.NoisyLinearCosineDecay(0.1, 1000, seed=2**32 + 5)
    assert [low(step) for step in steps] != [high(step) for step in steps]


def test_noise_is_a_pure_function_of_seed_and_step() -> None:
    kwargs = dict(initial_variance=1.0, variance_decay=0.55, seed=11)
    schedule = lrkit.NoisyLinearCosineDecay(0.1, 1000, **kwargs)
    twin = lrkit.NoisyLinearCosineDecay(0.1, 1000, **kwargs)
    steps = list(range(0, 1000, 13))
    first = [schedule(step) for step in steps]
    assert [schedule(step) for step in reversed(steps)] == first[::-1]
    assert [twin(step) for step in steps] == first
    restored = lrkit.deserialize(json.loads(json.dumps(lrkit.serialize(schedule))))
    assert [restored(step) for step in steps] == first
    # The noise is actually there: the noise-free schedule differs.
    quiet = lrkit.NoisyLinearCosineDecay(0.1, 1000, initial_variance=0.0, seed=11)
    assert sum(schedule(step) != quiet(step) for step in steps) > 0.9 * len(steps)


def test_different_seeds_give_different_noise() -> None:
    lr, decay_steps = 0.1, 10**6
    kwargs = dict(initial_variance=1.0, variance_decay=0.0, num_periods=0.5, alpha=0.0, beta=0.0)
    steps = np.arange(5000)
    draws = []
    for seed in (1, 2, 3):
        schedule = lrkit.NoisyLinearCosineDecay(lr, decay_steps, seed=seed, **kwargs)
        values = np.array([schedule(int(step)) for step in steps])
        z, usable = _implied_draws(values, steps, lr=lr, decay_steps=decay_steps, **kwargs)
        assert usable.all()
        draws.append(z)
    for a, b in ((0, 1), (0, 2), (1, 2)):
        assert np.mean(draws[a] == draws[b]) < 0.01
        assert abs(np.corrcoef(draws[a], draws[b])[0, 1]) < 4.5 / math.sqrt(len(steps))
    # seed=None is documented as seed 0.
    unseeded = lrkit.NoisyLinearCosineDecay(lr, decay_steps, seed=None, **kwargs)
    zero = lrkit.NoisyLinearCosineDecay(lr, decay_steps, seed=0, **kwargs)
    assert [unseeded(int(s)) for s in steps[:100]] == [zero(int(s)) for s in steps[:100]]


# Steps inside the decay, at its end and past it (the noise is then frozen at
# the draw of decay_steps).
ARRAY_STEPS = np.concatenate([np.arange(0, 1000, 7), [999, 1000, 1001, 1500, 10**6]])
NOISY_ARRAY_SCHEDULE = dict(
    initial_learning_rate=0.1,
    decay_steps=1000,
    initial_variance=0.5,
    variance_decay=0.55,
    num_periods=1.5,
    alpha=0.05,
    beta=0.001,
    seed=5,
)


def _python_values() -> np.ndarray:
    schedule = lrkit.NoisyLinearCosineDecay(**NOISY_ARRAY_SCHEDULE)
    return np.array([schedule(int(step)) for step in ARRAY_STEPS])


# A float32 evaluation (float32 steps, or JAX without x64) rounds the inputs of
# the Box-Muller transform to float32: the draw is then off by up to ~1e-6,
# scaled by lr x std x cosine in the value: atol = 2e-6 x lr.
ARRAY_FLOAT32_RTOL = 1e-5
ARRAY_FLOAT32_ATOL = 2e-6 * NOISY_ARRAY_SCHEDULE["initial_learning_rate"]


def test_noise_on_numpy_arrays_matches_python_ints() -> None:
    schedule = lrkit.NoisyLinearCosineDecay(**NOISY_ARRAY_SCHEDULE)
    expected = _python_values()
    as_int = schedule(ARRAY_STEPS.astype(np.int64))
    assert as_int.dtype == np.float64
    np.testing.assert_allclose(as_int, expected, rtol=1e-12, atol=1e-15)
    as_float32 = schedule(ARRAY_STEPS.astype(np.float32))
    assert as_float32.dtype == np.float32
    np.testing.assert_allclose(
        as_float32, expected, rtol=ARRAY_FLOAT32_RTOL, atol=ARRAY_FLOAT32_ATOL
    )
    # One NumPy scalar at a time, too.
    for step, value in zip(ARRAY_STEPS[:20], expected[:20], strict=True):
        assert float(schedule(np.int64(step))) == pytest.approx(value, rel=1e-12)


def test_noise_on_torch_tensors_matches_python_ints() -> None:
    torch = pytest.importorskip("torch")
    schedule = lrkit.NoisyLinearCosineDecay(**NOISY_ARRAY_SCHEDULE)
    expected = _python_values()
    as_double = schedule(torch.tensor(ARRAY_STEPS, dtype=torch.float64))
    assert as_double.dtype == torch.float64
    np.testing.assert_allclose(as_double.numpy(), expected, rtol=1e-12, atol=1e-15)
    # Integer steps give torch's default float, computed in float64 first.
    as_int = schedule(torch.tensor(ARRAY_STEPS, dtype=torch.int64))
    assert as_int.dtype == torch.get_default_dtype()
    np.testing.assert_allclose(as_int.double().numpy(), expected, rtol=1e-6, atol=1e-9)


def test_noise_on_jax_arrays_matches_python_ints() -> None:
    jax = pytest.importorskip("jax")
    jnp = pytest.importorskip("jax.numpy")
    schedule = lrkit.NoisyLinearCosineDecay(**NOISY_ARRAY_SCHEDULE)
    expected = _python_values()
    steps = jnp.asarray(ARRAY_STEPS)
    eager = np.asarray(schedule(steps), dtype=np.float64)
    jitted = np.asarray(jax.jit(schedule)(steps), dtype=np.float64)
    one_by_one = np.array([float(jax.jit(schedule)(step)) for step in steps[:10]])
    for got in (eager, jitted):
        np.testing.assert_allclose(got, expected, rtol=ARRAY_FLOAT32_RTOL, atol=ARRAY_FLOAT32_ATOL)
    np.testing.assert_allclose(
        one_by_one, expected[:10], rtol=ARRAY_FLOAT32_RTOL, atol=ARRAY_FLOAT32_ATOL
    )


# -- tf.keras 2.x configs --------------------------------------------------------------

LEGACY_STEPS = (
    0, 1, 5, 9, 10, 11, 29, 30, 31, 50, 69, 70, 71, 99, 100, 101,
    150, 199, 200, 201, 500, 999, 1000, 1001, 5000, *LARGE_STEPS,
)  # fmt: skip

# (class name, positional args, keyword args)
LEGACY_SCHEDULES = [
    pytest.param("ExponentialDecay", (0.1, 100, 0.96), dict(staircase=True), id="exponential"),
    pytest.param("PiecewiseConstantDecay", ([100, 200], [1.0, 0.5, 0.1]), {}, id="piecewise"),
    pytest.param(
        "PolynomialDecay",
        (0.1, 100),
        dict(end_learning_rate=0.01, power=2.0, cycle=True),
        id="polynomial",
    ),
    pytest.param("InverseTimeDecay", (0.1, 10, 0.5), {}, id="inverse-time"),
    pytest.param("CosineDecay", (0.1, 1000), dict(alpha=0.1), id="cosine"),
    pytest.param(
        "CosineDecayRestarts",
        (0.1, 10),
        dict(t_mul=2.0, m_mul=0.9, alpha=0.05),
        id="restarts",
    ),
    pytest.param(
        "LinearCosineDecay",
        (0.1, 1000),
        dict(num_periods=2.0, alpha=0.1, beta=0.01),
        id="linear-cosine",
    ),
    pytest.param(
        "NoisyLinearCosineDecay",
        (0.1, 1000),
        dict(initial_variance=0.0, variance_decay=0.3, num_periods=1.5, alpha=0.1, beta=0.01),
        id="noisy-linear-cosine",
    ),
]


@pytest.mark.parametrize(("class_name", "args", "kwargs"), LEGACY_SCHEDULES)
def test_deserializes_tf_keras_2_configs(
    legacy: Any, class_name: str, args: tuple[Any, ...], kwargs: dict[str, Any]
) -> None:
    reference = getattr(legacy, class_name)(*args, **kwargs)
    config = legacy.serialize(reference)
    # The tf.keras 2.x format: no module, no registered_name, name None.
    assert set(config) == {"class_name", "config"}
    assert config["class_name"] == class_name
    assert config["config"]["name"] is None
    expected = [float(reference(step)) for step in LEGACY_STEPS]
    parameters = config["config"]
    rates = parameters.get("values") or [parameters["initial_learning_rate"]]
    scale = max(rates) * (1.0 + parameters.get("alpha", 0.0) + parameters.get("beta", 0.0))
    text = json.dumps(config)
    for form in (config, json.loads(text), text):
        schedule = lrkit.deserialize(form)
        assert type(schedule) is getattr(lrkit, class_name)
        assert schedule.name is None
        # Every parameter TF wrote is kept.
        assert {k: v for k, v in schedule.get_config().items() if k in config["config"]} == (
            config["config"]
        )
        actual = [schedule(step) for step in LEGACY_STEPS]
        _assert_all_close(
            LEGACY_STEPS,
            actual,
            expected,
            FLOAT32_RTOL,
            FLOAT32_ATOL * scale,
            f"{class_name} from {type(form).__name__}",
        )
