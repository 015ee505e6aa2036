"""torch's ``SequentialLR`` and ``ChainedScheduler`` over lrkit schedules.

Part of :mod:`lrkit.compat.torch`, where these functions are documented and
exported. Their children are the schedules the other functions there return;
the shape of each tells which torch scheduler it stands for.

torch composes its schedulers by their kind (a chainable one scales the
group's rate, a closed-form one overwrites it, a ``SequentialLR`` cannot be
restarted), and a schedule does not remember which function built it. So
the helpers below recognise the structures this module's own functions
return (``ConstantLR``'s ``Join`` of two ``Constant``, ``OneCycleLR``'s
``OneCycle``, ``ChainedScheduler``'s ``Product`` of ``Scale``...): these
class tests are about those recipes, not about a family's shape, which the
schedules describe themselves (``_horizon``, ``_phase_boundaries``).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

from lrkit._combinators.composition import Join, Product, Scale
from lrkit._core.schedule import LearningRateSchedule
from lrkit._core.validation import check_rate, check_schedules, show
from lrkit._families.cycles import CosineWave, OneCycle
from lrkit._families.decays import Constant, LinearDecay, MultiStepDecay, StepDecay
from lrkit._families.keras_decays import ExponentialDecay, PolynomialDecay
from lrkit.compat._drive import drop_in, is_optimizer, is_scheduler
from lrkit.compat._toolkit import steps_argument
from lrkit.compat._torch_drive import chained_driver, sequential_driver

__all__ = ["ChainedScheduler", "SequentialLR"]


def _constant_lr_end(schedule: LearningRateSchedule) -> tuple[float, float] | None:
    """(``total_iters``, the rate after it) if ``schedule`` has :func:`ConstantLR`'s shape."""
    if isinstance(schedule, Join) and len(schedule.schedules) == 2:
        first, last = schedule.schedules
        if isinstance(first, Constant) and isinstance(last, Constant):
            return schedule.boundaries[0], last.learning_rate
    return None


#: What each chainable function returns (``StepLR``, ``MultiStepLR``,
#: ``LinearLR``, ``ExponentialLR``, ``PolynomialLR``; ``ConstantLR``'s
#: ``Join`` is told by :func:`_constant_lr_end`).
_CHAINABLE = (StepDecay, MultiStepDecay, LinearDecay, ExponentialDecay, PolynomialDecay)


def _recipe(schedule: LearningRateSchedule) -> str | None:
    """The torch scheduler whose structure ``schedule`` has, where torch composes by it.

    ``"ChainedScheduler"`` (see :func:`_chained_parts`), ``"ConstantLR"``,
    ``"OneCycleLR"`` (a ``OneCycle``, or a ``Join`` that starts with one),
    ``"SequentialLR"`` (any other ``Join``), ``"chainable"`` (what the other
    chainable functions return), ``"CosineAnnealingLR"`` (a ``CosineWave``),
    or None: the one place that knows these structures.
    """
    if _chained_parts(schedule) is not None:
        return "ChainedScheduler"
    if isinstance(schedule, Join):
        if _constant_lr_end(schedule) is not None:
            return "ConstantLR"
        return "OneCycleLR" if isinstance(schedule.schedules[0], OneCycle) else "SequentialLR"
    if isinstance(schedule, _CHAINABLE):
        return "chainable"
    if isinstance(schedule, CosineWave):
        return "CosineAnnealingLR"
    return "OneCycleLR" if isinstance(schedule, OneCycle) else None


def _restartable(schedule: LearningRateSchedule) -> bool:
    """Whether torch's ``SequentialLR`` can restart it: not a nested sequence or chain."""
    return _recipe(schedule) not in ("SequentialLR", "ChainedScheduler")


def _chained_parts(schedule: LearningRateSchedule) -> list[LearningRateSchedule] | None:
    """The children if ``schedule`` has :func:`ChainedScheduler`'s shape.

    That is ``Product([s_1, Scale(s_2, 1 / b), ..., Scale(s_n, 1 / b)])``,
    or the ``Scale(Product(children), b ** (1 - n))`` of earlier versions.
    """
    if isinstance(schedule, Scale) and isinstance(schedule.schedule, Product):
        return schedule.schedule.schedules
    if isinstance(schedule, Product) and len(schedule.schedules) > 1:
        first, *rest = schedule.schedules
        scales = [s for s in rest if isinstance(s, Scale)]
        if len(scales) == len(rest) and all(s.factor == scales[0].factor for s in scales):
            return [first, *(s.schedule for s in scales)]
    return None


@drop_in(sequential_driver, replaces="base_lr")
def SequentialLR(
    base_lr: float | None,
    schedulers: list[LearningRateSchedule],
    milestones: list[int],
) -> LearningRateSchedule:
    r"""torch's ``SequentialLR``: each child restarts at its milestone, as :class:`~lrkit.Join`.

    Child :math:`i` runs on the local step :math:`t - m_{i-1}` from milestone
    :math:`m_{i-1}` on (the first from step 0). This is what torch does
    through its history: when built, it resets the group's rate to its
    initial rate, takes back the construction step of every child and
    restarts the child active at step 0; at each milestone it restarts the
    next child at its local step 0 on that child's closed form, and steps it
    (recursively) from there. A milestone 0 puts the second child in charge
    from the start; of children sharing a milestone, the last one runs.

    Contract: ``schedulers`` are schedules returned by the other functions
    of this module, each built with the ``base_lr`` torch gives that child,
    the group's ``initial_lr``. That is the optimizer's rate, unless a
    ``CyclicLR`` was the first scheduler built on it (its ``base_lr``) or a
    ``OneCycleLR`` was built before (``max_lr / div_factor``); torch also
    starts the first child from the ``initial_lr`` left by all of them. A
    ``ChainedScheduler`` child runs from step 0 (first, or after milestones
    0), as in torch; later, or a ``SequentialLR`` child anywhere, is refused,
    as torch cannot restart one (it raises ``NotImplementedError`` at the
    milestone).

    Called as torch's ``SequentialLR(optimizer, schedulers, milestones)``,
    with schedulers built by this module on that optimizer, it returns an
    :class:`lrkit.torch.LRScheduler` driving the optimizer.

    Args:
        base_lr: the group's rate; unused, as each child carries its own
            (may be None).
        schedulers: the children, at least one.
        milestones: one integer step >= 0 per child after the first,
            non-decreasing (torch does not check the order; lrkit does).

    Example:
        >>> from lrkit.compat.torch import ConstantLR, ExponentialLR
        >>> warmup = ConstantLR(0.1, factor=0.5, total_iters=10)
        >>> schedule = SequentialLR(0.1, [warmup, ExponentialLR(0.1, 0.5)], milestones=[2])
        >>> [schedule(t) for t in (0, 1, 2, 3)]
        [0.05, 0.05, 0.1, 0.05]
    """
    owner = "SequentialLR"
    if base_lr is not None:
        check_rate(owner, "base_lr", base_lr)
    children = check_schedules(owner, "schedulers", schedulers)
    if isinstance(milestones, (str, bytes)) or not isinstance(milestones, Iterable):
        raise TypeError(
            f"{owner}: milestones must be a list of integers, got {show(milestones)} "
            f"of type {type(milestones).__name__}"
        )
    steps = [steps_argument(owner, f"milestones[{i}]", m) for i, m in enumerate(milestones)]
    if len(steps) != len(children) - 1:
        raise ValueError(
            f"{owner}: milestones must have one entry fewer than schedulers, "
            f"got {show(milestones)} for {len(children)} schedulers"
        )
    for i, child in enumerate(children):
        # A chain runs from step 0 (torch steps it there) but cannot restart later.
        starts_at_0 = all(step == 0 for step in steps[:i])
        if not _restartable(child) and not (starts_at_0 and _chained_parts(child)):
            raise ValueError(
                f"{owner}: schedulers[{i}] must not be a SequentialLR, or a ChainedScheduler "
                f"that starts after step 0 (torch cannot restart one), got {show(child)}"
            )
    parts, boundaries = [children[0]], list[int | float]()  # Join's boundaries: steps
    for i, (step, child) in enumerate(zip(steps, children[1:], strict=True)):
        if boundaries and step < boundaries[-1]:
            raise ValueError(
                f"{owner}: milestones must be non-decreasing, got {show(milestones)} "
                f"(milestones[{i}]={step!r} follows {boundaries[-1]!r})"
            )
        if boundaries and step == boundaries[-1]:
            parts[-1] = child  # the earlier child never runs
        else:
            parts.append(child)
            boundaries.append(step)
    return Join(parts, boundaries) if boundaries else parts[0]


def _settles_at(schedule: LearningRateSchedule, rate: float, step: float) -> bool:
    """Whether a chainable child is ``rate`` (factor 1) from ``step`` on."""
    constant = _constant_lr_end(schedule)
    if constant is not None:
        return constant[0] <= step and constant[1] == rate
    if isinstance(schedule, LinearDecay):
        return schedule.decay_steps <= step and schedule.end_learning_rate == rate
    return False


def _chained_factors(children: list[LearningRateSchedule]) -> list[LearningRateSchedule]:
    """The children, with nested ``ChainedScheduler`` results flattened."""
    factors: list[LearningRateSchedule] = []
    for child in children:
        factors.extend(_chained_parts(child) or [child])
    return factors


def ChainedScheduler(
    schedulers: list[Any], base_lr: float | None = None, optimizer: Any = None
) -> Any:
    r"""torch's ``ChainedScheduler``: the product of chainable schedulers' factors.

    torch calls every child's ``step()`` at each step, and each chainable
    child multiplies the group's current rate by its own ratio of successive
    factors, so the rate is :math:`b \prod_i (s_i(t) / b)`: a
    :class:`~lrkit.Product` of the first child and the others divided by
    :math:`b` (``Scale(s_i, 1 / b)``), each factor near 1, so that no
    intermediate product overflows or underflows however many children and
    however small or large :math:`b`.

    Contract: ``schedulers`` are schedules returned by this module's
    ``StepLR``, ``MultiStepLR``, ``ConstantLR``, ``LinearLR``,
    ``ExponentialLR``, ``PolynomialLR`` or ``ChainedScheduler``, all built
    with the same ``base_lr`` :math:`b`. A ``CosineAnnealingLR`` child is
    accepted when ``eta_min=0`` and every other child is back at factor 1
    (a ``ConstantLR``, or a ``LinearLR`` with ``end_factor=1``) by its
    ``T_max``: torch restarts that cosine from its own :math:`b` after each
    trough, dropping the other factors, which then equal 1 anyway. Other
    children are refused: torch's closed-form schedulers (``CyclicLR``,
    ``OneCycleLR``, ``CosineAnnealingWarmRestarts``, ``SequentialLR``)
    overwrite the rate instead of scaling it. A single child is returned as
    it is.

    Called as torch's ``ChainedScheduler(schedulers, optimizer=None)``, with
    schedulers built by this module on an optimizer, it returns an
    :class:`lrkit.torch.LRScheduler` driving that optimizer.

    Args:
        schedulers: the children, at least one.
        base_lr: :math:`b`, the group's rate (required with schedules).
        optimizer: torch's argument: the optimizer of the drop-in form.

    Example:
        >>> from lrkit.compat.torch import ConstantLR, ExponentialLR
        >>> chained = ChainedScheduler(
        ...     [ConstantLR(0.1, factor=0.1, total_iters=2), ExponentialLR(0.1, 0.9)], base_lr=0.1
        ... )
        >>> [round(chained(t), 6) for t in (0, 1, 2, 3)]
        [0.01, 0.009, 0.081, 0.0729]
    """
    owner = "ChainedScheduler"
    children_given = isinstance(schedulers, (list, tuple)) and any(
        is_scheduler(child) for child in schedulers
    )
    if optimizer is not None or is_optimizer(base_lr) or children_given:
        return chained_driver(_chained_schedule, schedulers, optimizer or base_lr)
    if base_lr is None:
        raise TypeError(
            f"{owner}: base_lr is required with schedules (the group's rate), got None; "
            "or pass schedulers built on a torch optimizer"
        )
    return _chained_schedule(schedulers, base_lr)


def _chained_schedule(schedulers: Any, base_lr: Any) -> LearningRateSchedule:
    owner = "ChainedScheduler"
    children = check_schedules(owner, "schedulers", schedulers)
    base_lr = check_rate(owner, "base_lr", base_lr)
    if len(children) == 1:
        return children[0]
    factors = _chained_factors(children)
    recipes = [_recipe(factor) for factor in factors]
    waves = [i for i, recipe in enumerate(recipes) if recipe == "CosineAnnealingLR"]
    for i, (factor, recipe) in enumerate(zip(factors, recipes, strict=True)):
        if recipe in ("chainable", "ConstantLR"):
            continue
        if waves == [i] and isinstance(factor, CosineWave) and factor.end_learning_rate == 0:
            others = [other for j, other in enumerate(factors) if j != i]
            if all(_settles_at(other, base_lr, factor.decay_steps) for other in others):
                continue
            raise ValueError(
                f"{owner}: a CosineAnnealingLR needs every other scheduler back at "
                f"base_lr by its T_max (torch restarts the cosine without them), "
                f"got {show(factor)} with {show(others)}"
            )
        raise ValueError(
            f"{owner}: schedulers must be chainable (StepLR, MultiStepLR, ConstantLR, "
            f"LinearLR, ExponentialLR, PolynomialLR, or one CosineAnnealingLR with "
            f"eta_min=0), got {show(factor)}"
        )
    inverse = 1.0 / base_lr if base_lr > 0 else 1.0
    if not math.isfinite(inverse):
        raise ValueError(
            f"{owner}: base_lr must be at least 1e-308 (its inverse scales each "
            f"scheduler's factor), got {show(base_lr)}"
        )
    first, *rest = factors
    return Product([first, *(Scale(factor, inverse) for factor in rest)])
