"""The pieces :mod:`lrkit.compat.timm` builds timm's schedulers from.

timm's floor (``lr_min``, a rate, where lrkit's families take a fraction),
its warmup (with and without ``warmup_prefix``), its noise and its cycles of
the tanh and polynomial decays.
"""

from __future__ import annotations

import numbers
from collections.abc import Callable, Sequence

from lrkit._combinators.composition import Join, Shift
from lrkit._combinators.repeat import Repeat
from lrkit._core.schedule import LearningRateSchedule
from lrkit._core.validation import (
    check_bool,
    check_choice,
    check_int,
    check_number,
    check_rate,
    check_rate_at_most,
    check_steps,
    show,
)
from lrkit._families.decays import Constant
from lrkit._families.noise import TimmNoise, check_noise_ratio
from lrkit.compat._toolkit import warmup_then

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["MAX_CYCLES", "alpha_of", "cycles", "with_warmup_and_noise"]

#: The most cycles a tanh or polynomial schedule is written out with.
MAX_CYCLES = 1000

#: Cycles starting past this step are not listed: float64 holds no finer steps.
_LAST_EXACT_STEP = 2.0**53


# -- shared parts: floor, warmup, noise ------------------------------------------------


def alpha_of(owner: str, base_lr: float, lr_min: Any, peak: float | None = None) -> float:
    """``lr_min`` as a fraction of ``peak`` (``base_lr``): lrkit's floors are fractions."""
    peak = base_lr if peak is None else peak
    what = (
        "base_lr"
        if peak == base_lr
        else "every cycle's peak base_lr * cycle_decay**i, i < cycle_limit,"
    )
    floor = check_rate_at_most(owner, "lr_min", lr_min, what, peak)
    return floor / peak if peak > 0 else 0.0


def with_warmup_and_noise(
    owner: str,
    decay: LearningRateSchedule,
    base_lr: float,
    warmup_t: Any,
    warmup_lr_init: Any,
    warmup_prefix: Any,
    t_in_epochs: Any,
    initialize: Any,
    noise: tuple[Any, Any, Any, Any, Any],
    warmup_to_decay: bool = False,
) -> LearningRateSchedule:
    """timm's warmup in front of ``decay``, then its noise on top.

    timm ramps linearly from ``warmup_lr_init`` at step 0 towards ``base_lr``
    (``warmup_to_decay``: towards the decay's value at ``warmup_t``) and
    switches to the decay at ``warmup_t``: on ``t - warmup_t`` with
    ``warmup_prefix``, on ``t`` without.
    """
    check_bool(owner, "t_in_epochs", t_in_epochs)
    check_bool(owner, "initialize", initialize)
    steps = check_steps(owner, "warmup_t", warmup_t, allow_zero=True)
    start = check_rate(owner, "warmup_lr_init", warmup_lr_init)
    prefix = check_bool(owner, "warmup_prefix", warmup_prefix)
    schedule = decay
    if steps > 0:
        after = decay if prefix else Shift(decay, steps)
        target = None if warmup_to_decay else base_lr  # None: the decay's value there
        schedule = warmup_then(after, steps, start=start, target=target)
    return _with_noise(owner, schedule, *noise)


def _with_noise(
    owner: str,
    schedule: LearningRateSchedule,
    noise_range_t: Any,
    noise_type: Any,
    noise_pct: Any,
    noise_std: Any,
    noise_seed: Any,
) -> LearningRateSchedule:
    """``schedule`` with timm's noise over ``noise_range_t`` (none for None)."""
    kind = check_choice(owner, "noise_type", noise_type, ("normal", "uniform"))
    pct = check_number(owner, "noise_pct", noise_pct, minimum=0.0)
    std = check_number(owner, "noise_std", noise_std, minimum=0.0)
    seed = check_int(owner, "noise_seed", noise_seed)
    if noise_range_t is None:
        return schedule
    if isinstance(noise_range_t, numbers.Real) and not isinstance(noise_range_t, bool):
        first = check_number(owner, "noise_range_t", noise_range_t)
        end = None
    elif isinstance(noise_range_t, Sequence) and not isinstance(noise_range_t, (str, bytes)):
        if len(noise_range_t) != 2:
            raise ValueError(
                f"{owner}: noise_range_t must be a step or a [start, end] pair, "
                f"got {show(noise_range_t)}"
            )
        first = check_number(owner, "noise_range_t[0]", noise_range_t[0])
        end = check_number(owner, "noise_range_t[1]", noise_range_t[1])
    else:
        raise TypeError(
            f"{owner}: noise_range_t must be a number, a [start, end] pair or None, "
            f"got {show(noise_range_t)}"
        )
    if kind == "normal":
        if pct == 0.0:
            raise ValueError(
                f"{owner}: noise_pct must be > 0 for normal noise, got {show(noise_pct)}"
            )
        check_noise_ratio(owner, pct, std)
    start = max(first, 0.0)
    if pct == 0.0 or (end is not None and end <= start):
        return schedule  # no step gets noise (or only zero noise)
    return TimmNoise(schedule, start, end, kind, pct, std, seed)


# -- cycles of the tanh and polynomial decays -------------------------------------------


def cycles(
    owner: str,
    one_cycle: Callable[[float, float, float], LearningRateSchedule],
    base_lr: float,
    t_initial: Any,
    lr_min: Any,
    cycle_mul: Any,
    cycle_decay: Any,
    cycle_limit: Any,
) -> LearningRateSchedule:
    """timm's restarts: cycle ``i`` lasts ``t_initial * cycle_mul**i`` steps, peaks at
    ``base_lr * cycle_decay**i``; ``lr_min`` after ``cycle_limit`` cycles.

    ``one_cycle(peak, length, alpha)`` is one decay from ``peak`` to the floor
    ``alpha * peak``, at the floor from ``length`` on.
    """
    length = check_steps(owner, "t_initial", t_initial)
    mul = check_number(owner, "cycle_mul", cycle_mul, minimum=1.0)
    decay = check_number(owner, "cycle_decay", cycle_decay, minimum=0.0)
    limit = check_int(owner, "cycle_limit", cycle_limit, minimum=0)
    floor = check_rate(owner, "lr_min", lr_min)
    if limit == 0:
        return Constant(floor)
    first = one_cycle(base_lr, length, alpha_of(owner, base_lr, lr_min))
    if limit == 1:
        return first
    if mul == 1.0 and decay == 1.0:
        return Join([Repeat(first, length), Constant(floor)], [length * limit])
    pieces: list[LearningRateSchedule] = []
    starts = [0.0]
    while len(pieces) < limit and starts[-1] <= _LAST_EXACT_STEP:
        index = len(pieces)
        if index == MAX_CYCLES:
            raise ValueError(
                f"{owner}: cycle_limit must be <= {MAX_CYCLES} with cycle_mul={show(cycle_mul)} "
                f"and cycle_decay={show(cycle_decay)} (each cycle is written out), "
                f"got {show(cycle_limit)}"
            )
        peak = base_lr * decay**index
        pieces.append(one_cycle(peak, mul**index * length, alpha_of(owner, base_lr, lr_min, peak)))
        # Where timm's cycle starts: (1 - m**i) / (1 - m) * T, or T * i.
        nxt = index + 1
        starts.append((1 - mul**nxt) / (1 - mul) * length if mul != 1.0 else length * nxt)
    if len(pieces) == limit:
        pieces.append(Constant(floor))
    return Join(pieces, starts[1 : len(pieces)])
