"""``ReduceOnPlateau``: torch's ``ReduceLROnPlateau`` rule as a stateful schedule.

Every rate and counter is compared, update by update, with the real
``torch.optim.lr_scheduler.ReduceLROnPlateau`` fed the same metrics,
including runs saved to JSON and resumed in a new instance midway.
"""

from __future__ import annotations

import copy
import json
import math
import pickle
import random
import warnings
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import lrkit
from conftest import lrkit_lines, property_examples

torch = pytest.importorskip("torch")

NAN, INF = math.nan, math.inf


# -- the reference: torch's scheduler on a one-parameter optimizer ------------------


def torch_run(rate: float, metrics: list[Any], **options: Any) -> list[dict[str, Any]]:
    """torch's lr and counters after each ``step(metric)``."""
    optimizer = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=rate)
    scheduler = torch.optim.lr_scheduler.ReduceLROnPlateau(optimizer, **options)
    trace = []
    for metric in metrics:
        scheduler.step(metric)
        trace.append(
            {
                "lr": optimizer.param_groups[0]["lr"],
                "best": scheduler.best,
                "num_bad_epochs": scheduler.num_bad_epochs,
                "cooldown_counter": scheduler.cooldown_counter,
                "last_epoch": scheduler.last_epoch,
            }
        )
    return trace


def observe(schedule: lrkit.ReduceOnPlateau) -> dict[str, Any]:
    return {
        "lr": schedule(0),
        "best": schedule.best,
        "num_bad_epochs": schedule.num_bad_epochs,
        "cooldown_counter": schedule.cooldown_counter,
        "last_epoch": schedule.last_epoch,
    }


def json_round_trip(schedule: lrkit.ReduceOnPlateau, **options: Any) -> lrkit.ReduceOnPlateau:
    """A new instance that continues from ``schedule``'s state, through strict JSON."""
    text = json.dumps(schedule.state_dict(), allow_nan=False)
    resumed = lrkit.ReduceOnPlateau(schedule.learning_rate, **options)
    resumed.load_state_dict(json.loads(text))
    return resumed


def lrkit_run(
    rate: float, metrics: list[Any], resume_at: int | None = None, **options: Any
) -> list[dict[str, Any]]:
    schedule = lrkit.ReduceOnPlateau(rate, **options)
    trace = []
    for i, metric in enumerate(metrics):
        if i == resume_at:
            schedule = json_round_trip(schedule, **options)
        schedule.update(metric)
        trace.append(observe(schedule))
    return trace


def assert_same(ours: list[dict[str, Any]], theirs: list[dict[str, Any]]) -> None:
    assert len(ours) == len(theirs)
    for i, (mine, reference) in enumerate(zip(ours, theirs, strict=True)):
        # Exact: the rates are the same left-to-right products of the same doubles.
        assert mine == reference, f"after update {i + 1}: {mine} != {reference}"
        assert type(mine["lr"]) is float


rng = random.Random(1234)
NOISY = [1.0 + rng.gauss(0.0, 0.05) - 0.002 * i for i in range(120)]
NOISY_NEGATIVE = [-abs(x) for x in NOISY]

#: (id, rate, metrics, options)
SCENARIOS: list[tuple[str, float, list[Any], dict[str, Any]]] = [
    ("improving", 0.1, [10.0 - i for i in range(30)], {"patience": 2}),
    ("flat", 0.1, [1.0] * 60, {"patience": 3}),
    ("flat-patience-0", 0.1, [1.0] * 30, {"patience": 0}),
    ("noisy-defaults", 0.1, NOISY, {}),
    ("noisy-patience-2-cooldown-3", 1.0, NOISY, {"patience": 2, "cooldown": 3, "factor": 0.5}),
    ("noisy-abs", 0.5, NOISY, {"patience": 1, "threshold": 0.01, "threshold_mode": "abs"}),
    ("noisy-negative-rel", 0.5, NOISY_NEGATIVE, {"patience": 1, "threshold": 0.01}),
    ("max-rel", 0.1, [-x for x in NOISY], {"mode": "max", "patience": 2}),
    (
        "max-abs",
        0.1,
        NOISY,
        {"mode": "max", "patience": 1, "threshold": 0.02, "threshold_mode": "abs", "cooldown": 1},
    ),
    (
        "max-rel-positive",
        0.3,
        [0.5 + 0.001 * (i % 7) for i in range(50)],
        {"mode": "max", "patience": 1, "threshold": 0.005},
    ),
    ("nan", 0.1, [1.0, NAN, NAN, 0.9, NAN, NAN, NAN, 0.5, NAN] * 4, {"patience": 1}),
    ("nan-first", 0.1, [NAN] * 10 + [1.0, 2.0, 3.0], {"patience": 1, "mode": "max"}),
    ("inf-min", 0.1, [INF, 1.0, INF, INF, -INF, 0.0, -5.0, INF, 3.0] * 3, {"patience": 1}),
    ("inf-max", 0.1, [-INF, 1.0, -INF, INF, 5.0, NAN, -INF] * 3, {"mode": "max", "patience": 0}),
    ("inf-abs", 0.1, [INF, 2.0, -INF, 1.0] * 4, {"patience": 1, "threshold_mode": "abs"}),
    ("cooldown", 0.1, [1.0] * 40, {"patience": 1, "cooldown": 4}),
    ("min-lr-floor", 0.1, [1.0] * 40, {"patience": 0, "min_lr": 0.0005}),
    ("rate-below-min-lr", 0.01, [1.0] * 10, {"patience": 0, "min_lr": 0.05}),
    ("eps-tiny-rate", 1e-7, [1.0] * 20, {"patience": 0, "factor": 0.5}),
    ("eps-large", 0.1, [1.0] * 20, {"patience": 0, "factor": 0.5, "eps": 0.01}),
    ("eps-zero-underflow", 1e-300, [1.0] * 60, {"patience": 0, "factor": 1e-3, "eps": 0.0}),
    ("rate-zero", 0.0, [1.0] * 5, {"patience": 0}),
    (
        "threshold-at-least-1",
        0.1,
        [1.0, 0.5, 0.1, -1.0, 2.0] * 4,
        {"patience": 1, "threshold": 1.0},
    ),
    ("integers", 0.1, [3, 2, 2, 2, 1, 1, 1, 1, 0], {"patience": 1}),
]
SCENARIO_PARAMS = [pytest.param(*row[1:], id=row[0]) for row in SCENARIOS]


@pytest.mark.parametrize(("rate", "metrics", "options"), SCENARIO_PARAMS)
def test_every_update_equals_torch(
    rate: float, metrics: list[Any], options: dict[str, Any]
) -> None:
    assert_same(lrkit_run(rate, metrics, **options), torch_run(rate, metrics, **options))


@pytest.mark.parametrize(("rate", "metrics", "options"), SCENARIO_PARAMS)
def test_a_run_resumed_from_json_midway_equals_the_uninterrupted_torch_run(
    rate: float, metrics: list[Any], options: dict[str, Any]
) -> None:
    reference = torch_run(rate, metrics, **options)
    for resume_at in {1, len(metrics) // 3, len(metrics) // 2, len(metrics) - 1}:
        assert_same(lrkit_run(rate, metrics, resume_at=resume_at, **options), reference)


def test_scenarios_reduce_and_skip_as_intended() -> None:
    # The table exercises what it claims: reductions, the floor and the eps guard.
    flat = lrkit_run(0.1, [1.0] * 30, patience=0)
    assert flat[0]["lr"] == 0.1
    assert flat[1]["lr"] == 0.1 * 0.1
    assert flat[-1]["lr"] == flat[-10]["lr"] < 1e-7  # then eps = 1e-8 stops the cuts
    floor = lrkit_run(0.1, [1.0] * 40, patience=0, min_lr=0.0005)
    assert floor[-1]["lr"] == 0.0005
    tiny = lrkit_run(1e-7, [1.0] * 20, patience=0, factor=0.5)
    assert tiny[-1]["lr"] == 1.25e-8  # the next cut (by 6.25e-9) is below eps = 1e-8
    below = lrkit_run(0.01, [1.0] * 10, patience=0, min_lr=0.05)
    assert {row["lr"] for row in below} == {0.01}  # a rate under min_lr is never raised


METRICS = st.one_of(
    st.integers(min_value=-3, max_value=3).map(float),
    st.floats(min_value=-10.0, max_value=10.0),
    st.sampled_from([NAN, INF, -INF, 0.0, 1e-300, 1e300]),
)
OPTIONS = st.fixed_dictionaries(
    {
        "mode": st.sampled_from(["min", "max"]),
        "factor": st.one_of(st.sampled_from([0.1, 0.5, 0.9]), st.floats(1e-6, 0.999999)),
        "patience": st.integers(min_value=0, max_value=4),
        "threshold": st.sampled_from([0.0, 1e-4, 0.1, 0.5, 2.0]),
        "threshold_mode": st.sampled_from(["rel", "abs"]),
        "cooldown": st.integers(min_value=0, max_value=3),
        "min_lr": st.sampled_from([0.0, 1e-6, 0.01]),
        "eps": st.sampled_from([0.0, 1e-8, 1e-3]),
    }
)


@settings(max_examples=property_examples(15), deadline=None)
@given(
    rate=st.sampled_from([1.0, 0.1, 3e-4, 1e-7, 0.0]),
    metrics=st.lists(METRICS, min_size=1, max_size=40),
    options=OPTIONS,
    resume=st.floats(min_value=0.0, max_value=1.0),
)
def test_random_metric_sequences_equal_torch(
    rate: float, metrics: list[float], options: dict[str, Any], resume: float
) -> None:
    reference = torch_run(rate, metrics, **options)
    assert_same(lrkit_run(rate, metrics, **options), reference)
    resume_at = int(resume * (len(metrics) - 1))
    assert_same(lrkit_run(rate, metrics, resume_at=resume_at, **options), reference)


# -- metrics of every kind ------------------------------------------------------------


def _jax_scalar() -> Any:
    jnp = pytest.importorskip("jax.numpy")
    return jnp.asarray(0.5)


@pytest.mark.parametrize(
    "make",
    [
        lambda: 0.5,
        lambda: np.float64(0.5),
        lambda: np.float32(0.5),
        lambda: np.asarray(0.5),
        lambda: np.asarray([0.5]),
        lambda: torch.tensor(0.5),
        lambda: torch.tensor([[0.5]], requires_grad=True),
        _jax_scalar,
    ],
    ids=["float", "np.float64", "np.float32", "np-0d", "np-1", "torch-0d", "torch-1x1", "jax-0d"],
)
def test_metrics_may_be_numbers_and_one_element_arrays(make: Any) -> None:
    schedule = lrkit.ReduceOnPlateau(0.1)
    schedule.update(make())
    assert schedule.best == 0.5
    assert type(schedule.best) is float


@pytest.mark.parametrize(
    "metric",
    [
        "0.5",
        None,
        True,
        np.bool_(False),
        1 + 2j,
        [0.5],
        np.asarray([0.5, 0.4]),
        np.zeros((0,)),
        torch.tensor([0.5, 0.4]),
        np.asarray(True),
    ],
    ids=repr,
)
def test_non_number_metrics_raise_type_error_and_leave_the_state(metric: Any) -> None:
    schedule = lrkit.ReduceOnPlateau(0.1, patience=0)
    schedule.update(1.0)
    before = schedule.state_dict()
    with pytest.raises(TypeError, match=r"ReduceOnPlateau\.update: metric"):
        schedule.update(metric)
    assert schedule.state_dict() == before


def test_a_nan_metric_never_becomes_the_best() -> None:
    schedule = lrkit.ReduceOnPlateau(0.1, patience=1)
    schedule.update(2.0)
    for _ in range(5):
        schedule.update(NAN)
        assert schedule.best == 2.0
    assert schedule.reductions == 2  # NaN is a bad epoch, as in torch
    assert json.dumps(schedule.state_dict(), allow_nan=False)


def test_infinite_best_is_saved_as_strict_json() -> None:
    schedule = lrkit.ReduceOnPlateau(0.1)
    assert schedule.state_dict()["best"] == "inf"
    schedule.update(-INF)
    assert schedule.state_dict()["best"] == "-inf"
    assert lrkit.ReduceOnPlateau(0.1, mode="max").state_dict()["best"] == "-inf"
    resumed = json_round_trip(schedule)
    assert resumed.best == -INF


# -- the rate as a schedule -------------------------------------------------------------


def test_the_rate_is_a_schedule_of_the_step_on_every_input_kind() -> None:
    schedule = lrkit.ReduceOnPlateau(0.1, patience=0)
    schedule.update(1.0)
    schedule.update(1.0)
    expected = 0.1 * 0.1
    assert schedule(0) == schedule(10**12) == schedule(-3) == expected
    assert math.isnan(schedule(NAN))
    steps = np.asarray([0.0, 5.0, NAN])
    values = schedule(steps)
    assert values[:2].tolist() == [expected, expected]
    assert math.isnan(values[2])
    tensor = schedule(torch.arange(4))
    assert tensor.dtype == torch.get_default_dtype()
    torch.testing.assert_close(tensor, torch.full((4,), expected))


def reference_over(
    base: lrkit.LearningRateSchedule, step: float, k: int, f: float, m: float
) -> float:
    """The documented rate over a schedule, written out: min(s, max(s * f**k, m))."""
    s = float(base(step))
    multiplier = 1.0
    for _ in range(k):
        multiplier *= f
    return min(s, max(s * multiplier, m))


BASE = lrkit.Warmup(lrkit.CosineDecay(0.2, decay_steps=100), warmup_steps=10)


def test_over_a_schedule_the_rate_is_the_documented_formula() -> None:
    schedule = lrkit.ReduceOnPlateau(BASE, factor=0.5, patience=1, min_lr=0.01)
    steps = [0, 1, 5, 10, 11, 40, 80, 99, 100, 1000]
    assert [schedule(t) for t in steps] == [BASE(t) for t in steps]  # no reduction yet
    for metric in [1.0, 1.0, 1.0, 0.5, 0.6, 0.7, 0.8, 0.9]:
        schedule.update(metric)
    assert schedule.reductions == 3
    for t in steps:
        assert schedule(t) == reference_over(BASE, t, 3, 0.5, 0.01), t
    assert schedule(0) == 0.0  # the warmup's start is not raised to min_lr
    assert schedule(1) == 0.01  # 0.02 * 0.125 is floored
    assert schedule(50) == BASE(50) * 0.125


def test_over_a_schedule_arrays_and_scalars_agree() -> None:
    schedule = lrkit.ReduceOnPlateau(BASE, factor=0.3, patience=0, min_lr=0.001)
    for _ in range(2):
        schedule.update(1.0)
    steps = np.arange(0.0, 130.0, 0.5)
    scalars = np.asarray([schedule(float(t)) for t in steps])
    np.testing.assert_allclose(schedule(steps), scalars, rtol=1e-15, atol=0)
    np.testing.assert_allclose(
        schedule(torch.as_tensor(steps)).numpy(), scalars, rtol=1e-15, atol=0
    )
    jnp = pytest.importorskip("jax.numpy")
    np.testing.assert_allclose(
        np.asarray(schedule(jnp.asarray(steps))), scalars, rtol=1e-6, atol=1e-8
    )
    from lrkit._core.arrays import ScalarOps

    for t in steps[:40]:
        assert schedule.__call__(float(t)) == schedule._formula(float(t), ScalarOps)


def test_over_a_schedule_eps_guards_the_multiplier() -> None:
    schedule = lrkit.ReduceOnPlateau(lrkit.CosineDecay(1.0, 100), factor=0.5, patience=0, eps=0.1)
    for _ in range(10):
        schedule.update(1.0)
    # 1 -> 0.5 -> 0.25 -> 0.125 (cut 0.125 > 0.1); 0.125 -> 0.0625 is a cut of 0.0625.
    assert schedule.reductions == 3
    assert schedule(0) == 0.125


def test_over_a_schedule_a_resumed_run_continues_exactly() -> None:
    options = {"factor": 0.7, "patience": 1, "cooldown": 1, "min_lr": 1e-3}
    whole = lrkit.ReduceOnPlateau(BASE, **options)
    part = lrkit.ReduceOnPlateau(BASE, **options)
    for i, metric in enumerate(NOISY):
        if i == 60:
            part = json_round_trip(part, **options)
        whole.update(metric)
        part.update(metric)
        assert [part(t) for t in (0, 15, 70)] == [whole(t) for t in (0, 15, 70)]
    assert whole.reductions > 3


def test_phase_boundaries_are_the_base_schedules() -> None:
    from lrkit._core.shape import phase_boundaries

    assert phase_boundaries(lrkit.ReduceOnPlateau(BASE)) == phase_boundaries(BASE) == [10]
    assert phase_boundaries(lrkit.ReduceOnPlateau(0.1)) == []


# -- configuration, state, equality, copies ----------------------------------------


def reduced(schedule: lrkit.ReduceOnPlateau, updates: int = 3) -> lrkit.ReduceOnPlateau:
    for _ in range(updates):
        schedule.update(1.0)
    return schedule


def test_config_holds_the_constructor_arguments_only() -> None:
    schedule = reduced(lrkit.ReduceOnPlateau(BASE, mode="max", factor=0.5, patience=0, name="p"))
    config = schedule.get_config()
    assert set(config) == {
        "learning_rate",
        "mode",
        "factor",
        "patience",
        "threshold",
        "threshold_mode",
        "cooldown",
        "min_lr",
        "eps",
        "name",
    }
    rebuilt = lrkit.ReduceOnPlateau.from_config(config)
    assert rebuilt == schedule
    assert hash(rebuilt) == hash(schedule)
    assert rebuilt.reductions == 0
    assert schedule.reductions == 2
    assert lrkit.deserialize(json.loads(lrkit.to_json(schedule))) == schedule
    assert lrkit.from_json(lrkit.to_json(lrkit.ReduceOnPlateau(0.5))) == lrkit.ReduceOnPlateau(0.5)


def test_equality_ignores_the_state() -> None:
    fresh = lrkit.ReduceOnPlateau(0.1, patience=0)
    assert reduced(lrkit.ReduceOnPlateau(0.1, patience=0)) == fresh
    assert lrkit.ReduceOnPlateau(0.1, patience=1) != fresh
    assert lrkit.ReduceOnPlateau(lrkit.Constant(0.1), patience=0) != fresh


def test_deepcopy_and_pickle_carry_the_state() -> None:
    schedule = reduced(lrkit.ReduceOnPlateau(0.1, patience=0), 4)
    for copied in (copy.deepcopy(schedule), pickle.loads(pickle.dumps(schedule))):
        assert copied.state_dict() == schedule.state_dict()
        assert copied(0) == schedule(0)
        copied.update(1.0)
        assert copied.reductions == schedule.reductions + 1  # independent copies


def test_state_dict_is_small_and_strict_json() -> None:
    state = reduced(lrkit.ReduceOnPlateau(0.1, patience=1), 5).state_dict()
    assert state == {
        "kind": "lrkit.ReduceOnPlateau",
        "last_epoch": 5,
        "best": 1.0,
        "num_bad_epochs": 0,
        "cooldown_counter": 0,
        "reductions": 2,
        "scale": 0.1 * 0.1 * 0.1,  # torch's left-to-right product
    }
    assert json.loads(json.dumps(state, allow_nan=False)) == state


GOOD_STATE = {
    "kind": "lrkit.ReduceOnPlateau",
    "last_epoch": 5,
    "best": 1.0,
    "num_bad_epochs": 1,
    "cooldown_counter": 0,
    "reductions": 2,
    "scale": 0.1 * 0.1 * 0.1,
}


@pytest.mark.parametrize(
    ("change", "error", "pattern"),
    [
        ({"kind": "lrkit.torch.LRScheduler"}, ValueError, "not a state of"),
        ({"kind": None}, ValueError, "not a state of"),
        ({"extra": 1}, ValueError, r"unknown \['extra'\]"),
        ({"reductions": None}, TypeError, "reductions must be an integer"),
        ({"last_epoch": -1}, ValueError, "last_epoch must be >= 0"),
        ({"num_bad_epochs": 1.0}, TypeError, "num_bad_epochs must be an integer"),
        ({"cooldown_counter": True}, TypeError, "cooldown_counter must be an integer"),
        ({"reductions": 6}, ValueError, r"reductions must be <= last_epoch \(5\), got 6"),
        ({"best": NAN}, ValueError, "best must not be NaN"),
        ({"best": "nan"}, TypeError, "best must be a number"),
        ({"best": None}, TypeError, "best must be a number"),
        ({"best": [1.0]}, TypeError, "best must be a number"),
        ({"best": 10**400}, ValueError, "best is too large for a float"),
        # Numbers this configuration (patience=2, cooldown=1) cannot reach.
        ({"last_epoch": 2**53 + 1}, ValueError, r"last_epoch must be <= 2\*\*53"),
        ({"last_epoch": 10**400}, ValueError, r"last_epoch must be below 2\*\*1024"),
        ({"num_bad_epochs": 3}, ValueError, r"num_bad_epochs must be <= patience \(2\)"),
        ({"cooldown_counter": 2}, ValueError, r"cooldown_counter must be <= cooldown \(1\)"),
        ({"scale": 0.1 * 0.1}, ValueError, r"scale 0.01.* not what 2 reductions by factor 0.1"),
        ({"scale": 0.2}, ValueError, "not what 2 reductions"),
        ({"reductions": 0}, ValueError, r"scale must be 0.1 \(the unreduced value\)"),
        ({"scale": NAN}, ValueError, "scale must be finite"),
        ({"scale": -1e-3}, ValueError, "scale must be >= 0"),
        ({"scale": "0.001"}, TypeError, "scale must be a real number"),
        # Beyond what eps=1e-8 lets through (and never replayed: see the next test).
        (
            {"last_epoch": 10**12, "reductions": 10**12, "scale": 0.0},
            ValueError,
            r"reductions=1000000000000 is more than this schedule makes",
        ),
        ({"last_epoch": 30, "reductions": 30, "scale": 0.1**31}, ValueError, "eps=1e-08 forbids"),
    ],
)
def test_load_state_dict_refuses_bad_states(
    change: dict[str, Any], error: type[Exception], pattern: str
) -> None:
    schedule = reduced(lrkit.ReduceOnPlateau(0.1, patience=2, cooldown=1), 3)
    before = schedule.state_dict()
    with pytest.raises(error, match=pattern) as raised:
        schedule.load_state_dict({**GOOD_STATE, **change})
    assert "ReduceOnPlateau.load_state_dict:" in str(raised.value)
    assert schedule.state_dict() == before


def test_load_state_dict_refuses_non_dicts_and_missing_keys() -> None:
    schedule = lrkit.ReduceOnPlateau(0.1)
    with pytest.raises(TypeError, match=r"expected the dict that ReduceOnPlateau\.state_dict"):
        schedule.load_state_dict([("kind", "lrkit.ReduceOnPlateau")])  # type: ignore[arg-type]
    partial = {key: value for key, value in GOOD_STATE.items() if key != "best"}
    with pytest.raises(ValueError, match=r"missing \['best'\]"):
        schedule.load_state_dict(partial)
    schedule.load_state_dict(GOOD_STATE)
    assert schedule(0) == 0.1 * 0.1 * 0.1
    assert schedule.num_bad_epochs == 1


def test_loading_takes_the_same_work_whatever_the_numbers() -> None:
    """The reductions are never replayed: ``scale`` is saved and checked in closed form."""
    schedule = lrkit.ReduceOnPlateau(1.0, factor=0.999999, patience=0, eps=0.0)

    def state(reductions: int) -> dict[str, Any]:
        return {
            **GOOD_STATE,
            "last_epoch": reductions,
            "num_bad_epochs": 0,
            "reductions": reductions,
            "scale": 0.999999**reductions,
        }

    work = {k: lrkit_lines(lambda k=k: schedule.load_state_dict(state(k))) for k in (10, 10**6)}
    assert work[10] == work[10**6] < 200
    assert schedule.reductions == 10**6
    assert schedule(0) == 0.999999**10**6
    # 10**12 reductions underflow the product to 0: loaded, with no more work.
    assert lrkit_lines(lambda: schedule.load_state_dict(state(10**12))) <= work[10] + 2
    assert schedule(0) == 0.0


#: (learning_rate, options, updates): runs whose every saved state must load back.
LONG_RUNS = [
    (1.0, {"factor": 0.999, "eps": 0.0}, 3_000),  # a factor near 1: thousands of cuts
    (1e-300, {"factor": 0.5, "eps": 0.0}, 100),  # through subnormal products to 0
    (0.1, {"factor": 0.5, "min_lr": 1e-3}, 40),  # stopped by the floor
    (0.1, {"factor": 0.7}, 80),  # stopped by eps
    (BASE, {"factor": 0.9, "eps": 0.0}, 7_200),  # a multiplier that underflows
    (BASE, {"factor": 0.3, "eps": 1e-6}, 40),
]


@pytest.mark.parametrize(("rate", "options", "updates"), LONG_RUNS)
def test_every_state_a_run_saves_loads_back(
    rate: Any, options: dict[str, Any], updates: int
) -> None:
    schedule = lrkit.ReduceOnPlateau(rate, patience=0, **options)
    fresh = lrkit.ReduceOnPlateau(rate, patience=0, **options)
    for _ in range(updates):
        schedule.update(1.0)
        saved = schedule.state_dict()
        fresh.load_state_dict(saved)
        assert fresh.state_dict() == saved
    assert fresh(5) == schedule(5)
    assert schedule.reductions > 5


def test_construction_validates_every_argument() -> None:
    with pytest.raises(ValueError, match=r"ReduceOnPlateau: factor must be < 1, got 1\.0"):
        lrkit.ReduceOnPlateau(0.1, factor=1.0)
    with pytest.raises(TypeError, match="other than ReduceOnPlateau"):
        lrkit.ReduceOnPlateau(lrkit.ReduceOnPlateau(0.1))
    with pytest.raises(TypeError, match="positional"):
        lrkit.ReduceOnPlateau(0.1, "max")  # type: ignore[misc]
    with pytest.raises(ValueError, match="ReduceOnPlateau: mode must be one of"):
        lrkit.ReduceOnPlateau.from_config({"learning_rate": 0.1, "mode": "auto"})


def test_it_is_not_an_optax_stateful_schedule() -> None:
    # optax treats an object with both init and update as a StatefulSchedule.
    assert not hasattr(lrkit.ReduceOnPlateau(0.1), "init")


# -- with lrkit.torch.LRScheduler -----------------------------------------------------


def test_torch_adapter_follows_update_then_step() -> None:
    import lrkit.torch

    metrics = NOISY[:60]
    options = {"patience": 2, "factor": 0.5, "cooldown": 1}
    reference = [row["lr"] for row in torch_run(0.1, metrics, **options)]

    model = torch.nn.Linear(2, 1)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    plateau = lrkit.ReduceOnPlateau(0.1, **options)
    scheduler = lrkit.torch.LRScheduler(optimizer, plateau)
    seen = []
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for i, metric in enumerate(metrics):
            optimizer.step()
            if i == 30:  # resume: the plateau's state first, then the scheduler's
                saved = json.dumps(plateau.state_dict()), scheduler.state_dict()
                plateau = lrkit.ReduceOnPlateau(0.1, **options)
                scheduler = lrkit.torch.LRScheduler(optimizer, plateau)
                plateau.load_state_dict(json.loads(saved[0]))
                scheduler.load_state_dict(saved[1])
            plateau.update(metric)
            scheduler.step()
            seen.append(optimizer.param_groups[0]["lr"])
    assert seen == reference
    assert scheduler.get_last_lr() == [reference[-1]]


def test_torch_adapter_relative_plateau_over_a_schedule() -> None:
    import lrkit.torch

    model = torch.nn.Linear(2, 1)
    optimizer = torch.optim.SGD(
        [{"params": [model.weight], "lr": 0.2}, {"params": [model.bias], "lr": 0.02}]
    )
    plateau = lrkit.ReduceOnPlateau(lrkit.CosineDecay(1.0, 50), patience=0, factor=0.5)
    scheduler = lrkit.torch.LRScheduler(optimizer, plateau, relative=True)
    for step in range(1, 11):
        optimizer.step()
        plateau.update(1.0)
        scheduler.step()
        expected = lrkit.CosineDecay(1.0, 50)(step) * 0.5 ** (step - 1)
        assert [g["lr"] for g in optimizer.param_groups] == pytest.approx(
            [0.2 * expected, 0.02 * expected], rel=1e-12
        )


def test_optax_inject_hyperparams_reads_the_current_rate() -> None:
    optax = pytest.importorskip("optax")
    jnp = pytest.importorskip("jax.numpy")
    plateau = lrkit.ReduceOnPlateau(0.1, patience=0)
    optimizer = optax.inject_hyperparams(optax.sgd)(learning_rate=plateau)
    params = {"w": jnp.ones(2)}
    state = optimizer.init(params)
    _, state = optimizer.update(params, state, params)
    assert float(state.hyperparams["learning_rate"]) == pytest.approx(0.1)
    plateau.update(1.0)
    plateau.update(1.0)
    _, state = optimizer.update(params, state, params)
    assert float(state.hyperparams["learning_rate"]) == pytest.approx(0.01)
