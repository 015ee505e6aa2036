"""The pieces :mod:`lrkit.compat.transformers` builds transformers' schedules from.

Argument checks, ``last_epoch`` as ``LambdaLR`` resumes, the linear warmup,
the ``min_lr`` / ``min_lr_rate`` rule and the unclamped cosine.
"""

from __future__ import annotations

from lrkit._combinators.composition import Shift
from lrkit._core.schedule import LearningRateSchedule
from lrkit._core.validation import check_int, check_rate, show
from lrkit._families.cycles import CosineWave
from lrkit._families.decays import Constant, LinearDecay
from lrkit.compat._toolkit import (
    non_negative_argument,
    rate_argument,
    steps_argument,
    warmup_then,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = [
    "checked_run",
    "cosine_wave",
    "floor_rate",
    "resumed",
    "warmed",
]


def checked_run(
    owner: str, learning_rate: Any, num_warmup_steps: Any, num_training_steps: Any
) -> tuple[float, int, int]:
    """The checked ``learning_rate``, ``num_warmup_steps`` and ``num_training_steps``."""
    return (
        check_rate(owner, "learning_rate", learning_rate),
        steps_argument(owner, "num_warmup_steps", num_warmup_steps),
        steps_argument(owner, "num_training_steps", num_training_steps),
    )


def resumed(owner: str, schedule: LearningRateSchedule, last_epoch: Any) -> LearningRateSchedule:
    """``LambdaLR(..., last_epoch=k)`` starts at step ``k + 1``: a :class:`~lrkit.Shift`."""
    start = check_int(owner, "last_epoch", last_epoch, minimum=-1) + 1
    return Shift(schedule, start) if start > 0 else schedule


def warmed(lr: float, warmup: int, after: LearningRateSchedule) -> LearningRateSchedule:
    """``lr * t / warmup`` for ``t < warmup``, then ``after(t - warmup)``.

    A :class:`~lrkit.Warmup` where ``after`` starts at ``lr``; where it does
    not (transformers' decays that are over by the end of the warmup), a
    :class:`~lrkit.Join` of the ramp and ``after``.
    """
    if warmup == 0:
        return after
    return warmup_then(after, warmup, target=lr, rel_tol=1e-12, ramp=LinearDecay(0.0, warmup, lr))


def floor_rate(owner: str, lr: float, min_lr: Any, min_lr_rate: Any) -> float:
    """transformers' ``min_lr`` / ``min_lr_rate`` rule: exactly one of them, as a rate."""
    if min_lr is not None and min_lr_rate is not None:
        raise ValueError(
            f"{owner}: only one of min_lr or min_lr_rate should be set, "
            f"got min_lr={show(min_lr)} and min_lr_rate={show(min_lr_rate)}"
        )
    if min_lr is not None:
        floor = rate_argument(owner, "min_lr", min_lr)
        if lr == 0.0:
            raise ValueError(
                f"{owner}: learning_rate must be > 0 when min_lr is given "
                f"(transformers divides min_lr by it), got {show(lr)}"
            )
        return floor / lr
    if min_lr_rate is None:
        raise ValueError(
            f"{owner}: one of min_lr or min_lr_rate should be set "
            "(in scheduler_specific_kwargs for get_scheduler), got neither"
        )
    return non_negative_argument(owner, "min_lr_rate", min_lr_rate)


def cosine_wave(
    owner: str, lr: float, period: int | float, num_cycles: Any, floor_rate: float = 0.0
) -> LearningRateSchedule:
    r"""transformers' unclamped cosine, :math:`\tfrac12(1 + \cos 2\pi n u / D)`, to the floor."""
    cycles = non_negative_argument(owner, "num_cycles", num_cycles)
    if cycles == 0.0:
        return Constant(lr)
    return CosineWave(lr, period / (2.0 * cycles), end_learning_rate=lr * floor_rate)
