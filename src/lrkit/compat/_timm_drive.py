"""The drop-in form of :mod:`lrkit.compat.timm`: timm's constructors, driving the optimizer.

Called with a torch optimizer where timm's scheduler takes it, each function
of :mod:`lrkit.compat.timm` reads each param group's ``initial_lr`` as timm
does (set from ``lr`` unless ``initialize=False``), builds that group's
schedule (times the group's ``lr_scale``, as timm applies it) and returns a
:class:`TimmScheduler`: an :class:`lrkit.torch.LRScheduler` with timm's
``step(epoch)`` and ``step_update(num_updates)``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from lrkit._combinators.composition import Scale
from lrkit._core.validation import check_bool
from lrkit.compat._drive import drive

__all__ = ["driver"]


def driver(function: Callable[..., Any], arguments: dict[str, Any]) -> Any:
    """timm's ``Scheduler(optimizer, ...)`` for ``function``."""
    owner = function.__name__
    optimizer = arguments.pop("optimizer")
    initialize = check_bool(owner, "initialize", arguments["initialize"])
    in_epochs = check_bool(owner, "t_in_epochs", arguments["t_in_epochs"])
    bases = []
    for i, group in enumerate(optimizer.param_groups):
        if initialize:
            if "lr" not in group:
                raise KeyError(f"{owner}: lr missing from param_groups[{i}]")
            group.setdefault("initial_lr", group["lr"])
        elif "initial_lr" not in group:
            raise KeyError(
                f"{owner}: initial_lr missing from param_groups[{i}] (with initialize=False)"
            )
        bases.append(float(group["initial_lr"]))
    schedules = []
    for base, group in zip(bases, optimizer.param_groups, strict=True):
        schedule = function(base, **arguments)
        if "lr_scale" in group:
            schedule = Scale(schedule, group["lr_scale"])
        schedules.append(schedule)
    from lrkit.compat._timm_scheduler import TimmScheduler

    return drive(optimizer, schedules, kind=TimmScheduler, t_in_epochs=in_epochs)
