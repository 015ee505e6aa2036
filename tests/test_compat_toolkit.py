"""The compat layers' shared toolkit: argument kinds and the warmup-then-X builder."""

from __future__ import annotations

import doctest
import math
from collections.abc import Callable

import pytest

import lrkit
from lrkit.compat import _toolkit as toolkit
from lrkit.compat import lrsched, pytorch_scheduler, transformers


def test_doctests() -> None:
    result = doctest.testmod(toolkit, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
    assert result.attempted > 0


# -- one kind, one message; each library keeps its own rule ---------------------------


@pytest.mark.parametrize(
    ("call", "message"),
    [
        # lrsched refuses an empty warmup, transformers and pytorch-scheduler take it.
        (
            lambda: lrsched.with_warmup(lrkit.Constant(0.1), warmup_steps=0, start_lr=0.0),
            "with_warmup: warmup_steps must be >= 1, got 0",
        ),
        (
            lambda: transformers.get_linear_schedule_with_warmup(0.1, -1, 100),
            "get_linear_schedule_with_warmup: num_warmup_steps must be >= 0, got -1",
        ),
        (
            lambda: pytorch_scheduler.RexScheduler(0.1, total_steps=0),
            "RexScheduler: total_steps must be >= 1, got 0",
        ),
    ],
)
def test_each_library_keeps_its_rule_for_step_counts(
    call: Callable[[], object], message: str
) -> None:
    with pytest.raises(ValueError, match=f"^{message}$"):
        call()


@pytest.mark.parametrize(
    ("check", "value", "error", "expected"),
    [
        (toolkit.rate_argument, -0.1, ValueError, "f: x must be >= 0, got -0.1"),
        (toolkit.rate_argument, math.inf, ValueError, "f: x must be finite, got inf"),
        (toolkit.rate_argument, "0.1", TypeError, "f: x must be a real number"),
        (toolkit.steps_argument, 1.0, TypeError, "f: x must be an integer"),
        (toolkit.steps_argument, -1, ValueError, "f: x must be >= 0, got -1"),
        (toolkit.length_argument, 0, ValueError, "f: x must be > 0, got 0"),
        (toolkit.positive_argument, 0.0, ValueError, "f: x must be > 0, got 0.0"),
        (toolkit.non_negative_argument, -2, ValueError, "f: x must be >= 0, got -2"),
    ],
)
def test_the_kinds_give_lrkits_messages(
    check: Callable[[str, str, object], object],
    value: object,
    error: type[Exception],
    expected: str,
) -> None:
    with pytest.raises(error, match=f"^{expected}"):
        check("f", "x", value)


def test_a_rate_argument_and_a_rate_parameter_refuse_alike() -> None:
    with pytest.raises(ValueError, match="must be >= 0") as parameter:
        lrkit.Constant(-0.1)
    with pytest.raises(ValueError, match="must be >= 0") as argument:
        toolkit.rate_argument("Constant", "learning_rate", -0.1)
    assert str(argument.value) == str(parameter.value)


def test_step_counts_take_any_least_value() -> None:
    assert toolkit.steps_argument("f", "x", 2, minimum=2) == 2
    with pytest.raises(ValueError, match="must be >= 2, got 1"):
        toolkit.steps_argument("f", "x", 1, minimum=2)
    assert toolkit.length_argument("f", "x", 0, allow_zero=True) == 0
    assert toolkit.length_argument("f", "x", 2.5) == 2.5


# -- warmup then X -------------------------------------------------------------------


def test_no_warmup_is_the_schedule_itself() -> None:
    after = lrkit.LinearDecay(0.1, 90)
    assert toolkit.warmup_then(after, 0, start=0.05) is after


def test_a_warmup_to_the_schedules_start_is_a_warmup() -> None:
    after = lrkit.LinearDecay(0.1, 90)
    built = toolkit.warmup_then(after, 10, start=0.01)
    assert built == lrkit.Warmup(after, 10, initial_learning_rate=0.01)
    assert toolkit.warmup_then(after, 10, target=0.1) == lrkit.Warmup(after, 10)


def test_a_warmup_to_another_rate_is_a_join_of_the_ramp_and_the_schedule() -> None:
    after = lrkit.Constant(0.0)
    built = toolkit.warmup_then(after, 4, target=1.0)
    ramp = lrkit.Warmup(lrkit.Constant(1.0), 4)
    assert built == lrkit.Join([ramp, after], [4])
    assert [built(t) for t in (0, 2, 4)] == [0.0, 0.5, 0.0]
    own = lrkit.LinearDecay(0.0, 4, 1.0)
    assert toolkit.warmup_then(after, 4, target=1.0, ramp=own) == lrkit.Join([own, after], [4])


def test_the_tolerance_decides_between_warmup_and_join() -> None:
    after = lrkit.Constant(0.1 * (1 + 1e-13))
    assert isinstance(toolkit.warmup_then(after, 4, target=0.1), lrkit.Join)
    assert isinstance(toolkit.warmup_then(after, 4, target=0.1, rel_tol=1e-12), lrkit.Warmup)
