"""torch's closed-form cycles, ``CyclicLR`` and ``OneCycleLR``, as lrkit schedules.

Part of :mod:`lrkit.compat.torch`, where these functions are documented and
exported.
"""

from __future__ import annotations

import math

from lrkit._combinators.composition import Join, Offset
from lrkit._core.schedule import LearningRateSchedule
from lrkit._core.validation import (
    check_bool,
    check_choice,
    check_fraction,
    check_int,
    check_number,
    check_rate,
    check_steps,
    show,
)
from lrkit._families.cycles import CosineWave, CyclicDecay, OneCycle
from lrkit._families.decays import Constant, LinearDecay
from lrkit.compat._drive import drop_in
from lrkit.compat._toolkit import steps_argument
from lrkit.compat._torch_drive import cyclic_driver, one_cycle_driver

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["CyclicLR", "OneCycleLR"]


def _signed_constant(value: float) -> LearningRateSchedule:
    """A constant rate; a negative one (torch can extrapolate below 0) as an offset."""
    return Constant(value) if value >= 0 else Offset(Constant(0.0), value)


@drop_in(cyclic_driver, replaces=None)
def CyclicLR(
    base_lr: float,
    max_lr: float,
    step_size_up: float = 2000,
    step_size_down: float | None = None,
    mode: str = "triangular",
    gamma: float = 1.0,
    scale_fn: Any = None,
    scale_mode: str = "cycle",
    cycle_momentum: bool = True,
    base_momentum: float = 0.8,
    max_momentum: float = 0.9,
) -> LearningRateSchedule:
    r"""torch's ``CyclicLR``, as :class:`~lrkit.CyclicDecay`.

    torch's ``base_lr`` is the group's rate: it overwrites the optimizer's
    when built. The rate is torch's closed form, at fractional steps too.

    Args:
        base_lr: the lower rate.
        max_lr: the upper rate.
        step_size_up: steps of each rise, > 0.
        step_size_down: steps of each fall, >= 0; None means ``step_size_up``.
        mode: ``"triangular"``, ``"triangular2"`` or ``"exp_range"``.
        gamma: the ``"exp_range"`` factor per step, in :math:`[0, 1]` (torch
            requires its scale to stay in :math:`[0, 1]`).
        scale_fn: must be None: a custom function cannot be serialized (write
            an lrkit schedule instead).
        scale_mode: ``"cycle"`` or ``"iterations"``; torch ignores it without
            ``scale_fn``.
        cycle_momentum, base_momentum, max_momentum: momentum only (the
            drop-in form cycles it: ``max_momentum`` minus the rate's wave
            scaled to ``max_momentum - base_momentum``); no effect on the rate.

    Example:
        >>> schedule = CyclicLR(0.01, 0.1, step_size_up=10, mode="triangular2")
        >>> schedule(10), round(schedule(30), 12)
        (0.1, 0.055)
    """
    owner = "CyclicLR"
    if scale_fn is not None:
        raise TypeError(
            f"{owner}: scale_fn must be None (a function cannot be serialized; "
            f"use mode, or compose lrkit schedules), got {show(scale_fn)}"
        )
    check_choice(owner, "scale_mode", scale_mode, ("cycle", "iterations"))
    _check_momentum(owner, cycle_momentum, base_momentum, max_momentum)
    base_lr = check_rate(owner, "base_lr", base_lr)
    max_lr = check_rate(owner, "max_lr", max_lr)
    step_size_up = check_steps(owner, "step_size_up", step_size_up)
    if step_size_down is not None:
        step_size_down = check_steps(owner, "step_size_down", step_size_down, allow_zero=True)
    mode = check_choice(owner, "mode", mode, ("triangular", "triangular2", "exp_range"))
    gamma = check_fraction(owner, "gamma", gamma)
    return CyclicDecay(base_lr, max_lr, step_size_up, step_size_down, mode, gamma)


@drop_in(one_cycle_driver, replaces="base_lr")
def OneCycleLR(
    base_lr: float | None,
    max_lr: float,
    total_steps: int | None = None,
    epochs: int | None = None,
    steps_per_epoch: int | None = None,
    pct_start: float = 0.3,
    anneal_strategy: str = "cos",
    cycle_momentum: bool = True,
    base_momentum: float = 0.85,
    max_momentum: float = 0.95,
    div_factor: float = 25.0,
    final_div_factor: float = 1e4,
    three_phase: bool = False,
) -> LearningRateSchedule:
    r"""torch's ``OneCycleLR``: :class:`~lrkit.OneCycle`, and torch's rate at step :math:`N`.

    Up to step :math:`N - 1` this is :class:`~lrkit.OneCycle`. torch allows
    one more step: at step :math:`N` its last phase goes on past its end (a
    cosine rising again, or a line continuing below the final rate, possibly
    below 0), and from step :math:`N + 1` it raises. lrkit follows the
    extrapolated phase from :math:`N - 1` to :math:`N` (fractional steps
    included) and holds the rate of step :math:`N` from then on. Where torch
    cannot compute step :math:`N` (it divides by zero: ``pct_start=1``, or
    three phases whose second ends at :math:`N - 1`) the final rate holds
    from :math:`N - 1`; where the three-phase schedule's second phase runs
    past :math:`N - 1` (``pct_start`` above about 0.5), step :math:`N` is
    torch's and fractional steps between :math:`N - 1` and :math:`N` hold
    the rate of :math:`N - 1`.

    Args:
        base_lr: the group's rate; unused, as torch replaces it with
            ``max_lr / div_factor`` (may be None).
        max_lr: the peak rate.
        total_steps: :math:`N`, a positive integer; or None, with ``epochs``
            and ``steps_per_epoch`` (positive integers) giving :math:`N` as
            their product.
        pct_start: the fraction of :math:`N` spent rising, in :math:`[0, 1]`;
            ``pct_start * N`` must not be 1 (torch divides by zero at step 0).
        anneal_strategy: ``"cos"`` or ``"linear"``.
        cycle_momentum, base_momentum, max_momentum: momentum only (the
            drop-in form cycles it, from ``max_momentum`` down to
            ``base_momentum`` while the rate rises and back, phase by phase
            as torch); no effect on the rate.
        div_factor, final_div_factor, three_phase: as in :class:`~lrkit.OneCycle`.

    Example:
        >>> schedule = OneCycleLR(None, max_lr=1.0, total_steps=10)
        >>> round(schedule(9), 8), round(schedule(10), 8), round(schedule(11), 8)
        (4e-06, 0.04951937, 0.04951937)
    """
    owner = "OneCycleLR"
    if base_lr is not None:
        check_rate(owner, "base_lr", base_lr)
    _check_momentum(owner, cycle_momentum, base_momentum, max_momentum)
    if total_steps is not None:
        steps = steps_argument(owner, "total_steps", total_steps, minimum=1)
    elif epochs is not None and steps_per_epoch is not None:
        steps = check_int(owner, "epochs", epochs, minimum=1) * check_int(
            owner, "steps_per_epoch", steps_per_epoch, minimum=1
        )
    else:
        raise ValueError(
            f"{owner}: total_steps must be given, or epochs and steps_per_epoch, "
            f"got total_steps=None, epochs={show(epochs)}, steps_per_epoch={show(steps_per_epoch)}"
        )
    pct_start = check_fraction(owner, "pct_start", pct_start)
    check_rate(owner, "max_lr", max_lr)
    check_choice(owner, "anneal_strategy", anneal_strategy, ("cos", "linear"))
    for name, value in (("div_factor", div_factor), ("final_div_factor", final_div_factor)):
        check_number(owner, name, value, minimum=0.0, exclusive_minimum=True)
    check_bool(owner, "three_phase", three_phase)
    if pct_start * steps == 1.0:
        raise ValueError(
            f"{owner}: pct_start * total_steps must not be 1 (torch divides by zero), "
            f"got {show(pct_start)}"
        )
    cycle = OneCycle(
        max_lr,
        steps,
        pct_start=pct_start,
        anneal_strategy=anneal_strategy,
        div_factor=div_factor,
        final_div_factor=final_div_factor,
        three_phase=three_phase,
    )
    begin, end, start_rate, end_rate = cycle._phases[-1]
    length, last = end - begin, float(steps - 1)
    at_n = _one_cycle_at(cycle, float(steps))
    if at_n is None:  # torch divides by zero at step N
        return cycle
    if length <= 0:  # three phases, the second still running at N - 1
        return Join([cycle, _signed_constant(at_n)], [steps])
    # The last phase is running at N - 1: follow it on to N.
    if anneal_strategy == "cos":
        rising = CosineWave(end_rate, length, start_rate)
        return Join([cycle, rising, _signed_constant(at_n)], [last, steps])
    if at_n >= 0:
        line: LearningRateSchedule = LinearDecay(end_rate, 1, at_n)
    else:  # below 0: a line down to 0, shifted
        line = Offset(LinearDecay(end_rate - at_n, 1, 0.0), at_n)
    return Join([cycle, line], [last])


def _one_cycle_at(cycle: OneCycle, step: float) -> float | None:
    """torch's ``OneCycleLR`` rate at ``step`` past the end, None where torch divides by zero."""
    phases = cycle._phases
    for i, (begin, end, start_rate, end_rate) in enumerate(phases):
        if step <= end or i == len(phases) - 1:
            if end == begin:
                return None
            fraction = (step - begin) / (end - begin)
            if cycle.anneal_strategy == "cos":
                return end_rate + (start_rate - end_rate) / 2.0 * (math.cos(math.pi * fraction) + 1)
            return (end_rate - start_rate) * fraction + start_rate
    return None  # pragma: no cover - the last phase always matches


def _check_momentum(owner: str, cycle_momentum: Any, base: Any, maximum: Any) -> None:
    check_bool(owner, "cycle_momentum", cycle_momentum)
    check_number(owner, "base_momentum", base)
    check_number(owner, "max_momentum", maximum)
