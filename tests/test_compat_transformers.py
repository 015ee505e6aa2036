"""lrkit.compat.transformers against the real Hugging Face schedulers, stepped as in training.

Each case builds the transformers scheduler (a ``LambdaLR``) on a one-group
SGD optimizer, then calls ``optimizer.step()`` and ``scheduler.step()`` in
turn, reading the group's rate after each call: the lrkit schedule must give
that rate at every step from 0 (before the first update) to well past
``num_training_steps``, which covers the end of the warmup, the last step and
the behaviour after it.

A case is ``(function name, learning rate, keyword arguments)``: the
arguments go to ``transformers.optimization.<name>(optimizer, ...)`` and to
``lrkit.compat.transformers.<name>(learning_rate, ...)`` alike, since the
compat functions take transformers' keywords.

Tolerance: both sides compute the same formula in float64 in a different
order, so rates agree to ``RTOL`` = 1e-12 relative (and ``ATOL`` = 1e-15
times the learning rate, for rates at or near 0).
"""

from __future__ import annotations

import subprocess
import sys
import warnings
from typing import Any

import pytest

import lrkit
from lrkit.compat import transformers as compat

transformers = pytest.importorskip("transformers")
torch = pytest.importorskip("torch")
optimization = pytest.importorskip("transformers.optimization")
SchedulerType = pytest.importorskip("transformers.trainer_utils").SchedulerType

RTOL, ATOL = 1e-12, 1e-15

Case = tuple[str, float, dict[str, Any]]


def _optimizer(learning_rate: float) -> Any:
    return torch.optim.SGD([torch.nn.Parameter(torch.zeros(2))], lr=learning_rate)


def hf_rates(scheduler: Any, optimizer: Any, steps: int) -> list[float]:
    """The group's rate after construction and after each of ``steps`` training steps."""
    rates = [optimizer.param_groups[0]["lr"]]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for _ in range(steps):
            optimizer.step()
            scheduler.step()
            rates.append(optimizer.param_groups[0]["lr"])
    return rates


def hf_build(function: str, learning_rate: float, kwargs: dict[str, Any]) -> tuple[Any, Any]:
    optimizer = _optimizer(learning_rate)
    if kwargs.get("last_epoch", -1) != -1:  # resuming: LambdaLR reads each group's initial_lr
        optimizer.param_groups[0]["initial_lr"] = learning_rate
    return getattr(optimization, function)(optimizer, **kwargs), optimizer


def assert_rates_match(
    schedule: lrkit.LearningRateSchedule, expected: list[float], lr: float
) -> None:
    got = [schedule(step) for step in range(len(expected))]
    for step, (mine, theirs) in enumerate(zip(got, expected, strict=True)):
        assert abs(mine - theirs) <= RTOL * abs(theirs) + ATOL * lr, (
            f"step {step}: lrkit {mine!r} != transformers {theirs!r}\n{schedule!r}"
        )


def _span(kwargs: dict[str, Any]) -> int:
    """Steps to compare: well past every phase of the case."""
    keys = ("num_warmup_steps", "num_training_steps", "num_decay_steps", "num_stable_steps")
    return 2 * sum(abs(int(kwargs.get(key) or 0)) for key in keys) + 12


def _cases(function: str, rows: list[tuple[float, dict[str, Any]]]) -> list[Case]:
    return [(function, lr, kwargs) for lr, kwargs in rows]


def wn(warmup: int, total: int, **extra: Any) -> dict[str, Any]:
    """Keyword arguments with ``num_warmup_steps`` and ``num_training_steps``."""
    return {"num_warmup_steps": warmup, "num_training_steps": total, **extra}


def wsd(warmup: int, decay: int, **extra: Any) -> dict[str, Any]:
    """Keyword arguments of ``get_wsd_schedule``."""
    return {"num_warmup_steps": warmup, "num_decay_steps": decay, **extra}


CASES: list[Case] = [
    *_cases("get_constant_schedule", [(1e-3, {}), (0.5, {"last_epoch": 3})]),
    *_cases(
        "get_constant_schedule_with_warmup",
        [
            (1e-3, {"num_warmup_steps": 0}),
            (1e-3, {"num_warmup_steps": 1}),
            (0.3, {"num_warmup_steps": 7}),
            (0.3, {"num_warmup_steps": 7, "last_epoch": 4}),
        ],
    ),
    *_cases(
        "get_linear_schedule_with_warmup",
        [
            (1e-3, wn(0, 10)),
            (1e-3, wn(3, 17)),
            (2.5, wn(10, 10)),  # no decay: 0 from the end of the warmup
            (0.1, wn(12, 10)),  # N < W
            (0.1, wn(0, 0)),
            (0.1, wn(5, 6)),
            (0.1, wn(4, 30, last_epoch=9)),
        ],
    ),
    *_cases(
        "get_cosine_schedule_with_warmup",
        [
            (1e-3, wn(0, 20)),
            (1e-3, wn(5, 25)),
            (0.1, wn(4, 24, num_cycles=1.0)),
            (0.1, wn(3, 33, num_cycles=0.25)),
            (0.1, wn(0, 17, num_cycles=2)),
            (0.1, wn(7, 47, num_cycles=1.75)),
            (0.1, wn(2, 30, num_cycles=0)),
            (0.1, wn(6, 4)),  # N < W: a one-step period
            (0.1, wn(5, 5)),
            (0.1, wn(5, 25, last_epoch=0)),
        ],
    ),
    *_cases(
        "get_cosine_with_hard_restarts_schedule_with_warmup",
        [
            (1e-3, wn(0, 20)),
            (1e-3, wn(3, 33, num_cycles=3)),
            (0.1, wn(5, 45, num_cycles=2.5)),
            (0.1, wn(0, 64, num_cycles=4)),
            (0.1, wn(10, 70, num_cycles=5)),
            (0.1, wn(2, 22, num_cycles=0)),
            (0.1, wn(4, 3, num_cycles=2)),  # N < W
            (0.1, wn(3, 33, last_epoch=5)),
        ],
    ),
    *_cases(
        "get_polynomial_decay_schedule_with_warmup",
        [
            (1e-3, wn(0, 20)),
            (1e-3, wn(5, 25, lr_end=1e-4, power=2)),
            (0.1, wn(3, 13, lr_end=0.0, power=0.5)),
            (0.1, wn(4, 24, lr_end=1e-3, power=0)),  # lr through step N, lr_end after
            (0.1, wn(6, 4, lr_end=1e-3)),  # N < W
            (0.1, wn(0, 10, lr_end=0.05, power=3)),
            (0.1, wn(2, 12, last_epoch=6)),
        ],
    ),
    *_cases(
        "get_inverse_sqrt_schedule",
        [
            (1e-3, {"num_warmup_steps": 0}),
            (1e-3, {"num_warmup_steps": 10}),
            (0.1, {"num_warmup_steps": 10, "timescale": 50}),
            (0.1, {"num_warmup_steps": 0, "timescale": 7}),
            (0.1, {"num_warmup_steps": 1}),
            (0.1, {"num_warmup_steps": 5, "timescale": 2.5}),
            (0.1, {"num_warmup_steps": 5, "last_epoch": 2}),
        ],
    ),
    *_cases(
        "get_cosine_with_min_lr_schedule_with_warmup",
        [
            (1e-3, wn(0, 20, min_lr_rate=0.1)),
            (1e-3, wn(5, 25, min_lr=1e-4)),
            (0.1, wn(3, 30, num_cycles=1.5, min_lr_rate=0.0)),
            (0.1, wn(6, 4, min_lr_rate=0.3)),
            (0.1, wn(4, 24, min_lr_rate=1.5)),  # a "floor" above the rate
            (0.1, wn(4, 24, num_cycles=0, min_lr=0.01)),
            (0.1, wn(4, 24, min_lr=0.01, last_epoch=7)),
        ],
    ),
    *_cases(
        "get_cosine_with_min_lr_schedule_with_warmup_lr_rate",
        [
            (1e-3, wn(0, 20, min_lr_rate=0.1)),
            (1e-3, wn(1, 20, min_lr_rate=0.1)),
            (1e-3, wn(4, 24, min_lr=1e-4)),
            (0.1, wn(5, 25, min_lr=1e-3, warmup_lr_rate=0.2)),
            (0.1, wn(1, 21, min_lr_rate=0.05, warmup_lr_rate=0.3)),
            (0.1, wn(2, 22, min_lr_rate=0.0, warmup_lr_rate=0.5)),
            (0.1, wn(0, 10, num_cycles=1.0, min_lr_rate=0.2, warmup_lr_rate=0.4)),
            (0.1, wn(6, 4, min_lr_rate=0.1)),
            (0.1, wn(3, 30, num_cycles=1.25, min_lr_rate=0.1, warmup_lr_rate=1.5)),
            (0.1, wn(3, 30, min_lr_rate=0.1, last_epoch=1)),
        ],
    ),
    *_cases(
        "get_wsd_schedule",
        [
            (1e-3, wsd(5, 10, num_training_steps=40)),
            (
                1e-3,
                wsd(
                    0,
                    10,
                    num_training_steps=30,
                    warmup_type="cosine",
                    decay_type="linear",
                    min_lr_ratio=0.1,
                ),
            ),
            (
                0.1,
                wsd(
                    4,
                    8,
                    num_stable_steps=6,
                    warmup_type="1-sqrt",
                    decay_type="1-sqrt",
                    min_lr_ratio=0.2,
                ),
            ),
            (0.1, wsd(6, 12, num_training_steps=40, warmup_type="cosine", num_cycles=1.5)),
            (0.1, wsd(3, 0, num_training_steps=10, min_lr_ratio=0.5)),
            # num_training_steps < W + D: a negative stable phase starts the decay part-way.
            (0.1, wsd(5, 10, num_training_steps=12, min_lr_ratio=0.1)),
            (0.1, wsd(5, 10, num_training_steps=3, decay_type="linear")),
            (0.1, wsd(0, 6, num_training_steps=2, decay_type="1-sqrt")),
            (0.1, wsd(2, 5, num_stable_steps=-2)),
            (0.1, wsd(4, 8, num_training_steps=20, last_epoch=5)),
        ],
    ),
]


def _case_id(case: Case) -> str:
    function, lr, kwargs = case
    short = function.removeprefix("get_").removesuffix("_schedule_with_warmup")
    return f"{short}-{lr}-" + "-".join(f"{key}={value}" for key, value in kwargs.items())


@pytest.mark.parametrize("case", CASES, ids=_case_id)
def test_functions_match_transformers(case: Case) -> None:
    function, lr, kwargs = case
    scheduler, optimizer = hf_build(function, lr, kwargs)
    expected = hf_rates(scheduler, optimizer, _span(kwargs))
    schedule = getattr(compat, function)(lr, **kwargs)
    assert isinstance(schedule, lrkit.LearningRateSchedule)
    assert_rates_match(schedule, expected, lr)
    assert lrkit.from_json(lrkit.to_json(schedule)) == schedule


#: ``lr_scheduler_type`` -> the function transformers selects, as the table in its source.
NAMED = {
    "linear": "get_linear_schedule_with_warmup",
    "cosine": "get_cosine_schedule_with_warmup",
    "cosine_with_restarts": "get_cosine_with_hard_restarts_schedule_with_warmup",
    "polynomial": "get_polynomial_decay_schedule_with_warmup",
    "constant": "get_constant_schedule",
    "constant_with_warmup": "get_constant_schedule_with_warmup",
    "inverse_sqrt": "get_inverse_sqrt_schedule",
    "cosine_with_min_lr": "get_cosine_with_min_lr_schedule_with_warmup",
    "cosine_warmup_with_min_lr": "get_cosine_with_min_lr_schedule_with_warmup_lr_rate",
    "warmup_stable_decay": "get_wsd_schedule",
}
#: Names whose rate follows a metric, not the step, and lrkit does not reproduce: refused.
REFUSED = {"greedy": "GreedyLR"}
#: Names whose rate follows a metric: given to ``update(metric)`` (see the plateau test).
BY_METRIC = {"reduce_lr_on_plateau": "get_reduce_on_plateau_schedule"}

#: ``get_scheduler`` calls: name, rate, warmup, training steps, scheduler_specific_kwargs.
BY_NAME: list[tuple[str, float, int | None, int | None, dict[str, Any] | None]] = [
    ("linear", 1e-3, 4, 24, None),
    ("cosine", 1e-3, 4, 24, {"num_cycles": 0.75}),
    ("cosine_with_restarts", 0.1, 2, 32, {"num_cycles": 3}),
    ("polynomial", 0.1, 3, 23, {"lr_end": 1e-3, "power": 2.0}),
    ("constant", 0.1, None, None, None),
    ("constant", 0.1, 5, 20, {"ignored": "as in transformers"}),
    ("constant_with_warmup", 0.1, 5, None, None),
    ("constant_with_warmup", 0.1, 5, 20, {"ignored": "as in transformers"}),
    ("inverse_sqrt", 0.1, 5, None, {"timescale": 20}),
    ("cosine_with_min_lr", 0.1, 3, 23, {"min_lr": 1e-3}),
    ("cosine_warmup_with_min_lr", 0.1, 0, 20, {"min_lr_rate": 0.1}),
    ("cosine_warmup_with_min_lr", 0.1, 3, 23, {"min_lr_rate": 0.1, "warmup_lr_rate": 0.1}),
    ("warmup_stable_decay", 0.1, 3, 30, {"num_decay_steps": 9, "decay_type": "linear"}),
    ("warmup_stable_decay", 0.1, 3, None, {"num_decay_steps": 9, "num_stable_steps": 5}),
]


@pytest.mark.parametrize("call", BY_NAME, ids=lambda call: f"{call[0]}-{call[2]}-{call[3]}")
@pytest.mark.parametrize("as_enum", [False, True], ids=["str", "enum"])
def test_get_scheduler_matches_transformers(call: tuple[Any, ...], as_enum: bool) -> None:
    name, lr, warmup, total, extra = call
    key = SchedulerType(name) if as_enum else name
    optimizer = _optimizer(lr)
    scheduler = transformers.get_scheduler(key, optimizer, warmup, total, extra)
    expected = hf_rates(scheduler, optimizer, 2 * (warmup or 0) + 2 * (total or 0) + 20)
    schedule = compat.get_scheduler(key, lr, warmup, total, extra)
    assert_rates_match(schedule, expected, lr)
    assert lrkit.from_json(lrkit.to_json(schedule)) == schedule


def test_every_scheduler_type_is_supported_or_refused() -> None:
    """A name a later transformers adds fails here until it is mapped or refused."""
    names = {member.value for member in SchedulerType}
    assert names == set(NAMED) | set(REFUSED) | set(BY_METRIC), "SchedulerType changed"
    table = {
        key.value: value.__name__ for key, value in optimization.TYPE_TO_SCHEDULER_FUNCTION.items()
    }
    for name, function in {**NAMED, **BY_METRIC}.items():
        assert table[name] == function
        assert hasattr(compat, function)
    for name in REFUSED:
        with pytest.raises(ValueError, match="not a function of the step") as error:
            compat.get_scheduler(name, 0.1, 10, 100, {})
        assert name in str(error.value)
        with pytest.raises(ValueError, match="not a function of the step"):
            compat.get_scheduler(SchedulerType(name), 0.1)


@pytest.mark.parametrize(
    "kwargs",
    [None, {"patience": 2, "factor": 0.5}, {"mode": "max", "threshold": 0.1, "cooldown": 1}],
)
def test_reduce_lr_on_plateau_follows_the_metric_as_transformers_does(
    kwargs: dict[str, Any] | None,
) -> None:
    """The same metrics into transformers' scheduler and into lrkit's ``update``: same rates."""
    optimizer = _optimizer(0.1)
    scheduler = transformers.get_scheduler("reduce_lr_on_plateau", optimizer, None, None, kwargs)
    schedule = compat.get_scheduler(SchedulerType("reduce_lr_on_plateau"), 0.1, None, None, kwargs)
    assert isinstance(schedule, lrkit.ReduceOnPlateau)
    metrics = [1.0, 0.9, 0.95, 0.95, 0.97, 0.9, 1.2, 1.3, 1.3, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0] * 3
    for step, metric in enumerate(metrics):
        scheduler.step(metric)
        schedule.update(metric)
        assert schedule(step) == optimizer.param_groups[0]["lr"], step
    assert schedule(0) < 0.1


def test_greedy_points_to_lrkit() -> None:
    with pytest.raises(ValueError, match=r"lrkit\.ReduceOnPlateau"):
        compat.get_scheduler("greedy", 0.1)


#: Stands for the optimizer (transformers) or the learning rate (lrkit) in an argument list.
FIRST = object()

#: Calls that transformers refuses, and lrkit with the same kind of exception, at construction:
#: (exception, what the lrkit message names, function, arguments, keyword arguments).
REFUSED_BY_BOTH: list[tuple[type[Exception], str, str, tuple[Any, ...], dict[str, Any]]] = [
    *[
        (ValueError, "num_warmup_steps", "get_scheduler", (name, FIRST), {})
        for name in NAMED
        if name != "constant"
    ],
    *[
        (ValueError, "num_training_steps", "get_scheduler", (name, FIRST, 5), {})
        for name in NAMED
        if name not in ("constant", "constant_with_warmup", "inverse_sqrt", "warmup_stable_decay")
    ],
    (
        ValueError,
        "num_stable_steps",
        "get_scheduler",
        ("warmup_stable_decay", FIRST, 5, None, {"num_decay_steps": 3}),
        {},
    ),
    (TypeError, "num_decay_steps", "get_scheduler", ("warmup_stable_decay", FIRST, 5, 20), {}),
    (ValueError, "'nope'", "get_scheduler", ("nope", FIRST, 5, 20), {}),
    (TypeError, "unexpected", "get_scheduler", ("linear", FIRST, 1, 10, {"spam": 1}), {}),
    (ValueError, "min_lr", "get_cosine_with_min_lr_schedule_with_warmup", (FIRST, 2, 20), {}),
    (
        ValueError,
        "min_lr",
        "get_cosine_with_min_lr_schedule_with_warmup",
        (FIRST, 2, 20),
        {"min_lr": 1e-4, "min_lr_rate": 0.1},
    ),
    (
        ValueError,
        "min_lr",
        "get_cosine_with_min_lr_schedule_with_warmup_lr_rate",
        (FIRST, 2, 20),
        {},
    ),
    (
        ValueError,
        "lr_end",
        "get_polynomial_decay_schedule_with_warmup",
        (FIRST, 2, 20),
        {"lr_end": 0.1},
    ),
    (
        ValueError,
        "lr_end",
        "get_polynomial_decay_schedule_with_warmup",
        (FIRST, 2, 20),
        {"lr_end": 0.5},
    ),
    (ValueError, "num_stable_steps", "get_wsd_schedule", (FIRST, 2, 20), {}),
    (ValueError, "warmup_type", "get_wsd_schedule", (FIRST, 2, 20, 40), {"warmup_type": "exp"}),
    (ValueError, "decay_type", "get_wsd_schedule", (FIRST, 2, 20, 40), {"decay_type": "sqrt"}),
]


def _call(
    lib: Any, first: Any, function: str, args: tuple[Any, ...], kwargs: dict[str, Any]
) -> Any:
    return getattr(lib, function)(*(first if arg is FIRST else arg for arg in args), **kwargs)


@pytest.mark.parametrize(
    ("kind", "named", "function", "args", "kwargs"),
    REFUSED_BY_BOTH,
    ids=[f"{row[2]}-{row[1]}-{i}" for i, row in enumerate(REFUSED_BY_BOTH)],
)
def test_missing_and_bad_arguments_raise_as_in_transformers(
    kind: type[Exception], named: str, function: str, args: tuple[Any, ...], kwargs: dict[str, Any]
) -> None:
    with pytest.raises(kind):
        _call(optimization, _optimizer(0.1), function, args, kwargs)
    with pytest.raises(kind, match=named) as error:
        _call(compat, 0.1, function, args, kwargs)
    assert str(error.value).startswith("get_")  # names the function


#: Values lrkit refuses at construction: (exception, function, arguments, parameter, value shown).
BAD_VALUES: list[tuple[type[Exception], str, dict[str, Any], str, str]] = [
    (
        ValueError,
        "get_linear_schedule_with_warmup",
        {"num_warmup_steps": -1, "num_training_steps": 10},
        "num_warmup_steps",
        "-1",
    ),
    (
        TypeError,
        "get_linear_schedule_with_warmup",
        {"num_warmup_steps": 2.5, "num_training_steps": 10},
        "num_warmup_steps",
        "2.5",
    ),
    (
        TypeError,
        "get_linear_schedule_with_warmup",
        {"num_warmup_steps": 2, "num_training_steps": None},
        "num_training_steps",
        "None",
    ),
    (
        ValueError,
        "get_cosine_schedule_with_warmup",
        {"num_warmup_steps": 2, "num_training_steps": 10, "num_cycles": -0.5},
        "num_cycles",
        "-0.5",
    ),
    (
        TypeError,
        "get_cosine_schedule_with_warmup",
        {"num_warmup_steps": 2, "num_training_steps": 10, "num_cycles": "1"},
        "num_cycles",
        "'1'",
    ),
    (
        ValueError,
        "get_cosine_with_hard_restarts_schedule_with_warmup",
        {"num_warmup_steps": 2, "num_training_steps": 10, "num_cycles": -1},
        "num_cycles",
        "-1",
    ),
    (
        ValueError,
        "get_constant_schedule_with_warmup",
        {"num_warmup_steps": 2, "last_epoch": -2},
        "last_epoch",
        "-2",
    ),
    (
        ValueError,
        "get_inverse_sqrt_schedule",
        {"num_warmup_steps": 2, "timescale": 0},
        "timescale",
        "0",
    ),
    (
        ValueError,
        "get_polynomial_decay_schedule_with_warmup",
        {"num_warmup_steps": 5, "num_training_steps": 5},
        "num_training_steps",
        "5",
    ),
    (
        ValueError,
        "get_polynomial_decay_schedule_with_warmup",
        {"num_warmup_steps": 5, "num_training_steps": 15, "power": -1.0},
        "power",
        "-1.0",
    ),
    (
        ValueError,
        "get_cosine_with_min_lr_schedule_with_warmup",
        {"num_warmup_steps": 5, "num_training_steps": 15, "min_lr_rate": -0.1},
        "min_lr_rate",
        "-0.1",
    ),
    (
        ValueError,
        "get_cosine_with_min_lr_schedule_with_warmup_lr_rate",
        {
            "num_warmup_steps": 5,
            "num_training_steps": 15,
            "min_lr_rate": 0.1,
            "warmup_lr_rate": -0.5,
        },
        "warmup_lr_rate",
        "-0.5",
    ),
    (
        ValueError,
        "get_wsd_schedule",
        {
            "num_warmup_steps": 5,
            "num_decay_steps": 5,
            "num_training_steps": 20,
            "min_lr_ratio": 1.5,
        },
        "min_lr_ratio",
        "1.5",
    ),
    (
        ValueError,
        "get_wsd_schedule",
        {"num_warmup_steps": 5, "num_decay_steps": -5, "num_training_steps": 20},
        "num_decay_steps",
        "-5",
    ),
]


@pytest.mark.parametrize(
    ("kind", "function", "kwargs", "parameter", "shown"),
    BAD_VALUES,
    ids=[f"{row[1]}-{row[3]}" for row in BAD_VALUES],
)
def test_bad_values_name_the_parameter_and_value(
    kind: type[Exception], function: str, kwargs: dict[str, Any], parameter: str, shown: str
) -> None:
    with pytest.raises(kind) as error:
        getattr(compat, function)(0.1, **kwargs)
    message = str(error.value)
    assert function in message
    assert parameter in message
    assert shown in message


def test_bad_learning_rate_name_and_options() -> None:
    with pytest.raises(ValueError, match=r"get_constant_schedule: learning_rate .* -0\.1"):
        compat.get_constant_schedule(-0.1)
    with pytest.raises(TypeError, match=r"get_scheduler: name .* 3"):
        compat.get_scheduler(3, 0.1)
    with pytest.raises(TypeError, match="scheduler_specific_kwargs"):
        compat.get_scheduler("linear", 0.1, 1, 10, [("num_cycles", 1)])  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"min_lr.*learning_rate"):
        compat.get_cosine_with_min_lr_schedule_with_warmup(0.0, 1, 10, min_lr=0.0)


def test_polynomial_without_decay_steps_divides_by_zero_in_transformers() -> None:
    """Why lrkit refuses ``num_training_steps == num_warmup_steps`` for ``polynomial``."""
    scheduler, optimizer = hf_build(
        "get_polynomial_decay_schedule_with_warmup",
        0.1,
        {"num_warmup_steps": 3, "num_training_steps": 3},
    )
    with pytest.raises(ZeroDivisionError):
        hf_rates(scheduler, optimizer, 3)


def test_wsd_with_both_lengths_warns_as_transformers_does() -> None:
    kwargs: dict[str, Any] = {
        "num_warmup_steps": 2,
        "num_decay_steps": 4,
        "num_training_steps": 30,
        "num_stable_steps": 3,
    }
    optimizer = _optimizer(0.1)
    with pytest.warns(UserWarning, match="num_stable_steps will be used"):
        scheduler = optimization.get_wsd_schedule(optimizer, **kwargs)
    expected = hf_rates(scheduler, optimizer, 20)
    with pytest.warns(UserWarning, match="num_stable_steps will be used"):
        schedule = compat.get_wsd_schedule(0.1, **kwargs)
    assert_rates_match(schedule, expected, 0.1)


def test_restart_rounding_is_the_only_difference() -> None:
    """With ``num_cycles=3.3`` over 11 steps transformers' ``3.3 * (10 / 11)`` rounds below 3.

    Its ``(n * p) % 1`` is then just below 1 and the rate 0 at what is a
    restart step in exact arithmetic; lrkit restarts there. Every other step
    agrees.
    """
    kwargs: dict[str, Any] = {"num_warmup_steps": 0, "num_training_steps": 11, "num_cycles": 3.3}
    scheduler, optimizer = hf_build(
        "get_cosine_with_hard_restarts_schedule_with_warmup", 1.0, kwargs
    )
    expected = hf_rates(scheduler, optimizer, 15)
    schedule = compat.get_cosine_with_hard_restarts_schedule_with_warmup(1.0, **kwargs)
    differ = [t for t in range(16) if abs(schedule(t) - expected[t]) > 1e-12]
    assert differ == [10]
    assert expected[10] == 0.0
    assert schedule(10) == 1.0


def test_arrays_agree_with_python_numbers() -> None:
    np = pytest.importorskip("numpy")
    for function, lr, kwargs in CASES:
        schedule = getattr(compat, function)(lr, **kwargs)
        steps = np.arange(_span(kwargs), dtype=np.float64)
        values = schedule(steps)
        scalars = [schedule(float(step)) for step in steps]
        assert np.allclose(values, scalars, rtol=1e-12, atol=1e-15 * lr), (function, kwargs)


def test_docstring_examples_run() -> None:
    import doctest

    from lrkit.compat import _transformers_cosine, _transformers_decays

    for module in (compat, _transformers_cosine, _transformers_decays):
        assert doctest.testmod(module).failed == 0


def test_import_loads_neither_transformers_nor_torch() -> None:
    code = (
        "import sys, lrkit.compat.transformers\n"
        "loaded = [m for m in ('torch', 'transformers', 'numpy') if m in sys.modules]\n"
        "assert not loaded, loaded\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
