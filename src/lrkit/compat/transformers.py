"""Hugging Face ``transformers`` learning-rate schedules as lrkit schedules.

Each ``get_*_schedule*`` function takes the parameters and defaults of its
namesake in ``transformers.optimization`` (transformers 5.x), with
``learning_rate`` (the optimizer's rate) in place of ``optimizer``, and
returns an lrkit schedule, composed from lrkit's families and combinators,
whose value at step ``t`` is the rate transformers' ``LambdaLR`` sets after
``t`` calls of ``scheduler.step()``: ``learning_rate * lr_lambda(t)``.
:func:`get_scheduler` picks one by its ``lr_scheduler_type`` name, as
``transformers.get_scheduler`` does, passing on the same arguments.

transformers' quirks are kept: the cosine schedules keep oscillating past
``num_training_steps`` (only ``cosine_with_restarts`` stops at 0), a
training length shorter than the warmup gives a one-step decay,
``polynomial`` drops to ``lr_end`` after ``num_training_steps`` even with
``power=0``, ``cosine_warmup_with_min_lr`` runs one step ahead of
``cosine_with_min_lr``, and ``warmup_stable_decay`` with
``num_training_steps < num_warmup_steps + num_decay_steps`` starts its decay
part-way. ``last_epoch`` resumes as ``LambdaLR`` does: the schedule starts
at step ``last_epoch + 1``.

Where lrkit is stricter: step counts must be integers ``>= 0`` (``>= -1``
for ``last_epoch``), ``num_cycles``, ``power``, ``lr_end``, ``min_lr``,
``min_lr_rate`` and ``warmup_lr_rate`` must be ``>= 0`` and
``min_lr_ratio`` in ``[0, 1]``, and settings on which transformers divides
by zero (``min_lr`` with a zero ``learning_rate``, ``polynomial`` with
``num_training_steps == num_warmup_steps``, ``timescale=0``) are refused at
construction. ``reduce_lr_on_plateau`` gives :class:`lrkit.ReduceOnPlateau`,
which follows the metric given to its ``update``; ``greedy``, which no lrkit
schedule reproduces, is refused with an explanation.

**Drop-in form.** Called as transformers' functions are, with a torch
optimizer in ``learning_rate``'s place (by position, or as ``optimizer=``
in ``get_scheduler``), each returns what transformers returns, driving that
optimizer: an :class:`lrkit.torch.LRScheduler` with ``relative=True`` that,
as ``LambdaLR``, multiplies each group's initial rate by the schedule at
``learning_rate=1`` (``min_lr`` and ``lr_end`` read against
``optimizer.defaults["lr"]``, as transformers reads them), with
``last_epoch`` as ``LambdaLR``'s; ``get_reduce_on_plateau_schedule`` gives
torch's ``ReduceLROnPlateau``, as transformers does.

Importing this module imports neither transformers nor torch.

Example:
    >>> from lrkit.compat import transformers as hf
    >>> schedule = hf.get_scheduler("linear", 1e-3, num_warmup_steps=10, num_training_steps=110)
    >>> schedule(5), schedule(10), schedule(60), schedule(200)
    (0.0005, 0.001, 0.0005, 0.0)
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from lrkit._core.schedule import LearningRateSchedule
from lrkit._core.validation import show
from lrkit._families.plateau import ReduceOnPlateau
from lrkit.compat._drive import drop_in
from lrkit.compat._transformers_cosine import (
    get_cosine_schedule_with_warmup,
    get_cosine_with_hard_restarts_schedule_with_warmup,
    get_cosine_with_min_lr_schedule_with_warmup,
    get_cosine_with_min_lr_schedule_with_warmup_lr_rate,
)
from lrkit.compat._transformers_decays import (
    get_constant_schedule,
    get_constant_schedule_with_warmup,
    get_inverse_sqrt_schedule,
    get_linear_schedule_with_warmup,
    get_polynomial_decay_schedule_with_warmup,
    get_wsd_schedule,
)
from lrkit.compat._transformers_drive import plateau_driver

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = [
    "get_constant_schedule",
    "get_constant_schedule_with_warmup",
    "get_cosine_schedule_with_warmup",
    "get_cosine_with_hard_restarts_schedule_with_warmup",
    "get_cosine_with_min_lr_schedule_with_warmup",
    "get_cosine_with_min_lr_schedule_with_warmup_lr_rate",
    "get_inverse_sqrt_schedule",
    "get_linear_schedule_with_warmup",
    "get_polynomial_decay_schedule_with_warmup",
    "get_reduce_on_plateau_schedule",
    "get_scheduler",
    "get_wsd_schedule",
]


# -- by name ---------------------------------------------------------------------

#: ``lr_scheduler_type`` name -> the function it selects.
_FUNCTIONS: dict[str, Callable[..., LearningRateSchedule]] = {
    "linear": get_linear_schedule_with_warmup,
    "cosine": get_cosine_schedule_with_warmup,
    "cosine_with_restarts": get_cosine_with_hard_restarts_schedule_with_warmup,
    "polynomial": get_polynomial_decay_schedule_with_warmup,
    "constant": get_constant_schedule,
    "constant_with_warmup": get_constant_schedule_with_warmup,
    "inverse_sqrt": get_inverse_sqrt_schedule,
    "cosine_with_min_lr": get_cosine_with_min_lr_schedule_with_warmup,
    "cosine_warmup_with_min_lr": get_cosine_with_min_lr_schedule_with_warmup_lr_rate,
    "warmup_stable_decay": get_wsd_schedule,
}


@drop_in(plateau_driver, replaces="learning_rate", last_epoch=False)
def get_reduce_on_plateau_schedule(learning_rate: float, **kwargs: Any) -> ReduceOnPlateau:
    """transformers' ``get_reduce_on_plateau_schedule``: torch's ``ReduceLROnPlateau``.

    The keyword arguments are ``ReduceLROnPlateau``'s (``mode``, ``factor``,
    ``patience``, ``threshold``, ``threshold_mode``, ``cooldown``,
    ``min_lr``, ``eps``); the result is a :class:`lrkit.ReduceOnPlateau`
    at ``learning_rate``, which follows the metric given to its
    ``update(metric)`` as torch's scheduler follows ``step(metric)``.

    Example:
        >>> schedule = get_reduce_on_plateau_schedule(0.1, patience=0, factor=0.5)
        >>> schedule.update(1.0); schedule.update(2.0); schedule(0)
        0.05
    """
    return ReduceOnPlateau(learning_rate, **kwargs)


def _by_name(function: Callable[..., Any], arguments: dict[str, Any]) -> Any:
    """``get_scheduler(name, optimizer, ...)``: the named function's drop-in form."""
    return function(arguments.pop("name"), arguments.pop("optimizer"), **arguments)


#: Names transformers knows whose rate is not a function of the step, and why.
_REFUSED: dict[str, str] = {
    "greedy": (
        "is transformers' GreedyLR: it raises or cuts the rate as a monitored metric improves "
        "or stalls, so it is not a function of the step; lrkit.ReduceOnPlateau covers the "
        "cutting half"
    ),
}


@drop_in(_by_name, replaces="learning_rate", last_epoch=False)
def get_scheduler(
    name: Any,
    learning_rate: float,
    num_warmup_steps: int | None = None,
    num_training_steps: int | None = None,
    scheduler_specific_kwargs: Mapping[str, Any] | None = None,
) -> Any:
    """transformers' ``get_scheduler``: the schedule named ``name`` (``lr_scheduler_type``).

    ``name`` is one of transformers' ``SchedulerType`` values, as a string
    or as the enum (any object whose ``.value`` is the string). The
    arguments reach the function as in transformers: ``"constant"`` takes
    none of them, ``"constant_with_warmup"`` only ``num_warmup_steps``,
    ``"inverse_sqrt"`` ``num_warmup_steps`` and
    ``scheduler_specific_kwargs``, ``"warmup_stable_decay"`` all three (with
    ``num_decay_steps`` in ``scheduler_specific_kwargs``), and the others
    ``num_warmup_steps``, ``num_training_steps`` and
    ``scheduler_specific_kwargs``. A missing ``num_warmup_steps`` or
    ``num_training_steps`` raises ``ValueError``, as in transformers.
    ``"reduce_lr_on_plateau"`` gives :func:`get_reduce_on_plateau_schedule`
    (a :class:`lrkit.ReduceOnPlateau`, driven by ``update(metric)``);
    ``"greedy"`` raises and cuts the rate as a metric moves, which no lrkit
    schedule does, and is refused with a ``ValueError`` that says so.

    =============================  =====================================================
    name                           function
    =============================  =====================================================
    ``linear``                     :func:`get_linear_schedule_with_warmup`
    ``cosine``                     :func:`get_cosine_schedule_with_warmup`
    ``cosine_with_restarts``       :func:`get_cosine_with_hard_restarts_schedule_with_warmup`
    ``polynomial``                 :func:`get_polynomial_decay_schedule_with_warmup`
    ``constant``                   :func:`get_constant_schedule`
    ``constant_with_warmup``       :func:`get_constant_schedule_with_warmup`
    ``inverse_sqrt``               :func:`get_inverse_sqrt_schedule`
    ``cosine_with_min_lr``         :func:`get_cosine_with_min_lr_schedule_with_warmup`
    ``cosine_warmup_with_min_lr``  :func:`get_cosine_with_min_lr_schedule_with_warmup_lr_rate`
    ``warmup_stable_decay``        :func:`get_wsd_schedule`
    =============================  =====================================================

    Example:
        >>> schedule = get_scheduler("cosine_with_min_lr", 1e-3, num_warmup_steps=0,
        ...                          num_training_steps=100,
        ...                          scheduler_specific_kwargs={"min_lr_rate": 0.1})
        >>> schedule(0), round(schedule(100), 12)
        (0.001, 0.0001)
    """
    owner = "get_scheduler"
    key = getattr(name, "value", name)
    if not isinstance(key, str):
        raise TypeError(
            f"{owner}: name must be a scheduler name (a string or a SchedulerType), "
            f"got {show(name)} of type {type(name).__name__}"
        )
    if key in _REFUSED:
        raise ValueError(f"{owner}: {key!r} {_REFUSED[key]}")
    if key == "reduce_lr_on_plateau":
        return get_reduce_on_plateau_schedule(learning_rate, **(scheduler_specific_kwargs or {}))
    function = _FUNCTIONS.get(key)
    if function is None:
        known = sorted([*_FUNCTIONS, "reduce_lr_on_plateau"])
        raise ValueError(f"{owner}: name must be one of {known}, got {show(name)}")
    if key == "constant":
        return function(learning_rate)
    if scheduler_specific_kwargs is None:
        scheduler_specific_kwargs = {}
    elif not isinstance(scheduler_specific_kwargs, Mapping):
        raise TypeError(
            f"{owner}: scheduler_specific_kwargs must be a dict or None, "
            f"got {show(scheduler_specific_kwargs)}"
        )
    if num_warmup_steps is None:
        raise ValueError(f"{owner}: {key!r} requires num_warmup_steps, got None")
    if key == "constant_with_warmup":
        return function(learning_rate, num_warmup_steps=num_warmup_steps)
    extra = dict(scheduler_specific_kwargs)
    if key == "inverse_sqrt":
        return function(learning_rate, num_warmup_steps=num_warmup_steps, **extra)
    if key == "warmup_stable_decay":
        if "num_decay_steps" not in extra:
            raise TypeError(
                f"{owner}: 'warmup_stable_decay' requires num_decay_steps "
                f"in scheduler_specific_kwargs, got {show(extra)}"
            )
    elif num_training_steps is None:
        raise ValueError(f"{owner}: {key!r} requires num_training_steps, got None")
    return function(
        learning_rate,
        num_warmup_steps=num_warmup_steps,
        num_training_steps=num_training_steps,
        **extra,
    )
