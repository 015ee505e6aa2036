"""``lrkit.describe``: hand-worked values, every example against brute force, both paths."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from typing import Any

import pytest

import lrkit
from conftest import EXAMPLES, bounded, function_calls
from lrkit._seeing import describe as _describe
from lrkit._seeing.describe import Description, suggested_steps, summarize

FIELDS = [
    "total_steps",
    "start",
    "peak",
    "peak_step",
    "end",
    "minimum",
    "minimum_step",
    "mean",
    "area",
    "warmup_end",
]


def brute_force(schedule: lrkit.LearningRateSchedule, total: int) -> dict[str, Any]:
    """Each statistic written out from its definition, over Python floats."""
    values = [schedule(step) for step in range(total)]
    peak, low = max(values), min(values)
    warmup_end = total - 1
    for step in range(total - 1):
        if values[step + 1] <= values[step]:
            warmup_end = step
            break
    area = math.fsum(values)
    return {
        "total_steps": total,
        "start": values[0],
        "peak": peak,
        "peak_step": values.index(peak),
        "end": values[-1],
        "minimum": low,
        "minimum_step": values.index(low),
        "mean": area / total,
        "area": area,
        "warmup_end": warmup_end,
    }


# -- hand-worked values -------------------------------------------------------


def test_warmup_cosine_by_hand() -> None:
    schedule = lrkit.CosineDecay(0.0, 900, warmup_target=1e-3, warmup_steps=100)
    summary = lrkit.describe(schedule, 1000)
    assert (summary.start, summary.peak, summary.peak_step) == (0.0, 0.001, 100)
    assert summary.warmup_end == 100
    assert (summary.minimum, summary.minimum_step) == (0.0, 0)
    assert summary.end == pytest.approx(1e-3 * 0.5 * (1 + math.cos(math.pi * 899 / 900)))
    # warmup: 1e-3 * (0 + 1 + ... + 99) / 100 = 0.0495; cosine: 1e-3 * (450 + 1/2), since
    # the cosines of pi * t / 900 over t = 0..899 add up to exactly 1.
    assert summary.area == pytest.approx(0.5, rel=1e-12)
    assert summary.mean == pytest.approx(0.0005, rel=1e-12)


def test_piecewise_constant_by_hand() -> None:
    schedule = lrkit.PiecewiseConstantDecay([10, 20], [1.0, 0.5, 0.1])
    summary = lrkit.describe(schedule, 30)
    assert summary.as_dict() == {
        "total_steps": 30,
        "start": 1.0,
        "peak": 1.0,
        "peak_step": 0,
        "end": 0.1,
        "minimum": 0.1,
        "minimum_step": 21,  # values[i] holds up to and including boundaries[i]
        "mean": pytest.approx(16.9 / 30),
        "area": pytest.approx(11 * 1.0 + 10 * 0.5 + 9 * 0.1),
        "warmup_end": 0,
    }


@pytest.mark.parametrize(
    ("schedule", "total", "warmup_end", "peak_step"),
    [
        # A ramp to a plateau: the warmup ends where the plateau starts.
        (lrkit.Warmup(lrkit.PiecewiseConstantDecay([], [0.1]), warmup_steps=10), 50, 10, 10),
        # A cosine warmup into a decay.
        (lrkit.Warmup(lrkit.CosineDecay(0.1, 100), 25, shape="cosine"), 200, 25, 25),
        # Rising at every step: the whole run is warmup.
        (lrkit.PolynomialDecay(0.0, 100, end_learning_rate=0.1), 40, 39, 39),
        # Not rising at the start: no warmup, however high it goes later.
        (lrkit.CosineDecayRestarts(0.1, 10, m_mul=2.0), 40, 0, 30),
        # Flat, then rising: still no warmup by the definition (the first step does not rise).
        (
            lrkit.Join(
                [
                    lrkit.PiecewiseConstantDecay([], [0.0]),
                    lrkit.PolynomialDecay(0.0, 10, end_learning_rate=0.1),
                ],
                boundaries=[5],
            ),
            30,
            0,
            15,
        ),
    ],
    ids=["ramp-plateau", "cosine-warmup", "rising", "restarts", "flat-then-rising"],
)
def test_warmup_end(
    schedule: lrkit.LearningRateSchedule, total: int, warmup_end: int, peak_step: int
) -> None:
    summary = lrkit.describe(schedule, total)
    assert (summary.warmup_end, summary.peak_step) == (warmup_end, peak_step)


def test_numpy_integer_steps() -> None:
    np = pytest.importorskip("numpy")
    schedule = lrkit.CosineDecay(0.1, 100)
    assert lrkit.describe(schedule, np.int64(50)) == lrkit.describe(schedule, 50)


def test_one_step() -> None:
    summary = lrkit.describe(lrkit.ExponentialDecay(0.1, 10, 0.5), 1)
    assert summary.as_dict() == {
        "total_steps": 1,
        "start": 0.1,
        "peak": 0.1,
        "peak_step": 0,
        "end": 0.1,
        "minimum": 0.1,
        "minimum_step": 0,
        "mean": 0.1,
        "area": 0.1,
        "warmup_end": 0,
    }


def test_infinite_rates_are_described() -> None:
    growing = lrkit.ExponentialDecay(1.0, decay_steps=1, decay_rate=1e300)
    summary = lrkit.describe(growing, 5)
    assert (summary.peak, summary.peak_step) == (math.inf, 2)
    assert summary.area == math.inf
    assert summary.warmup_end == 2  # 1, 1e300, inf, then inf does not rise above inf


# -- every example, against brute force, on both paths ----------------------------


@pytest.mark.parametrize("total", [1, 2, 57, 400])
def test_examples_match_brute_force(
    example_schedule: lrkit.LearningRateSchedule, total: int
) -> None:
    expected = brute_force(example_schedule, total)
    summary = summarize(example_schedule, total, vectorize_from=10**9)  # Python floats
    assert summary.as_dict() == expected
    assert lrkit.describe(example_schedule, total) == summary


def test_numpy_path_matches_python_path(example_schedule: lrkit.LearningRateSchedule) -> None:
    total = 500
    python = summarize(example_schedule, total, vectorize_from=10**9).as_dict()
    vectorized = summarize(example_schedule, total, vectorize_from=0).as_dict()
    for field in ("total_steps", "peak_step", "minimum_step", "warmup_end"):
        assert vectorized[field] == python[field], field
    for field in ("start", "peak", "end", "minimum", "mean", "area"):
        assert vectorized[field] == pytest.approx(python[field], rel=1e-9, abs=1e-15), field


def test_describe_vectorizes_long_runs_once_numpy_is_loaded(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    schedule = lrkit.Warmup(lrkit.CosineDecay(1e-3, 290_000), warmup_steps=10_000)
    calls: list[Any] = []
    original = _describe._vectorized

    def spy(schedule: lrkit.LearningRateSchedule, start: int, stop: int) -> Any:
        calls.append((start, stop))
        return original(schedule, start, stop)

    monkeypatch.setattr(_describe, "_vectorized", spy)
    summary = lrkit.describe(schedule, 300_000)
    assert calls == [(0, 300_000)]
    assert (summary.peak, summary.peak_step, summary.warmup_end) == (1e-3, 10_000, 10_000)
    assert summary.area == pytest.approx(1e-3 * (5_000 - 0.5 + 145_000 + 0.5), rel=1e-9)
    lrkit.describe(schedule, 100)
    assert calls == [(0, 300_000)]  # a short run: Python floats


def test_short_runs_import_no_array_library() -> None:
    code = (
        "import sys, lrkit\n"
        "s = lrkit.Warmup(lrkit.CosineDecay(0.1, 9000), 1000)\n"
        "d = lrkit.describe(s, 10000)\n"
        "print(d.peak_step, d.warmup_end)\n"
        "print(sorted({'numpy', 'torch', 'jax', 'array_api_compat'} & set(sys.modules)))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True
    )
    assert result.stdout.split("\n")[:2] == ["1000 1000", "[]"]


# -- the result object ----------------------------------------------------------


def test_description_is_frozen_and_readable() -> None:
    summary = lrkit.describe(lrkit.Warmup(lrkit.CosineDecay(0.1, 90), 10), 100)
    assert list(summary.as_dict()) == FIELDS
    with pytest.raises(AttributeError, match="immutable"):
        summary.peak = 1.0  # type: ignore[misc]
    with pytest.raises(AttributeError, match="immutable"):
        del summary.area
    assert eval(repr(summary), {"Description": Description}) == summary
    assert hash(eval(repr(summary), {"Description": Description})) == hash(summary)
    assert json.loads(json.dumps(summary.as_dict())) == summary.as_dict()
    text = str(summary).splitlines()
    assert text[0] == "steps    100 (0 to 99)"
    assert text[2] == "peak     0.1 at step 10"
    assert text[-1] == "warmup   rises until step 10"
    assert str(lrkit.describe(lrkit.CosineDecay(0.1, 90), 100)).endswith(
        "warmup   none (the rate does not rise at the start)"
    )
    assert summary != lrkit.describe(lrkit.CosineDecay(0.1, 90), 100)
    assert summary.__eq__("not a description") is NotImplemented


# -- errors ----------------------------------------------------------------------


class _NanAt(lrkit.LearningRateSchedule):
    def __init__(self, at: int = 3) -> None:
        self.at = at

    def _formula(self, step: Any, xp: Any) -> Any:
        return xp.where(step == self.at, math.nan, 0.1)


@pytest.mark.parametrize(
    ("args", "error", "message"),
    [
        ((lrkit.CosineDecay(0.1, 10), 0), ValueError, "total_steps must be >= 1, got 0"),
        ((lrkit.CosineDecay(0.1, 10), -5), ValueError, "total_steps must be >= 1"),
        ((lrkit.CosineDecay(0.1, 10), 10.0), TypeError, "total_steps must be an integer"),
        ((lrkit.CosineDecay(0.1, 10), True), TypeError, "total_steps must be an integer"),
        ((lambda step: 0.1, 10), TypeError, "expects an lrkit schedule, got function"),
        ((_NanAt(4), 10), ValueError, r"_NanAt\(at=4\) gives NaN at step 4"),
    ],
    ids=["zero", "negative", "float", "bool", "not-a-schedule", "nan"],
)
def test_errors(args: tuple[Any, Any], error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=message):
        lrkit.describe(*args)


def test_nan_is_found_on_the_numpy_path_too() -> None:
    with pytest.raises(ValueError, match="gives NaN at step 7"):
        summarize(_NanAt(7), 20, vectorize_from=0)


# -- suggested run length --------------------------------------------------------------


@pytest.mark.parametrize(
    ("schedule", "steps"),
    [
        (lrkit.CosineDecay(0.1, 2000), 2000),
        (lrkit.CosineDecay(0.0, 9000, warmup_target=0.1, warmup_steps=1000), 10_000),
        (lrkit.CosineDecayRestarts(0.1, 1000), 7000),
        (lrkit.PolynomialDecay(0.1, 300), 300),
        (lrkit.PolynomialDecay(0.1, 300, cycle=True), 900),  # three cycles
        (lrkit.PiecewiseConstantDecay([300, 600], [0.1, 0.01, 0.001]), 800),
        (lrkit.PiecewiseConstantDecay([], [0.1]), 10_000),
        # Exponential decays are shown until down to 5%: T ln 20 / ln 2 = 432.2 steps here.
        (lrkit.ExponentialDecay(0.1, 100, 0.5), 433),
        (lrkit.Warmup(lrkit.CosineDecay(0.1, 900), 100), 1000),
        (lrkit.Warmup(lrkit.ExponentialDecay(0.1, 100, 0.5), 5000), 5433),
        (lrkit.Join([lrkit.CosineDecay(0.1, 50), lrkit.CosineDecay(0.05, 450)], [50]), 500),
        (
            lrkit.Join([lrkit.CosineDecay(0.1, 50), lrkit.ExponentialDecay(0.1, 9, 0.5)], [30]),
            69,  # 30 + 9 ln 20 / ln 2
        ),
        (lrkit.LinearDecay(0.1, 100), 100),  # 10,000 before schedules told their length
        (lrkit.Scale(lrkit.CosineDecay(0.1, 123), 0.5), 123),
        (lrkit.Sum([lrkit.CosineDecay(0.1, 100), lrkit.CosineDecay(0.1, 300)]), 300),
        (lrkit.Product([lrkit.CosineDecay(0.1, 100), lrkit.ExponentialDecay(1, 9, 0.5)]), 100),
    ],
)
def test_suggested_steps(schedule: lrkit.LearningRateSchedule, steps: int) -> None:
    assert suggested_steps(schedule) == steps


class _OwnLength(lrkit.LearningRateSchedule):
    """A schedule written outside lrkit, that tells its own length."""

    def _formula(self, step: Any, xp: Any) -> Any:
        return 0.1 + 0.0 * step

    def _horizon(self) -> float | None:
        return 1234.5


def test_a_schedule_of_ones_own_is_previewed_over_its_own_horizon() -> None:
    assert suggested_steps(_OwnLength()) == 1235  # rounded up


def test_suggested_steps_is_kept_within_one_and_the_maximum() -> None:
    assert suggested_steps(lrkit.LinearDecay(0.1, 0.25)) == 1
    assert suggested_steps(lrkit.LinearDecay(0.1, 1e12)) == _describe.MAX_SUGGESTED_STEPS


def test_suggested_steps_is_at_least_one_for_every_example(
    example_schedule: lrkit.LearningRateSchedule,
) -> None:
    assert 1 <= suggested_steps(example_schedule) <= _describe.MAX_SUGGESTED_STEPS


def test_overflow_on_the_numpy_path_is_inf_without_a_warning() -> None:
    growing = lrkit.ExponentialDecay(1.0, decay_steps=1, decay_rate=1e300)
    python = summarize(growing, 6, vectorize_from=10**9)
    vectorized = summarize(growing, 6, vectorize_from=0)  # RuntimeWarnings are errors here
    assert vectorized == python
    assert (vectorized.peak, vectorized.peak_step, vectorized.area) == (math.inf, 2, math.inf)


# -- long runs: evaluated a block at a time, up to a limit ----------------------------


@pytest.mark.parametrize("vectorize_from", [0, 10**9], ids=["numpy", "python"])
def test_blocks_give_the_statistics_of_the_whole_run(
    monkeypatch: pytest.MonkeyPatch, vectorize_from: int
) -> None:
    """Blocks of 7 (or 5) steps: peaks, minimums and the warmup end cross block edges."""
    monkeypatch.setattr(_describe, "BLOCK_STEPS", 7)
    monkeypatch.setattr(_describe, "NUMPY_BLOCK_STEPS", 5)
    for key in ("Warmup", "CosineDecayRestarts-t_mul-1", "CyclicDecay", "OneCycle", "Constant"):
        schedule = EXAMPLES[key]
        for total in (1, 5, 6, 7, 8, 23, 57):
            summary = summarize(schedule, total, vectorize_from).as_dict()
            expected = brute_force(schedule, total)
            for field in ("total_steps", "peak_step", "minimum_step", "warmup_end"):
                assert summary[field] == expected[field], (key, total, field)
            for field in ("start", "peak", "end", "minimum", "mean", "area"):
                assert summary[field] == pytest.approx(expected[field], rel=1e-12), (key, field)


def test_nan_in_a_later_block_names_its_step(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_describe, "BLOCK_STEPS", 4)
    monkeypatch.setattr(_describe, "NUMPY_BLOCK_STEPS", 4)
    for vectorize_from in (0, 10**9):
        with pytest.raises(ValueError, match="gives NaN at step 9"):
            summarize(_NanAt(9), 20, vectorize_from)


def test_runs_over_the_limit_are_refused_before_any_step_is_evaluated() -> None:
    """``describe(s, 10**12)`` once ran out of memory building every rate at once."""
    schedule = lrkit.CosineDecay(0.1, 1000)
    for total in (_describe.MAX_TOTAL_STEPS + 1, 10**12, 10**400):
        with pytest.raises(ValueError, match="MAX_TOTAL_STEPS") as raised:
            lrkit.describe(schedule, total)
        assert f"{_describe.MAX_TOTAL_STEPS:,}" in str(raised.value)
        assert len(str(raised.value)) < 400

    def refused() -> None:
        with pytest.raises(ValueError, match="MAX_TOTAL_STEPS"):
            lrkit.describe(schedule, 10**12)

    assert function_calls(refused) < 200


def test_a_long_run_keeps_memory_to_one_block(monkeypatch: pytest.MonkeyPatch) -> None:
    """No evaluation is given more than one block of steps, on either path."""
    sizes: list[int] = []

    class Recording(lrkit.LearningRateSchedule):
        def _formula(self, step: Any, xp: Any) -> Any:
            sizes.append(getattr(step, "size", 1))
            return 0.1 + 0.0 * step

    monkeypatch.setattr(_describe, "NUMPY_BLOCK_STEPS", 1000)
    summary = summarize(Recording(), 4_500, vectorize_from=0)
    assert (summary.total_steps, summary.area) == (4_500, pytest.approx(450.0))
    assert max(sizes) == 1000
    assert sum(sizes) == 4_500


# -- work linear in the size of the config -------------------------------------------


def _nested(depth: int) -> lrkit.LearningRateSchedule:
    schedule: lrkit.LearningRateSchedule = lrkit.CosineDecay(0.1, 100)
    for level in range(depth):
        schedule = lrkit.Warmup(schedule, 10) if level % 2 else lrkit.Scale(schedule, 0.9)
    return schedule


@pytest.mark.parametrize(
    "action",
    [suggested_steps, repr, lambda s: lrkit.describe(s, 3)],
    ids=["suggested_steps", "repr", "describe"],
)
def test_work_grows_linearly_with_nesting(action: Any) -> None:
    """Each level once: no level serializes the levels below it again."""
    action(_nested(2))  # caches warmed
    small = function_calls(lambda: action(_nested(8)) and None) - function_calls(lambda: _nested(8))
    large = function_calls(lambda: action(_nested(24)) and None) - function_calls(
        lambda: _nested(24)
    )
    assert bounded(large, small, factor=3.0), (small, large)
