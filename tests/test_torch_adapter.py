"""``lrkit.torch.LRScheduler`` in real torch training loops.

Rates are compared step by step with torch's own schedulers built to the same
schedule, and resumed runs with uninterrupted ones.
"""

from __future__ import annotations

import copy
import io
import pickle
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest

import lrkit

torch = pytest.importorskip("torch")
lrkit_torch = pytest.importorskip("lrkit.torch")
LRScheduler = lrkit_torch.LRScheduler
lr_scheduler = torch.optim.lr_scheduler

N = 40  # training steps per loop
B = 0.1  # base learning rate


@contextmanager
def no_warnings() -> Iterator[None]:
    """Any warning raised inside is an error."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


def make_model(seed: int = 0) -> Any:
    torch.manual_seed(seed)
    return torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.Tanh(), torch.nn.Linear(8, 1))


def batches(steps: int) -> list[tuple[Any, Any]]:
    generator = torch.Generator().manual_seed(1)
    return [
        (torch.randn(16, 4, generator=generator), torch.randn(16, 1, generator=generator))
        for _ in range(steps)
    ]


DATA = batches(N)


def train(
    model: Any,
    optimizer: Any,
    scheduler: Any,
    data: list[tuple[Any, Any]],
    keys: tuple[str, ...] = ("lr",),
) -> list[list[Any]]:
    """The usual loop; returns, per step, each group's values used by ``optimizer.step()``."""
    used = []
    for x, y in data:
        optimizer.zero_grad()
        torch.nn.functional.mse_loss(model(x), y).backward()
        used.append([[_number(group[key]) for key in keys] for group in optimizer.param_groups])
        optimizer.step()
        scheduler.step()
    return used


def _number(value: Any) -> Any:
    if isinstance(value, torch.Tensor):
        return value.item()
    if isinstance(value, tuple):
        return tuple(_number(v) for v in value)
    return value


def sgd(model: Any, lr: float = B, **kwargs: Any) -> Any:
    return torch.optim.SGD(model.parameters(), lr=lr, **kwargs)


def assert_same_parameters(a: Any, b: Any, rtol: float = 0.0) -> None:
    for pa, pb in zip(a.parameters(), b.parameters(), strict=True):
        torch.testing.assert_close(pa, pb, rtol=rtol, atol=0.0)


# -- parity with torch's own schedulers -------------------------------------------

PARITY: dict[str, tuple[lrkit.LearningRateSchedule, Callable[[Any], Any]]] = {
    "CosineDecay-vs-CosineAnnealingLR": (
        lrkit.CosineDecay(B, N, alpha=0.1),
        lambda opt: lr_scheduler.CosineAnnealingLR(opt, T_max=N, eta_min=0.1 * B),
    ),
    "ExponentialDecay-vs-ExponentialLR": (
        lrkit.ExponentialDecay(B, 1, 0.93),
        lambda opt: lr_scheduler.ExponentialLR(opt, gamma=0.93),
    ),
    # MultiStepLR has decayed at a milestone; Keras's boundaries are inclusive.
    "PiecewiseConstantDecay-vs-MultiStepLR": (
        lrkit.PiecewiseConstantDecay([9, 24], [B, B * 0.5, B * 0.25]),
        lambda opt: lr_scheduler.MultiStepLR(opt, milestones=[10, 25], gamma=0.5),
    ),
    "PolynomialDecay-vs-PolynomialLR": (
        lrkit.PolynomialDecay(B, 30, end_learning_rate=0.0, power=2.0),
        lambda opt: lr_scheduler.PolynomialLR(opt, total_iters=30, power=2.0),
    ),
}


@pytest.mark.parametrize(("schedule", "make_torch"), list(PARITY.values()), ids=list(PARITY))
def test_training_loop_matches_torch_scheduler(
    schedule: lrkit.LearningRateSchedule, make_torch: Callable[[Any], Any]
) -> None:
    ours_model, theirs_model = make_model(), make_model()
    ours_opt, theirs_opt = sgd(ours_model), sgd(theirs_model)
    with no_warnings():
        ours = LRScheduler(ours_opt, schedule)
        theirs = make_torch(theirs_opt)
        ours_rates = train(ours_model, ours_opt, ours, DATA)
        theirs_rates = train(theirs_model, theirs_opt, theirs, DATA)
    assert [r[0][0] for r in ours_rates] == pytest.approx(
        [r[0][0] for r in theirs_rates], rel=1e-12, abs=1e-15
    )
    assert ours_rates[1][0][0] != ours_rates[-1][0][0]  # the rate did change
    assert ours.get_last_lr() == pytest.approx(theirs.get_last_lr(), rel=1e-12, abs=1e-15)
    assert ours.last_epoch == theirs.last_epoch == N
    assert_same_parameters(ours_model, theirs_model, rtol=1e-6)


def test_rates_are_the_schedule_at_last_epoch() -> None:
    schedule = lrkit.Warmup(lrkit.CosineDecay(0.3, 30, alpha=0.01), warmup_steps=5)
    model = make_model()
    optimizer = sgd(model)
    scheduler = LRScheduler(optimizer, schedule)
    assert scheduler.last_epoch == 0
    assert scheduler.get_last_lr() == [schedule(0)]
    used = train(model, optimizer, scheduler, DATA)
    assert [r[0][0] for r in used] == [schedule(t) for t in range(N)]
    assert scheduler.get_last_lr() == [schedule(N)] == [optimizer.param_groups[0]["lr"]]
    assert scheduler.get_lr() == scheduler._get_closed_form_lr() == [schedule(N)]


def test_matches_sequential_lr_of_torch_schedulers() -> None:
    """lrkit schedulers as SequentialLR children, and one lrkit Join, against torch's."""
    warmup, total = 5, 30
    warm = lrkit.PolynomialDecay(0.1 * B, warmup, end_learning_rate=B)
    cosine = lrkit.CosineDecay(B, total)
    model_t, model_s, model_j = make_model(), make_model(), make_model()
    opt_t, opt_s, opt_j = sgd(model_t), sgd(model_s), sgd(model_j)
    with no_warnings():
        theirs = lr_scheduler.SequentialLR(
            opt_t,
            [
                lr_scheduler.LinearLR(opt_t, 0.1, 1.0, warmup),
                lr_scheduler.CosineAnnealingLR(opt_t, total),
            ],
            milestones=[warmup],
        )
        sequential = lr_scheduler.SequentialLR(
            opt_s, [LRScheduler(opt_s, warm), LRScheduler(opt_s, cosine)], milestones=[warmup]
        )
        joined = LRScheduler(opt_j, lrkit.Join([warm, cosine], [warmup]))
        data = DATA[: warmup + total]
        rates_t = [r[0][0] for r in train(model_t, opt_t, theirs, data)]
        rates_s = [r[0][0] for r in train(model_s, opt_s, sequential, data)]
        rates_j = [r[0][0] for r in train(model_j, opt_j, joined, data)]
    assert rates_s == pytest.approx(rates_t, rel=1e-12, abs=1e-15)
    assert rates_j == rates_s
    assert rates_t[warmup] == pytest.approx(B)


# -- checkpoints ------------------------------------------------------------------


def _fresh(schedule: Any, **kwargs: Any) -> tuple[Any, Any, Any]:
    model = make_model()
    optimizer = torch.optim.SGD(model.parameters(), lr=B, momentum=0.9, weight_decay=1e-3)
    return model, optimizer, LRScheduler(optimizer, schedule, **kwargs)


RESUMED = {
    "absolute": (lrkit.CosineDecay(0.0, N - 8, warmup_target=B, warmup_steps=8), {}),
    "relative-with-momentum": (
        lrkit.Warmup(lrkit.CosineDecay(1.0, N), 6),
        {"relative": True, "hyperparameters": {"momentum": lrkit.CosineDecay(0.95, N, alpha=0.9)}},
    ),
}


@pytest.mark.parametrize("via_torch_save", [False, True], ids=["in-memory", "torch.save"])
@pytest.mark.parametrize(("schedule", "kwargs"), list(RESUMED.values()), ids=list(RESUMED))
def test_resume_at_half_gives_identical_sequence(
    schedule: Any, kwargs: dict[str, Any], via_torch_save: bool
) -> None:
    keys = ("lr", "momentum")
    with no_warnings():
        model, optimizer, scheduler = _fresh(schedule, **kwargs)
        uninterrupted = train(model, optimizer, scheduler, DATA, keys)

        model_a, optimizer_a, scheduler_a = _fresh(schedule, **kwargs)
        first_half = train(model_a, optimizer_a, scheduler_a, DATA[: N // 2], keys)
        checkpoint = {
            "model": model_a.state_dict(),
            "optimizer": optimizer_a.state_dict(),
            "scheduler": scheduler_a.state_dict(),
        }
        if via_torch_save:
            buffer = io.BytesIO()
            torch.save(checkpoint, buffer)
            buffer.seek(0)
            checkpoint = torch.load(buffer)  # weights_only: the state is plain data
        else:
            checkpoint = copy.deepcopy(checkpoint)

        # torch's order: build the scheduler, then load the optimizer and the scheduler.
        model_b, optimizer_b, scheduler_b = _fresh(schedule, **kwargs)
        model_b.load_state_dict(checkpoint["model"])
        optimizer_b.load_state_dict(checkpoint["optimizer"])
        scheduler_b.load_state_dict(checkpoint["scheduler"])
        assert scheduler_b.get_last_lr() == scheduler_a.get_last_lr()
        second_half = train(model_b, optimizer_b, scheduler_b, DATA[N // 2 :], keys)

    assert first_half + second_half == uninterrupted
    assert scheduler_b.get_last_lr() == scheduler.get_last_lr()
    assert_same_parameters(model_b, model)


def test_state_dict_is_small_plain_data() -> None:
    schedule = lrkit.CosineDecay(B, N)
    _, _, scheduler = _fresh(schedule, hyperparameters={"weight_decay": lrkit.Constant(1e-4)})
    state = scheduler.state_dict()
    assert set(state) == {
        "kind",
        "last_epoch",
        "_step_count",
        "relative",
        "schedules",
        "base_values",
        "plateaus",
    }
    assert state["plateaus"] == {}
    assert state["schedules"]["lr"] == [lrkit.serialize(schedule)]
    assert lrkit.deserialize(state["schedules"]["weight_decay"][0]) == lrkit.Constant(1e-4)
    assert pickle.loads(pickle.dumps(state)) == state
    assert len(pickle.dumps(state)) < 2_000


def test_resume_inside_sequential_lr() -> None:
    def build() -> tuple[Any, Any, Any]:
        model = make_model()
        optimizer = sgd(model)
        children = [
            LRScheduler(optimizer, lrkit.Constant(0.01)),
            LRScheduler(optimizer, lrkit.ExponentialDecay(B, 1, 0.9)),
        ]
        return model, optimizer, lr_scheduler.SequentialLR(optimizer, children, milestones=[7])

    with no_warnings():
        model, optimizer, scheduler = build()
        uninterrupted = train(model, optimizer, scheduler, DATA[:20])
        model_a, optimizer_a, scheduler_a = build()
        first = train(model_a, optimizer_a, scheduler_a, DATA[:10])
        model_b, optimizer_b, scheduler_b = build()
        optimizer_b.load_state_dict(copy.deepcopy(optimizer_a.state_dict()))
        scheduler_b.load_state_dict(copy.deepcopy(scheduler_a.state_dict()))
        model_b.load_state_dict(model_a.state_dict())
        second = train(model_b, optimizer_b, scheduler_b, DATA[10:20])
    assert first + second == uninterrupted
    assert uninterrupted[6][0][0] == 0.01
    assert uninterrupted[7][0][0] == B


MISMATCHES: dict[str, tuple[Any, dict[str, Any], str]] = {
    "other-schedule": (lrkit.CosineDecay(B, N + 1), {}, "lr of param group 0"),
    "other-class": (lrkit.ExponentialDecay(B, N, 0.5), {}, "ExponentialDecay"),
    "relative": (lrkit.CosineDecay(B, N), {"relative": True}, "relative [], constructed ['lr']"),
    "extra-hyperparameter": (
        lrkit.CosineDecay(B, N),
        {"hyperparameters": {"momentum": lrkit.Constant(0.9)}},
        "momentum",
    ),
}


@pytest.mark.parametrize(
    ("schedule", "kwargs", "message"), list(MISMATCHES.values()), ids=list(MISMATCHES)
)
def test_loading_a_state_of_another_schedule_raises(
    schedule: Any, kwargs: dict[str, Any], message: str
) -> None:
    _, _, saved = _fresh(lrkit.CosineDecay(B, N))
    _, _, other = _fresh(schedule, **kwargs)
    with pytest.raises(ValueError, match="does not match") as error:
        other.load_state_dict(saved.state_dict())
    assert message in str(error.value)
    assert other.last_epoch == 0  # nothing was loaded


def test_loading_with_other_initial_rates_raises_in_relative_mode() -> None:
    model = make_model()
    saved = LRScheduler(sgd(model, lr=0.1), lrkit.CosineDecay(1.0, N), relative=True)
    resumed = LRScheduler(sgd(model, lr=0.2), lrkit.CosineDecay(1.0, N), relative=True)
    with pytest.raises(ValueError, match=r"initial lr \[0.1\], constructed \[0.2\]"):
        resumed.load_state_dict(saved.state_dict())
    # In absolute mode the initial rate plays no part.
    absolute = LRScheduler(sgd(model, lr=0.2), lrkit.CosineDecay(1.0, N))
    absolute.load_state_dict(LRScheduler(sgd(model), lrkit.CosineDecay(1.0, N)).state_dict())


def test_loading_a_torch_scheduler_state_raises() -> None:
    model = make_model()
    theirs = lr_scheduler.CosineAnnealingLR(sgd(model), T_max=N)
    ours = LRScheduler(sgd(model), lrkit.CosineDecay(B, N))
    with pytest.raises(ValueError, match=r"not a state of lrkit\.torch\.LRScheduler"):
        ours.load_state_dict(theirs.state_dict())


# -- param groups: per-group and relative modes ----------------------------------


def two_group_optimizer(model: Any, **kwargs: Any) -> Any:
    first, second = model[0], model[2]
    return torch.optim.SGD(
        [{"params": first.parameters(), "lr": 0.1}, {"params": second.parameters(), "lr": 0.01}],
        **kwargs,
    )


def test_one_schedule_per_group_matches_one_torch_scheduler_per_group() -> None:
    cosine, exponential = lrkit.CosineDecay(0.2, N), lrkit.ExponentialDecay(0.05, 1, 0.95)
    model = make_model()
    optimizer = two_group_optimizer(model)
    with no_warnings():
        scheduler = LRScheduler(optimizer, [cosine, exponential])
        used = train(model, optimizer, scheduler, DATA)
    theirs: list[list[float]] = []
    for base, make in (
        (0.2, lambda o: lr_scheduler.CosineAnnealingLR(o, N)),
        (0.05, lambda o: lr_scheduler.ExponentialLR(o, 0.95)),
    ):
        model_t = make_model()
        optimizer_t = sgd(model_t, lr=base)
        theirs.append([r[0][0] for r in train(model_t, optimizer_t, make(optimizer_t), DATA)])
    assert [r[0][0] for r in used] == pytest.approx(theirs[0], rel=1e-12, abs=1e-15)
    assert [r[1][0] for r in used] == pytest.approx(theirs[1], rel=1e-12)


def test_relative_mode_matches_lambda_lr() -> None:
    """``relative=True`` is LambdaLR with the schedules as the lambdas (exactly)."""
    schedules = [lrkit.Warmup(lrkit.CosineDecay(1.0, N), 5), lrkit.ExponentialDecay(1.0, 4, 0.5)]
    model_a, model_b = make_model(), make_model()
    opt_a, opt_b = two_group_optimizer(model_a), two_group_optimizer(model_b)
    with no_warnings():
        ours = LRScheduler(opt_a, schedules, relative=True)
        theirs = lr_scheduler.LambdaLR(opt_b, lr_lambda=list(schedules))
        assert train(model_a, opt_a, ours, DATA) == train(model_b, opt_b, theirs, DATA)
    assert ours.get_last_lr() == theirs.get_last_lr()
    assert ours.base_lrs == [0.1, 0.01]


def test_one_relative_schedule_scales_every_group() -> None:
    schedule = lrkit.CosineDecay(1.0, N, alpha=0.1)
    model = make_model()
    optimizer = two_group_optimizer(model)
    scheduler = LRScheduler(optimizer, schedule, relative=True)
    used = train(model, optimizer, scheduler, DATA[:10])
    assert [r[0][0] for r in used] == [0.1 * schedule(t) for t in range(10)]
    assert [r[1][0] for r in used] == [0.01 * schedule(t) for t in range(10)]


def test_none_keeps_a_group_at_its_initial_rate() -> None:
    model = make_model()
    optimizer = two_group_optimizer(model)
    scheduler = LRScheduler(optimizer, [None, lrkit.CosineDecay(0.05, N)])
    used = train(model, optimizer, scheduler, DATA[:10])
    assert [r[0][0] for r in used] == [0.1] * 10
    assert [r[1][0] for r in used] == [lrkit.CosineDecay(0.05, N)(t) for t in range(10)]


# -- other hyperparameters -------------------------------------------------------


def _train_by_hand(
    optimizer_factory: Callable[[Any], Any], set_values: Callable[[Any, int], None]
) -> Any:
    """The same loop, with the hyperparameters written by hand before each step."""
    model = make_model()
    optimizer = optimizer_factory(model)
    for t, (x, y) in enumerate(DATA):
        set_values(optimizer, t)
        optimizer.zero_grad()
        torch.nn.functional.mse_loss(model(x), y).backward()
        optimizer.step()
    return model


def test_momentum_schedule_drives_sgd() -> None:
    lr, momentum = lrkit.CosineDecay(B, N), lrkit.Warmup(lrkit.Constant(0.95), 10, 0.5)
    factory = lambda m: torch.optim.SGD(m.parameters(), lr=B, momentum=0.9)  # noqa: E731
    model = make_model()
    optimizer = factory(model)
    with no_warnings():
        scheduler = LRScheduler(optimizer, lr, hyperparameters={"momentum": momentum})
        used = train(model, optimizer, scheduler, DATA, ("lr", "momentum"))
    assert [r[0] for r in used] == [[lr(t), momentum(t)] for t in range(N)]

    def by_hand(optimizer: Any, t: int) -> None:
        optimizer.param_groups[0].update(lr=lr(t), momentum=momentum(t))

    assert_same_parameters(model, _train_by_hand(factory, by_hand))


def test_momentum_means_beta1_on_adam_and_weight_decay_is_relative() -> None:
    beta1 = lrkit.CosineDecay(0.95, N, alpha=0.85 / 0.95)
    decay = lrkit.CosineDecay(1.0, N)
    factory = lambda m: torch.optim.AdamW(m.parameters(), lr=1e-2, weight_decay=0.1)  # noqa: E731
    model = make_model()
    optimizer = factory(model)
    with no_warnings():
        scheduler = LRScheduler(
            optimizer,
            lrkit.Constant(1.0),
            relative={"lr", "weight_decay"},
            hyperparameters={"momentum": beta1, "weight_decay": decay},
        )
        used = train(model, optimizer, scheduler, DATA, ("betas", "weight_decay"))
    assert [r[0] for r in used] == [[(beta1(t), 0.999), 0.1 * decay(t)] for t in range(N)]
    assert optimizer.param_groups[0]["initial_beta1"] == 0.9  # AdamW's default, recorded
    assert scheduler.base_hyperparameters == {"momentum": [0.9], "weight_decay": [0.1]}

    def by_hand(optimizer: Any, t: int) -> None:
        optimizer.param_groups[0].update(betas=(beta1(t), 0.999), weight_decay=0.1 * decay(t))

    assert_same_parameters(model, _train_by_hand(factory, by_hand))


def test_beta2_and_per_group_hyperparameters() -> None:
    model = make_model()
    optimizer = torch.optim.Adam(
        [{"params": model[0].parameters()}, {"params": model[2].parameters()}], lr=1e-3
    )
    beta2 = lrkit.PolynomialDecay(0.99, 10, end_learning_rate=0.999)
    LRScheduler(optimizer, lrkit.Constant(1e-3), hyperparameters={"beta2": [beta2, None]})
    assert optimizer.param_groups[0]["betas"] == (0.9, 0.99)
    assert optimizer.param_groups[1]["betas"] == (0.9, 0.999)


# -- tensors, warnings, validation ------------------------------------------------


def test_tensor_hyperparameters_are_filled_in_place() -> None:
    model = make_model()
    lr = torch.tensor(0.01)
    betas = (torch.tensor(0.9), torch.tensor(0.999))
    optimizer = torch.optim.Adam(model.parameters(), lr=lr, betas=betas)
    schedule, beta1 = lrkit.CosineDecay(1.0, N), lrkit.CosineDecay(0.9, N, alpha=0.9)
    with no_warnings():
        scheduler = LRScheduler(
            optimizer, schedule, relative={"lr"}, hyperparameters={"beta1": beta1}
        )
        used = train(model, optimizer, scheduler, DATA[:10], ("lr", "betas"))
    group = optimizer.param_groups[0]
    assert group["lr"] is lr
    assert group["betas"][0] is betas[0]
    assert [r[0][0] for r in used] == pytest.approx([0.01 * schedule(t) for t in range(10)])
    assert [r[0][1][0] for r in used] == pytest.approx([beta1(t) for t in range(10)])
    last = scheduler.get_last_lr()[0]
    assert isinstance(last, torch.Tensor)
    assert last is not lr
    assert last.item() == pytest.approx(0.01 * schedule(10))


def test_step_before_optimizer_step_still_warns() -> None:
    """torch's step-order check is kept."""
    optimizer = sgd(make_model())
    scheduler = LRScheduler(optimizer, lrkit.CosineDecay(B, N))
    with pytest.warns(UserWarning, match="before `optimizer.step\\(\\)`"):
        scheduler.step()


def test_is_a_torch_scheduler() -> None:
    scheduler = LRScheduler(sgd(make_model()), lrkit.CosineDecay(B, N))
    assert isinstance(scheduler, lr_scheduler.LRScheduler)


@pytest.mark.parametrize(
    ("schedule", "kwargs", "error", "message"),
    [
        (0.1, {}, TypeError, "must be an lrkit schedule"),
        ([lrkit.Constant(0.1)] * 3, {}, ValueError, "3 entries, the optimizer has 1"),
        ([None], {}, ValueError, "schedules no param group"),
        (
            lrkit.Constant(0.1),
            {"hyperparameters": {"betas": lrkit.Constant(0.9)}},
            ValueError,
            "schedule 'beta1' or 'beta2'",
        ),
        (
            lrkit.Constant(0.1),
            {"hyperparameters": {"lr": lrkit.Constant(0.9)}},
            ValueError,
            "schedule argument",
        ),
        (
            lrkit.Constant(0.1),
            {"hyperparameters": {"beta1": lrkit.Constant(0.9)}},
            ValueError,
            "no 'betas'",
        ),
        (
            lrkit.Constant(0.1),
            {"hyperparameters": {"nesterov": lrkit.Constant(0.9)}},
            TypeError,
            "not a number",
        ),
        (lrkit.Constant(0.1), {"relative": 1}, TypeError, "relative must be True, False or"),
        (
            lrkit.Constant(0.1),
            {"relative": ["momentum"]},
            ValueError,
            r"relative names \['momentum'\] are not scheduled",
        ),
    ],
)
def test_invalid_arguments(
    schedule: Any, kwargs: dict[str, Any], error: type, message: str
) -> None:
    with pytest.raises(error, match=message):
        LRScheduler(sgd(make_model()), schedule, **kwargs)


@lrkit.register_serializable(package="tests_torch_adapter")
class HalvingEvery(lrkit.LearningRateSchedule):
    """A user schedule that overrides ``__call__`` instead of writing ``_formula``."""

    def __init__(self, initial_learning_rate: float, every: int) -> None:
        self.initial_learning_rate = initial_learning_rate
        self.every = every

    def __call__(self, step: Any) -> Any:
        return self.initial_learning_rate * 0.5 ** (max(step, 0) // self.every)


def test_user_schedules_and_negative_steps() -> None:
    schedule = HalvingEvery(0.4, 3)
    model = make_model()
    optimizer = two_group_optimizer(model)
    scheduler = LRScheduler(optimizer, [schedule, lrkit.CosineDecay(0.1, N)])
    used = train(model, optimizer, scheduler, DATA[:8])
    assert [r[0][0] for r in used] == [0.4, 0.4, 0.4, 0.2, 0.2, 0.2, 0.1, 0.1]
    state = scheduler.state_dict()
    assert lrkit.deserialize(state["schedules"]["lr"][0]) == schedule
    scheduler.last_epoch = -1  # as SequentialLR leaves a scheduler that waits
    assert scheduler.get_lr() == [0.4, 0.1]
