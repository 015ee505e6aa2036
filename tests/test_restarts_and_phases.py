"""Properties of CosineWarmupRestarts and the named phase shapes (trapezoidal, flat, hold).

Parameters are drawn by Hypothesis; each family is checked against its
documented formula at its phase ends, for bounds, monotonicity where
documented, continuity where its phases meet, a config round trip, and the
same values from NumPy, torch and jitted JAX steps as from Python ints.
(Values against the peer packages are in ``test_compat_peers.py``.)
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import lrkit
from conftest import property_examples
from lrkit._core.shape import phase_boundaries

torch = pytest.importorskip("torch")
jax = pytest.importorskip("jax")
jnp = pytest.importorskip("jax.numpy")

SETTINGS = settings(max_examples=property_examples(10), deadline=None)

rates = st.floats(min_value=1e-4, max_value=10.0)
fractions = st.floats(min_value=0.0, max_value=1.0)
budgets = st.one_of(st.integers(1, 500), st.floats(min_value=1.0, max_value=500.0))
steps = st.floats(min_value=0.0, max_value=2000.0)


# -- the phase shapes ---------------------------------------------------------------


@st.composite
def phases(draw: st.DrawFn) -> lrkit.LearningRateSchedule:
    """A trapezoid, a flat cosine or a warmup-hold-cosine, with drawn parameters."""
    peak, total, alpha = draw(rates), draw(budgets), draw(fractions)
    kind = draw(st.sampled_from(["trapezoidal", "flat", "hold"]))
    if kind == "flat":
        return lrkit.FlatCosineDecay(peak, total, flat_fraction=draw(fractions), alpha=alpha)
    # (No phase shorter than 1% of the budget but 0: WarmupStableDecay's divisions
    # overflow in NumPy for a phase of ~1e-308 steps.)
    parts = st.one_of(st.just(0.0), st.floats(0.01, 1.0))
    warmup = total * draw(parts)
    other = (total - warmup) * draw(parts)
    start = peak * draw(fractions)
    if kind == "trapezoidal":
        shape = draw(st.sampled_from(["linear", "1-sqrt"]))
        return lrkit.TrapezoidalDecay(
            peak,
            total,
            warmup,
            other,
            initial_learning_rate=start,
            alpha=alpha,
            decay_shape=shape,
        )
    return lrkit.WarmupHoldCosineDecay(
        peak, total, warmup, other, initial_learning_rate=start, alpha=alpha
    )


def _ends(schedule: lrkit.LearningRateSchedule) -> tuple[float, float, float, float, float]:
    """(rate at 0, peak, end of the warmup, end of the plateau, total) from the config."""
    config = schedule.get_config()
    total = float(config["total_steps"])
    if isinstance(schedule, lrkit.FlatCosineDecay):
        rate = config["initial_learning_rate"]
        return rate, rate, 0.0, float(math.floor(total * config["flat_fraction"])), total
    warmup = float(config["warmup_steps"])
    if isinstance(schedule, lrkit.TrapezoidalDecay):
        plateau_end = total - config["decay_steps"]
    else:
        plateau_end = warmup + config["hold_steps"]
    start, peak = config["initial_learning_rate"], config["peak_learning_rate"]
    return (start if warmup > 0 else peak), peak, warmup, plateau_end, total


@SETTINGS
@given(schedule=phases(), step=steps, later=steps)
def test_phases_meet_their_ends_and_stay_in_bounds(
    schedule: lrkit.LearningRateSchedule, step: float, later: float
) -> None:
    start, peak, warmup_end, plateau_end, total = _ends(schedule)
    floor = schedule.get_config()["alpha"] * peak
    tol = 1e-12 * max(peak, start)
    assert schedule(0) == pytest.approx(start, rel=1e-12, abs=1e-300)
    # (Fractional phases end at total_steps to within float rounding.)
    assert schedule(total) == pytest.approx(floor, rel=1e-12, abs=1e-12 * peak)
    assert schedule(total + 1 + step) == floor
    # (A plateau narrower than rounding: the schedule's own phase ends, computed from
    # its config, may differ from these by an ulp, and its middle is a phase end.)
    if plateau_end - warmup_end > 1e-9 * total:
        assert schedule((warmup_end + plateau_end) / 2) == peak
    value = schedule(step)
    assert min(start, floor) - tol <= value <= max(start, peak) + tol
    # Non-increasing once the plateau has begun.
    low, high = sorted((max(step, warmup_end), max(later, warmup_end)))
    assert schedule(high) <= schedule(low) + tol


@SETTINGS
@given(schedule=phases())
def test_phases_are_continuous_where_they_meet(schedule: lrkit.LearningRateSchedule) -> None:
    start, peak, warmup_end, plateau_end, total = _ends(schedule)
    gap = 1e-9
    for boundary in (warmup_end, plateau_end, total):
        if boundary <= 1.0 or (boundary == total and total - plateau_end < 0.01 * total):
            continue  # no phase before it, or a (near) drop to the floor: no decay phase
        config = schedule.get_config()
        # 1 - sqrt(p) is continuous but steep at the start: a gap moves it by about sqrt(gap).
        steep = config.get("decay_shape") == "1-sqrt" and boundary == plateau_end
        tolerance = max(peak, start) * (1e-4 if steep else 1e-6)
        assert abs(schedule(boundary) - schedule(boundary * (1 - gap))) <= tolerance


def test_phases_are_the_warmup_stable_decay_they_name() -> None:
    trapezoid = lrkit.TrapezoidalDecay(
        0.1, 100, 10, 25, initial_learning_rate=0.01, alpha=0.1, decay_shape="1-sqrt"
    )
    flat = lrkit.FlatCosineDecay(0.1, 99, flat_fraction=0.7, alpha=0.2)
    hold = lrkit.WarmupHoldCosineDecay(0.1, 100, 10, 30, alpha=0.05)
    same = {
        trapezoid: lrkit.WarmupStableDecay(
            0.1, 10, 65, 25, initial_learning_rate=0.01, alpha=0.1, decay_shape="1-sqrt"
        ),
        flat: lrkit.WarmupStableDecay(0.1, 0, 69, 30, alpha=0.2),
        hold: lrkit.WarmupStableDecay(0.1, 10, 30, 60, alpha=0.05),
    }
    for named, wsd in same.items():
        assert [named(t / 4) for t in range(450)] == [wsd(t / 4) for t in range(450)]
        assert lrkit.serialize(named)["class_name"] == type(named).__name__
        assert lrkit.describe(named, 100) == lrkit.describe(wsd, 100)
        assert phase_boundaries(named) == phase_boundaries(wsd)


# -- CosineWarmupRestarts --------------------------------------------------------------


@st.composite
def restarts(draw: st.DrawFn) -> lrkit.CosineWarmupRestarts:
    cycle = draw(st.integers(1, 60))
    return lrkit.CosineWarmupRestarts(
        draw(rates),
        cycle,
        warmup_steps=draw(st.one_of(st.just(0), st.floats(0.25, cycle - 0.5))) if cycle > 1 else 0,
        cycle_mul=draw(st.sampled_from([1.0, 1.0, 1.05, 1.5, 2.0, 3.7])),
        cycle_decay=draw(st.floats(0.0, 1.0)),  # (growing peaks overflow to inf, as they should)
        alpha=draw(fractions),
    )


def _starts(schedule: lrkit.CosineWarmupRestarts, count: int) -> list[int]:
    """The first ``count`` cycle starts: cycle i lasts floor(T * m ** i) steps."""
    starts, start = [], 0
    for i in range(count):
        starts.append(start)
        mul = schedule.cycle_mul
        start += schedule.cycle_steps if mul == 1.0 else int(schedule.cycle_steps * mul**i)
    return starts


@SETTINGS
@given(schedule=restarts(), fraction=st.floats(0.0, 0.999))
def test_every_cycle_starts_at_the_floor_peaks_after_its_warmup_and_falls(
    schedule: lrkit.CosineWarmupRestarts, fraction: float
) -> None:
    peak, warmup = schedule.peak_learning_rate, schedule.warmup_steps
    floor = schedule.alpha * peak
    starts = _starts(schedule, 13)
    for i, (start, end) in enumerate(itertools.pairwise(starts)):
        top = peak * schedule.cycle_decay**i
        tol = 1e-12 * max(peak, 1.0)
        assert schedule(start) == floor
        if warmup > 0:
            # (start + warmup rounds to a float within 1e-16 * start of it)
            assert schedule(start + warmup) == pytest.approx(top, rel=1e-9, abs=1e-9 * peak)
        assert schedule(end - 1e-9 * end) == pytest.approx(floor, rel=1e-6, abs=1e-6 * peak)
        inside = start + fraction * (end - start)
        assert min(floor, top) - tol <= schedule(inside) <= max(floor, top) + tol
        # The cosine part of a cycle moves monotonically from its peak to the floor
        # (after the restart step itself, where a cycle without warmup is at the floor).
        begin = start + max(warmup, 1e-9 * max(start, 1))
        a, b = sorted((max(inside, begin), max(begin, end - 0.5)))
        if top >= floor:
            assert schedule(b) <= schedule(a) + tol
        else:
            assert schedule(b) >= schedule(a) - tol


def test_equal_cycles_repeat_exactly_on_whole_steps() -> None:
    schedule = lrkit.CosineWarmupRestarts(0.1, 9, warmup_steps=3, alpha=0.1)
    assert [schedule(t + 9 * k) for k in (0, 1, 50, 10**6) for t in range(9)] == [
        schedule(t) for _ in range(4) for t in range(9)
    ]
    # Without a warmup the restart step is the floor, the next one almost the peak.
    plain = lrkit.CosineWarmupRestarts(1.0, 10)
    assert [plain(t) for t in (9, 10, 11)] == [plain(9), 0.0, plain(1)]
    assert plain(11) == pytest.approx(0.5 * (1 + math.cos(math.pi / 10)), rel=1e-15)


def test_cycle_lengths_are_truncated_one_by_one() -> None:
    # 5, int(7.5) = 7, int(11.25) = 11, int(16.875) = 16: restarts at 5, 12, 23, 39.
    schedule = lrkit.CosineWarmupRestarts(1.0, 5, cycle_mul=1.5)
    assert [t for t in range(1, 60) if schedule(t) == 0.0] == [5, 12, 23, 39]


def test_huge_steps_stay_finite() -> None:
    for schedule in (
        lrkit.CosineWarmupRestarts(0.1, 10, 2, cycle_mul=1.5, alpha=0.1),
        lrkit.CosineWarmupRestarts(0.1, 10, 2, alpha=0.1),
    ):
        for step in (2.0**53, 2.0**60, 1e300):
            assert 0.0 <= schedule(step) <= 0.1
        values = schedule(np.asarray([2.0**53, 1e300]))
        assert np.all(np.isfinite(values))


def test_cycle_mul_barely_above_one_is_refused() -> None:
    with pytest.raises(ValueError, match=r"CosineWarmupRestarts: cycle_mul must be 1, or large"):
        lrkit.CosineWarmupRestarts(0.1, 10, cycle_mul=1.002)
    lrkit.CosineWarmupRestarts(0.1, 1, cycle_mul=1.008)  # the largest threshold, T = 1


@settings(max_examples=property_examples(6), deadline=None)
@given(schedule=st.one_of(phases(), restarts()))
def test_config_round_trip_and_array_values(schedule: lrkit.LearningRateSchedule) -> None:
    copy = lrkit.deserialize(lrkit.serialize(schedule))
    assert copy == schedule
    ints = [0, 1, 2, 3, 7, 10, 50, 99, 100, 101, 499, 500, 501, 1000, 100_000, 3_000_017]
    expected = np.array([schedule(t) for t in ints])
    assert [copy(t) for t in ints] == expected.tolist()
    np.testing.assert_allclose(schedule(np.asarray(ints)), expected, rtol=1e-12)
    grid = np.asarray(ints).reshape(4, 4)
    np.testing.assert_allclose(schedule(grid), expected.reshape(4, 4), rtol=1e-12)
    got_torch = schedule(torch.as_tensor(ints, dtype=torch.float64)).numpy()
    np.testing.assert_allclose(got_torch, expected, rtol=1e-12)
    # float32 (JAX's default) holds these steps exactly; the formula rounds to float32.
    got_jit = np.asarray(jax.jit(schedule)(jnp.asarray(ints, dtype=jnp.int32)))
    np.testing.assert_allclose(got_jit, expected, rtol=2e-5, atol=2e-6 * float(np.max(expected)))
    got_vmap = np.asarray(jax.jit(jax.vmap(schedule))(jnp.asarray(ints, dtype=jnp.int32)))
    np.testing.assert_allclose(got_vmap, got_jit, rtol=1e-6)


def test_a_budget_in_float_steps_ends_at_its_total() -> None:
    # warmup + (total - warmup) rounds past total here: the plateau used to last
    # one ulp beyond the budget, so the rate at step ``total`` was the peak.
    total, warmup = 90.81913248829868, 17.406138045534924
    schedule = lrkit.TrapezoidalDecay(1.0, total_steps=total, warmup_steps=warmup, decay_steps=0.0)
    assert schedule(total) == 0.0
    assert schedule(total - 1e-6) == 1.0
