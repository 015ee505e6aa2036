"""Properties of lrkit's own schedule families.

Property tests (Hypothesis) over parameters and steps: values are finite and
within the documented bounds, monotone where documented, continuous at phase
joins where documented, and configs round-trip. Where a family reproduces a
published formula (torch's StepLR/MultiStepLR, the Transformer, T5 and
Hugging Face inverse square roots, Hugging Face's WSD, timm's tanh), it is
compared with that formula; the torch ones with torch itself.

Each family group sits in its own section.
"""

from __future__ import annotations

import itertools
import math
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import lrkit
from conftest import property_examples

PROPERTY_SETTINGS = settings(max_examples=property_examples(15), deadline=None)

RATES = st.floats(min_value=0.0, max_value=10.0)
POSITIVE_RATES = st.floats(min_value=1e-6, max_value=10.0)
LENGTHS = st.one_of(st.integers(1, 10_000), st.floats(min_value=0.5, max_value=1e4))
STEPS = st.one_of(st.integers(0, 20_000), st.floats(min_value=0.0, max_value=1e5), st.just(10**12))
FRACTIONS = st.floats(min_value=0.0, max_value=1.0)


def within(value: float, low: float, high: float, rel: float = 1e-12) -> bool:
    slack = rel * max(abs(low), abs(high), 1e-300)
    return low - slack <= value <= high + slack


def round_trips(schedule: lrkit.LearningRateSchedule, steps: list[float]) -> None:
    again = type(schedule).from_config(schedule.get_config())
    assert again == schedule
    assert lrkit.deserialize(lrkit.to_json(schedule)) == schedule
    assert [again(step) for step in steps] == [schedule(step) for step in steps]


def assert_monotone(values: list[float], *, increasing: bool, rel: float = 1e-12) -> None:
    for before, after in itertools.pairwise(values):
        slack = rel * max(abs(before), abs(after))
        if increasing:
            assert after >= before - slack, values
        else:
            assert after <= before + slack, values


def assert_continuous_at(
    schedule: lrkit.LearningRateSchedule, step: float, rel: float = 1e-6
) -> None:
    """The values just before and at ``step`` agree (the curve has no jump there)."""
    before = schedule(math.nextafter(step, -math.inf))
    at = schedule(step)
    assert at == pytest.approx(before, rel=rel, abs=1e-12), (step, before, at)


# == Constant, LinearDecay, CosinePowerDecay (_decay.py) =========================


@PROPERTY_SETTINGS
@given(rate=RATES, step=STEPS)
def test_constant_is_the_rate_everywhere(rate: float, step: float) -> None:
    schedule = lrkit.Constant(rate)
    assert schedule(step) == rate
    round_trips(schedule, [0, step])


@PROPERTY_SETTINGS
@given(start=RATES, end=RATES, length=LENGTHS, step=STEPS)
def test_linear_decay_is_monotone_exact_at_its_ends_and_then_constant(
    start: float, end: float, length: float, step: float
) -> None:
    schedule = lrkit.LinearDecay(start, length, end)
    assert schedule(0) == start
    assert schedule(length) == end
    assert schedule(length + step) == end
    value = schedule(step)
    assert within(value, min(start, end), max(start, end))
    steps = sorted({0.0, step / 7, step / 3, float(step), length / 2, float(length)})
    assert_monotone([schedule(s) for s in steps], increasing=end > start)
    assert_continuous_at(schedule, length)
    round_trips(schedule, steps)


@PROPERTY_SETTINGS
@given(
    start=RATES,
    end=RATES,
    length=LENGTHS,
    exponent=st.floats(min_value=0.0, max_value=8.0),
    step=STEPS,
)
def test_cosine_power_decay_is_monotone_between_its_ends(
    start: float, end: float, length: float, exponent: float, step: float
) -> None:
    schedule = lrkit.CosinePowerDecay(start, length, end, exponent)
    assert schedule(0) == pytest.approx(start, rel=1e-12, abs=1e-15)
    after = start if exponent == 0 else end
    assert schedule(length + step) == pytest.approx(after, rel=1e-12, abs=1e-15 * max(start, end))
    assert within(schedule(step), min(start, end), max(start, end), rel=1e-9)
    steps = sorted({0.0, step / 7, step / 3, float(step), length / 2, float(length)})
    assert_monotone([schedule(s) for s in steps], increasing=end > start, rel=1e-9)
    if exponent > 0:
        assert_continuous_at(schedule, length)
    round_trips(schedule, steps)


def test_cosine_power_decay_formula() -> None:
    schedule = lrkit.CosinePowerDecay(0.5, 40, end_learning_rate=0.1, exponent=1.5)
    for step in [0, 3, 10, 20, 39.5, 40, 100]:
        cosine = 0.5 * (1 + math.cos(math.pi * min(step, 40) / 40))
        assert schedule(step) == pytest.approx(0.1 + 0.4 * cosine**1.5, rel=1e-12)


# == StepDecay, MultiStepDecay (_decay.py) =======================================


@PROPERTY_SETTINGS
@given(rate=RATES, size=LENGTHS, gamma=FRACTIONS, step=STEPS)
def test_step_decay_is_a_non_increasing_staircase(
    rate: float, size: float, gamma: float, step: float
) -> None:
    schedule = lrkit.StepDecay(rate, size, gamma)
    value = schedule(step)
    assert math.isfinite(value)
    assert within(value, 0.0, rate)
    # One factor of gamma at the start of each stair: torch's StepLR in closed form.
    assert value == pytest.approx(rate * gamma ** math.floor(step / size), rel=1e-12, abs=1e-300)
    steps = sorted({0.0, step / 3, float(step), step + size})
    assert_monotone([schedule(s) for s in steps], increasing=False)
    round_trips(schedule, steps)


@PROPERTY_SETTINGS
@given(
    rate=RATES,
    milestones=st.lists(st.integers(0, 1000), max_size=8).map(sorted),
    gamma=FRACTIONS,
    step=st.floats(min_value=0.0, max_value=1200.0),
)
def test_multistep_decay_counts_milestones_reached(
    rate: float, milestones: list[int], gamma: float, step: float
) -> None:
    schedule = lrkit.MultiStepDecay(rate, milestones, gamma)
    reached = sum(1 for milestone in milestones if milestone <= step)
    assert schedule(step) == pytest.approx(rate * gamma**reached, rel=1e-12, abs=1e-300)
    steps = sorted({0.0, *milestones, float(step)})
    assert_monotone([schedule(s) for s in steps], increasing=False)
    round_trips(schedule, steps)


def test_step_decays_equal_torch() -> None:
    torch = pytest.importorskip("torch")

    def torch_rates(make: Any, count: int) -> list[float]:
        optimizer = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=0.1)
        scheduler = make(optimizer)
        rates = []
        for _ in range(count):
            rates.append(optimizer.param_groups[0]["lr"])
            optimizer.step()
            scheduler.step()
        return rates

    cases = [
        (lambda o: torch.optim.lr_scheduler.StepLR(o, 3, 0.5), lrkit.StepDecay(0.1, 3, 0.5)),
        (lambda o: torch.optim.lr_scheduler.StepLR(o, 7), lrkit.StepDecay(0.1, 7)),
        (
            lambda o: torch.optim.lr_scheduler.MultiStepLR(o, [2, 5, 5, 11], 0.5),
            lrkit.MultiStepDecay(0.1, [2, 5, 5, 11], 0.5),
        ),
        (
            lambda o: torch.optim.lr_scheduler.MultiStepLR(o, [0, 4]),
            lrkit.MultiStepDecay(0.1, [0, 4]),
        ),
    ]
    for make, schedule in cases:
        expected = torch_rates(make, 30)
        got = [schedule(step) for step in range(30)]
        assert got == pytest.approx(expected, rel=1e-12), schedule


def test_multistep_milestones_must_not_decrease() -> None:
    with pytest.raises(ValueError, match=r"milestones must be non-decreasing, got \[5, 3\]"):
        lrkit.MultiStepDecay(0.1, [5, 3])


# == InverseSqrtDecay (_modern.py) ===============================================


@PROPERTY_SETTINGS
@given(
    rate=RATES,
    warmup=st.one_of(st.just(0), LENGTHS),
    timescale=st.one_of(st.none(), LENGTHS),
    d_model=st.one_of(st.none(), st.integers(1, 4096)),
    shape=st.sampled_from(["linear", "constant"]),
    step=STEPS,
)
def test_inverse_sqrt_decay_rises_then_falls_from_its_peak(
    rate: float,
    warmup: float,
    timescale: float | None,
    d_model: int | None,
    shape: str,
    step: float,
) -> None:
    schedule = lrkit.InverseSqrtDecay(rate, warmup, timescale, d_model, shape)
    peak = rate * (1.0 if d_model is None else d_model**-0.5)
    value = schedule(step)
    assert math.isfinite(value)
    assert within(value, 0.0, peak)
    assert schedule(warmup) == pytest.approx(peak, rel=1e-12)
    rising = sorted({0.0, warmup / 3, warmup / 2, float(warmup)})
    falling = sorted({float(warmup), warmup + step / 5, warmup + float(step)})
    assert_monotone([schedule(s) for s in rising], increasing=True)
    assert_monotone([schedule(s) for s in falling], increasing=False)
    if warmup > 0:
        assert_continuous_at(schedule, warmup)
    # 1 / sqrt(t): four times the steps past the warmup, half the rate.
    tau = timescale if timescale is not None else (warmup or 10_000)
    later = warmup + 4 * (step + tau) - tau
    assert schedule(later) == pytest.approx(schedule(warmup + step) / 2, rel=1e-9)
    round_trips(schedule, rising + falling)


@pytest.mark.parametrize("warmup", [1, 10, 4000])
@pytest.mark.parametrize("d_model", [64, 512])
def test_inverse_sqrt_is_the_transformer_noam_schedule(warmup: int, d_model: int) -> None:
    schedule = lrkit.InverseSqrtDecay(warmup**-0.5, warmup_steps=warmup, d_model=d_model)
    for step in [0, 1, warmup // 2, warmup - 1, warmup, warmup + 1, 3 * warmup, 10**7]:
        noam = d_model**-0.5 * min(step**-0.5 if step else math.inf, step * warmup**-1.5)
        assert schedule(step) == pytest.approx(noam, rel=1e-12, abs=1e-300)


@pytest.mark.parametrize("warmup", [1, 100, 10_000])
def test_inverse_sqrt_is_the_t5_schedule(warmup: int) -> None:
    schedule = lrkit.InverseSqrtDecay(warmup**-0.5, warmup_steps=warmup, warmup_shape="constant")
    for step in [0, 1, warmup // 2, warmup - 1, warmup, warmup + 1, 7 * warmup, 10**9]:
        assert schedule(step) == pytest.approx(1 / math.sqrt(max(step, warmup)), rel=1e-12)


def hugging_face_inverse_sqrt(step: int, warmup: int, timescale: int | None) -> float:
    """The multiplier of ``transformers.get_inverse_sqrt_schedule``, written out."""
    if timescale is None:
        timescale = warmup or 10_000
    if step < warmup:
        return float(step) / float(max(1, warmup))
    shift = timescale - warmup
    return 1.0 / math.sqrt((step + shift) / timescale)


@pytest.mark.parametrize(("warmup", "timescale"), [(0, None), (10, None), (100, 30), (5, 1000)])
def test_inverse_sqrt_is_hugging_face_inverse_sqrt(warmup: int, timescale: int | None) -> None:
    schedule = lrkit.InverseSqrtDecay(3e-4, warmup_steps=warmup, timescale=timescale)
    for step in [0, 1, 2, 4, 5, 6, 9, 10, 11, 29, 30, 31, 99, 100, 101, 5000, 10**8]:
        expected = 3e-4 * hugging_face_inverse_sqrt(step, warmup, timescale)
        assert schedule(step) == pytest.approx(expected, rel=1e-12, abs=1e-300)


# == TanhDecay (_modern.py) ======================================================


def timm_tanh(step: float, base: float, total: float, lr_min: float, lb: float, ub: float) -> float:
    """timm's ``TanhLRScheduler._get_lr`` for one cycle without warmup, written out."""
    if step // total >= 1:
        return lr_min
    tr = (step - total * (step // total)) / total
    return lr_min + 0.5 * (base - lr_min) * (1 - math.tanh(lb * (1.0 - tr) + ub * tr))


@PROPERTY_SETTINGS
@given(
    rate=RATES,
    length=LENGTHS,
    alpha=FRACTIONS,
    lower=st.floats(min_value=-20.0, max_value=5.0),
    width=st.floats(min_value=0.01, max_value=20.0),
    step=STEPS,
)
def test_tanh_decay_is_timm_tanh_and_non_increasing(
    rate: float, length: float, alpha: float, lower: float, width: float, step: float
) -> None:
    upper = lower + width
    schedule = lrkit.TanhDecay(rate, length, alpha, lower, upper)
    floor = alpha * rate
    value = schedule(step)
    assert within(value, floor, rate)
    expected = timm_tanh(float(step), rate, length, floor, lower, upper)
    assert value == pytest.approx(expected, rel=1e-9, abs=1e-300)
    steps = sorted({0.0, step / 5, float(step), length / 2, float(length)})
    assert_monotone([schedule(s) for s in steps], increasing=False)
    round_trips(schedule, steps)


def test_tanh_decay_defaults_are_timms() -> None:
    schedule = lrkit.TanhDecay(0.1, 100)
    assert (schedule.lower_bound, schedule.upper_bound, schedule.alpha) == (-7.0, 3.0, 0.0)
    assert schedule(0) == pytest.approx(0.1 * 0.5 * (1 - math.tanh(-7.0)), rel=1e-15)
    # Like timm's, the curve ends just above the floor and drops to it at the end.
    assert schedule(math.nextafter(100, 0)) == pytest.approx(0.05 * (1 - math.tanh(3.0)))
    assert schedule(100) == 0.0


def test_tanh_bounds_must_be_ordered() -> None:
    with pytest.raises(ValueError, match=r"upper_bound must be > lower_bound \(3\), got 3"):
        lrkit.TanhDecay(0.1, 100, lower_bound=3, upper_bound=3)


# == WarmupStableDecay (_modern.py) ==============================================

DECAY_SHAPES = ["linear", "cosine", "1-sqrt", "exponential", "inverse-sqrt"]
WARMUP_SHAPES = ["linear", "cosine", "1-sqrt"]


@PROPERTY_SETTINGS
@given(
    peak=POSITIVE_RATES,
    start_fraction=FRACTIONS,
    warmup=st.one_of(st.just(0), LENGTHS),
    stable=st.one_of(st.just(0), LENGTHS),
    decay=LENGTHS,
    alpha=st.floats(min_value=1e-4, max_value=1.0),
    decay_shape=st.sampled_from(DECAY_SHAPES),
    warmup_shape=st.sampled_from(WARMUP_SHAPES),
    step=STEPS,
)
def test_wsd_phases_are_monotone_bounded_and_continuous(
    peak: float,
    start_fraction: float,
    warmup: float,
    stable: float,
    decay: float,
    alpha: float,
    decay_shape: str,
    warmup_shape: str,
    step: float,
) -> None:
    start = start_fraction * peak
    schedule = lrkit.WarmupStableDecay(
        peak, warmup, stable, decay, start, alpha, decay_shape, warmup_shape
    )
    floor = alpha * peak
    assert within(schedule(step), min(start, floor), peak, rel=1e-9)
    assert schedule(0) == pytest.approx(start if warmup else peak, rel=1e-12)
    assert schedule(warmup + stable / 2) == pytest.approx(peak, rel=0 if stable else 1e-12)
    assert schedule(warmup + stable + decay + step) == pytest.approx(floor, rel=1e-12)
    fractions = [0.0, 0.01, 0.1, 0.3, 0.5, 0.77, 0.99, 1.0]
    assert_monotone([schedule(f * warmup) for f in fractions], increasing=True, rel=1e-9)
    decaying = [schedule(warmup + stable + f * decay) for f in fractions]
    assert_monotone(decaying, increasing=False, rel=1e-9)
    for join in {warmup, warmup + stable, warmup + stable + decay} - {0}:
        assert_continuous_at(schedule, join, rel=1e-5)
    round_trips(schedule, [0.0, warmup / 2, warmup + stable + decay / 2, float(step)])


def hugging_face_wsd(
    step: int,
    warmup: int,
    stable: int,
    decay: int,
    warmup_type: str,
    decay_type: str,
    min_lr_ratio: float,
    num_cycles: float,
) -> float:
    """The multiplier of ``transformers.get_wsd_schedule``, written out."""
    if step < warmup:
        progress = float(step) / float(max(1, warmup))
        if warmup_type == "linear":
            factor = progress
        elif warmup_type == "cosine":
            factor = 0.5 * (1.0 - math.cos(math.pi * progress))
        else:
            factor = 1.0 - math.sqrt(1.0 - progress)
        return max(0.0, factor * (1.0 - min_lr_ratio) + min_lr_ratio)
    if step < warmup + stable:
        return 1.0
    if step < warmup + stable + decay:
        progress = float(step - warmup - stable) / float(max(1, decay))
        if decay_type == "linear":
            factor = 1.0 - progress
        elif decay_type == "cosine":
            factor = 0.5 * (1.0 + math.cos(math.pi * float(num_cycles) * 2.0 * progress))
        else:
            factor = 1.0 - math.sqrt(progress)
        return max(0.0, factor * (1.0 - min_lr_ratio) + min_lr_ratio)
    return min_lr_ratio


@pytest.mark.parametrize("decay_type", ["linear", "cosine", "1-sqrt"])
@pytest.mark.parametrize("warmup_type", WARMUP_SHAPES)
@pytest.mark.parametrize(
    ("warmup", "stable", "decay", "ratio", "cycles"),
    [(10, 50, 40, 0.0, 0.5), (0, 20, 7, 0.1, 0.5), (3, 0, 25, 0.05, 1.5), (8, 8, 0, 0.2, 0.5)],
)
def test_wsd_is_hugging_face_wsd(
    decay_type: str,
    warmup_type: str,
    warmup: int,
    stable: int,
    decay: int,
    ratio: float,
    cycles: float,
) -> None:
    lr = 2e-3
    schedule = lrkit.WarmupStableDecay(
        lr,
        warmup,
        stable,
        decay,
        initial_learning_rate=ratio * lr,
        alpha=ratio,
        decay_shape=decay_type,
        warmup_shape=warmup_type,
        num_cycles=cycles,
    )
    for step in range(warmup + stable + decay + 5):
        expected = lr * hugging_face_wsd(
            step, warmup, stable, decay, warmup_type, decay_type, ratio, cycles
        )
        assert schedule(step) == pytest.approx(expected, rel=1e-12, abs=1e-18), step


def test_wsd_exponential_and_inverse_sqrt_decays_reach_the_floor() -> None:
    exponential = lrkit.WarmupStableDecay(1.0, 0, 0, 10, alpha=0.01, decay_shape="exponential")
    assert [exponential(step) for step in (0, 5, 10)] == pytest.approx([1.0, 0.1, 0.01])
    inverse = lrkit.WarmupStableDecay(1.0, 0, 0, 10, alpha=0.25, decay_shape="inverse-sqrt")
    assert inverse(5) == pytest.approx(1 / math.sqrt(1 + 15 * 0.5))
    assert inverse(10) == pytest.approx(0.25)


@pytest.mark.parametrize("shape", ["exponential", "inverse-sqrt"])
def test_wsd_multiplicative_decays_need_a_floor(shape: str) -> None:
    with pytest.raises(ValueError, match=rf"alpha must be > 0 for the {shape} decay shape, got 0"):
        lrkit.WarmupStableDecay(0.1, 10, 10, 10, alpha=0, decay_shape=shape)


# == Phase marks (InverseSqrtDecay, WarmupStableDecay) ============================


def test_phases_are_marked_for_plots() -> None:
    from lrkit._core.shape import phase_boundaries

    assert phase_boundaries(lrkit.InverseSqrtDecay(0.1, warmup_steps=100)) == [100]
    assert phase_boundaries(lrkit.InverseSqrtDecay(0.1, timescale=100)) == []
    assert phase_boundaries(lrkit.WarmupStableDecay(0.1, 10, 80, 10)) == [10, 90, 100]
    assert phase_boundaries(lrkit.WarmupStableDecay(0.1, 0, 80, 0)) == [80]
