"""``lrkit.compat.timm`` and ``lrkit.TimmNoise`` against the real timm and torch.

timm's schedulers are stepped on a torch SGD optimizer, with
``step_update(t)`` (``t_in_epochs=False``) and ``step(t)``
(``t_in_epochs=True``), and the rate they set is compared with the lrkit
schedule's value at ``t``, over a table of parameters: warmup with and
without ``warmup_prefix``, cycles, k-decay, floors, tanh bounds, step and
multi-step decays, and seeded noise. The pure-Python generator behind the
noise is compared with ``torch.Generator`` draw by draw.

timm is imported normally (``import timm`` runs its package ``__init__``,
which imports torchvision): the test extras pin a torch and torchvision
built for each other.
"""

from __future__ import annotations

import math
import re
import subprocess
import sys
import types
from typing import Any

import numpy as np
import pytest

import lrkit
from lrkit._families.noise import MAX_STD_RATIO, TimmNoise, _array_noise, _TorchStream, torch_noise
from lrkit.compat import timm as compat

torch = pytest.importorskip("torch")

BASE_LR = 0.1
STEPS = list(range(130))


@pytest.fixture(scope="module")
def timm_scheduler() -> types.ModuleType:
    """``timm.scheduler``, with timm imported as users import it."""
    pytest.importorskip("timm")
    import timm.scheduler

    return timm.scheduler


def timm_rates(
    module: types.ModuleType, name: str, kwargs: dict[str, Any], in_epochs: bool
) -> list[float]:
    """The rate timm sets after ``step(t)`` / ``step_update(t)`` for each t of STEPS."""
    kwargs = dict(kwargs)
    noise_type = kwargs.pop("noise_type", None)
    parameter = torch.nn.Parameter(torch.zeros(1))
    optimizer = torch.optim.SGD([parameter], lr=BASE_LR)
    scheduler = getattr(module, name)(optimizer, t_in_epochs=in_epochs, **kwargs)
    if noise_type is not None:
        scheduler.noise_type = noise_type  # the base class's attribute; not a subclass argument
    rates = []
    for t in STEPS:
        (scheduler.step if in_epochs else scheduler.step_update)(t)
        rates.append(optimizer.param_groups[0]["lr"])
    return rates


CASES: list[tuple[str, dict[str, Any]]] = [
    ("CosineLRScheduler", {"t_initial": 30}),
    ("CosineLRScheduler", {"t_initial": 30, "lr_min": 1e-3, "warmup_t": 5, "warmup_lr_init": 1e-4}),
    (
        "CosineLRScheduler",
        {
            "t_initial": 30,
            "lr_min": 1e-3,
            "warmup_t": 5,
            "warmup_lr_init": 1e-4,
            "warmup_prefix": True,
        },
    ),
    (
        "CosineLRScheduler",
        {
            "t_initial": 10,
            "cycle_mul": 2,
            "cycle_decay": 0.5,
            "cycle_limit": 4,
            "lr_min": 1e-3,
            "k_decay": 1.5,
        },
    ),
    (
        "CosineLRScheduler",
        {
            "t_initial": 8,
            "cycle_mul": 1.5,
            "cycle_decay": 0.8,
            "cycle_limit": 6,
            "warmup_t": 4,
            "warmup_prefix": True,
        },
    ),
    ("CosineLRScheduler", {"t_initial": 12, "cycle_decay": 0.7, "cycle_limit": 5, "k_decay": 0.6}),
    ("CosineLRScheduler", {"t_initial": 20, "cycle_limit": 0, "lr_min": 0.01, "warmup_t": 3}),
    ("TanhLRScheduler", {"t_initial": 40}),
    (
        "TanhLRScheduler",
        {
            "t_initial": 40,
            "lb": -4.0,
            "ub": 2.0,
            "lr_min": 0.01,
            "warmup_t": 6,
            "warmup_lr_init": 1e-3,
        },
    ),
    (
        "TanhLRScheduler",
        {
            "t_initial": 40,
            "lb": -4.0,
            "ub": 2.0,
            "lr_min": 0.01,
            "warmup_t": 6,
            "warmup_lr_init": 1e-3,
            "warmup_prefix": True,
        },
    ),
    (
        "TanhLRScheduler",
        {
            "t_initial": 10,
            "cycle_mul": 2,
            "cycle_decay": 0.8,
            "cycle_limit": 3,
            "lr_min": 1e-3,
            "warmup_t": 3,
        },
    ),
    ("TanhLRScheduler", {"t_initial": 15, "cycle_limit": 4, "lr_min": 0.005}),
    ("TanhLRScheduler", {"t_initial": 10, "cycle_decay": 0.5, "cycle_limit": 8, "lr_min": 1e-4}),
    ("PolyLRScheduler", {"t_initial": 50}),
    (
        "PolyLRScheduler",
        {
            "t_initial": 40,
            "power": 2.0,
            "lr_min": 1e-3,
            "warmup_t": 4,
            "warmup_lr_init": 1e-5,
            "k_decay": 0.7,
        },
    ),
    (
        "PolyLRScheduler",
        {"t_initial": 40, "power": 2.0, "lr_min": 1e-3, "warmup_t": 4, "warmup_prefix": True},
    ),
    (
        "PolyLRScheduler",
        {
            "t_initial": 10,
            "cycle_mul": 1.5,
            "cycle_limit": 4,
            "cycle_decay": 0.9,
            "power": 1.0,
            "k_decay": 2.0,
        },
    ),
    ("PolyLRScheduler", {"t_initial": 25, "cycle_limit": 3, "power": 3.0}),
    ("StepLRScheduler", {"decay_t": 7, "decay_rate": 0.5}),
    ("StepLRScheduler", {"decay_t": 7, "decay_rate": 0.5, "warmup_t": 3, "warmup_lr_init": 1e-3}),
    ("StepLRScheduler", {"decay_t": 10, "decay_rate": 0.1, "warmup_t": 5, "warmup_prefix": False}),
    ("StepLRScheduler", {"decay_t": 2.5, "decay_rate": 0.9}),
    ("MultiStepLRScheduler", {"decay_t": [10, 25, 25, 60], "decay_rate": 0.3}),
    (
        "MultiStepLRScheduler",
        {"decay_t": [10, 25], "decay_rate": 0.5, "warmup_t": 4, "warmup_lr_init": 1e-3},
    ),
    (
        "MultiStepLRScheduler",
        {"decay_t": [0, 1, 30], "decay_rate": 0.5, "warmup_t": 4, "warmup_prefix": False},
    ),
    # -- noise: normal and uniform, several seeds (also >= 2**32 and negative) ------
    ("CosineLRScheduler", {"t_initial": 60, "warmup_t": 5, "noise_range_t": 10}),
    (
        "CosineLRScheduler",
        {
            "t_initial": 60,
            "noise_range_t": [10, 50],
            "noise_seed": 0,
            "noise_pct": 0.2,
            "noise_std": 0.5,
        },
    ),
    (
        "CosineLRScheduler",
        {
            "t_initial": 60,
            "noise_range_t": [-5, 30],
            "noise_type": "uniform",
            "noise_pct": 0.5,
            "noise_seed": 9,
        },
    ),
    ("CosineLRScheduler", {"t_initial": 60, "noise_range_t": [30, 10]}),  # empty range
    ("TanhLRScheduler", {"t_initial": 80, "noise_range_t": (0, 80), "noise_seed": 2**32 + 5}),
    ("PolyLRScheduler", {"t_initial": 90, "noise_range_t": 12.5, "noise_seed": -7}),
    (
        "StepLRScheduler",
        {
            "decay_t": 30,
            "decay_rate": 0.5,
            "noise_range_t": [5, 40],
            "noise_seed": 2**63 - 1000,
            "noise_pct": 0.1,
        },
    ),
    (
        "MultiStepLRScheduler",
        {
            "decay_t": [40, 80],
            "decay_rate": 0.5,
            "noise_range_t": 20,
            "noise_seed": 123,
            "noise_type": "uniform",
        },
    ),
]


@pytest.mark.parametrize("in_epochs", [False, True], ids=["step_update", "step"])
@pytest.mark.parametrize(
    ("name", "kwargs"),
    [pytest.param(name, kwargs, id=f"{name}-{i}") for i, (name, kwargs) in enumerate(CASES)],
)
def test_matches_timm(
    timm_scheduler: types.ModuleType, name: str, kwargs: dict[str, Any], in_epochs: bool
) -> None:
    expected = timm_rates(timm_scheduler, name, kwargs, in_epochs)
    schedule = getattr(compat, name)(BASE_LR, t_in_epochs=in_epochs, **kwargs)
    got = [schedule(t) for t in STEPS]
    np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-18)
    # Arrays give the same values (float64: the same numbers).
    np.testing.assert_allclose(schedule(np.asarray(STEPS)), expected, rtol=1e-12, atol=1e-18)


def test_noise_cases_are_noisy(timm_scheduler: types.ModuleType) -> None:
    """The noise rows really change the rate (the noise is not silently dropped)."""
    kwargs = {"t_initial": 60, "warmup_t": 5, "noise_range_t": 10}
    noisy = compat.CosineLRScheduler(BASE_LR, **kwargs)
    quiet = compat.CosineLRScheduler(BASE_LR, **{**kwargs, "noise_range_t": None})
    assert isinstance(noisy, TimmNoise)
    assert [noisy(t) for t in range(10)] == [quiet(t) for t in range(10)]
    assert all(noisy(t) != quiet(t) for t in range(10, 50))


def test_warmup_prefix_shifts_the_decay() -> None:
    """timm's warmup: the decay starts after it (prefix) or runs underneath it (no prefix)."""
    decay = lrkit.CosineCycles(BASE_LR, 30)
    prefixed = compat.CosineLRScheduler(BASE_LR, 30, warmup_t=5, warmup_prefix=True)
    plain = compat.CosineLRScheduler(BASE_LR, 30, warmup_t=5)
    assert prefixed(2) == plain(2) == pytest.approx(0.04)
    assert prefixed(5 + 7) == decay(7)
    assert plain(12) == decay(12)
    # Without the prefix the tanh warmup ramps to the curve's value at warmup_t, as timm's.
    tanh = compat.TanhLRScheduler(BASE_LR, 40, warmup_t=6)
    assert tanh(6) == lrkit.TanhDecay(BASE_LR, 40)(6)
    assert tanh(3) == pytest.approx(tanh(6) / 2, rel=1e-12)


def test_restart_step_where_timm_logarithm_rounds_down(timm_scheduler: types.ModuleType) -> None:
    """The one documented difference: timm puts step 121 of cycle_mul=3 in the fifth cycle."""
    kwargs = {"t_initial": 1, "cycle_mul": 3, "cycle_limit": 8, "lr_min": 0.01}
    expected = timm_rates(timm_scheduler, "CosineLRScheduler", kwargs, in_epochs=False)
    schedule = compat.CosineLRScheduler(BASE_LR, **kwargs)
    got = [schedule(t) for t in STEPS]
    differ = [t for t in STEPS if not math.isclose(got[t], expected[t], rel_tol=1e-12)]
    assert differ == [121]
    assert expected[121] == pytest.approx(0.01)  # timm: the end of cycle 5 (1+3+9+27+81 = 121)
    assert got[121] == pytest.approx(BASE_LR)  # lrkit: the start of cycle 6


# -- the generator behind the noise ------------------------------------------------------

SEEDS = [
    *range(0, 2000, 37),
    2**31 - 1,
    2**31,
    2**32 - 1,
    2**32,
    2**32 + 5,
    2**40 + 123,
    2**63 - 1,
    2**64 - 1,
    -1,
    -12345,
    -(2**63),
]


@pytest.mark.parametrize("seed", SEEDS)
def test_stream_matches_torch_generator(seed: int) -> None:
    generator = torch.Generator().manual_seed(seed)
    normals = [torch.randn(1, generator=generator).item() for _ in range(7)]
    stream = _TorchStream(seed)
    assert [stream.randn() for _ in range(7)] == normals  # cached sine branches included
    generator = torch.Generator().manual_seed(seed)
    uniforms = [torch.rand(1, generator=generator).item() for _ in range(5)]
    stream = _TorchStream(seed)
    assert [stream.rand() for _ in range(5)] == uniforms


def test_torch_refuses_seeds_outside_its_range() -> None:
    """timm passes ``noise_seed + t`` on: torch takes [-2**63, 2**64) and keeps 32 bits."""
    for seed in (2**64, -(2**63) - 1):
        with pytest.raises((RuntimeError, ValueError)):
            torch.Generator().manual_seed(seed)
    assert _TorchStream(2**64 + 7).randn() == _TorchStream(7).randn()


@pytest.mark.parametrize(
    ("noise_type", "pct", "std"),
    [("normal", 0.67, 1.0), ("normal", 0.05, 1.0), ("normal", 0.3, 0.25), ("uniform", 0.4, 1.0)],
)
def test_noise_matches_timm_calculate_noise(
    timm_scheduler: types.ModuleType, noise_type: str, pct: float, std: float
) -> None:
    optimizer = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=BASE_LR)
    scheduler = timm_scheduler.StepLRScheduler(optimizer, decay_t=10, noise_pct=pct, noise_std=std)
    scheduler.noise_type = noise_type
    for seed in (0, 42, 2**32 - 3, -9):
        scheduler.noise_seed = seed
        for t in range(0, 600, 7):
            assert torch_noise(seed + t, noise_type, pct, std) == scheduler._calculate_noise(t)


@pytest.mark.parametrize(
    ("noise_type", "pct", "std"),
    [("normal", 0.67, 1.0), ("normal", 0.05, 1.0), ("normal", 0.5, 0.0), ("uniform", 0.4, 1.0)],
)
def test_noise_is_the_same_without_torch_imported(
    monkeypatch: pytest.MonkeyPatch, noise_type: str, pct: float, std: float
) -> None:
    """torch's generator draws where torch is imported, the pure-Python one elsewhere: alike."""
    seeds = [seed + t for seed in (0, 42, 2**32 - 3, 2**40 + 1, -9) for t in range(0, 300, 7)]
    draw = torch_noise.__wrapped__  # past the cache: each path draws
    with_torch = [draw(seed, noise_type, pct, std) for seed in seeds]
    monkeypatch.setitem(sys.modules, "torch", None)
    assert [draw(seed, noise_type, pct, std) for seed in seeds] == with_torch


@pytest.mark.parametrize(
    ("noise_type", "pct", "std"),
    [("normal", 0.67, 1.0), ("normal", 0.25, 0.5), ("normal", 0.5, 0.0), ("uniform", 0.4, 1.0)],
)
def test_array_operations_path_equals_the_host_path(
    noise_type: str, pct: float, std: float
) -> None:
    """The integer-array generator (TensorFlow's path) on NumPy gives the host's draws."""
    array_api_compat = pytest.importorskip("array_api_compat")
    noise = TimmNoise(lrkit.Constant(1.0), 3, 2500.5, noise_type, pct, std, seed=2**33 + 1)
    steps = np.concatenate([np.arange(0.0, 2600.0), [0.5, 2.75, np.inf, np.nan]]).reshape(4, -1)
    xp = array_api_compat.array_namespace(steps)
    np.testing.assert_array_equal(_array_noise(noise, steps, xp), noise._host_noise(steps))


def test_array_operations_path_refuses_ratios_it_cannot_draw_for() -> None:
    """Below p / sigma = 0.42 the 56 pairs the array path holds may run out: refused, loudly."""
    array_api_compat = pytest.importorskip("array_api_compat")
    noise = TimmNoise(lrkit.Constant(1.0), noise_pct=0.2, noise_std=0.5)
    steps = np.arange(10.0)
    with pytest.raises(ValueError, match=r"noise_pct / noise_std must be >= 0.42.*got 0.4"):
        _array_noise(noise, steps, array_api_compat.array_namespace(steps))
    assert np.all(np.isfinite(noise._host_noise(steps)))


# -- arrays, serialization, validation ---------------------------------------------------


def test_noisy_schedule_on_torch_and_jax_arrays() -> None:
    jax = pytest.importorskip("jax")
    jnp = pytest.importorskip("jax.numpy")
    schedule = compat.CosineLRScheduler(
        BASE_LR, 50, warmup_t=5, noise_range_t=[3, 40], noise_type="uniform", noise_seed=5
    )
    steps = np.arange(60)
    expected = np.asarray([schedule(int(t)) for t in steps])
    on_torch = schedule(torch.arange(60, dtype=torch.float64))
    np.testing.assert_array_equal(on_torch.numpy(), expected)
    for got in (
        schedule(jnp.arange(60)),
        jax.jit(schedule)(jnp.arange(60)),
        jax.vmap(schedule)(jnp.arange(60.0)),
    ):
        assert got.dtype == jnp.float32
        np.testing.assert_allclose(np.asarray(got), expected, rtol=2e-6, atol=1e-8)


@pytest.mark.parametrize(("name", "kwargs"), CASES[::3])
def test_compat_schedules_round_trip(name: str, kwargs: dict[str, Any]) -> None:
    schedule = getattr(compat, name)(BASE_LR, **kwargs)
    assert lrkit.from_json(lrkit.to_json(schedule)) == schedule
    assert getattr(compat, name)(BASE_LR, t_in_epochs=False, initialize=False, **kwargs) == schedule


def test_timm_noise_accepts_edge_values() -> None:
    base = lrkit.CosineDecay(0.1, 10)
    for overrides in (
        {"end_step": None},
        {"start_step": 2.5, "end_step": np.int64(3)},
        {"seed": -3},
        {"seed": np.int64(2**40)},
        {"noise_std": 0, "noise_type": "uniform"},
    ):
        schedule = TimmNoise(base, **overrides)
        for value in schedule.get_config().values():
            assert value is None or type(value) in (int, float, str, dict)
        assert math.isfinite(schedule(2))
    with pytest.raises(ValueError, match=r"TimmNoise: noise_std must be <= 1000 \* noise_pct"):
        TimmNoise(base, noise_pct=0.001, noise_std=MAX_STD_RATIO * 0.001 * 1.01)
    # Zero-width normal noise is no noise.
    assert TimmNoise(base, noise_std=0.0)(3) == base(3)


BAD: list[tuple[str, dict[str, Any], type[Exception], str]] = [
    ("CosineLRScheduler", {"t_initial": 10, "lr_min": 0.5}, ValueError, "lr_min"),
    ("CosineLRScheduler", {"t_initial": 10, "cycle_mul": 0.5}, ValueError, "cycle_mul"),
    ("CosineLRScheduler", {"t_initial": 0}, ValueError, "t_initial"),
    ("CosineLRScheduler", {"t_initial": 10, "k_decay": 0}, ValueError, "k_decay"),
    ("CosineLRScheduler", {"t_initial": 10, "warmup_t": -1}, ValueError, "warmup_t"),
    ("CosineLRScheduler", {"t_initial": 10, "warmup_prefix": 1}, TypeError, "warmup_prefix"),
    ("CosineLRScheduler", {"t_initial": 10, "t_in_epochs": "no"}, TypeError, "t_in_epochs"),
    ("CosineLRScheduler", {"t_initial": 10, "noise_range_t": [1]}, ValueError, "noise_range_t"),
    ("CosineLRScheduler", {"t_initial": 10, "noise_range_t": "5"}, TypeError, "noise_range_t"),
    (
        "CosineLRScheduler",
        {"t_initial": 10, "noise_range_t": 5, "noise_pct": 0.0},
        ValueError,
        "noise_pct",
    ),
    (
        "CosineLRScheduler",
        {"t_initial": 10, "noise_range_t": 5, "noise_pct": 0.01, "noise_std": 100.0},
        ValueError,
        "noise_std",
    ),
    ("CosineLRScheduler", {"t_initial": 10, "noise_seed": 1.5}, TypeError, "noise_seed"),
    ("CosineLRScheduler", {"t_initial": 10, "noise_type": "gauss"}, ValueError, "noise_type"),
    ("TanhLRScheduler", {"t_initial": 10, "lb": 3.0, "ub": 3.0}, ValueError, "ub"),
    (
        "TanhLRScheduler",
        {"t_initial": 10, "cycle_decay": 0.1, "cycle_limit": 3, "lr_min": 0.01},
        ValueError,
        "lr_min",
    ),
    (
        "TanhLRScheduler",
        {"t_initial": 1, "cycle_decay": 0.999, "cycle_limit": 5000},
        ValueError,
        "cycle_limit",
    ),
    ("PolyLRScheduler", {"t_initial": 10, "power": 0}, ValueError, "power"),
    ("StepLRScheduler", {"decay_t": 0}, ValueError, "decay_t"),
    ("StepLRScheduler", {"decay_t": 5, "decay_rate": -0.5}, ValueError, "decay_rate"),
    ("MultiStepLRScheduler", {"decay_t": [20, 10]}, ValueError, "decay_t"),
    ("MultiStepLRScheduler", {"decay_t": 10}, TypeError, "decay_t"),
    ("MultiStepLRScheduler", {"decay_t": [10, math.nan]}, ValueError, "decay_t[1]"),
]


@pytest.mark.parametrize(("name", "kwargs", "error", "parameter"), BAD)
def test_bad_arguments_are_named(
    name: str, kwargs: dict[str, Any], error: type[Exception], parameter: str
) -> None:
    with pytest.raises(error, match=rf"^{name}: {re.escape(parameter)} "):
        getattr(compat, name)(BASE_LR, **kwargs)


def test_importing_the_module_imports_neither_torch_nor_timm() -> None:
    code = "import sys, lrkit.compat.timm; print(sorted({'torch', 'timm'} & set(sys.modules)))"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
