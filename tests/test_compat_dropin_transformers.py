"""The drop-in form of ``lrkit.compat.transformers`` against transformers' own schedulers.

Each case is one call ``build(lib, optimizer)``, the same for
``transformers.optimization`` and ``lrkit.compat.transformers``. Both are
stepped on identical two-group SGD optimizers whose groups have different
rates (transformers' ``LambdaLR`` multiplies each group's initial rate), and
every group's rate must agree after construction and every step, and across
a ``state_dict`` / ``load_state_dict`` resume. transformers' multipliers are
the lrkit schedules at ``learning_rate=1``, equal to rounding (1e-12).
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable
from typing import Any

import pytest

from lrkit.compat import transformers as compat

torch = pytest.importorskip("torch")
optimization = pytest.importorskip("transformers.optimization")
import lrkit.torch  # noqa: E402

Build = Callable[[Any, Any], Any]
TOL = 1e-12


def _optimizer() -> Any:
    groups = [
        {"params": [torch.nn.Parameter(torch.zeros(2))]},
        {"params": [torch.nn.Parameter(torch.zeros(2))], "lr": 0.05},
    ]
    return torch.optim.SGD(groups, lr=0.1)


def _rates(optimizer: Any) -> list[float]:
    return [float(group["lr"]) for group in optimizer.param_groups]


def _run(build: Build, lib: Any, steps: int) -> list[list[float]]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        optimizer = _optimizer()
        scheduler = build(lib, optimizer)
        seen = [_rates(optimizer)]
        for _ in range(steps):
            optimizer.step()
            scheduler.step()
            seen.append(_rates(optimizer))
    return seen


def _assert_same(got: list[list[float]], expected: list[list[float]]) -> None:
    for step, (ours, theirs) in enumerate(zip(got, expected, strict=True)):
        for group, (a, b) in enumerate(zip(ours, theirs, strict=True)):
            assert math.isclose(a, b, rel_tol=TOL, abs_tol=TOL), (step, group, a, b)


CASES: dict[str, Build] = {
    "constant": lambda lib, o: lib.get_constant_schedule(o),
    "constant_with_warmup": lambda lib, o: lib.get_constant_schedule_with_warmup(o, 4),
    "linear": lambda lib, o: lib.get_linear_schedule_with_warmup(o, 3, 20),
    "linear, last_epoch": lambda lib, o: lib.get_linear_schedule_with_warmup(
        o, num_warmup_steps=3, num_training_steps=20, last_epoch=-1
    ),
    "cosine": lambda lib, o: lib.get_cosine_schedule_with_warmup(o, 2, 20, num_cycles=0.7),
    "hard restarts": lambda lib, o: lib.get_cosine_with_hard_restarts_schedule_with_warmup(
        o, 2, 22, num_cycles=3
    ),
    "cosine min_lr": lambda lib, o: lib.get_cosine_with_min_lr_schedule_with_warmup(
        o, 3, 20, min_lr=0.004
    ),
    "cosine min_lr_rate, warmup_lr_rate": (
        lambda lib, o: lib.get_cosine_with_min_lr_schedule_with_warmup_lr_rate(
            o, 4, 20, min_lr_rate=0.1, warmup_lr_rate=0.2
        )
    ),
    "polynomial": lambda lib, o: lib.get_polynomial_decay_schedule_with_warmup(
        o, 3, 18, lr_end=0.01, power=2.0
    ),
    "inverse_sqrt": lambda lib, o: lib.get_inverse_sqrt_schedule(o, 4),
    "wsd": lambda lib, o: lib.get_wsd_schedule(
        o, 3, 5, num_training_steps=20, decay_type="linear", min_lr_ratio=0.1
    ),
    "get_scheduler cosine": lambda lib, o: lib.get_scheduler(
        "cosine", optimizer=o, num_warmup_steps=3, num_training_steps=20
    ),
    "get_scheduler constant": lambda lib, o: lib.get_scheduler("constant", o),
    "get_scheduler cosine_with_min_lr": lambda lib, o: lib.get_scheduler(
        "cosine_with_min_lr",
        optimizer=o,
        num_warmup_steps=2,
        num_training_steps=20,
        scheduler_specific_kwargs={"min_lr": 0.002},
    ),
    "get_scheduler warmup_stable_decay": lambda lib, o: lib.get_scheduler(
        "warmup_stable_decay",
        o,
        num_warmup_steps=2,
        num_training_steps=20,
        scheduler_specific_kwargs={"num_decay_steps": 6},
    ),
}


@pytest.mark.parametrize("name", list(CASES))
def test_drop_in_drives_the_optimizer_as_transformers_does(name: str) -> None:
    build = CASES[name]
    _assert_same(_run(build, compat, 25), _run(build, optimization, 25))


def test_the_result_is_an_lrkit_torch_scheduler_and_the_schedule_form_stays() -> None:
    scheduler = compat.get_scheduler("linear", _optimizer(), 2, 10)
    assert isinstance(scheduler, lrkit.torch.LRScheduler)
    assert compat.get_scheduler("linear", 1e-3, 2, 10)(1) == 0.0005


def test_last_epoch_resumes_as_lambda_lr() -> None:
    def build(lib: Any, optimizer: Any) -> Any:
        for group in optimizer.param_groups:
            group["initial_lr"] = group["lr"]
        return lib.get_cosine_schedule_with_warmup(optimizer, 2, 20, last_epoch=6)

    _assert_same(_run(build, compat, 10), _run(build, optimization, 10))


@pytest.mark.parametrize("name", ["polynomial", "get_scheduler cosine"])
def test_resume_from_state_dict_continues_as_transformers(name: str) -> None:
    build, steps = CASES[name], 20
    expected = _run(build, optimization, steps)
    optimizer = _optimizer()
    scheduler = build(compat, optimizer)
    for _ in range(7):
        optimizer.step()
        scheduler.step()
    saved = (optimizer.state_dict(), scheduler.state_dict())
    optimizer = _optimizer()
    scheduler = build(compat, optimizer)
    optimizer.load_state_dict(saved[0])
    scheduler.load_state_dict(saved[1])
    seen = []
    for _ in range(steps - 7):
        optimizer.step()
        scheduler.step()
        seen.append(_rates(optimizer))
    _assert_same(seen, expected[8:])


def test_reduce_on_plateau_is_torchs_scheduler_as_in_transformers() -> None:
    optimizer = _optimizer()
    scheduler = compat.get_scheduler(
        "reduce_lr_on_plateau", optimizer, scheduler_specific_kwargs={"patience": 0}
    )
    assert isinstance(scheduler, torch.optim.lr_scheduler.ReduceLROnPlateau)
    scheduler.step(1.0)
    scheduler.step(2.0)
    assert _rates(optimizer) == pytest.approx([0.01, 0.005])


def test_errors_name_the_drop_in_arguments() -> None:
    with pytest.raises(ValueError, match=r"lr_end must be smaller than the optimizer's initial lr"):
        compat.get_polynomial_decay_schedule_with_warmup(_optimizer(), 2, 10, lr_end=0.5)
    with pytest.raises(ValueError, match="min_lr must be >= 0"):
        compat.get_cosine_with_min_lr_schedule_with_warmup(_optimizer(), 2, 10, min_lr=-1.0)
    with pytest.raises(TypeError, match=r"get_scheduler: .*num_warmup_step"):
        compat.get_scheduler("linear", optimizer=_optimizer(), num_warmup_step=3)
