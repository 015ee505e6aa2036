"""The mutable bookkeeping of :class:`lrkit.ReduceOnPlateau`, and its saved form.

A ``ReduceOnPlateau`` is configured once, like every schedule; what changes
as metrics arrive lives in one :class:`PlateauState` object that the schedule
owns (its ``_state`` attribute), so the schedule object itself is never
reassigned after construction. :func:`parse_state` checks a saved state
against the schedule's configuration, in time independent of the numbers in
it: the reductions are never replayed one by one, as the state carries their
product (``scale``) and that product is checked against the closed form.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping

from lrkit._core.validation import check_int, check_number, show

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

#: The ``kind`` entry of a state dict, checked when one is loaded.
STATE_KIND = "lrkit.ReduceOnPlateau"
COUNTERS = ("last_epoch", "num_bad_epochs", "cooldown_counter", "reductions")
STATE_KEYS = frozenset({"kind", "best", "scale", *COUNTERS})
#: Counters above this are refused: more updates than any run makes, and
#: beyond the integers a float (or a JSON reader) holds exactly.
COUNTER_LIMIT = 2**53
#: The smallest positive normal double, and the smallest positive double.
_TINY, _DENORMAL = 2.0**-1022, 2.0**-1074


class PlateauState:
    """What a ``ReduceOnPlateau`` has learnt from its metrics (mutated in place).

    ``scale`` is the product of the reductions so far, taken left to right as
    torch does: ``eta * f * ... * f`` over a number base ``eta`` (before the
    ``min_lr`` floor), ``f * ... * f`` over a schedule. ``rate`` is the
    current rate over a number base (0.0 over a schedule).
    """

    #: The fields (a plain class rather than ``__slots__``: it pickles at every protocol).
    FIELDS = (
        "best",
        "cooldown_counter",
        "last_epoch",
        "num_bad_epochs",
        "rate",
        "reductions",
        "scale",
    )

    def __init__(
        self,
        *,
        best: float,
        last_epoch: int,
        num_bad_epochs: int,
        cooldown_counter: int,
        reductions: int,
        scale: float,
        rate: float,
    ) -> None:
        self.best = best
        self.last_epoch = last_epoch
        self.num_bad_epochs = num_bad_epochs
        self.cooldown_counter = cooldown_counter
        self.reductions = reductions
        self.scale = scale
        self.rate = rate

    def copy(self) -> PlateauState:
        """An independent copy (to put back if loading fails half way)."""
        fresh = PlateauState.__new__(PlateauState)
        fresh.copy_from(self)
        return fresh

    def copy_from(self, other: PlateauState) -> None:
        """Take every field of ``other`` (loading a state keeps this object)."""
        for name in PlateauState.FIELDS:
            setattr(self, name, getattr(other, name))

    def saved(self) -> dict[str, Any]:
        """The JSON-ready dict that ``state_dict()`` returns."""
        best = self.best
        return {
            "kind": STATE_KIND,
            "last_epoch": self.last_epoch,
            "best": best if math.isfinite(best) else ("inf" if best > 0 else "-inf"),
            "num_bad_epochs": self.num_bad_epochs,
            "cooldown_counter": self.cooldown_counter,
            "reductions": self.reductions,
            "scale": self.scale,
        }


class PlateauRule:
    """The parts of a ``ReduceOnPlateau``'s configuration that a state must agree with."""

    __slots__ = ("cooldown", "eps", "factor", "initial", "min_lr", "number_base", "patience")

    def __init__(
        self,
        *,
        initial: float,
        number_base: bool,
        factor: float,
        patience: int,
        cooldown: int,
        min_lr: float,
        eps: float,
    ) -> None:
        self.initial = initial
        self.number_base = number_base
        self.factor = factor
        self.patience = patience
        self.cooldown = cooldown
        self.min_lr = min_lr
        self.eps = eps

    def rate_for(self, scale: float) -> float:
        """The rate of a number base, where ``scale`` is ``eta * f * ... * f``."""
        reduced = scale if scale > self.min_lr else self.min_lr
        return reduced if reduced < self.initial else self.initial

    def change(self, before: float, after: float) -> float:
        """What a reduction from ``before`` to ``after`` changes (compared with ``eps``)."""
        if self.number_base:
            return self.rate_for(before) - self.rate_for(after)
        return before - after


def parse_state(owner: str, state: Any, rule: PlateauRule) -> PlateauState:
    """A checked :class:`PlateauState` from a ``state_dict()``; raises, changing nothing.

    ``TypeError`` for a non-dict or a wrongly typed entry, ``ValueError`` for
    a state of something else, missing or unknown keys, and numbers that this
    configuration cannot reach: negative or huge counters, more reductions
    than updates, more bad epochs than ``patience``, a cooldown longer than
    ``cooldown``, a NaN best, or a ``scale`` other than ``reductions``
    reductions give.
    """
    if not isinstance(state, Mapping):
        raise TypeError(
            f"{owner}: expected the dict that ReduceOnPlateau.state_dict() returns, "
            f"got {type(state).__name__}"
        )
    if state.get("kind") != STATE_KIND:
        raise ValueError(
            f"{owner}: not a state of {STATE_KIND}, got kind {show(state.get('kind'))}"
        )
    keys = {str(key) for key in state}
    if keys != STATE_KEYS:
        raise ValueError(
            f"{owner}: the state must have exactly the keys {sorted(STATE_KEYS)}; "
            f"missing {sorted(STATE_KEYS - keys)}, unknown {sorted(keys - STATE_KEYS)} "
            "(load the dict that state_dict() returns)"
        )
    counters = {name: check_int(owner, name, state[name], minimum=0) for name in COUNTERS}
    for name, value in counters.items():
        if value > COUNTER_LIMIT:
            raise ValueError(f"{owner}: {name} must be <= 2**53, got {show(state[name])}")
    updates = counters["last_epoch"]
    bounds = {
        "reductions": ("last_epoch", updates),
        "num_bad_epochs": ("patience", rule.patience),
        "cooldown_counter": ("cooldown", rule.cooldown),
    }
    for name, (bound_name, bound) in bounds.items():
        if counters[name] > bound:
            raise ValueError(
                f"{owner}: {name} must be <= {bound_name} ({bound}), got {show(state[name])}; "
                "load the state that state_dict() returned, into a ReduceOnPlateau with the "
                "same configuration"
            )
    reductions = counters["reductions"]
    scale = check_number(owner, "scale", state["scale"], minimum=0.0)
    _check_scale(owner, reductions, scale, rule)
    return PlateauState(
        best=_saved_best(owner, state["best"]),
        scale=scale,
        rate=rule.rate_for(scale) if rule.number_base else 0.0,
        **counters,
    )


def _check_scale(owner: str, reductions: int, scale: float, rule: PlateauRule) -> None:
    """``scale`` is what ``reductions`` reductions give: checked in closed form.

    The saved product ``s_k`` of ``k`` roundings of ``x * f`` lies within a
    relative ``k * 2**-53`` of ``initial * f**k`` (while it is a normal
    double), so ``log(s_k)`` is compared with ``log(initial) + k log(f)``
    within that bound; and the last reduction must have changed the rate by
    more than ``eps`` (the previous product is at most ``s_k / f`` plus its
    rounding). Constant time, whatever ``k`` is.
    """
    initial, factor = rule.initial, rule.factor
    if reductions == 0:
        if scale != initial:
            raise ValueError(
                f"{owner}: scale must be {initial!r} (the unreduced value) when reductions "
                f"is 0, got {show(scale)}"
            )
        return
    if initial == 0.0:
        raise ValueError(
            f"{owner}: reductions must be 0 for a rate of 0 (nothing to reduce), got {reductions}"
        )
    log_factor = math.log(factor)
    expected = math.log(initial) + reductions * log_factor
    tolerance = 1e-12 + reductions * 2.0**-52 + (reductions * -log_factor + 1.0) * 2.0**-50
    if scale >= _TINY:
        consistent = abs(math.log(scale) - expected) <= tolerance
    else:  # a subnormal product (or 0) is reached only where the closed form is that small
        consistent = expected - tolerance <= math.log(_TINY)
    if not consistent:
        approximate = math.exp(expected) if expected < 700.0 else math.inf
        raise ValueError(
            f"{owner}: scale {show(scale)} is not what {reductions} reductions by factor "
            f"{rule.factor!r} give from {initial!r} (about {approximate:.6g}); load the "
            "state that state_dict() saved, unchanged"
        )
    previous = (max(scale, _DENORMAL) + _DENORMAL) / factor * (1.0 + 2.0**-50)
    change = rule.change(previous, scale)
    if not change > rule.eps:
        raise ValueError(
            f"{owner}: reductions={reductions} is more than this schedule makes: the last "
            f"one would change the {'rate' if rule.number_base else 'multiplier'} by at most "
            f"{change:.6g}, which eps={rule.eps!r} forbids; load a state saved by a "
            "ReduceOnPlateau with the same configuration"
        )


def _saved_best(owner: str, value: Any) -> float:
    """The ``best`` entry of a state dict: a non-NaN number, or ``"inf"`` / ``"-inf"``."""
    if isinstance(value, str) and value in ("inf", "-inf"):
        return float(value)
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(
            f"{owner}: best must be a number or 'inf' / '-inf', got {show(value)} "
            f"of type {type(value).__name__}"
        )
    try:
        best = float(value)
    except OverflowError:  # an integer beyond float's range
        raise ValueError(f"{owner}: best is too large for a float, got {show(value)}") from None
    if best != best:
        raise ValueError(f"{owner}: best must not be NaN, got {show(value)}")
    return best
