"""The drop-in form of the compat functions: given an optimizer, a torch scheduler driving it.

Each compat function takes its original's arguments with the optimizer
replaced by a rate (``base_lr``, ``learning_rate``). Called as the original
is, with a torch optimizer in that place (by position or as
``optimizer=...``), it builds each param group's schedule from the group's
rate and returns an :class:`lrkit.torch.LRScheduler` driving the optimizer.
:func:`drop_in` decides which form a call is and binds the original's
signature; the drivers (in the ``_*_drive`` modules) build the scheduler.

torch is never imported here: an optimizer can only exist once it is.
"""

from __future__ import annotations

import functools
import inspect
import sys
from collections.abc import Callable, Mapping, Sequence
from typing import Any

__all__ = [
    "Driver",
    "drive",
    "drop_in",
    "is_optimizer",
    "is_scheduler",
    "momentum_name",
    "per_group",
    "torch_bases",
]

#: ``driver(function, arguments)``: the scheduler for a call bound to the original's signature.
Driver = Callable[[Callable[..., Any], dict[str, Any]], Any]


def is_optimizer(value: Any) -> bool:
    """Whether ``value`` is a torch optimizer (without importing torch)."""
    torch = sys.modules.get("torch")
    optim = getattr(torch, "optim", None)
    return optim is not None and isinstance(value, optim.Optimizer)


def is_scheduler(value: Any) -> bool:
    """Whether ``value`` is a torch learning-rate scheduler (without importing torch)."""
    module = sys.modules.get("torch.optim.lr_scheduler")
    return module is not None and isinstance(value, module.LRScheduler)


def drop_in(
    driver: Driver, *, replaces: str | None, last_epoch: bool = True
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Give a compat function its original's signature when called with an optimizer.

    ``replaces`` names the parameter the optimizer stands in for (None: the
    optimizer comes first, before all of them); ``last_epoch`` adds the
    original's trailing ``last_epoch=-1`` where the compat function has none.
    """

    def decorate(function: Callable[..., Any]) -> Callable[..., Any]:
        signature = inspect.signature(function)
        parameters = list(signature.parameters.values())
        optimizer = inspect.Parameter("optimizer", inspect.Parameter.POSITIONAL_OR_KEYWORD)
        if replaces is None:
            position = 0
            parameters.insert(0, optimizer)
        else:
            position = list(signature.parameters).index(replaces)
            parameters[position] = optimizer
        if last_epoch and "last_epoch" not in signature.parameters:
            extra = inspect.Parameter(
                "last_epoch", inspect.Parameter.POSITIONAL_OR_KEYWORD, default=-1
            )
            keyword_only = [p for p in parameters if p.kind is inspect.Parameter.KEYWORD_ONLY]
            others = [p for p in parameters if p.kind is not inspect.Parameter.KEYWORD_ONLY]
            parameters = [*others, extra, *keyword_only]
        original = signature.replace(parameters=parameters)
        name = function.__name__

        @functools.wraps(function)
        def call(*args: Any, **kwargs: Any) -> Any:
            if "optimizer" not in kwargs and not (
                len(args) > position and is_optimizer(args[position])
            ):
                return function(*args, **kwargs)
            try:
                bound = original.bind(*args, **kwargs)
            except TypeError as error:
                raise TypeError(f"{name}: {error}") from None
            bound.apply_defaults()
            arguments = dict(bound.arguments)
            for parameter in original.parameters.values():  # **kwargs gathered by bind
                if parameter.kind is inspect.Parameter.VAR_KEYWORD:
                    arguments.update(arguments.pop(parameter.name, {}))
            if not is_optimizer(arguments["optimizer"]):
                raise TypeError(
                    f"{name}: optimizer must be a torch Optimizer, "
                    f"got {type(arguments['optimizer']).__name__}"
                )
            return driver(function, arguments)

        return call

    return decorate


def per_group(owner: str, name: str, value: Any, count: int) -> list[Any]:
    """A per-group argument (torch's lists of ``max_lr`` etc.), one entry per param group."""
    if isinstance(value, (list, tuple)):
        if len(value) != count:
            raise ValueError(
                f"{owner}: {name} must have the same length as optimizer.param_groups: "
                f"{name} has {len(value)} values, param_groups has {count}"
            )
        return list(value)
    return [value] * count


def momentum_name(owner: str, optimizer: Any) -> str:
    """The hyperparameter torch cycles as momentum: ``beta1`` where the optimizer has betas."""
    defaults = optimizer.defaults
    if "momentum" not in defaults and "betas" not in defaults:
        raise ValueError(
            f"{owner}: optimizer must support momentum or beta1 with `cycle_momentum` "
            f"option enabled ({type(optimizer).__name__} has neither); "
            "pass cycle_momentum=False"
        )
    return "beta1" if "betas" in defaults else "momentum"


def drive(
    optimizer: Any,
    schedules: Sequence[Any],
    *,
    relative: bool = False,
    hyperparameters: Mapping[str, Sequence[Any]] | None = None,
    last_epoch: int = -1,
    kind: Any = None,
    **extra: Any,
) -> Any:
    """An :class:`lrkit.torch.LRScheduler` (or ``kind``) with one schedule per param group."""
    import lrkit.torch

    scheduler = lrkit.torch.LRScheduler if kind is None else kind
    return scheduler(
        optimizer,
        _shared(schedules),
        relative=relative,
        hyperparameters={name: _shared(s) for name, s in (hyperparameters or {}).items()},
        last_epoch=last_epoch,
        **extra,
    )


def _shared(schedules: Sequence[Any]) -> Any:
    """One schedule where every group has the same (the adapter then evaluates it once)."""
    first = schedules[0]
    return first if all(s == first for s in schedules[1:]) else list(schedules)


def torch_bases(optimizer: Any, last_epoch: int) -> list[float]:
    """Each group's ``initial_lr`` as torch's schedulers take it (``lr`` on a fresh start)."""
    bases = []
    for i, group in enumerate(optimizer.param_groups):
        if last_epoch == -1:
            value = group.get("initial_lr", group["lr"])
        elif "initial_lr" not in group:
            raise KeyError(
                f"param 'initial_lr' is not specified in param_groups[{i}] when resuming "
                "scheduler with last_epoch >= 0 (load the optimizer's state first)"
            )
        else:
            value = group["initial_lr"]
        bases.append(float(value))
    return bases
