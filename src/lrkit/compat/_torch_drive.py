"""The drop-in form of :mod:`lrkit.compat.torch`: torch's constructors, driving the optimizer.

Called with a torch optimizer where torch's scheduler takes it, each function
of :mod:`lrkit.compat.torch` builds one schedule per param group, from the
group's ``initial_lr`` as torch does, and returns an
:class:`lrkit.torch.LRScheduler` over them. ``OneCycleLR`` and ``CyclicLR``
also schedule torch's momentum cycling (``momentum``, or ``betas[0]`` on
optimizers with betas) and write the group entries torch writes
(``initial_lr``, ``max_lr``, ``min_lr``, ``max_momentum``, ``base_momentum``),
which later schedulers on the same optimizer read. ``SequentialLR`` and
``ChainedScheduler`` take the schedulers built this way and combine their
schedules.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from lrkit._combinators.composition import Clip, Offset
from lrkit._core.schedule import LearningRateSchedule
from lrkit._core.validation import check_bool, check_number
from lrkit._families.decays import Constant
from lrkit.compat._drive import drive, is_scheduler, momentum_name, per_group, torch_bases

__all__ = ["chained_driver", "cyclic_driver", "driver", "one_cycle_driver", "sequential_driver"]

Function = Callable[..., Any]


def driver(function: Function, arguments: dict[str, Any]) -> Any:
    """torch's chainable and closed-form schedulers: each group's schedule from ``initial_lr``."""
    optimizer, last_epoch = arguments.pop("optimizer"), arguments.pop("last_epoch")
    schedules = [function(base, **arguments) for base in torch_bases(optimizer, last_epoch)]
    return drive(optimizer, schedules, last_epoch=last_epoch)


def _momenta(owner: str, arguments: dict[str, Any], count: int) -> list[tuple[float, float]]:
    """Each group's (base_momentum, max_momentum), checked."""
    pairs = []
    bases = per_group(owner, "base_momentum", arguments["base_momentum"], count)
    maxima = per_group(owner, "max_momentum", arguments["max_momentum"], count)
    for i, (base, maximum) in enumerate(zip(bases, maxima, strict=True)):
        suffix = f"[{i}]" if isinstance(arguments["base_momentum"], (list, tuple)) else ""
        low = check_number(owner, f"base_momentum{suffix}", base, minimum=0.0)
        suffix = f"[{i}]" if isinstance(arguments["max_momentum"], (list, tuple)) else ""
        high = check_number(owner, f"max_momentum{suffix}", maximum, minimum=0.0)
        pairs.append((low, high))
    return pairs


def _record_momenta(groups: list[dict[str, Any]], momenta: list[tuple[float, float]]) -> None:
    for group, (base, maximum) in zip(groups, momenta, strict=False):  # [] without cycling
        group["max_momentum"], group["base_momentum"] = maximum, base


def cyclic_driver(function: Function, arguments: dict[str, Any]) -> Any:
    """torch's ``CyclicLR(optimizer, base_lr, max_lr, ...)``, momentum cycling included."""
    owner = "CyclicLR"
    optimizer, last_epoch = arguments.pop("optimizer"), arguments.pop("last_epoch")
    groups = optimizer.param_groups
    base_lrs = per_group(owner, "base_lr", arguments.pop("base_lr"), len(groups))
    max_lrs = per_group(owner, "max_lr", arguments.pop("max_lr"), len(groups))
    cycle = check_bool(owner, "cycle_momentum", arguments["cycle_momentum"])
    momenta = _momenta(owner, arguments, len(groups)) if cycle else []
    name = momentum_name(owner, optimizer) if cycle else ""
    rest = {k: v for k, v in arguments.items() if k not in ("base_momentum", "max_momentum")}
    schedules = [function(low, high, **rest) for low, high in zip(base_lrs, max_lrs, strict=True)]
    hyperparameters: dict[str, list[LearningRateSchedule]] = {}
    if cycle:  # torch: max_momentum - (max_momentum - base_momentum) * the lr's wave
        hyperparameters[name] = [function(high, low, **rest) for low, high in momenta]
    if last_epoch == -1:  # torch writes base_lr over the group's rate first
        for group, low in zip(groups, base_lrs, strict=True):
            group["lr"] = low
        _record_momenta(groups, momenta)
    return drive(optimizer, schedules, hyperparameters=hyperparameters, last_epoch=last_epoch)


def _one_cycle_momentum(
    function: Function, rest: dict[str, Any], base: float, maximum: float
) -> LearningRateSchedule:
    """torch's 1cycle momentum: ``max -> base`` while the rate rises, then back (phase by phase).

    It is the rate's curve from ``max`` to a peak of ``base`` and back to
    ``max``: :func:`OneCycleLR` with ``max_lr=base``, ``div_factor=base / max``
    and ``final_div_factor=1`` (shifted by 1 where either is 0).
    """
    if base == maximum:
        return Constant(base)
    shift = 0.0 if base > 0 and maximum > 0 else 1.0
    peak, start = base + shift, maximum + shift
    settings = {**rest, "div_factor": peak / start, "final_div_factor": 1.0}
    schedule: LearningRateSchedule = function(None, peak, **settings)
    return Offset(schedule, -shift) if shift else schedule


def _not_negative(schedule: LearningRateSchedule, rest: dict[str, Any]) -> LearningRateSchedule:
    """The rate, at 0 where torch's linear extrapolation at step ``N`` goes below 0.

    ``lrkit.torch.LRScheduler`` refuses negative rates; torch's is one step
    past the cycle (it raises from the next one on), so 0 stands in for it.
    """
    total = rest["total_steps"]
    if total is None:
        total = rest["epochs"] * rest["steps_per_epoch"]
    if schedule(total) < 0:
        return Clip(schedule, min_learning_rate=0.0)
    return schedule


def one_cycle_driver(function: Function, arguments: dict[str, Any]) -> Any:
    """torch's ``OneCycleLR(optimizer, max_lr, ...)``, momentum cycling included."""
    owner = "OneCycleLR"
    optimizer, last_epoch = arguments.pop("optimizer"), arguments.pop("last_epoch")
    groups = optimizer.param_groups
    max_lrs = per_group(owner, "max_lr", arguments.pop("max_lr"), len(groups))
    cycle = check_bool(owner, "cycle_momentum", arguments["cycle_momentum"])
    momenta = _momenta(owner, arguments, len(groups)) if cycle else []
    name = momentum_name(owner, optimizer) if cycle else ""
    rest = {k: v for k, v in arguments.items() if k not in ("base_momentum", "max_momentum")}
    schedules = [_not_negative(function(None, peak, **rest), rest) for peak in max_lrs]
    hyperparameters: dict[str, list[LearningRateSchedule]] = {}
    if cycle:
        moving = {k: v for k, v in rest.items() if k not in ("div_factor", "final_div_factor")}
        hyperparameters[name] = [_one_cycle_momentum(function, moving, *m) for m in momenta]
    if last_epoch == -1:  # the entries torch writes into each group
        for group, peak in zip(groups, max_lrs, strict=True):
            start = peak / rest["div_factor"]
            group["initial_lr"], group["max_lr"] = start, peak
            group["min_lr"] = start / rest["final_div_factor"]
        _record_momenta(groups, momenta)
    return drive(optimizer, schedules, hyperparameters=hyperparameters, last_epoch=last_epoch)


def _children(owner: str, optimizer: Any, schedulers: Any) -> list[Any]:
    """The schedulers given to ``SequentialLR`` / ``ChainedScheduler``, checked as torch does."""
    import lrkit.torch

    if not isinstance(schedulers, (list, tuple)) or not schedulers:
        raise ValueError(f"{owner}: schedulers must be a non-empty list, got {schedulers!r}")
    for i, child in enumerate(schedulers):
        if not isinstance(child, lrkit.torch.LRScheduler):
            kind = "a torch scheduler" if is_scheduler(child) else type(child).__name__
            raise TypeError(
                f"{owner}: schedulers[{i}] must be built with lrkit.compat.torch on the "
                f"optimizer (an lrkit.torch.LRScheduler), got {kind}"
            )
        if child.optimizer is not optimizer:
            raise ValueError(
                f"{owner}: schedulers[{i}] belongs to another optimizer; all schedulers "
                "must belong to the same optimizer"
            )
        if set(child.schedules) != {"lr"} or child.relative or None in child.schedules["lr"]:
            raise ValueError(
                f"{owner}: schedulers[{i}] schedules more than the rate of every group "
                f"({sorted(child.schedules)}); build a OneCycleLR or CyclicLR child with "
                "cycle_momentum=False"
            )
    return list(schedulers)


def sequential_driver(function: Function, arguments: dict[str, Any]) -> Any:
    """torch's ``SequentialLR(optimizer, schedulers, milestones)`` over drop-in children."""
    optimizer, last_epoch = arguments.pop("optimizer"), arguments.pop("last_epoch")
    children = _children("SequentialLR", optimizer, arguments.pop("schedulers"))
    schedules = [
        function(None, [child.schedules["lr"][i] for child in children], **arguments)
        for i in range(len(optimizer.param_groups))
    ]
    return drive(optimizer, schedules, last_epoch=last_epoch)


def chained_driver(function: Function, schedulers: Any, optimizer: Any) -> Any:
    """torch's ``ChainedScheduler(schedulers, optimizer=None)`` over drop-in children."""
    if optimizer is None:
        first = schedulers[0] if isinstance(schedulers, (list, tuple)) and schedulers else None
        optimizer = getattr(first, "optimizer", None)
    children = _children("ChainedScheduler", optimizer, schedulers)
    schedules = [
        function([child.schedules["lr"][i] for child in children], base)
        for i, base in enumerate(torch_bases(optimizer, -1))
    ]
    return drive(optimizer, schedules)
