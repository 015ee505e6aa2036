"""The drop-in form of ``lrkit.compat.torch`` against torch's own schedulers.

Each case is one function ``build(lib, optimizer)``, the same call for
``torch.optim.lr_scheduler`` and for ``lrkit.compat.torch``: migrating is
changing the import. Both are stepped on identical two-group optimizers
(SGD with momentum, or Adam), and every group's rate and momentum (Adam's
``betas[0]``) must agree after construction and after every step, also
across a ``state_dict`` / ``load_state_dict`` resume. Tolerance as in
``test_compat_torch.py``: 1e-9 relative (torch's recursive forms drift from
the closed form by rounding only), 1e-12 absolute.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable
from typing import Any

import pytest

import lrkit
from lrkit.compat import torch as compat

torch = pytest.importorskip("torch")
import lrkit.torch  # noqa: E402

lr_scheduler = torch.optim.lr_scheduler
RTOL, ATOL = 1e-9, 1e-12
Build = Callable[[Any, Any], Any]


def _optimizer(kind: str = "sgd", lrs: tuple[float, float] = (0.1, 0.05)) -> Any:
    groups = [{"params": [torch.nn.Parameter(torch.zeros(2))], "lr": lr} for lr in lrs]
    if kind == "adam":
        return torch.optim.Adam(groups, lr=lrs[0], betas=(0.9, 0.99))
    if kind == "adagrad":
        return torch.optim.Adagrad(groups, lr=lrs[0])
    return torch.optim.SGD(groups, lr=lrs[0], momentum=0.9)


def _values(optimizer: Any) -> list[tuple[float, float | None]]:
    out = []
    for group in optimizer.param_groups:
        momentum = group["betas"][0] if "betas" in group else group.get("momentum")
        out.append((float(group["lr"]), None if momentum is None else float(momentum)))
    return out


def _run(build: Build, lib: Any, kind: str, steps: int) -> list[Any]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # torch's step-order notes
        optimizer = _optimizer(kind)
        scheduler = build(lib, optimizer)
        seen = [_values(optimizer)]
        for _ in range(steps):
            optimizer.step()
            scheduler.step()
            seen.append(_values(optimizer))
    return seen


def _assert_same(got: list[Any], expected: list[Any]) -> None:
    for step, (ours, theirs) in enumerate(zip(got, expected, strict=True)):
        for group, ((lr, m), (lr_t, m_t)) in enumerate(zip(ours, theirs, strict=True)):
            assert math.isclose(lr, lr_t, rel_tol=RTOL, abs_tol=ATOL), (step, group, lr, lr_t)
            assert (m is None) == (m_t is None), (step, group, m, m_t)
            if m is not None:
                assert math.isclose(m, m_t, rel_tol=RTOL, abs_tol=ATOL), (step, group, m, m_t)


def _sequential_with_chain_first(lib: Any, opt: Any) -> Any:
    # torch's own test_sequentiallr5: 0.0005, 0.0014, ..., then 0.025 on a 0.05 group
    const = lib.ConstantLR(optimizer=opt, factor=0.1, total_iters=5)
    lin = lib.LinearLR(optimizer=opt, start_factor=0.1, total_iters=5)
    chained = lib.ChainedScheduler([lin, const])
    const2 = lib.ConstantLR(optimizer=opt, factor=0.5, total_iters=5)
    return lib.SequentialLR(opt, schedulers=[chained, const2], milestones=[5])


#: name -> (build, optimizer kind, steps)
CASES: dict[str, tuple[Build, str, int]] = {
    "StepLR": (lambda lib, o: lib.StepLR(o, step_size=3, gamma=0.5), "sgd", 12),
    "StepLR positional": (lambda lib, o: lib.StepLR(o, 3, 0.5), "sgd", 8),
    "MultiStepLR": (lambda lib, o: lib.MultiStepLR(o, milestones=[2, 5], gamma=0.1), "sgd", 8),
    "ConstantLR": (lambda lib, o: lib.ConstantLR(optimizer=o, factor=0.5, total_iters=3), "sgd", 6),
    "LinearLR": (lambda lib, o: lib.LinearLR(o, start_factor=0.2, total_iters=4), "adam", 7),
    "ExponentialLR": (lambda lib, o: lib.ExponentialLR(o, gamma=0.9), "sgd", 10),
    "PolynomialLR": (lambda lib, o: lib.PolynomialLR(o, total_iters=6, power=2.0), "sgd", 9),
    "CosineAnnealingLR": (
        lambda lib, o: lib.CosineAnnealingLR(o, T_max=5, eta_min=0.001),
        "sgd",
        14,
    ),
    "CosineAnnealingWarmRestarts": (
        lambda lib, o: lib.CosineAnnealingWarmRestarts(o, T_0=3, T_mult=2),
        "sgd",
        15,
    ),
    "OneCycleLR SGD momentum": (
        lambda lib, o: lib.OneCycleLR(o, max_lr=1.0, total_steps=20),
        "sgd",
        20,
    ),
    "OneCycleLR Adam betas": (
        lambda lib, o: lib.OneCycleLR(o, max_lr=[0.5, 0.2], total_steps=16, three_phase=True),
        "adam",
        16,
    ),
    "OneCycleLR linear, epochs": (
        lambda lib, o: lib.OneCycleLR(
            o,
            0.3,
            epochs=3,
            steps_per_epoch=5,
            anneal_strategy="linear",
            base_momentum=0.0,
            max_momentum=0.9,
        ),
        "sgd",
        14,
    ),
    "OneCycleLR cycle_momentum=False": (
        lambda lib, o: lib.OneCycleLR(o, max_lr=0.4, total_steps=12, cycle_momentum=False),
        "sgd",
        12,
    ),
    "CyclicLR SGD momentum": (
        lambda lib, o: lib.CyclicLR(o, 0.01, [0.1, 0.2], step_size_up=4, mode="triangular2"),
        "sgd",
        25,
    ),
    "CyclicLR Adam betas": (
        lambda lib, o: lib.CyclicLR(
            o,
            base_lr=0.001,
            max_lr=0.01,
            step_size_up=3,
            step_size_down=5,
            mode="exp_range",
            gamma=0.97,
            base_momentum=0.85,
            max_momentum=0.95,
        ),
        "adam",
        25,
    ),
    "CyclicLR cycle_momentum=False": (
        lambda lib, o: lib.CyclicLR(o, 0.01, 0.1, step_size_up=2, cycle_momentum=False),
        "adagrad",
        9,
    ),
    "SequentialLR": (
        lambda lib, o: lib.SequentialLR(
            o,
            [lib.LinearLR(o, start_factor=0.1, total_iters=3), lib.ExponentialLR(o, gamma=0.8)],
            milestones=[3],
        ),
        "sgd",
        10,
    ),
    "ChainedScheduler": (
        lambda lib, o: lib.ChainedScheduler(
            [lib.ConstantLR(o, factor=0.1, total_iters=2), lib.ExponentialLR(o, gamma=0.9)],
            optimizer=o,
        ),
        "sgd",
        8,
    ),
    "SequentialLR, ChainedScheduler first": (_sequential_with_chain_first, "sgd", 10),
}


@pytest.mark.parametrize("name", list(CASES))
def test_drop_in_drives_the_optimizer_as_torch_does(name: str) -> None:
    build, kind, steps = CASES[name]
    _assert_same(_run(build, compat, kind, steps), _run(build, lr_scheduler, kind, steps))


@pytest.mark.parametrize("kind", ["sgd", "adam"])
def test_training_with_the_drop_in_equals_training_with_torch(kind: str) -> None:
    """A short regression fit: the same parameters at the end, momentum cycling included."""

    def train(lib: Any) -> Any:
        torch.manual_seed(0)
        inputs, targets = torch.randn(64, 3, dtype=torch.float64), torch.randn(64, 1)
        model = torch.nn.Linear(3, 1).double()
        if kind == "adam":
            optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
        else:
            optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
        scheduler = lib.OneCycleLR(optimizer, max_lr=0.05, total_steps=60)
        for _ in range(59):
            optimizer.zero_grad()
            loss = torch.nn.functional.mse_loss(model(inputs), targets.double())
            loss.backward()
            optimizer.step()
            scheduler.step()
        return torch.cat([p.detach().flatten() for p in model.parameters()])

    torch.testing.assert_close(train(compat), train(lr_scheduler), rtol=1e-9, atol=1e-12)


def test_drop_in_returns_a_torch_scheduler_and_keeps_the_schedule_form() -> None:
    optimizer = _optimizer()
    scheduler = compat.OneCycleLR(optimizer, max_lr=1.0, total_steps=10)
    assert isinstance(scheduler, lrkit.torch.LRScheduler)
    assert isinstance(scheduler, lr_scheduler.LRScheduler)
    assert set(scheduler.schedules) == {"lr", "momentum"}
    schedule = compat.OneCycleLR(None, max_lr=1.0, total_steps=10)
    assert isinstance(schedule, lrkit.LearningRateSchedule)


def test_torch_sequential_case_gives_torchs_published_values() -> None:
    expected = [0.0005, 0.0014, 0.0023, 0.0032, 0.0041] + [0.025] * 5
    # the second group's rate is torch's test's 0.05
    rates = [groups[1][0] for groups in _run(_sequential_with_chain_first, compat, "sgd", 9)]
    assert rates == pytest.approx(expected, rel=1e-12)
    # and the schedule form: the same children, given as schedules
    chain = compat.ChainedScheduler(
        [compat.LinearLR(0.05, start_factor=0.1, total_iters=5), compat.ConstantLR(0.05, 0.1, 5)],
        base_lr=0.05,
    )
    schedule = compat.SequentialLR(0.05, [chain, compat.ConstantLR(0.05, 0.5, 5)], milestones=[5])
    assert [schedule(t) for t in range(10)] == pytest.approx(expected, rel=1e-12)


def test_chain_refused_where_torch_raises_at_its_milestone() -> None:
    chain = compat.ChainedScheduler(
        [compat.LinearLR(0.1, start_factor=0.1, total_iters=5), compat.ConstantLR(0.1, 0.1, 5)],
        base_lr=0.1,
    )
    with pytest.raises(ValueError, match=r"schedulers\[1\].*starts after step 0"):
        compat.SequentialLR(0.1, [compat.ConstantLR(0.1, 0.5, 5), chain], milestones=[3])
    # a milestone 0 makes it the scheduler of step 0, which torch accepts
    schedule = compat.SequentialLR(0.1, [compat.ConstantLR(0.1, 0.5, 5), chain], milestones=[0])
    assert schedule(0) == pytest.approx(0.001)


@pytest.mark.parametrize(("base_lr", "children"), [(1e-8, 40), (1e-120, 3), (1e120, 4)])
def test_chained_scheduler_at_extreme_rates_matches_torch(base_lr: float, children: int) -> None:
    def build(lib: Any, opt: Any) -> Any:
        parts = [lib.ExponentialLR(opt, gamma=0.99) for _ in range(children - 1)]
        return lib.ChainedScheduler([lib.ConstantLR(opt, factor=0.5, total_iters=3), *parts], opt)

    def run(lib: Any) -> list[float]:
        optimizer = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=base_lr)
        scheduler = build(lib, optimizer)
        rates = [optimizer.param_groups[0]["lr"]]
        for _ in range(6):
            optimizer.step()
            scheduler.step()
            rates.append(optimizer.param_groups[0]["lr"])
        return rates

    expected = run(lr_scheduler)
    assert all(0.0 < rate < math.inf for rate in expected)
    assert run(compat) == pytest.approx(expected, rel=RTOL)
    # the schedule form gives the same values
    schedule = compat.ChainedScheduler(
        [compat.ConstantLR(base_lr, 0.5, 3)]
        + [compat.ExponentialLR(base_lr, 0.99) for _ in range(children - 1)],
        base_lr=base_lr,
    )
    assert [schedule(t) for t in range(7)] == pytest.approx(expected, rel=RTOL)


@pytest.mark.parametrize("name", ["OneCycleLR SGD momentum", "CyclicLR Adam betas", "SequentialLR"])
def test_resume_from_state_dict_continues_as_torch(name: str) -> None:
    build, kind, steps = CASES[name]
    expected = _run(build, lr_scheduler, kind, steps)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        optimizer = _optimizer(kind)
        scheduler = build(compat, optimizer)
        for _ in range(steps // 2):
            optimizer.step()
            scheduler.step()
        saved = (optimizer.state_dict(), scheduler.state_dict())
        optimizer = _optimizer(kind)
        scheduler = build(compat, optimizer)
        optimizer.load_state_dict(saved[0])
        scheduler.load_state_dict(saved[1])
        seen = []
        for _ in range(steps - steps // 2):
            optimizer.step()
            scheduler.step()
            seen.append(_values(optimizer))
    _assert_same(seen, expected[steps // 2 + 1 :])


def test_one_cycle_linear_below_zero_at_step_n_is_zero() -> None:
    # torch's linear anneal extrapolates below 0 at step N (and raises after it);
    # lrkit never writes a negative rate, so 0 stands in for that one value.
    def build(lib: Any, opt: Any) -> Any:
        return lib.OneCycleLR(opt, 0.3, total_steps=15, anneal_strategy="linear")

    expected, got = _run(build, lr_scheduler, "sgd", 15), _run(build, compat, "sgd", 15)
    assert expected[-1][0][0] < 0
    assert got[-1][0][0] == 0.0
    assert math.isclose(got[-1][0][1], expected[-1][0][1], rel_tol=RTOL)
    _assert_same(got[:-1], expected[:-1])


def test_last_epoch_resumes_as_torch() -> None:
    def build(lib: Any, opt: Any) -> Any:
        for group in opt.param_groups:  # as a checkpoint of step 4 leaves them
            group["initial_lr"], group["lr"] = group["lr"] * 4, group["lr"]
        return lib.StepLR(opt, 2, 0.5, 4)  # last_epoch, by position

    _assert_same(_run(build, compat, "sgd", 5), _run(build, lr_scheduler, "sgd", 5))
    with pytest.raises(KeyError, match="initial_lr"):
        compat.ExponentialLR(_optimizer(), gamma=0.9, last_epoch=3)


def test_cycle_momentum_on_an_optimizer_without_momentum_raises_as_torch() -> None:
    for build in (
        lambda lib, o: lib.OneCycleLR(o, max_lr=0.1, total_steps=10),
        lambda lib, o: lib.CyclicLR(o, 0.01, 0.1),
    ):
        with pytest.raises(ValueError, match="momentum or beta1"):
            build(lr_scheduler, _optimizer("adagrad"))
        with pytest.raises(ValueError, match=r"momentum or beta1.*cycle_momentum=False"):
            build(compat, _optimizer("adagrad"))


def test_drop_in_refuses_what_it_cannot_drive() -> None:
    optimizer = _optimizer()
    with pytest.raises(TypeError, match=r"schedulers\[0\].*lrkit.compat.torch"):
        compat.SequentialLR(optimizer, [lr_scheduler.StepLR(optimizer, 2)], milestones=[])
    cycle = compat.OneCycleLR(optimizer, max_lr=1.0, total_steps=10)
    with pytest.raises(ValueError, match="cycle_momentum=False"):
        compat.SequentialLR(optimizer, [cycle, compat.StepLR(optimizer, 2)], milestones=[5])
    with pytest.raises(ValueError, match="max_lr must have the same length"):
        compat.OneCycleLR(optimizer, max_lr=[1.0, 2.0, 3.0], total_steps=10)
    with pytest.raises(TypeError, match="StepLR: missing a required argument: 'step_size'"):
        compat.StepLR(optimizer)
    with pytest.raises(ValueError, match=r"OneCycleLR: max_momentum must be >= 0"):
        compat.OneCycleLR(optimizer, max_lr=1.0, total_steps=10, max_momentum=-0.5)


def test_docstring_examples_run() -> None:
    import doctest

    from lrkit.compat import _torch_compose, _torch_cycles

    for module in (compat, _torch_compose, _torch_cycles):
        assert doctest.testmod(module).failed == 0
