"""Every compat error names the argument the caller passed, never an lrkit-internal one.

A table gives one valid call of each compat function (the schedule form) and
of the drop-in forms that check arguments of their own. Each numeric
argument in turn is replaced by bad values (negative, NaN, infinite, a
string, a fraction, a huge count); where the function refuses one, it must
raise ``ValueError`` or ``TypeError`` (nothing else), the message must name
that argument, and it must name no parameter of an lrkit class that the
caller's function does not have (``warmup_cosine_decay_schedule(end_value=-3.0)``
once said ``alpha must be >= 0``).
"""

from __future__ import annotations

import importlib
import inspect
import math
import re
import warnings
from typing import Any

import pytest

from lrkit._core import serialization as _serialization

BAD: list[Any] = [-3.0, math.nan, math.inf, "x", 2.5, 10**6]

#: (compat module, function, a valid call's keyword arguments)
CALLS: list[tuple[str, str, dict[str, Any]]] = [
    ("optax", "constant_schedule", dict(value=0.1)),
    (
        "optax",
        "cosine_decay_schedule",
        dict(init_value=0.1, decay_steps=100, alpha=0.1, exponent=1.0),
    ),
    (
        "optax",
        "cosine_onecycle_schedule",
        dict(
            transition_steps=100,
            peak_value=0.1,
            pct_start=0.3,
            div_factor=25.0,
            final_div_factor=1e4,
        ),
    ),
    (
        "optax",
        "exponential_decay",
        dict(
            init_value=0.1, transition_steps=10, decay_rate=0.5, transition_begin=5, end_value=0.01
        ),
    ),
    (
        "optax",
        "linear_onecycle_schedule",
        dict(
            transition_steps=100,
            peak_value=0.1,
            pct_start=0.3,
            pct_final=0.85,
            div_factor=25.0,
            final_div_factor=1e4,
        ),
    ),
    (
        "optax",
        "linear_schedule",
        dict(init_value=0.1, end_value=0.01, transition_steps=100, transition_begin=5),
    ),
    ("optax", "piecewise_constant_schedule", dict(init_value=0.1, boundaries_and_scales={10: 0.5})),
    (
        "optax",
        "piecewise_interpolate_schedule",
        dict(interpolate_type="linear", init_value=0.1, boundaries_and_scales={10: 0.5}),
    ),
    (
        "optax",
        "polynomial_schedule",
        dict(init_value=0.1, end_value=0.01, power=2.0, transition_steps=100, transition_begin=5),
    ),
    ("optax", "warmup_constant_schedule", dict(init_value=0.0, peak_value=0.1, warmup_steps=10)),
    (
        "optax",
        "warmup_cosine_decay_schedule",
        dict(
            init_value=0.0,
            peak_value=0.1,
            warmup_steps=10,
            decay_steps=100,
            end_value=0.001,
            exponent=1.0,
        ),
    ),
    (
        "optax",
        "warmup_exponential_decay_schedule",
        dict(
            init_value=0.0,
            peak_value=0.1,
            warmup_steps=10,
            transition_steps=10,
            decay_rate=0.5,
            transition_begin=5,
            end_value=0.01,
        ),
    ),
    ("torch", "StepLR", dict(base_lr=0.1, step_size=3, gamma=0.5)),
    ("torch", "MultiStepLR", dict(base_lr=0.1, milestones=[2, 5], gamma=0.5)),
    ("torch", "ConstantLR", dict(base_lr=0.1, factor=0.5, total_iters=3)),
    ("torch", "LinearLR", dict(base_lr=0.1, start_factor=0.5, end_factor=1.0, total_iters=3)),
    ("torch", "ExponentialLR", dict(base_lr=0.1, gamma=0.5)),
    ("torch", "PolynomialLR", dict(base_lr=0.1, total_iters=5, power=2.0)),
    ("torch", "CosineAnnealingLR", dict(base_lr=0.1, T_max=10, eta_min=0.001)),
    ("torch", "CosineAnnealingWarmRestarts", dict(base_lr=0.1, T_0=10, T_mult=2, eta_min=0.001)),
    (
        "torch",
        "CyclicLR",
        dict(
            base_lr=0.01,
            max_lr=0.1,
            step_size_up=10,
            step_size_down=5,
            mode="exp_range",
            gamma=0.9,
            base_momentum=0.8,
            max_momentum=0.9,
        ),
    ),
    (
        "torch",
        "OneCycleLR",
        dict(
            base_lr=0.1,
            max_lr=1.0,
            total_steps=100,
            pct_start=0.3,
            div_factor=25.0,
            final_div_factor=1e4,
            base_momentum=0.85,
            max_momentum=0.95,
        ),
    ),
    ("transformers", "get_constant_schedule", dict(learning_rate=0.1, last_epoch=-1)),
    (
        "transformers",
        "get_constant_schedule_with_warmup",
        dict(learning_rate=0.1, num_warmup_steps=5),
    ),
    (
        "transformers",
        "get_linear_schedule_with_warmup",
        dict(learning_rate=0.1, num_warmup_steps=5, num_training_steps=50),
    ),
    (
        "transformers",
        "get_cosine_schedule_with_warmup",
        dict(learning_rate=0.1, num_warmup_steps=5, num_training_steps=50, num_cycles=0.5),
    ),
    (
        "transformers",
        "get_cosine_with_hard_restarts_schedule_with_warmup",
        dict(learning_rate=0.1, num_warmup_steps=5, num_training_steps=50, num_cycles=2),
    ),
    (
        "transformers",
        "get_cosine_with_min_lr_schedule_with_warmup",
        dict(learning_rate=0.1, num_warmup_steps=5, num_training_steps=50, min_lr=0.001),
    ),
    (
        "transformers",
        "get_cosine_with_min_lr_schedule_with_warmup_lr_rate",
        dict(
            learning_rate=0.1,
            num_warmup_steps=5,
            num_training_steps=50,
            min_lr_rate=0.1,
            warmup_lr_rate=0.1,
        ),
    ),
    (
        "transformers",
        "get_polynomial_decay_schedule_with_warmup",
        dict(learning_rate=0.1, num_warmup_steps=5, num_training_steps=50, lr_end=0.001, power=2.0),
    ),
    (
        "transformers",
        "get_inverse_sqrt_schedule",
        dict(learning_rate=0.1, num_warmup_steps=5, timescale=10),
    ),
    (
        "transformers",
        "get_wsd_schedule",
        dict(
            learning_rate=0.1,
            num_warmup_steps=5,
            num_decay_steps=10,
            num_training_steps=50,
            min_lr_ratio=0.1,
            num_cycles=0.5,
        ),
    ),
    (
        "transformers",
        "get_reduce_on_plateau_schedule",
        dict(
            learning_rate=0.1,
            factor=0.5,
            patience=2,
            threshold=1e-4,
            cooldown=1,
            min_lr=0.001,
            eps=1e-8,
        ),
    ),
    (
        "timm",
        "CosineLRScheduler",
        dict(
            base_lr=0.1,
            t_initial=20,
            lr_min=0.001,
            cycle_mul=2.0,
            cycle_decay=0.5,
            cycle_limit=2,
            warmup_t=3,
            warmup_lr_init=1e-4,
            noise_range_t=5,
            noise_pct=0.5,
            noise_std=1.0,
            noise_seed=1,
            k_decay=1.5,
        ),
    ),
    (
        "timm",
        "TanhLRScheduler",
        dict(
            base_lr=0.1,
            t_initial=20,
            lb=-6.0,
            ub=4.0,
            lr_min=0.001,
            cycle_mul=1.0,
            cycle_decay=0.5,
            cycle_limit=2,
            warmup_t=3,
            warmup_lr_init=1e-4,
        ),
    ),
    (
        "timm",
        "PolyLRScheduler",
        dict(
            base_lr=0.1,
            t_initial=20,
            power=2.0,
            lr_min=0.001,
            cycle_mul=1.0,
            cycle_decay=0.5,
            cycle_limit=2,
            warmup_t=3,
            warmup_lr_init=1e-4,
            k_decay=1.5,
        ),
    ),
    (
        "timm",
        "StepLRScheduler",
        dict(base_lr=0.1, decay_t=5, decay_rate=0.5, warmup_t=3, warmup_lr_init=1e-4),
    ),
    (
        "timm",
        "MultiStepLRScheduler",
        dict(base_lr=0.1, decay_t=[5, 8], decay_rate=0.5, warmup_t=3, warmup_lr_init=1e-4),
    ),
    ("lrsched", "constant", dict(lr=0.1)),
    ("lrsched", "cosine", dict(base_lr=0.1, min_lr=0.001, total_steps=100)),
    ("lrsched", "cosine_restarts", dict(base_lr=0.1, min_lr=0.001, period=10, t_mult=2)),
    ("lrsched", "exp_range", dict(min_lr=0.001, max_lr=0.1, step_size=10, gamma=0.99)),
    ("lrsched", "exponential", dict(base_lr=0.1, gamma=0.9)),
    ("lrsched", "exponential_decay", dict(base_lr=0.1, decay_rate=0.5, decay_steps=10)),
    ("lrsched", "inverse_sqrt", dict(base_lr=0.1, warmup_steps=10)),
    ("lrsched", "linear", dict(base_lr=0.1, end_lr=0.001, total_steps=100)),
    ("lrsched", "multi_step", dict(base_lr=0.1, milestones=[5, 8], gamma=0.5)),
    (
        "lrsched",
        "one_cycle",
        dict(max_lr=0.1, total_steps=100, pct_start=0.3, initial_div=25.0, final_div=1e4),
    ),
    ("lrsched", "polynomial", dict(base_lr=0.1, end_lr=0.001, total_steps=100, power=2.0)),
    ("lrsched", "polynomial_decay", dict(start_lr=0.1, end_lr=0.001, total_steps=100, power=2.0)),
    ("lrsched", "step_decay", dict(base_lr=0.1, drop=0.5, step_size=10)),
    ("lrsched", "triangular", dict(min_lr=0.001, max_lr=0.1, step_size=10)),
    ("lrsched", "triangular2", dict(min_lr=0.001, max_lr=0.1, step_size=10)),
    (
        "lrsched",
        "warmup_stable_decay",
        dict(
            base_lr=0.1,
            warmup_steps=10,
            decay_steps=20,
            total_steps=100,
            final_lr=0.001,
            warmup_start=0.0,
            decay_shape="linear",
        ),
    ),
    ("pytorch_scheduler", "ChebyshevScheduler", dict(base_lr=0.1, total_steps=100, min_lr=0.001)),
    (
        "pytorch_scheduler",
        "CosineAnnealingWarmupRestarts",
        dict(
            base_lr=0.1,
            first_cycle_steps=20,
            warmup_steps=5,
            max_lr=0.1,
            min_lr=0.001,
            cycle_mult=2.0,
            gamma=0.5,
        ),
    ),
    (
        "pytorch_scheduler",
        "CosineWithWarmupScheduler",
        dict(base_lr=0.1, total_steps=100, warmup_steps=10, min_lr=0.001),
    ),
    (
        "pytorch_scheduler",
        "ExpHyperbolicLRScheduler",
        dict(base_lr=0.1, total_steps=100, upper_bound=200, min_lr=1e-6, warmup_steps=10),
    ),
    (
        "pytorch_scheduler",
        "FlatCosineScheduler",
        dict(base_lr=0.1, total_steps=100, flat_fraction=0.7, min_lr=0.001),
    ),
    (
        "pytorch_scheduler",
        "HyperbolicLRScheduler",
        dict(base_lr=0.1, total_steps=100, upper_bound=200, min_lr=1e-6, warmup_steps=10),
    ),
    ("pytorch_scheduler", "IdentityScheduler", dict(base_lr=0.1)),
    ("pytorch_scheduler", "InverseSqrtScheduler", dict(base_lr=0.1, warmup_steps=10)),
    (
        "pytorch_scheduler",
        "KDecayScheduler",
        dict(base_lr=0.1, total_steps=100, k=2.0, min_lr=0.001),
    ),
    (
        "pytorch_scheduler",
        "LinearDecayScheduler",
        dict(base_lr=0.1, total_steps=100, warmup_steps=10, min_lr=0.001),
    ),
    (
        "pytorch_scheduler",
        "PolynomialScheduler",
        dict(base_lr=0.1, total_steps=100, power=2.0, min_lr=0.001, warmup_steps=10),
    ),
    (
        "pytorch_scheduler",
        "PowerDecayScheduler",
        dict(base_lr=0.1, total_steps=100, warmup_steps=10, alpha=0.5, min_lr=0.001),
    ),
    ("pytorch_scheduler", "RexScheduler", dict(base_lr=0.1, total_steps=100)),
    (
        "pytorch_scheduler",
        "SlantedTriangularScheduler",
        dict(base_lr=0.1, total_steps=100, cut_frac=0.1, ratio=32.0),
    ),
    (
        "pytorch_scheduler",
        "TanhDecayScheduler",
        dict(base_lr=0.1, total_steps=100, steepness=3.0, min_lr=0.001),
    ),
    (
        "pytorch_scheduler",
        "TrapezoidalScheduler",
        dict(base_lr=0.1, total_steps=100, warmup_steps=10, decay_steps=20, min_lr=0.001),
    ),
    (
        "pytorch_scheduler",
        "WSDScheduler",
        dict(base_lr=0.1, total_steps=100, warmup_steps=10, stable_steps=50, min_lr=0.001),
    ),
    (
        "pytorch_scheduler",
        "WarmupHoldCosineScheduler",
        dict(base_lr=0.1, total_steps=100, warmup_steps=10, hold_steps=10, min_lr=0.001),
    ),
    (
        "pytorch_scheduler",
        "create_scheduler_from_plan",
        dict(
            base_lr=0.1, name="cosine_with_warmup", epochs=3, steps_per_epoch=10, grad_accum_steps=2
        ),
    ),
]

#: Parameter names of lrkit's own classes: a compat message naming one the
#: caller's function does not have names an argument the caller never passed.
INTERNAL = {
    name
    for cls in _serialization._REGISTRY.values()
    for name in inspect.signature(cls.__init__).parameters
    if "_" in name or name == "alpha"
}
WORD = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)*\b")


def _check_errors(function: Any, kwargs: dict[str, Any], own: set[str]) -> list[str]:
    problems = []
    for key, value in kwargs.items():
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            continue
        for bad in BAD:
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    function(**{**kwargs, key: bad})
            except (ValueError, TypeError) as error:
                message = str(error)
                wrong = (set(WORD.findall(message)) & INTERNAL) - own
                if not re.search(rf"\b{re.escape(key)}\b", message) or wrong:
                    problems.append(f"{key}={bad!r}: {message}")
            except Exception as error:  # any other type is the failure
                problems.append(f"{key}={bad!r}: {type(error).__name__}: {error}")
    return problems


@pytest.mark.parametrize(("module", "name", "kwargs"), CALLS, ids=[f"{m}.{n}" for m, n, _ in CALLS])
def test_errors_name_the_callers_argument(module: str, name: str, kwargs: dict[str, Any]) -> None:
    function = getattr(importlib.import_module(f"lrkit.compat.{module}"), name)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        function(**kwargs)  # the valid call
    own = set(inspect.signature(function).parameters) | set(kwargs)
    assert _check_errors(function, kwargs, own) == []


def test_the_reported_case() -> None:
    from lrkit.compat import optax

    with pytest.raises(ValueError, match="end_value must be >= 0") as error:
        optax.warmup_cosine_decay_schedule(0.0, 1.0, 10, 100, end_value=-3.0)
    assert "alpha" not in str(error.value)


DROP_IN: list[tuple[str, str, dict[str, Any]]] = [
    ("torch", "OneCycleLR", dict(max_lr=1.0, total_steps=20, base_momentum=0.8, max_momentum=0.9)),
    ("torch", "CyclicLR", dict(base_lr=0.01, max_lr=0.1, step_size_up=4, base_momentum=0.8)),
    ("torch", "StepLR", dict(step_size=3, gamma=0.5)),
    (
        "transformers",
        "get_polynomial_decay_schedule_with_warmup",
        dict(num_warmup_steps=2, num_training_steps=20, lr_end=0.001, power=2.0),
    ),
    (
        "transformers",
        "get_cosine_with_min_lr_schedule_with_warmup",
        dict(num_warmup_steps=2, num_training_steps=20, min_lr=0.001),
    ),
    ("timm", "CosineLRScheduler", dict(t_initial=20, lr_min=0.001, warmup_t=2)),
]


@pytest.mark.parametrize(
    ("module", "name", "kwargs"), DROP_IN, ids=[f"{m}.{n}" for m, n, _ in DROP_IN]
)
def test_drop_in_errors_name_the_callers_argument(
    module: str, name: str, kwargs: dict[str, Any]
) -> None:
    torch = pytest.importorskip("torch")
    function = getattr(importlib.import_module(f"lrkit.compat.{module}"), name)

    def call(**arguments: Any) -> Any:
        optimizer = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=0.1, momentum=0.9)
        return function(optimizer, **arguments)

    call(**kwargs)
    own = set(inspect.signature(function).parameters) | set(kwargs)
    assert _check_errors(call, kwargs, own) == []
