"""timm's schedulers (``timm.scheduler``) as lrkit schedules.

Each function has the name, parameters and defaults of one of timm's
schedulers (timm 1.0), with the optimizer replaced by ``base_lr``, the param
group's rate when the scheduler is built, and returns an lrkit schedule
whose value at step ``t`` is the rate timm sets on a one-group optimizer
after ``scheduler.step_update(t)`` (``t_in_epochs=False``) or
``scheduler.step(t)`` (``t_in_epochs=True``): timm computes both from ``t``
alone, so the lrkit schedule counts whichever steps it is given, updates or
epochs, and ``t_in_epochs`` (like ``initialize``) is accepted and ignored.

The schedules are built from lrkit's families and combinators:

* the decays: :class:`~lrkit.CosineCycles` (cosine, with timm's
  ``cycle_mul``, ``cycle_decay``, ``cycle_limit`` and ``k_decay``),
  :class:`~lrkit.TanhDecay`, :class:`~lrkit.KDecay` (the polynomial shape),
  :class:`~lrkit.StepDecay` and :class:`~lrkit.MultiStepDecay`; several tanh
  or polynomial cycles are a :class:`~lrkit.Repeat` or a :class:`~lrkit.Join`
  of them, then :class:`~lrkit.Constant` ``lr_min``;
* the warmup: a linear ramp from ``warmup_lr_init`` over ``warmup_t`` steps
  (:class:`~lrkit.Warmup`), to ``base_lr`` (to the decay's value at step
  ``warmup_t`` for the tanh schedule without ``warmup_prefix``, as timm).
  With ``warmup_prefix=True`` the decay starts after the warmup (it sees
  ``t - warmup_t``); without, it runs from step 0 underneath the warmup
  (:class:`~lrkit.Shift`), so the rate jumps at ``warmup_t``;
* the noise: :class:`~lrkit.TimmNoise`, which draws timm's seeded noise bit
  for bit (``noise_range_t``, ``noise_pct``, ``noise_std``, ``noise_seed``;
  ``noise_type``, which timm's base ``Scheduler`` takes but these subclasses
  do not pass on, is a keyword-only extra here).

The values agree with timm's to float64 rounding (a few ulps). Where lrkit's
families are stricter, lrkit refuses with a ``ValueError`` naming the
argument: ``lr_min`` above ``base_lr``, ``cycle_mul < 1``, negative rates,
and settings where timm would never return (``noise_pct=0``, or a
``noise_std`` over 1000 times ``noise_pct``, with normal noise).

With ``cycle_mul != 1``, timm finds the cycle of step ``t`` through a
floating-point logarithm, which can land one cycle early at a restart
step (for example step 121 of ``t_initial=1, cycle_mul=3``, the start of the
sixth cycle, where timm gives ``lr_min`` for the end of the fifth); lrkit
starts the new cycle there.

**Drop-in form.** Called as timm's constructors are, with a torch optimizer
in ``base_lr``'s place, each function reads every param group's
``initial_lr`` as timm does (set from ``lr``; required with
``initialize=False``), scales a group's schedule by its ``lr_scale``, and
returns a :class:`TimmScheduler` (``lrkit.compat.timm.TimmScheduler``,
imported with torch on first use), an
:class:`lrkit.torch.LRScheduler` with timm's ``step(epoch)`` and
``step_update(num_updates)``: the one ``t_in_epochs`` selects sets the rates
of that step, the other is ignored.

Importing this module imports neither torch nor timm.

Example:
    >>> from lrkit.compat import timm
    >>> schedule = timm.CosineLRScheduler(0.1, t_initial=100, warmup_t=5, warmup_lr_init=1e-4)
    >>> round(schedule(0), 6), round(schedule(5), 6), round(schedule(50), 6), schedule(100)
    (0.0001, 0.099384, 0.05, 0.0)
"""

from __future__ import annotations

import numbers
from collections.abc import Sequence

from lrkit._core.schedule import LearningRateSchedule
from lrkit._core.validation import check_int, check_number, check_rate, check_steps, show
from lrkit._families.cycles import CosineCycles
from lrkit._families.decays import Constant, MultiStepDecay, StepDecay
from lrkit._families.inverse_decays import TanhDecay
from lrkit._families.research import KDecay
from lrkit.compat._drive import drop_in
from lrkit.compat._timm_drive import driver
from lrkit.compat._timm_parts import alpha_of, cycles, with_warmup_and_noise

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = [
    "CosineLRScheduler",
    "MultiStepLRScheduler",
    "PolyLRScheduler",
    "StepLRScheduler",
    "TanhLRScheduler",
]


def __getattr__(name: str) -> Any:
    """``TimmScheduler``, the drop-in form's class, imported (with torch) on first use."""
    if name == "TimmScheduler":
        from lrkit.compat._timm_scheduler import TimmScheduler

        return TimmScheduler
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


#: timm's ``noise_range_t``: a first noisy step, a ``[start, end)`` pair, or None.
NoiseRange = float | Sequence[float] | None


# -- the schedulers ---------------------------------------------------------------------


@drop_in(driver, replaces="base_lr", last_epoch=False)
def CosineLRScheduler(
    base_lr: float,
    t_initial: int,
    lr_min: float = 0.0,
    cycle_mul: float = 1.0,
    cycle_decay: float = 1.0,
    cycle_limit: int = 1,
    warmup_t: int = 0,
    warmup_lr_init: float = 0.0,
    warmup_prefix: bool = False,
    t_in_epochs: bool = True,
    noise_range_t: NoiseRange = None,
    noise_pct: float = 0.67,
    noise_std: float = 1.0,
    noise_seed: int = 42,
    k_decay: float = 1.0,
    initialize: bool = True,
    *,
    noise_type: str = "normal",
) -> LearningRateSchedule:
    r"""timm's ``CosineLRScheduler``: SGDR cosine cycles, as :class:`~lrkit.CosineCycles`.

    Cycle :math:`i` lasts :math:`T m^i` steps and falls from
    :math:`b\gamma^i` to ``lr_min`` along :math:`\tfrac12(1 + \cos(\pi (\tau/T_i)^k))`;
    after ``cycle_limit`` cycles the rate is ``lr_min``. Warmup and noise as
    in the module docstring.

    Args:
        base_lr: :math:`b`, the group's rate.
        t_initial: :math:`T > 0`, the first cycle's length.
        lr_min: the floor, :math:`\le b`.
        cycle_mul: :math:`m \ge 1`; cycle_decay: :math:`\gamma \ge 0`;
        cycle_limit: cycles before the rate stays at ``lr_min`` (>= 0).
        warmup_t, warmup_lr_init, warmup_prefix: timm's linear warmup.
        t_in_epochs, initialize: accepted, no effect (see the module docstring).
        noise_range_t, noise_pct, noise_std, noise_seed, noise_type: timm's noise.
        k_decay: :math:`k > 0`.

    Example:
        >>> schedule = CosineLRScheduler(1.0, t_initial=10, cycle_decay=0.5, cycle_limit=2)
        >>> schedule(0), schedule(5), schedule(10), schedule(20)
        (1.0, 0.5, 0.5, 0.0)
    """
    owner = "CosineLRScheduler"
    base = check_rate(owner, "base_lr", base_lr)
    length = check_steps(owner, "t_initial", t_initial)
    floor = check_rate(owner, "lr_min", lr_min)
    limit = check_int(owner, "cycle_limit", cycle_limit, minimum=0)
    k = check_number(owner, "k_decay", k_decay, minimum=0.0, exclusive_minimum=True)
    mul = check_number(owner, "cycle_mul", cycle_mul, minimum=1.0)
    decay = check_number(owner, "cycle_decay", cycle_decay, minimum=0.0)
    alpha = alpha_of(owner, base, lr_min)
    cosine: LearningRateSchedule = (
        CosineCycles(base, length, mul, decay, limit, alpha=alpha, k_decay=k)
        if limit
        else Constant(floor)
    )
    noise = (noise_range_t, noise_type, noise_pct, noise_std, noise_seed)
    return with_warmup_and_noise(
        owner, cosine, base, warmup_t, warmup_lr_init, warmup_prefix, t_in_epochs, initialize, noise
    )


@drop_in(driver, replaces="base_lr", last_epoch=False)
def TanhLRScheduler(
    base_lr: float,
    t_initial: int,
    lb: float = -7.0,
    ub: float = 3.0,
    lr_min: float = 0.0,
    cycle_mul: float = 1.0,
    cycle_decay: float = 1.0,
    cycle_limit: int = 1,
    warmup_t: int = 0,
    warmup_lr_init: float = 0.0,
    warmup_prefix: bool = False,
    t_in_epochs: bool = True,
    noise_range_t: NoiseRange = None,
    noise_pct: float = 0.67,
    noise_std: float = 1.0,
    noise_seed: int = 42,
    initialize: bool = True,
    *,
    noise_type: str = "normal",
) -> LearningRateSchedule:
    r"""timm's ``TanhLRScheduler``: cycles of :class:`~lrkit.TanhDecay`.

    Cycle :math:`i` (length :math:`T m^i`, peak :math:`b\gamma^i`) follows
    :math:`\text{lr\_min} + \tfrac12(b\gamma^i - \text{lr\_min})(1 - \tanh(L(1 - f) + U f))`,
    :math:`f` the fraction of the cycle done. Without ``warmup_prefix`` the
    warmup ramps to the tanh curve's value at ``warmup_t``, as timm's does.

    Args:
        base_lr, t_initial, lr_min, cycle_mul, cycle_decay, cycle_limit: as
            :func:`CosineLRScheduler` (every cycle's peak at least ``lr_min``;
            cycles of different shapes are written out, at most 1000).
        lb: :math:`L`; ub: :math:`U > L`.
        warmup_t, warmup_lr_init, warmup_prefix, t_in_epochs, noise_range_t,
            noise_pct, noise_std, noise_seed, initialize, noise_type: as
            :func:`CosineLRScheduler`.

    Example:
        >>> schedule = TanhLRScheduler(0.1, t_initial=100)
        >>> round(schedule(0), 6), round(schedule(70), 6), schedule(100)
        (0.1, 0.05, 0.0)
    """
    owner = "TanhLRScheduler"
    base = check_rate(owner, "base_lr", base_lr)
    low = check_number(owner, "lb", lb)
    high = check_number(owner, "ub", ub)
    if not low < high:
        raise ValueError(f"{owner}: ub must be > lb ({show(lb)}), got {show(ub)}")

    def one_cycle(peak: float, length: float, alpha: float) -> LearningRateSchedule:
        return TanhDecay(peak, length, alpha=alpha, lower_bound=low, upper_bound=high)

    tanh = cycles(owner, one_cycle, base, t_initial, lr_min, cycle_mul, cycle_decay, cycle_limit)
    noise = (noise_range_t, noise_type, noise_pct, noise_std, noise_seed)
    return with_warmup_and_noise(
        owner,
        tanh,
        base,
        warmup_t,
        warmup_lr_init,
        warmup_prefix,
        t_in_epochs,
        initialize,
        noise,
        warmup_to_decay=not warmup_prefix,
    )


@drop_in(driver, replaces="base_lr", last_epoch=False)
def PolyLRScheduler(
    base_lr: float,
    t_initial: int,
    power: float = 0.5,
    lr_min: float = 0.0,
    cycle_mul: float = 1.0,
    cycle_decay: float = 1.0,
    cycle_limit: int = 1,
    warmup_t: int = 0,
    warmup_lr_init: float = 0.0,
    warmup_prefix: bool = False,
    t_in_epochs: bool = True,
    noise_range_t: NoiseRange = None,
    noise_pct: float = 0.67,
    noise_std: float = 1.0,
    noise_seed: int = 42,
    k_decay: float = 1.0,
    initialize: bool = True,
    *,
    noise_type: str = "normal",
) -> LearningRateSchedule:
    r"""timm's ``PolyLRScheduler``: cycles of :class:`~lrkit.KDecay` (polynomial shape).

    Cycle :math:`i` follows
    :math:`\text{lr\_min} + (b\gamma^i - \text{lr\_min})(1 - \tau^k / T_i^k)^{p}`.

    Args:
        power: :math:`p > 0`.
        the others: as :func:`TanhLRScheduler`; k_decay: :math:`k > 0`.

    Example:
        >>> schedule = PolyLRScheduler(0.1, t_initial=100, power=1.0)
        >>> schedule(0), schedule(50), schedule(100)
        (0.1, 0.05, 0.0)
    """
    owner = "PolyLRScheduler"
    base = check_rate(owner, "base_lr", base_lr)
    exponent = check_number(owner, "power", power, minimum=0.0, exclusive_minimum=True)
    k = check_number(owner, "k_decay", k_decay, minimum=0.0, exclusive_minimum=True)

    def one_cycle(peak: float, length: float, alpha: float) -> LearningRateSchedule:
        return KDecay(peak, length, k=k, alpha=alpha, shape="polynomial", power=exponent)

    poly = cycles(owner, one_cycle, base, t_initial, lr_min, cycle_mul, cycle_decay, cycle_limit)
    noise = (noise_range_t, noise_type, noise_pct, noise_std, noise_seed)
    return with_warmup_and_noise(
        owner, poly, base, warmup_t, warmup_lr_init, warmup_prefix, t_in_epochs, initialize, noise
    )


@drop_in(driver, replaces="base_lr", last_epoch=False)
def StepLRScheduler(
    base_lr: float,
    decay_t: float,
    decay_rate: float = 1.0,
    warmup_t: int = 0,
    warmup_lr_init: float = 0.0,
    warmup_prefix: bool = True,
    t_in_epochs: bool = True,
    noise_range_t: NoiseRange = None,
    noise_pct: float = 0.67,
    noise_std: float = 1.0,
    noise_seed: int = 42,
    initialize: bool = True,
    *,
    noise_type: str = "normal",
) -> LearningRateSchedule:
    r"""timm's ``StepLRScheduler``: :math:`b\,r^{\lfloor t/d \rfloor}` (:class:`~lrkit.StepDecay`).

    Note timm's default ``warmup_prefix=True`` here: the decay starts after the warmup.

    Args:
        base_lr: :math:`b`.
        decay_t: :math:`d > 0`, the steps between decays.
        decay_rate: :math:`r \ge 0`.
        the others: as :func:`CosineLRScheduler`.

    Example:
        >>> schedule = StepLRScheduler(0.1, decay_t=3, decay_rate=0.5, warmup_t=2)
        >>> [schedule(t) for t in (0, 1, 2, 5)]
        [0.0, 0.05, 0.1, 0.05]
    """
    owner = "StepLRScheduler"
    base = check_rate(owner, "base_lr", base_lr)
    size = check_steps(owner, "decay_t", decay_t)
    rate = check_rate(owner, "decay_rate", decay_rate)
    noise = (noise_range_t, noise_type, noise_pct, noise_std, noise_seed)
    return with_warmup_and_noise(
        owner,
        StepDecay(base, size, rate),
        base,
        warmup_t,
        warmup_lr_init,
        warmup_prefix,
        t_in_epochs,
        initialize,
        noise,
    )


@drop_in(driver, replaces="base_lr", last_epoch=False)
def MultiStepLRScheduler(
    base_lr: float,
    decay_t: Sequence[int],
    decay_rate: float = 1.0,
    warmup_t: int = 0,
    warmup_lr_init: float = 0.0,
    warmup_prefix: bool = True,
    t_in_epochs: bool = True,
    noise_range_t: NoiseRange = None,
    noise_pct: float = 0.67,
    noise_std: float = 1.0,
    noise_seed: int = 42,
    initialize: bool = True,
    *,
    noise_type: str = "normal",
) -> LearningRateSchedule:
    r"""timm's ``MultiStepLRScheduler``, as :class:`~lrkit.MultiStepDecay`.

    :math:`b\,r^{k}` with :math:`k` the number of milestones
    :math:`m \le t + 1`: timm applies milestone :math:`m` one step early, at
    :math:`t = m - 1` (a convention timm keeps on purpose; torch's
    ``MultiStepLR`` applies it at :math:`m`). So the lrkit milestones are
    :math:`\max(m - 1, 0)`.

    Args:
        base_lr: :math:`b`.
        decay_t: the milestones, in non-decreasing order (timm assumes it).
        decay_rate: :math:`r \ge 0`.
        the others: as :func:`StepLRScheduler`.

    Example:
        >>> schedule = MultiStepLRScheduler(1.0, decay_t=[3, 5], decay_rate=0.5)
        >>> [schedule(t) for t in (0, 1, 2, 3, 4)]
        [1.0, 1.0, 0.5, 0.5, 0.25]
    """
    owner = "MultiStepLRScheduler"
    base = check_rate(owner, "base_lr", base_lr)
    if hasattr(decay_t, "tolist") and not isinstance(decay_t, Sequence):
        decay_t = decay_t.tolist()
    if isinstance(decay_t, (str, bytes)) or not isinstance(decay_t, Sequence):
        raise TypeError(f"{owner}: decay_t must be a list of steps, got {show(decay_t)}")
    milestones = [check_number(owner, f"decay_t[{i}]", m) for i, m in enumerate(decay_t)]
    if milestones != sorted(milestones):
        raise ValueError(f"{owner}: decay_t must be non-decreasing, got {show(decay_t)}")
    rate = check_rate(owner, "decay_rate", decay_rate)
    # An integer milestone stays an integer in the config.
    shifted: list[int | float] = [
        max(int(m) - 1, 0) if isinstance(m, numbers.Integral) else max(value - 1.0, 0.0)
        for m, value in zip(decay_t, milestones, strict=True)
    ]
    noise = (noise_range_t, noise_type, noise_pct, noise_std, noise_seed)
    return with_warmup_and_noise(
        owner,
        MultiStepDecay(base, shifted, rate),
        base,
        warmup_t,
        warmup_lr_init,
        warmup_prefix,
        t_in_epochs,
        initialize,
        noise,
    )
