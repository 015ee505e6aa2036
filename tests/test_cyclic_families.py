"""Properties of the cyclic families: OneCycle, CyclicDecay, CosineCycles, CosineWave.

Hypothesis draws parameters and steps; each test checks one documented
property: finite values within the rates the parameters name, monotone
phases, continuity where phases meet, periodicity, the config round trip,
and equal values on Python numbers, NumPy, torch and JAX (under ``jit``).
Parity with torch's ``OneCycleLR`` and ``CyclicLR`` is in
``test_compat_torch.py``.
"""

from __future__ import annotations

import itertools
import math
from typing import Any

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import lrkit
from conftest import property_examples

SETTINGS = settings(max_examples=property_examples(15), deadline=None)

rates = st.floats(1e-4, 10.0)
fractions = st.floats(0.0, 1.0)
lengths = st.one_of(st.integers(1, 5000), st.floats(0.5, 5000.0))
large_steps = st.floats(0.0, 1e12)

one_cycles = st.builds(
    lrkit.OneCycle,
    max_learning_rate=rates,
    total_steps=st.one_of(st.integers(1, 5000), st.floats(1.0, 5000.0)),
    pct_start=fractions,
    anneal_strategy=st.sampled_from(["cos", "linear"]),
    div_factor=st.floats(0.5, 1e3),
    final_div_factor=st.floats(0.5, 1e5),
    three_phase=st.booleans(),
)
cyclic_decays = st.builds(
    lrkit.CyclicDecay,
    initial_learning_rate=rates,
    maximal_learning_rate=rates,
    step_size_up=lengths,
    step_size_down=st.one_of(st.none(), st.just(0), lengths),
    mode=st.sampled_from(["triangular", "triangular2", "exp_range"]),
    gamma=st.floats(0.5, 1.0),
)
cosine_cycles = st.builds(
    lrkit.CosineCycles,
    initial_learning_rate=rates,
    cycle_steps=lengths,
    cycle_mul=st.one_of(st.just(1.0), st.floats(1.0, 3.0)),
    cycle_decay=st.floats(0.0, 1.0),
    cycle_limit=st.integers(1, 20),
    alpha=fractions,
    k_decay=st.floats(0.25, 4.0),
)
cosine_waves = st.builds(
    lrkit.CosineWave, initial_learning_rate=rates, decay_steps=lengths, end_learning_rate=rates
)


def _rate_range(schedule: Any) -> tuple[float, float]:
    """The lowest and highest rate a schedule's parameters name."""
    if isinstance(schedule, lrkit.OneCycle):
        start = schedule.max_learning_rate / schedule.div_factor
        named = [start, schedule.max_learning_rate, start / schedule.final_div_factor]
    elif isinstance(schedule, lrkit.CyclicDecay):
        named = [schedule.initial_learning_rate, schedule.maximal_learning_rate]
    elif isinstance(schedule, lrkit.CosineCycles):
        floor = schedule.alpha * schedule.initial_learning_rate
        peaks = [
            schedule.initial_learning_rate * schedule.cycle_decay**i
            for i in range(schedule.cycle_limit)
        ]
        named = [floor, *peaks]
    else:
        named = [schedule.initial_learning_rate, schedule.end_learning_rate]
    return min(named), max(named)


# -- finite, within bounds ------------------------------------------------------------


@pytest.mark.parametrize(
    "schedules",
    [one_cycles, cyclic_decays, cosine_cycles, cosine_waves],
    ids=["OneCycle", "CyclicDecay", "CosineCycles", "CosineWave"],
)
@SETTINGS
@given(data=st.data())
def test_finite_and_within_the_named_rates(schedules: Any, data: st.DataObject) -> None:
    schedule = data.draw(schedules, label="schedule")
    steps = data.draw(st.lists(st.one_of(large_steps, st.integers(0, 20_000)), min_size=1))
    low, high = _rate_range(schedule)
    slack = 1e-12 * high
    values = [schedule(step) for step in steps]
    for step, value in zip(steps, values, strict=True):
        assert math.isfinite(value), (schedule, step)
        assert low - slack <= value <= high + slack, (schedule, step, value, low, high)
    array = schedule(np.asarray(steps, dtype=np.float64))
    np.testing.assert_allclose(array, values, rtol=1e-12, atol=1e-15 * high)


# -- OneCycle -------------------------------------------------------------------------


def _peak_step(schedule: lrkit.OneCycle) -> float:
    return max(schedule.pct_start * schedule.total_steps - 1.0, 0.0)


@SETTINGS
@given(
    schedule=st.builds(
        lrkit.OneCycle,
        max_learning_rate=rates,
        total_steps=st.integers(2, 5000),
        pct_start=st.floats(0.0, 0.5),
        anneal_strategy=st.sampled_from(["cos", "linear"]),
        div_factor=st.floats(1.0, 1e3),
        final_div_factor=st.floats(1.0, 1e5),
        three_phase=st.booleans(),
    ),
    steps=st.lists(st.floats(0.0, 1e4), min_size=2),
)
def test_one_cycle_rises_to_its_peak_then_falls(
    schedule: lrkit.OneCycle, steps: list[float]
) -> None:
    peak = _peak_step(schedule)
    rising = [schedule(step) for step in sorted(s for s in steps if s <= peak)]
    falling = [schedule(step) for step in sorted(s for s in steps if s >= peak)]
    slack = 1e-12 * schedule.max_learning_rate
    assert all(b >= a - slack for a, b in itertools.pairwise(rising))
    assert all(b <= a + slack for a, b in itertools.pairwise(falling))


@SETTINGS
@given(
    schedule=st.builds(
        lrkit.OneCycle,
        max_learning_rate=rates,
        total_steps=st.integers(20, 5000),
        pct_start=st.floats(0.1, 0.45),
        anneal_strategy=st.sampled_from(["cos", "linear"]),
        div_factor=st.floats(0.5, 1e3),
        final_div_factor=st.floats(0.5, 1e5),
        three_phase=st.booleans(),
    )
)
def test_one_cycle_is_continuous_where_phases_meet(schedule: lrkit.OneCycle) -> None:
    ends = [end for _, end, _, _ in schedule._phases]
    at_ends = [schedule(end) for end in ends]
    tolerance = 1e-9 * schedule.max_learning_rate
    for end, value in zip(ends, at_ends, strict=True):
        for nearby in (end - 1e-7, end + 1e-7):
            assert schedule(nearby) == pytest.approx(value, abs=1e-5 * schedule.max_learning_rate)
    # Each phase ends at its target rate: the peak, (the start again,) the final rate.
    targets = [rate for _, _, _, rate in schedule._phases]
    np.testing.assert_allclose(at_ends, targets, rtol=1e-12, atol=tolerance)


@SETTINGS
@given(schedule=one_cycles, after=st.lists(large_steps, min_size=1))
def test_one_cycle_holds_its_last_rate(schedule: lrkit.OneCycle, after: list[float]) -> None:
    last = float(schedule.total_steps) - 1.0
    final = schedule(last)
    for step in after:
        assert schedule(last + step) == final


def test_one_cycle_phase_of_no_length_gives_its_end_rate() -> None:
    # pct_start * total_steps = 1: the rise ends at step 0 (torch divides by zero there).
    schedule = lrkit.OneCycle(0.5, total_steps=8, pct_start=0.125)
    assert schedule(0) == 0.5
    assert schedule(np.asarray([0.0]))[0] == 0.5


# -- CyclicDecay ----------------------------------------------------------------------


@SETTINGS
@given(
    schedule=cyclic_decays,
    step=st.floats(0.0, 1e5),
    cycles=st.integers(1, 50),
)
def test_cyclic_decay_repeats_every_cycle(
    schedule: lrkit.CyclicDecay, step: float, cycles: int
) -> None:
    up = schedule.step_size_up
    down = up if schedule.step_size_down is None else schedule.step_size_down
    period = float(up + down)
    base, top = schedule.initial_learning_rate, schedule.maximal_learning_rate
    later = step + cycles * period
    if down == 0:  # a sawtooth jumps at each cycle start: stay clear of the jump
        position = (step / period) % 1.0
        assume(1e-6 < position < 1.0 - 1e-6)
    # The same point of a later cycle: the same height, times the mode's scale.
    factor = {
        "triangular": 1.0,
        "triangular2": 0.5**cycles,
        "exp_range": schedule.gamma ** (later - step),
    }[schedule.mode]
    predicted = base + (schedule(step) - base) * factor
    # The position in the cycle is known to float64 rounding of the later step.
    position_error = 1e-9 * abs(top - base) * max(1.0, later / period) * factor
    assert schedule(later) == pytest.approx(predicted, abs=position_error + 1e-15 * max(base, top))


@SETTINGS
@given(schedule=cyclic_decays, cycle=st.integers(0, 100))
def test_cyclic_decay_peaks_and_troughs_where_documented(
    schedule: lrkit.CyclicDecay, cycle: int
) -> None:
    up = float(schedule.step_size_up)
    down = up if schedule.step_size_down is None else float(schedule.step_size_down)
    start = cycle * (up + down)
    base, top = schedule.initial_learning_rate, schedule.maximal_learning_rate
    scale = {
        "triangular": 1.0,
        "triangular2": 0.5**cycle,
        "exp_range": schedule.gamma ** (start + up),
    }[schedule.mode]
    tolerance = 1e-9 * max(base, top) * max(1.0, cycle)
    if down == 0:  # a sawtooth: the cycle starts with a jump, check just after it
        start += 1e-9 * up * max(1.0, cycle)
    assert schedule(start) == pytest.approx(base, abs=tolerance)
    if down > 0:  # continuous at the peak: the rise and the fall meet there
        peak = base + (top - base) * scale
        assert schedule(start + up) == pytest.approx(peak, abs=tolerance)
        nearby = 1e-9 * (up + down) * max(1.0, cycle)
        slope = abs(top - base) / min(up, down)  # no jump: within the steepest slope
        for step in (start + up - nearby, start + up + nearby):
            assert schedule(step) == pytest.approx(peak, abs=2 * nearby * slope + tolerance)


def test_cyclic_decay_without_a_fall_is_a_sawtooth() -> None:
    schedule = lrkit.CyclicDecay(0.2, 0.05, step_size_up=4, step_size_down=0)
    assert [schedule(t) for t in range(9)] == pytest.approx(
        [0.2, 0.1625, 0.125, 0.0875, 0.2, 0.1625, 0.125, 0.0875, 0.2]
    )


@SETTINGS
@given(
    up=st.floats(1.0, 100.0),
    down=st.floats(1.0, 100.0),
    steps=st.lists(st.floats(0.0, 1.0), min_size=2),
)
def test_cyclic_decay_rises_then_falls_in_each_cycle(
    up: float, down: float, steps: list[float]
) -> None:
    schedule = lrkit.CyclicDecay(0.01, 0.1, step_size_up=up, step_size_down=down)
    positions = sorted(fraction * (up + down) for fraction in steps)
    rising = [schedule(p) for p in positions if p <= up]
    falling = [schedule(p) for p in positions if p >= up]
    assert rising == sorted(rising)
    assert falling == sorted(falling, reverse=True)


# -- CosineCycles ---------------------------------------------------------------------


def _cycle_ends(schedule: lrkit.CosineCycles) -> list[float]:
    ends, length, end = [], float(schedule.cycle_steps), 0.0
    for _ in range(schedule.cycle_limit):
        end += length
        ends.append(end)
        length *= schedule.cycle_mul
    return ends


@SETTINGS
@given(schedule=cosine_cycles, fractions=st.lists(st.floats(1e-6, 0.999), min_size=2))
def test_cosine_cycles_move_from_peak_to_floor_in_each_cycle(
    schedule: lrkit.CosineCycles, fractions: list[float]
) -> None:
    starts = [0.0, *_cycle_ends(schedule)]
    floor = schedule.alpha * schedule.initial_learning_rate
    slack = 1e-12 * schedule.initial_learning_rate
    for i, (start, end) in enumerate(itertools.pairwise(starts)):
        peak = schedule.initial_learning_rate * schedule.cycle_decay**i
        # Just after the restart (exactly at it, rounding of ``start`` may fall either side).
        just_after = schedule(start + 1e-9 * (end - start))
        assert just_after == pytest.approx(peak, abs=0.01 * abs(peak - floor) + slack)
        values = [schedule(start + f * (end - start)) for f in sorted(fractions)]
        if peak >= floor:  # towards the floor: monotone, one way or the other
            assert all(b <= a + slack for a, b in itertools.pairwise(values))
        else:
            assert all(b >= a - slack for a, b in itertools.pairwise(values))
        # The cycle ends at the floor (continuous there), then restarts at the next peak.
        near_end = end - 1e-9 * (end - start)
        assert schedule(near_end) == pytest.approx(floor, abs=1e-6 * schedule.initial_learning_rate)


@SETTINGS
@given(schedule=cosine_cycles, after=st.lists(large_steps, min_size=1))
def test_cosine_cycles_stay_at_the_floor_after_the_limit(
    schedule: lrkit.CosineCycles, after: list[float]
) -> None:
    end = _cycle_ends(schedule)[-1]
    floor = schedule.alpha * schedule.initial_learning_rate
    for step in after:
        assert schedule(end * (1 + 1e-12) + step) == floor


@SETTINGS
@given(
    cycle_steps=lengths,
    k_decay=st.floats(0.25, 4.0),
    step=st.floats(0.0, 1e4),
    cycles=st.integers(1, 10),
)
def test_cosine_cycles_without_growth_or_decay_are_periodic(
    cycle_steps: float, k_decay: float, step: float, cycles: int
) -> None:
    schedule = lrkit.CosineCycles(0.1, cycle_steps, cycle_limit=10**6, alpha=0.1, k_decay=k_decay)
    position = (step / cycle_steps) % 1.0  # each restart jumps: stay clear of the jumps
    assume(1e-6 < position < 1.0 - 1e-6)
    tolerance = 1e-9 * max(1.0, (step + cycles * cycle_steps) / cycle_steps)
    assert schedule(step + cycles * cycle_steps) == pytest.approx(schedule(step), abs=tolerance)


def test_cosine_cycles_k_decay_keeps_the_rate_high_for_longer() -> None:
    plain = lrkit.CosineCycles(1.0, cycle_steps=100)
    k_decay = lrkit.CosineCycles(1.0, cycle_steps=100, k_decay=2.0)
    assert k_decay(50) == pytest.approx(0.5 * (1 + math.cos(math.pi * 0.25)))
    assert all(k_decay(t) >= plain(t) for t in range(101))


def test_cosine_cycles_restart_where_the_cycle_start_rounds_past_the_step() -> None:
    """The cycle's start rounds a hair above this step: the rate is the new peak, not an error.

    (A negative fraction to the power ``k_decay = 0.5`` was a complex number.)
    """
    schedule = lrkit.CosineCycles(
        0.1,
        3,
        cycle_mul=2.2246783313305616,
        cycle_decay=1.0649408833118188,
        cycle_limit=5,
        alpha=0.3097428572381714,
        k_decay=0.5,
    )
    step = 9.674034993991684
    peak = 0.1 * 1.0649408833118188**2
    assert schedule(step) == pytest.approx(peak, rel=1e-12)
    assert schedule(np.array([step]))[0] == schedule(step)


# -- CosineWave -----------------------------------------------------------------------


@SETTINGS
@given(schedule=cosine_waves, offset=st.floats(0.0, 1.0), periods=st.integers(0, 1000))
def test_cosine_wave_is_periodic_and_symmetric(
    schedule: lrkit.CosineWave, offset: float, periods: int
) -> None:
    half = float(schedule.decay_steps)
    step = offset * half
    scale = max(schedule.initial_learning_rate, schedule.end_learning_rate)
    tolerance = 1e-12 * scale * max(1.0, periods)
    assert schedule(step + 2 * periods * half) == pytest.approx(schedule(step), abs=tolerance)
    assert schedule(half + step) == pytest.approx(schedule(half - step), abs=1e-12 * scale)
    assert schedule(half) == pytest.approx(schedule.end_learning_rate, abs=1e-15 * scale)
    # Monotone on each half period, towards the end rate and back.
    down = [schedule(f * half) for f in np.linspace(0.0, 1.0, 11)]
    direction = 1.0 if schedule.end_learning_rate >= schedule.initial_learning_rate else -1.0
    assert all(direction * (b - a) >= -1e-15 * scale for a, b in itertools.pairwise(down))


# -- configs and array libraries ------------------------------------------------------


@pytest.mark.parametrize(
    "schedules",
    [one_cycles, cyclic_decays, cosine_cycles, cosine_waves],
    ids=["OneCycle", "CyclicDecay", "CosineCycles", "CosineWave"],
)
@settings(max_examples=property_examples(10), deadline=None)
@given(data=st.data())
def test_config_round_trip(schedules: Any, data: st.DataObject) -> None:
    schedule = data.draw(schedules, label="schedule")
    steps = data.draw(st.lists(st.one_of(large_steps, st.integers(0, 20_000)), min_size=1))
    for copy in (
        type(schedule).from_config(schedule.get_config()),
        lrkit.deserialize(lrkit.serialize(schedule)),
        lrkit.from_json(lrkit.to_json(schedule)),
    ):
        assert copy == schedule
        assert [copy(step) for step in steps] == [schedule(step) for step in steps]


LIBRARY_CASES = [
    lrkit.OneCycle(0.1, total_steps=1000),
    lrkit.OneCycle(1.0, 300, pct_start=0.25, anneal_strategy="linear", three_phase=True),
    lrkit.CyclicDecay(0.01, 0.1, step_size_up=20, step_size_down=30, mode="triangular2"),
    lrkit.CyclicDecay(0.001, 0.01, step_size_up=8, mode="exp_range", gamma=0.999),
    lrkit.CyclicDecay(0.2, 0.05, step_size_up=7, step_size_down=0),
    lrkit.CosineCycles(0.1, cycle_steps=100, cycle_decay=0.5, cycle_limit=5, alpha=0.1),
    lrkit.CosineCycles(0.1, 30, cycle_mul=2.0, cycle_limit=4, k_decay=1.5),
    lrkit.CosineWave(0.1, decay_steps=250, end_learning_rate=0.001),
]


@pytest.mark.parametrize("schedule", LIBRARY_CASES, ids=repr)
def test_same_values_on_numpy_torch_and_jax_jit(schedule: lrkit.LearningRateSchedule) -> None:
    torch = pytest.importorskip("torch")
    jax = pytest.importorskip("jax")
    jnp = pytest.importorskip("jax.numpy")
    steps = np.concatenate([np.arange(0.0, 3000.0), np.arange(0.0, 400.0, 0.25)])
    expected = np.array([schedule(float(step)) for step in steps])
    scale = float(np.max(np.abs(expected)))
    np.testing.assert_allclose(schedule(steps), expected, rtol=1e-12, atol=1e-15 * scale)
    np.testing.assert_allclose(
        schedule(torch.as_tensor(steps, dtype=torch.float64)).numpy(), expected, rtol=1e-12
    )
    # float32 under jit: every step here is exact in float32; the formula rounds.
    got = np.asarray(jax.jit(schedule)(jnp.asarray(steps, dtype=jnp.float32)), dtype=np.float64)
    np.testing.assert_allclose(got, expected, rtol=1e-4, atol=2e-6 * scale)
