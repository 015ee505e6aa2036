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

Importing this module imports neither transformers nor torch.

Example:
    >>> from lrkit.compat import transformers as hf
    >>> schedule = hf.get_scheduler("linear", 1e-3, num_warmup_steps=10, num_training_steps=110)
    >>> schedule(5), schedule(10), schedule(60), schedule(200)
    (0.0005, 0.001, 0.0005, 0.0)
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Mapping

from lrkit._combinators import Join, Shift, Warmup
from lrkit._cyclic import CosineWave
from lrkit._decay import Constant, LinearDecay
from lrkit._keras_family import CosineDecayRestarts, PolynomialDecay
from lrkit._modern import InverseSqrtDecay, WarmupStableDecay
from lrkit._plateau import ReduceOnPlateau
from lrkit._schedule import LearningRateSchedule
from lrkit._validation import (
    check_choice,
    check_fraction,
    check_int,
    check_number,
    check_rate,
    check_steps,
    show,
)

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

_SHAPES = ("linear", "cosine", "1-sqrt")


# -- helpers ---------------------------------------------------------------------


def _steps(owner: str, name: str, value: Any) -> int:
    return check_int(owner, name, value, minimum=0)


def _non_negative(owner: str, name: str, value: Any) -> float:
    return check_number(owner, name, value, minimum=0.0)


def _checked_run(
    owner: str, learning_rate: Any, num_warmup_steps: Any, num_training_steps: Any
) -> tuple[float, int, int]:
    """The checked ``learning_rate``, ``num_warmup_steps`` and ``num_training_steps``."""
    return (
        check_rate(owner, "learning_rate", learning_rate),
        _steps(owner, "num_warmup_steps", num_warmup_steps),
        _steps(owner, "num_training_steps", num_training_steps),
    )


def _resumed(owner: str, schedule: LearningRateSchedule, last_epoch: Any) -> LearningRateSchedule:
    """``LambdaLR(..., last_epoch=k)`` starts at step ``k + 1``: a :class:`~lrkit.Shift`."""
    start = check_int(owner, "last_epoch", last_epoch, minimum=-1) + 1
    return Shift(schedule, start) if start > 0 else schedule


def _warmed(lr: float, warmup: int, after: LearningRateSchedule) -> LearningRateSchedule:
    """``lr * t / warmup`` for ``t < warmup``, then ``after(t - warmup)``.

    A :class:`~lrkit.Warmup` where ``after`` starts at ``lr``; where it does
    not (transformers' decays that are over by the end of the warmup), a
    :class:`~lrkit.Join` of the ramp and ``after``.
    """
    if warmup == 0:
        return after
    if math.isclose(after(0), lr, rel_tol=1e-12):
        return Warmup(after, warmup)
    return Join([LinearDecay(0.0, warmup, lr), after], [warmup])


def _min_lr_rate(owner: str, lr: float, min_lr: Any, min_lr_rate: Any) -> float:
    """transformers' ``min_lr`` / ``min_lr_rate`` rule: exactly one of them, as a rate."""
    if min_lr is not None and min_lr_rate is not None:
        raise ValueError(
            f"{owner}: only one of min_lr or min_lr_rate should be set, "
            f"got min_lr={show(min_lr)} and min_lr_rate={show(min_lr_rate)}"
        )
    if min_lr is not None:
        floor = _non_negative(owner, "min_lr", min_lr)
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
    return _non_negative(owner, "min_lr_rate", min_lr_rate)


def _cosine(
    owner: str, lr: float, period: int | float, num_cycles: Any, floor_rate: float = 0.0
) -> LearningRateSchedule:
    r"""transformers' unclamped cosine, :math:`\tfrac12(1 + \cos 2\pi n u / D)`, to the floor."""
    cycles = _non_negative(owner, "num_cycles", num_cycles)
    if cycles == 0.0:
        return Constant(lr)
    return CosineWave(lr, period / (2.0 * cycles), end_learning_rate=lr * floor_rate)


# -- constant and linear ---------------------------------------------------------


def get_constant_schedule(learning_rate: float, last_epoch: int = -1) -> LearningRateSchedule:
    """transformers' ``get_constant_schedule``: ``learning_rate`` at every step.

    .. math:: \\eta(t) = \\eta

    Example:
        >>> get_constant_schedule(1e-3)(1000)
        0.001
    """
    owner = "get_constant_schedule"
    schedule = Constant(check_rate(owner, "learning_rate", learning_rate))
    _resumed(owner, schedule, last_epoch)  # checks last_epoch; a constant needs no shift
    return schedule


def get_constant_schedule_with_warmup(
    learning_rate: float, num_warmup_steps: int, last_epoch: int = -1
) -> LearningRateSchedule:
    r"""transformers' ``get_constant_schedule_with_warmup``.

    .. math:: \eta(t) = \eta \min(t / W, 1)

    :class:`~lrkit.Warmup` of a :class:`~lrkit.Constant` (the constant alone
    for ``W = 0``).

    Example:
        >>> schedule = get_constant_schedule_with_warmup(1e-3, num_warmup_steps=4)
        >>> schedule(1), schedule(4), schedule(100)
        (0.00025, 0.001, 0.001)
    """
    owner = "get_constant_schedule_with_warmup"
    lr = check_rate(owner, "learning_rate", learning_rate)
    warmup = _steps(owner, "num_warmup_steps", num_warmup_steps)
    return _resumed(owner, _warmed(lr, warmup, Constant(lr)), last_epoch)


def get_linear_schedule_with_warmup(
    learning_rate: float, num_warmup_steps: int, num_training_steps: int, last_epoch: int = -1
) -> LearningRateSchedule:
    r"""transformers' ``get_linear_schedule_with_warmup``: warmup, then a line to 0 at ``N``.

    .. math:: \eta(t) = \eta\, t / W \ (t < W), \qquad
        \eta \max\Bigl(0, \frac{N - t}{\max(1, N - W)}\Bigr) \ (t \ge W)

    ``Warmup(LinearDecay(lr, N - W), W)``; with ``N <= W`` the rate drops to
    0 at the end of the warmup, as in transformers.

    Example:
        >>> schedule = get_linear_schedule_with_warmup(1e-3, 10, 110)
        >>> schedule(5), schedule(60), schedule(110)
        (0.0005, 0.0005, 0.0)
    """
    owner = "get_linear_schedule_with_warmup"
    lr, warmup, total = _checked_run(owner, learning_rate, num_warmup_steps, num_training_steps)
    after = LinearDecay(lr, total - warmup) if total > warmup else Constant(0.0)
    return _resumed(owner, _warmed(lr, warmup, after), last_epoch)


# -- cosine ----------------------------------------------------------------------


def get_cosine_schedule_with_warmup(
    learning_rate: float,
    num_warmup_steps: int,
    num_training_steps: int,
    num_cycles: float = 0.5,
    last_epoch: int = -1,
) -> LearningRateSchedule:
    r"""transformers' ``get_cosine_schedule_with_warmup``: warmup, then a cosine wave.

    With :math:`D = \max(1, N - W)` and :math:`n` = ``num_cycles``:

    .. math:: \eta(t) = \eta\, t / W \ (t < W), \qquad
        \eta\,\tfrac12\bigl(1 + \cos(2\pi n (t - W) / D)\bigr) \ (t \ge W)

    The cosine is not clamped: past ``N`` it rises again (``n = 0.5`` reaches
    0 at ``N`` and ``lr`` at ``2N - W``), so it is a :class:`~lrkit.CosineWave`
    of half-period :math:`D / 2n` after a :class:`~lrkit.Warmup`.

    Example:
        >>> schedule = get_cosine_schedule_with_warmup(1e-3, 10, 110)
        >>> schedule(10), schedule(60), schedule(110), schedule(210)
        (0.001, 0.0005, 0.0, 0.001)
    """
    owner = "get_cosine_schedule_with_warmup"
    lr, warmup, total = _checked_run(owner, learning_rate, num_warmup_steps, num_training_steps)
    after = _cosine(owner, lr, max(1, total - warmup), num_cycles)
    return _resumed(owner, _warmed(lr, warmup, after), last_epoch)


def get_cosine_with_hard_restarts_schedule_with_warmup(
    learning_rate: float,
    num_warmup_steps: int,
    num_training_steps: int,
    num_cycles: float = 1,
    last_epoch: int = -1,
) -> LearningRateSchedule:
    r"""transformers' ``get_cosine_with_hard_restarts_schedule_with_warmup``.

    With :math:`D = \max(1, N - W)`, :math:`p = (t - W) / D` and :math:`n` =
    ``num_cycles``, after the warmup:

    .. math:: \eta(t) = \eta\,\tfrac12\bigl(1 + \cos(\pi \operatorname{frac}(n p))\bigr)
        \ (p < 1), \qquad 0 \ (p \ge 1)

    :class:`~lrkit.CosineDecayRestarts` with periods of :math:`D / n` steps
    (``t_mul=1``), then 0 from ``N`` on (a :class:`~lrkit.Join`), after a
    :class:`~lrkit.Warmup`; ``n = 0`` holds ``lr`` until ``N``. At a restart
    step transformers' product :math:`n p` may round to just below a whole
    number for some non-integer ``n`` (3.3, for example), giving 0 where lrkit
    restarts at ``lr``.

    Example:
        >>> schedule = get_cosine_with_hard_restarts_schedule_with_warmup(1e-3, 0, 100, 2)
        >>> schedule(25), schedule(50), schedule(100)
        (0.0005, 0.001, 0.0)
    """
    owner = "get_cosine_with_hard_restarts_schedule_with_warmup"
    lr, warmup, total = _checked_run(owner, learning_rate, num_warmup_steps, num_training_steps)
    cycles = _non_negative(owner, "num_cycles", num_cycles)
    span = max(1, total - warmup)
    if cycles == 0.0:
        cosine: LearningRateSchedule = Constant(lr)
    else:
        cosine = CosineDecayRestarts(lr, span / cycles, t_mul=1.0)
    after = Join([cosine, Constant(0.0)], [span])
    return _resumed(owner, _warmed(lr, warmup, after), last_epoch)


def get_cosine_with_min_lr_schedule_with_warmup(
    learning_rate: float,
    num_warmup_steps: int,
    num_training_steps: int,
    num_cycles: float = 0.5,
    last_epoch: int = -1,
    min_lr: float | None = None,
    min_lr_rate: float | None = None,
) -> LearningRateSchedule:
    r"""transformers' ``get_cosine_with_min_lr_schedule_with_warmup``: a cosine down to a floor.

    With :math:`D = \max(1, N - W)`, :math:`n` = ``num_cycles`` and the floor
    rate :math:`r` (``min_lr_rate``, or ``min_lr / learning_rate``; exactly
    one of the two must be given):

    .. math:: \eta(t) = \eta\, t / W \ (t < W), \qquad
        \eta\bigl(r + (1 - r)\tfrac12(1 + \cos(2\pi n (t - W) / D))\bigr) \ (t \ge W)

    A :class:`~lrkit.CosineWave` from ``lr`` to ``r * lr`` after a
    :class:`~lrkit.Warmup`; not clamped past ``N``, as in transformers.

    Example:
        >>> schedule = get_cosine_with_min_lr_schedule_with_warmup(1e-3, 0, 100, min_lr=1e-4)
        >>> round(schedule(50), 12), round(schedule(100), 12)
        (0.00055, 0.0001)
    """
    owner = "get_cosine_with_min_lr_schedule_with_warmup"
    lr, warmup, total = _checked_run(owner, learning_rate, num_warmup_steps, num_training_steps)
    rate = _min_lr_rate(owner, lr, min_lr, min_lr_rate)
    after = _cosine(owner, lr, max(1, total - warmup), num_cycles, rate)
    return _resumed(owner, _warmed(lr, warmup, after), last_epoch)


def get_cosine_with_min_lr_schedule_with_warmup_lr_rate(
    learning_rate: float,
    num_warmup_steps: int,
    num_training_steps: int,
    num_cycles: float = 0.5,
    last_epoch: int = -1,
    min_lr: float | None = None,
    min_lr_rate: float | None = None,
    warmup_lr_rate: float | None = None,
) -> LearningRateSchedule:
    r"""transformers' ``get_cosine_with_min_lr_schedule_with_warmup_lr_rate``.

    The ``"cosine_warmup_with_min_lr"`` of :func:`get_scheduler`.

    As :func:`get_cosine_with_min_lr_schedule_with_warmup`, one step ahead.
    With :math:`D = \max(1, N - W)`, the floor rate :math:`r` and
    :math:`c(u) = r + (1 - r)\tfrac12(1 + \cos(2\pi n u / D))`:

    .. math:: \eta(t) = \eta \frac{t + 1}{\max(1, W)} \ (t < W), \qquad
        \eta\, c(t - W + 1) \ (t \ge W)

    and with ``warmup_lr_rate`` :math:`w` the warmup is
    :math:`\eta\bigl(w + (1 - w)\, t / \max(1, W - 1)\bigr)` instead. The
    first case is the cosine schedule under a :class:`~lrkit.Shift` of one
    step; the second a :class:`~lrkit.Warmup` of ``W - 1`` steps from
    ``w * lr`` to the cosine (:class:`~lrkit.CosineWave`), which starts at
    step ``W - 1``.

    Example:
        >>> schedule = get_cosine_with_min_lr_schedule_with_warmup_lr_rate(
        ...     1e-3, 4, 104, min_lr_rate=0.1)
        >>> schedule(0), schedule(3), round(schedule(53), 12)
        (0.00025, 0.001, 0.00055)
    """
    owner = "get_cosine_with_min_lr_schedule_with_warmup_lr_rate"
    lr, warmup, total = _checked_run(owner, learning_rate, num_warmup_steps, num_training_steps)
    rate = _min_lr_rate(owner, lr, min_lr, min_lr_rate)
    cosine = _cosine(owner, lr, max(1, total - warmup), num_cycles, rate)
    if warmup_lr_rate is None or warmup == 0:
        if warmup_lr_rate is not None:
            _non_negative(owner, "warmup_lr_rate", warmup_lr_rate)
        schedule: LearningRateSchedule = Shift(_warmed(lr, warmup, cosine), 1)
    else:
        start = lr * _non_negative(owner, "warmup_lr_rate", warmup_lr_rate)
        if warmup == 1:  # the warmup is step 0 alone; the cosine is at c(t) after it
            schedule = Join([Constant(start), Shift(cosine, 1)], [1])
        else:
            schedule = Warmup(cosine, warmup - 1, initial_learning_rate=start)
    return _resumed(owner, schedule, last_epoch)


# -- polynomial and inverse square root ------------------------------------------


def get_polynomial_decay_schedule_with_warmup(
    learning_rate: float,
    num_warmup_steps: int,
    num_training_steps: int,
    lr_end: float = 1e-7,
    power: float = 1.0,
    last_epoch: int = -1,
) -> LearningRateSchedule:
    r"""transformers' ``get_polynomial_decay_schedule_with_warmup``.

    With :math:`\eta_e` = ``lr_end`` and :math:`p` = ``power``:

    .. math:: \eta(t) = \eta\, t / W \ (t < W), \qquad
        (\eta - \eta_e)\Bigl(1 - \frac{t - W}{N - W}\Bigr)^{p} + \eta_e \ (W \le t \le N),
        \qquad \eta_e \ (t > N)

    ``Warmup(PolynomialDecay(lr, N - W, lr_end, power), W)``. ``lr_end`` must
    be below ``learning_rate`` (transformers raises ``ValueError`` too). With
    ``power=0`` the rate stays ``lr`` through step ``N`` and is ``lr_end``
    after it; with ``N < W`` it is ``lr_end`` from the end of the warmup on.
    ``N == W`` is refused: transformers divides by zero at step ``N``.

    Example:
        >>> schedule = get_polynomial_decay_schedule_with_warmup(1e-3, 0, 100, lr_end=0.0, power=2)
        >>> schedule(50), schedule(100)
        (0.00025, 0.0)
    """
    owner = "get_polynomial_decay_schedule_with_warmup"
    lr, warmup, total = _checked_run(owner, learning_rate, num_warmup_steps, num_training_steps)
    end = _non_negative(owner, "lr_end", lr_end)
    exponent = _non_negative(owner, "power", power)
    if not lr > end:
        raise ValueError(
            f"{owner}: lr_end must be smaller than learning_rate ({show(lr)}), got {show(lr_end)}"
        )
    if total == warmup:
        raise ValueError(
            f"{owner}: num_training_steps must differ from num_warmup_steps ({show(warmup)}): "
            f"transformers divides by zero at step {total}, got {show(num_training_steps)}"
        )
    span = total - warmup
    if span < 0:
        after: LearningRateSchedule = Constant(end)
    elif exponent == 0.0:  # 0 ** 0 == 1: the rate is lr at step N too
        after = Join([Constant(lr), Constant(end)], [span + 1])
    else:
        after = PolynomialDecay(lr, span, end_learning_rate=end, power=exponent)
    return _resumed(owner, _warmed(lr, warmup, after), last_epoch)


def get_inverse_sqrt_schedule(
    learning_rate: float,
    num_warmup_steps: int,
    timescale: int | float | None = None,
    last_epoch: int = -1,
) -> LearningRateSchedule:
    r"""transformers' ``get_inverse_sqrt_schedule``: warmup, then :math:`1/\sqrt{t}` decay.

    With :math:`\tau` = ``timescale`` (default ``W``, or 10,000 when ``W = 0``):

    .. math:: \eta(t) = \eta\, t / W \ (t < W), \qquad
        \eta \Big/ \sqrt{(t - W + \tau) / \tau} \ (t \ge W)

    :class:`~lrkit.InverseSqrtDecay` ``(lr, warmup_steps=W, timescale=timescale)``.

    Example:
        >>> schedule = get_inverse_sqrt_schedule(1e-3, num_warmup_steps=100)
        >>> schedule(50), schedule(100), schedule(400)
        (0.0005, 0.001, 0.0005)
    """
    owner = "get_inverse_sqrt_schedule"
    lr = check_rate(owner, "learning_rate", learning_rate)
    warmup = _steps(owner, "num_warmup_steps", num_warmup_steps)
    scale = None if timescale is None else check_steps(owner, "timescale", timescale)
    schedule = InverseSqrtDecay(lr, warmup_steps=warmup, timescale=scale)
    return _resumed(owner, schedule, last_epoch)


# -- warmup-stable-decay ---------------------------------------------------------


def get_wsd_schedule(
    learning_rate: float,
    num_warmup_steps: int,
    num_decay_steps: int,
    num_training_steps: int | None = None,
    num_stable_steps: int | None = None,
    warmup_type: str = "linear",
    decay_type: str = "cosine",
    min_lr_ratio: float = 0,
    num_cycles: float = 0.5,
    last_epoch: int = -1,
) -> LearningRateSchedule:
    r"""transformers' ``get_wsd_schedule``: warmup, a plateau, a decay, then the floor.

    With :math:`W`, :math:`S`, :math:`D` the warmup, stable and decay steps
    (:math:`S` = ``num_stable_steps``, or ``num_training_steps - W - D``) and
    :math:`r` = ``min_lr_ratio``: from :math:`r\eta` up to :math:`\eta` over
    :math:`W` steps (shape ``warmup_type``), :math:`\eta` for :math:`S`
    steps, down to :math:`r\eta` over :math:`D` steps (shape ``decay_type``,
    ``"cosine"`` with ``num_cycles``), then :math:`r\eta`:
    :class:`~lrkit.WarmupStableDecay` ``(lr, W, S, D, initial_learning_rate=r *
    lr, alpha=r, decay_shape=decay_type, warmup_shape=warmup_type,
    num_cycles=num_cycles)``.

    One of ``num_training_steps`` and ``num_stable_steps`` is required; with
    both, ``num_stable_steps`` wins and a ``UserWarning`` says so, as in
    transformers. A negative :math:`S` (``num_training_steps < W + D``) starts
    the decay :math:`-S` steps in at the end of the warmup, as transformers
    does (a :class:`~lrkit.Join` with a :class:`~lrkit.Shift`).

    Example:
        >>> schedule = get_wsd_schedule(1e-3, 10, 20, num_training_steps=100, decay_type="linear")
        >>> schedule(5), schedule(50), schedule(90), schedule(100)
        (0.0005, 0.001, 0.0005, 0.0)
    """
    owner = "get_wsd_schedule"
    lr = check_rate(owner, "learning_rate", learning_rate)
    warmup = _steps(owner, "num_warmup_steps", num_warmup_steps)
    decay = _steps(owner, "num_decay_steps", num_decay_steps)
    if num_training_steps is None and num_stable_steps is None:
        raise ValueError(
            f"{owner}: either num_training_steps or num_stable_steps must be specified, "
            "got None for both"
        )
    if num_stable_steps is None:
        stable = _steps(owner, "num_training_steps", num_training_steps) - warmup - decay
    else:
        stable = check_int(owner, "num_stable_steps", num_stable_steps)
        if num_training_steps is not None:
            _steps(owner, "num_training_steps", num_training_steps)
            warnings.warn(
                "Both num_training_steps and num_stable_steps are specified. "
                "num_stable_steps will be used.",
                UserWarning,
                stacklevel=2,
            )
    shapes: dict[str, Any] = {
        "warmup_shape": check_choice(owner, "warmup_type", warmup_type, _SHAPES),
        "decay_shape": check_choice(owner, "decay_type", decay_type, _SHAPES),
        "alpha": check_fraction(owner, "min_lr_ratio", min_lr_ratio),
        "num_cycles": _non_negative(owner, "num_cycles", num_cycles),
    }
    start = shapes["alpha"] * lr
    if stable >= 0:
        schedule: LearningRateSchedule = WarmupStableDecay(
            lr, warmup, stable, decay, initial_learning_rate=start, **shapes
        )
    else:
        tail = Shift(WarmupStableDecay(lr, 0, 0, decay, **shapes), -stable)
        if warmup == 0:
            schedule = tail
        else:
            head = WarmupStableDecay(lr, warmup, 0, 0, initial_learning_rate=start, **shapes)
            schedule = Join([head, tail], [warmup])
    return _resumed(owner, schedule, last_epoch)


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


#: Names transformers knows whose rate is not a function of the step, and why.
_REFUSED: dict[str, str] = {
    "greedy": (
        "is transformers' GreedyLR: it raises or cuts the rate as a monitored metric improves "
        "or stalls, so it is not a function of the step; lrkit.ReduceOnPlateau covers the "
        "cutting half"
    ),
}


def get_scheduler(
    name: Any,
    learning_rate: float,
    num_warmup_steps: int | None = None,
    num_training_steps: int | None = None,
    scheduler_specific_kwargs: Mapping[str, Any] | None = None,
) -> LearningRateSchedule:
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
