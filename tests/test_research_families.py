"""Properties of the research families: REX, hyperbolic, power, k-decay, Chebyshev, ULMFiT, Repeat.

Parameters are drawn by Hypothesis; each family is checked for finite
values within its documented bounds, monotonicity where documented,
continuity where its phases meet, a config round trip, and the same values
from NumPy, torch and jitted JAX steps as from Python ints.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import lrkit
from conftest import property_examples

torch = pytest.importorskip("torch")
jax = pytest.importorskip("jax")
jnp = pytest.importorskip("jax.numpy")

SETTINGS = settings(max_examples=property_examples(10), deadline=None)

rates = st.floats(min_value=1e-4, max_value=10.0)
fractions = st.floats(min_value=0.0, max_value=1.0)
lengths = st.one_of(st.integers(1, 500), st.floats(min_value=0.5, max_value=500.0))


@st.composite
def decays(draw: st.DrawFn) -> lrkit.LearningRateSchedule:
    """One of the monotone decays, with drawn parameters."""
    rate, steps, alpha = draw(rates), draw(lengths), draw(fractions)
    kind = draw(st.sampled_from(["rex", "hyperbolic", "exp", "power", "k", "chebyshev"]))
    if kind == "rex":
        return lrkit.RexDecay(rate, steps, alpha=alpha)
    if kind in ("hyperbolic", "exp"):
        upper = steps * draw(st.floats(min_value=1.0, max_value=4.0))
        if kind == "hyperbolic":
            return lrkit.HyperbolicDecay(rate, steps, upper, alpha=alpha)
        return lrkit.ExpHyperbolicDecay(rate, steps, upper, alpha=max(alpha, 1e-3))
    if kind == "power":
        return lrkit.PowerDecay(rate, steps, power=draw(st.floats(0.0, 3.0)), alpha=alpha)
    if kind == "k":
        shape = draw(st.sampled_from(["cosine", "polynomial"]))
        k, power = draw(st.floats(0.1, 5.0)), draw(st.floats(0.1, 4.0))
        return lrkit.KDecay(rate, steps, k=k, alpha=alpha, shape=shape, power=power)
    return lrkit.ChebyshevDecay(
        rate, draw(st.integers(1, 300)), alpha=max(alpha, 1e-3), reciprocal=draw(st.booleans())
    )


@st.composite
def slanted(draw: st.DrawFn) -> lrkit.SlantedTriangular:
    return lrkit.SlantedTriangular(
        draw(rates),
        draw(lengths),
        cut_frac=draw(st.floats(0.0, 0.9)),
        ratio=draw(st.floats(1.0, 100.0)),
    )


steps = st.floats(min_value=0.0, max_value=2000.0)


def _floor(schedule: lrkit.LearningRateSchedule) -> float:
    config = schedule.get_config()
    return float(config.get("alpha", 0.0)) * float(config["initial_learning_rate"])


@SETTINGS
@given(schedule=decays(), step=steps, later=steps)
def test_decays_are_finite_bounded_and_non_increasing(
    schedule: lrkit.LearningRateSchedule, step: float, later: float
) -> None:
    start = schedule.get_config()["initial_learning_rate"]
    low, high = sorted((step, later))
    a, b = schedule(low), schedule(high)
    tol = 1e-12 * start
    assert math.isfinite(a)
    assert math.isfinite(b)
    assert _floor(schedule) - tol <= b <= a + tol <= start + 2 * tol
    assert schedule(0) == pytest.approx(start, rel=0.05) or isinstance(
        schedule, lrkit.ChebyshevDecay
    )


@SETTINGS
@given(schedule=decays())
def test_decays_are_continuous_and_flat_after_the_budget(
    schedule: lrkit.LearningRateSchedule,
) -> None:
    config = schedule.get_config()
    if isinstance(schedule, lrkit.PowerDecay):
        return  # no end: decays for ever
    end = float(config["decay_steps"])
    assert schedule(end + 1.0) == schedule(end * 3.0)
    if not isinstance(schedule, lrkit.ChebyshevDecay):  # a staircase by design
        scale = config["initial_learning_rate"]
        gap = 1e-12
        # (1 - f)**p with p < 1 is continuous but steep at the end: a gap of
        # 1e-12 moves it by about gap**p.
        polynomial = config.get("shape") == "polynomial"
        exponent = min(config.get("power", 1.0), 1.0) if polynomial else 1.0
        tolerance = scale * max(1e-5, 10.0 * gap**exponent)
        assert abs(schedule(end) - schedule(end * (1.0 - gap))) <= tolerance


@SETTINGS
@given(schedule=slanted(), step=steps)
def test_slanted_triangular_rises_then_falls_between_its_bounds(
    schedule: lrkit.SlantedTriangular, step: float
) -> None:
    peak, ratio = schedule.max_learning_rate, schedule.ratio
    total = schedule.total_steps
    cut = math.floor(total * schedule.cut_frac)
    value = schedule(step)
    assert peak / ratio * (1 - 1e-12) <= value <= peak * (1 + 1e-12)
    nudged = schedule(step + 0.25)
    if step + 0.25 <= cut:
        assert nudged >= value * (1 - 1e-12)
    elif step >= cut:
        assert nudged <= value * (1 + 1e-12)
    if cut > 0:  # continuous at the peak, and exactly the peak there
        assert schedule(cut) == pytest.approx(peak, rel=1e-12)
        assert schedule(cut * (1 - 1e-9)) == pytest.approx(peak, rel=1e-6)
    assert schedule(total) == pytest.approx(peak / ratio, rel=1e-12)


@SETTINGS
@given(
    rate=rates,
    warmup=st.integers(1, 100),
    power=st.floats(0.1, 2.0),
)
def test_power_decay_behind_a_warmup_is_continuous_and_a_power_law(
    rate: float, warmup: int, power: float
) -> None:
    schedule = lrkit.Warmup(lrkit.PowerDecay(rate, warmup, power=power), warmup)
    assert schedule(warmup * (1 - 1e-9)) == pytest.approx(rate, rel=1e-6)
    for step in (warmup, 2 * warmup, 10 * warmup):
        assert schedule(step) == pytest.approx(rate * (step / warmup) ** -power, rel=1e-12)


@SETTINGS
@given(exponent=st.integers(0, 7), rate=rates, alpha=st.floats(0.01, 1.0))
def test_fractal_order_visits_every_node_once(exponent: int, rate: float, alpha: float) -> None:
    total = 2**exponent
    sorted_nodes = lrkit.ChebyshevDecay(rate, total, alpha=alpha)
    fractal = lrkit.ChebyshevDecay(rate, total, alpha=alpha, fractal=True)
    expected = sorted(sorted_nodes(t) for t in range(total))
    assert sorted(fractal(t) for t in range(total)) == pytest.approx(expected, rel=1e-12)
    assert fractal(0) == sorted_nodes(0)


@SETTINGS
@given(period=lengths, step=steps, cycles=st.integers(1, 50))
def test_repeat_is_periodic(period: float, step: float, cycles: int) -> None:
    inner = lrkit.Warmup(lrkit.CosineDecay(0.1, 40), warmup_steps=3)
    schedule = lrkit.Repeat(inner, period)
    local = step % period
    # Away from the wrap, where float rounding may put a step on either side of it.
    assume(1e-6 < local / period < 1 - 1e-6)
    assert schedule(step) == pytest.approx(inner(local), rel=1e-6, abs=1e-9)
    assert schedule(local + cycles * period) == pytest.approx(inner(local), rel=1e-6, abs=1e-9)


def test_repeat_is_exactly_periodic_on_whole_steps() -> None:
    inner = lrkit.Warmup(lrkit.CosineDecay(0.1, 40), warmup_steps=3)
    schedule = lrkit.Repeat(inner, 25)
    assert [schedule(t + 25 * k) for k in (0, 1, 7) for t in range(25)] == [
        inner(t) for _ in range(3) for t in range(25)
    ]


@SETTINGS
@given(
    multipliers=st.dictionaries(st.text(min_size=1, max_size=5), st.floats(0.0, 10.0), min_size=1),
    step=steps,
)
def test_scale_by_group_scales_each_group(multipliers: dict[str, float], step: float) -> None:
    base = lrkit.RexDecay(0.1, 100)
    groups = lrkit.scale_by_group(base, multipliers)
    assert list(groups) == list(multipliers)
    assert groups(step) == {name: m * base(step) for name, m in multipliers.items()}
    copy = lrkit.GroupSchedules.from_config(groups.get_config())
    assert dict(copy) == dict(groups)


def test_scale_by_group_names_bad_multipliers() -> None:
    base = lrkit.RexDecay(0.1, 100)
    with pytest.raises(ValueError, match=r"scale_by_group: multipliers\['head'\] must be >= 0"):
        lrkit.scale_by_group(base, {"head": -1.0})
    with pytest.raises(ValueError, match="must not be empty"):
        lrkit.scale_by_group(base, {})
    with pytest.raises(TypeError, match="real number"):
        lrkit.scale_by_group(base, {"head": "1"})  # type: ignore[dict-item]


@settings(max_examples=property_examples(6), deadline=None)
@given(schedule=st.one_of(decays(), slanted()))
def test_config_round_trip_and_array_values(schedule: lrkit.LearningRateSchedule) -> None:
    copy = lrkit.deserialize(lrkit.serialize(schedule))
    assert copy == schedule
    ints = [0, 1, 2, 3, 7, 10, 50, 99, 100, 101, 499, 500, 501, 1000, 100_000]
    expected = np.array([schedule(t) for t in ints])
    assert [copy(t) for t in ints] == expected.tolist()
    np.testing.assert_allclose(schedule(np.asarray(ints)), expected, rtol=1e-12)
    got_torch = schedule(torch.as_tensor(ints, dtype=torch.float64)).numpy()
    np.testing.assert_allclose(got_torch, expected, rtol=1e-12)
    got_jit = np.asarray(jax.jit(schedule)(jnp.asarray(ints, dtype=jnp.int32)))
    rtol = 2e-5
    config = schedule.get_config()
    if config.get("reciprocal"):
        # 1 / node in float32 amplifies the nodes' rounding by up to 1 / alpha.
        rtol /= config["alpha"]
    np.testing.assert_allclose(got_jit, expected, rtol=rtol, atol=2e-6 * float(np.max(expected)))
