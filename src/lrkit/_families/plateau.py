"""``ReduceOnPlateau``: cut the rate when a monitored metric stops improving.

The one stateful schedule in lrkit. Its configuration (the constructor's
arguments) is a value like every other schedule's; the plateau bookkeeping
(the best metric so far, the bad-epoch and cooldown counters, the number of
reductions and their product) is state, kept in one
:class:`~lrkit._families.plateau_state.PlateauState` object (the ``_state``
attribute, mutated in place, never reassigned), fed by
:meth:`ReduceOnPlateau.update` and saved and restored with
:meth:`~ReduceOnPlateau.state_dict` and
:meth:`~ReduceOnPlateau.load_state_dict`.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping

from lrkit._core import parameters as p
from lrkit._core.arrays import ScalarOps, keep_nan
from lrkit._core.schedule import INF, LearningRateSchedule
from lrkit._core.serialization import builtin
from lrkit._core.validation import check_number, check_rate, show
from lrkit._families.plateau_state import PlateauRule, PlateauState, parse_state

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


__all__ = ["ReduceOnPlateau"]


def _base_rate(owner: str, name: str, value: Any) -> float | LearningRateSchedule:
    """``learning_rate``: a rate, or a schedule other than a ``ReduceOnPlateau``."""
    if isinstance(value, ReduceOnPlateau):
        raise TypeError(
            f"{owner}: {name} must be a number or a schedule other than "
            f"ReduceOnPlateau (a nested plateau's state would not be saved), "
            f"got {show(value)}"
        )
    if isinstance(value, LearningRateSchedule):
        return value
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(
            f"{owner}: {name} must be a real number or an lrkit schedule, "
            f"got {show(value)} of type {type(value).__name__}"
        )
    return check_rate(owner, name, value)


def _factor(owner: str, name: str, value: Any) -> float:
    """``factor``: a multiplier in ``(0, 1)``."""
    factor = check_number(owner, name, value, minimum=0.0, exclusive_minimum=True)
    if not factor < 1.0:
        raise ValueError(f"{owner}: {name} must be < 1, got {show(value)}")
    return factor


@builtin
class ReduceOnPlateau(LearningRateSchedule):
    r"""A rate cut by ``factor`` whenever a monitored metric stops improving.

    torch's ``ReduceLROnPlateau`` as an lrkit schedule. Feed one metric per
    evaluation with :meth:`update` (torch's ``step(metrics)``); evaluate the
    rate with ``schedule(step)`` as with any schedule.

    **The plateau rule** (torch 2.13's, exactly). A metric :math:`a` is
    better than the best so far :math:`b` when

    =========  ==============================  ==========================
    mode       ``threshold_mode="rel"``        ``threshold_mode="abs"``
    =========  ==============================  ==========================
    ``"min"``  :math:`a < b\,(1 - \theta)`     :math:`a < b - \theta`
    ``"max"``  :math:`a > b\,(1 + \theta)`     :math:`a > b + \theta`
    =========  ==============================  ==========================

    (:math:`b` starts at :math:`+\infty` in ``"min"`` mode, :math:`-\infty`
    in ``"max"``). A better metric becomes the best and zeroes the bad-epoch
    count; any other adds one. During a cooldown the bad-epoch count stays 0.
    When it exceeds ``patience``, the rate is reduced, the count is zeroed and
    a cooldown of ``cooldown`` updates starts.

    **The rate.** With :math:`k` reductions applied and :math:`m` =
    ``min_lr``:

    * a number :math:`\eta` (torch's optimizer lr): the rate is
      :math:`r_k = \min(\eta, \max(\eta f^k, m))`, with :math:`\eta f^k`
      the product ``eta * f * ... * f`` taken left to right, as torch's
      repeated ``lr * factor``: torch's rates to the last bit. A reduction is
      applied only if :math:`r_k - r_{k+1} > \varepsilon` (torch's ``eps``),
      so once one is skipped the rate stays for good.
    * a schedule :math:`s`: the rate is

      .. math:: \eta(t) = \min\bigl(s(t),\ \max(s(t)\,f^k,\ m)\bigr)

      the schedule scaled by every reduction so far, never cut below
      ``min_lr`` by a reduction and never raised above :math:`s(t)` by the
      floor (a warmup from 0 still starts at 0). Here ``eps`` guards the
      multiplier, as if the schedule were the constant rate 1: a reduction
      applies only if :math:`f^k - f^{k+1} > \varepsilon`: the rate depends
      on the step, so there is no single current rate to compare with
      ``eps`` at :meth:`update` time; the multiplier is what a reduction
      changes.

    Non-finite metrics follow torch: NaN is never better, so it counts as a
    bad epoch and the best metric is left as it was; :math:`+\infty` is a bad
    epoch in ``"min"`` mode, and :math:`-\infty` is an improvement after which
    no metric is better (every later update is a bad epoch).

    **Config and state.** ``get_config()``, equality and hashing cover the
    constructor's arguments only (a schedule equals a fresh one with the same
    arguments, whatever metrics it has seen); the state travels through
    :meth:`state_dict` / :meth:`load_state_dict`, and with ``copy.deepcopy``
    and ``pickle``. ``schedule(step)`` reads the state at call time; under
    ``jax.jit`` it is a constant of the trace, so evaluate the rate outside
    the jitted step and pass it in.

    Args:
        learning_rate: the rate before any reduction: a number
            :math:`\eta \ge 0` or an lrkit schedule :math:`s` (not itself a
            ``ReduceOnPlateau``).
        mode: ``"min"`` (lower metrics are better, e.g. a loss) or ``"max"``
            (e.g. an accuracy).
        factor: :math:`f`, the multiplier of each reduction, :math:`0 < f < 1`.
        patience: the number of bad epochs tolerated before a reduction
            (an integer :math:`\ge 0`; with 0, every bad epoch reduces).
        threshold: :math:`\theta \ge 0`, how much better a metric must be
            to count as an improvement.
        threshold_mode: ``"rel"`` (a fraction of the best) or ``"abs"``.
        cooldown: updates after a reduction during which bad epochs are not
            counted (an integer :math:`\ge 0`).
        min_lr: :math:`m \ge 0`, the lowest rate a reduction gives.
        eps: :math:`\varepsilon \ge 0`, the smallest change a reduction makes.
        name: an optional name, as Keras schedules have.

    All arguments after ``learning_rate`` are keyword-only.

    Example:
        >>> schedule = ReduceOnPlateau(0.1, patience=1)
        >>> for val_loss in [1.0, 0.5, 0.6, 0.55]:
        ...     schedule.update(val_loss)
        >>> schedule(0)
        0.010000000000000002
        >>> schedule.state_dict()["reductions"]
        1

    Reference: PyTorch ``torch.optim.lr_scheduler.ReduceLROnPlateau``.
    """

    learning_rate: float | LearningRateSchedule = p.parameter("rate or schedule", _base_rate)
    mode: str = p.choice(("min", "max"), default="min", kw_only=True)
    factor: float = p.parameter("factor", _factor, default=0.1, kw_only=True)
    patience: int = p.integer(default=10, minimum=0, kw_only=True)
    threshold: float = p.number(default=1e-4, minimum=0.0, kw_only=True)
    threshold_mode: str = p.choice(("rel", "abs"), default="rel", kw_only=True)
    cooldown: int = p.integer(default=0, minimum=0, kw_only=True)
    min_lr: float = p.rate(default=0.0, kw_only=True)
    eps: float = p.number(default=1e-8, minimum=0.0, kw_only=True)
    name: str | None = p.name(default=None, kw_only=True)

    def _derive(self) -> None:
        # The plateau bookkeeping: the one mutable part, mutated in place.
        base = self.learning_rate
        self._state = PlateauState(
            best=math.inf if self.mode == "min" else -math.inf,
            last_epoch=0,
            num_bad_epochs=0,
            cooldown_counter=0,
            reductions=0,
            scale=1.0 if isinstance(base, LearningRateSchedule) else base,
            rate=0.0 if isinstance(base, LearningRateSchedule) else base,
        )

    # -- the rate --------------------------------------------------------------

    def _reduced(self, value: Any, xp: Any) -> Any:
        """A schedule base's rate ``value`` after the reductions so far."""
        state = self._state
        if state.reductions == 0:
            return value
        return xp.minimum(value, xp.maximum(value * state.scale, self.min_lr))

    def _formula(self, step: Any, xp: Any) -> Any:
        base = self.learning_rate
        if not isinstance(base, LearningRateSchedule):
            return keep_nan(step, self._state.rate, xp)
        return self._reduced(base._formula(step, xp), xp)

    def __call__(self, step: Any = None) -> Any:
        if not ((type(step) is int and step >= 0) or (type(step) is float and 0.0 <= step < INF)):
            return self._call_other(step)
        base = self.learning_rate
        if not isinstance(base, LearningRateSchedule):
            return self._state.rate
        return self._reduced(base.__call__(step), ScalarOps)

    def _children(self) -> tuple[LearningRateSchedule, ...]:
        """The base schedule, if the rate before reductions is one."""
        base = self.learning_rate
        return (base,) if isinstance(base, LearningRateSchedule) else ()

    # -- the plateau rule --------------------------------------------------------

    def update(self, metric: Any) -> None:
        """Record one value of the monitored metric (torch's ``step(metrics)``).

        ``metric`` is a real number: a Python ``int`` or ``float``, a NumPy
        scalar, or a one-element NumPy, torch or JAX array (not a traced JAX
        value: the state lives in Python). Anything else raises ``TypeError``.
        """
        current = _metric_value(metric)
        state = self._state
        state.last_epoch += 1
        if self._is_better(current, state.best):
            state.best = current
            state.num_bad_epochs = 0
        else:
            state.num_bad_epochs += 1
        if state.cooldown_counter > 0:
            state.cooldown_counter -= 1
            state.num_bad_epochs = 0
        if state.num_bad_epochs > self.patience:
            self._reduce()
            state.cooldown_counter = self.cooldown
            state.num_bad_epochs = 0

    def _is_better(self, a: float, best: float) -> bool:
        # The same expressions as torch's, so that rounding agrees too.
        if self.mode == "min" and self.threshold_mode == "rel":
            return a < best * (1.0 - self.threshold)
        if self.mode == "min":
            return a < best - self.threshold
        if self.threshold_mode == "rel":
            return a > best * (self.threshold + 1.0)
        return a > best + self.threshold

    def _reduce(self) -> None:
        """One reduction, unless ``eps`` (or the ``min_lr`` floor) makes it a no-op."""
        state, rule = self._state, self._rule()
        candidate = state.scale * self.factor
        if rule.change(state.scale, candidate) > self.eps:
            state.reductions += 1
            state.scale = candidate
            if rule.number_base:
                state.rate = rule.rate_for(candidate)

    def _rule(self) -> PlateauRule:
        """What a saved state is checked against, and the rate of a number base."""
        base = self.learning_rate
        number_base = not isinstance(base, LearningRateSchedule)
        return PlateauRule(
            initial=base if number_base else 1.0,  # type: ignore[arg-type]
            number_base=number_base,
            factor=self.factor,
            patience=self.patience,
            cooldown=self.cooldown,
            min_lr=self.min_lr,
            eps=self.eps,
        )

    # -- state -----------------------------------------------------------------

    # Copies and pickles carry the state, each copy its own: spelt out here so
    # that they stay so whatever the base class does for immutable schedules
    # (which may share themselves when copied).
    def __copy__(self) -> ReduceOnPlateau:
        return _restore(type(self), {**self.__dict__, "_state": self._state.copy()})

    def __deepcopy__(self, memo: dict[int, Any]) -> ReduceOnPlateau:
        import copy

        return _restore(type(self), copy.deepcopy(self.__dict__, memo))

    def __reduce_ex__(self, protocol: Any) -> tuple[Any, ...]:
        return (_restore, (type(self), self.__dict__))

    @property
    def best(self) -> float:
        """The best metric so far (``inf`` in ``"min"`` mode before any update)."""
        return self._state.best

    @property
    def num_bad_epochs(self) -> int:
        """Updates since the last improvement (or reduction), as torch counts them."""
        return self._state.num_bad_epochs

    @property
    def cooldown_counter(self) -> int:
        """Updates left in the current cooldown."""
        return self._state.cooldown_counter

    @property
    def last_epoch(self) -> int:
        """The number of :meth:`update` calls so far (torch's ``last_epoch``)."""
        return self._state.last_epoch

    @property
    def reductions(self) -> int:
        """The number of reductions applied so far (:math:`k`)."""
        return self._state.reductions

    def state_dict(self) -> dict[str, Any]:
        """The plateau state, JSON-ready: ``json.dumps(..., allow_nan=False)`` works.

        Keys: ``kind`` (``"lrkit.ReduceOnPlateau"``), ``last_epoch``,
        ``best`` (a float, or the string ``"inf"`` / ``"-inf"`` while it is
        infinite, so the dict stays strict JSON), ``num_bad_epochs``,
        ``cooldown_counter``, ``reductions`` (:math:`k`) and ``scale``, the
        product of the reductions taken left to right as torch takes it
        (:math:`\\eta f \\cdots f` over a number, before the ``min_lr`` floor;
        :math:`f \\cdots f` over a schedule). The configuration is not
        included: save ``lrkit.serialize(schedule)`` beside it, or rebuild the
        schedule in code. ``lrkit.torch.LRScheduler`` saves it for every
        ``ReduceOnPlateau`` it drives.
        """
        return self._state.saved()

    def load_state_dict(self, state_dict: Mapping[str, Any]) -> None:
        """Continue from a :meth:`state_dict` (after JSON, pickle or neither).

        The constructor's arguments stay as they are: the state does not carry
        them. ``scale`` is taken as saved, so the rates continue exactly, and
        checked in closed form (never by replaying the reductions, so loading
        takes the same time whatever the numbers). Raises ``TypeError`` for a
        non-dict or wrongly typed entry and ``ValueError`` for a state of
        something else, missing or unknown keys, a NaN best, and numbers this
        configuration cannot reach (negative counters or counters above
        ``2**53``, more reductions than updates, more bad epochs than
        ``patience``, a cooldown longer than ``cooldown``, a ``scale`` other
        than ``reductions`` reductions give, or more reductions than ``eps``
        allows); the schedule is unchanged when loading fails.
        """
        owner = f"{type(self).__name__}.load_state_dict"
        self._state.copy_from(self._parse_state(owner, state_dict))

    def _parse_state(self, owner: str, state_dict: Any) -> PlateauState:
        """A checked copy of a saved state, not yet loaded (``lrkit.torch`` loads all or none)."""
        return parse_state(owner, state_dict, self._rule())


def _restore(cls: type[ReduceOnPlateau], attributes: dict[str, Any]) -> ReduceOnPlateau:
    """A ``ReduceOnPlateau`` with these attributes (copies and unpickling; no ``__init__``)."""
    schedule = cls.__new__(cls)
    schedule.__dict__.update(attributes)
    return schedule


def _metric_value(metric: Any) -> float:
    """A metric as a Python float: real numbers and one-element arrays only."""
    value = metric
    if not isinstance(value, numbers.Number) and hasattr(value, "shape"):
        shape = tuple(value.shape)
        if math.prod(shape) != 1:
            raise TypeError(
                f"ReduceOnPlateau.update: metric must be a single number, got an array of "
                f"shape {shape}"
            )
        item = getattr(value, "item", None)
        if item is None:
            raise TypeError(
                f"ReduceOnPlateau.update: metric must be a real number, got {type(metric).__name__}"
            )
        value = item()
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(
            f"ReduceOnPlateau.update: metric must be a real number, got {show(metric)} "
            f"of type {type(metric).__name__}"
        )
    try:
        return float(value)
    except OverflowError:
        raise ValueError(
            f"ReduceOnPlateau.update: metric is too large for a float, got {show(metric)}"
        ) from None
