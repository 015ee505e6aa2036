"""The drop-in form of :mod:`lrkit.compat.transformers`: the ``LambdaLR`` transformers returns.

Called with a torch optimizer where transformers takes it, each
``get_*_schedule*`` function builds transformers' multiplier (its
``lr_lambda``: the schedule at ``learning_rate=1``) and returns an
:class:`lrkit.torch.LRScheduler` with ``relative=True``, which, as
``LambdaLR``, multiplies each group's ``initial_lr`` by it. The parameters
transformers reads against ``optimizer.defaults["lr"]`` are read against it
here too: ``min_lr`` (as ``min_lr / lr``) and ``lr_end`` (the polynomial
decay runs from that rate, divided by it). ``last_epoch`` is ``LambdaLR``'s.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from lrkit._combinators.composition import Scale
from lrkit._core.validation import check_number, show
from lrkit.compat._drive import drive

__all__ = ["driver", "plateau_driver"]


def driver(function: Callable[..., Any], arguments: dict[str, Any]) -> Any:
    """transformers' ``LambdaLR(optimizer, lr_lambda, last_epoch)`` for ``function``."""
    owner = function.__name__
    optimizer, last_epoch = arguments.pop("optimizer"), arguments.pop("last_epoch")
    initial = optimizer.defaults["lr"]
    learning_rate, factor = 1.0, 1.0
    if arguments.get("min_lr") is not None and arguments.get("min_lr_rate") is None:
        floor = check_number(owner, "min_lr", arguments.pop("min_lr"), minimum=0.0)
        if not initial > 0:
            raise ValueError(
                f"{owner}: the optimizer's lr must be > 0 when min_lr is given "
                f"(transformers divides min_lr by it), got {show(initial)}"
            )
        arguments["min_lr_rate"] = floor / initial
    if "lr_end" in arguments:  # the polynomial decay: lr_end is a rate, as the optimizer's lr
        end = check_number(owner, "lr_end", arguments["lr_end"], minimum=0.0)
        if not initial > end:
            raise ValueError(
                f"{owner}: lr_end must be smaller than the optimizer's initial lr "
                f"({show(initial)}), got {show(end)}"
            )
        learning_rate, factor = float(initial), 1.0 / initial
    schedule = function(learning_rate, **arguments)
    if factor != 1.0:
        schedule = Scale(schedule, factor)
    count = len(optimizer.param_groups)
    return drive(optimizer, [schedule] * count, relative=True, last_epoch=last_epoch)


def plateau_driver(function: Callable[..., Any], arguments: dict[str, Any]) -> Any:
    """torch's ``ReduceLROnPlateau(optimizer, **kwargs)``, which transformers returns as it is.

    Driven by ``scheduler.step(metric)``, it is no function of the step, so
    this is torch's own class, as in transformers.
    """
    from torch.optim.lr_scheduler import ReduceLROnPlateau

    optimizer = arguments.pop("optimizer")
    function(1.0, **arguments)  # lrkit's checks, naming the argument
    return ReduceLROnPlateau(optimizer, **arguments)
