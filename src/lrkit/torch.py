"""PyTorch integration: :class:`LRScheduler`, a torch scheduler driven by lrkit schedules.

``lrkit.torch.LRScheduler`` is a real ``torch.optim.lr_scheduler.LRScheduler``
subclass, so it works wherever torch schedulers do (plain loops,
``SequentialLR``, Lightning, Accelerate). Every rate is computed in closed
form from ``last_epoch``, the number of ``step()`` calls so far, which makes a
resumed run exact: the state is the step count, plus the state of every
:class:`lrkit.ReduceOnPlateau` among the schedules; the schedules' configs are
kept only to check that a checkpoint belongs to the scheduler loading it.

Importing :mod:`lrkit` does not import torch; only ``import lrkit.torch`` does.

Example:
    >>> import torch, lrkit, lrkit.torch
    >>> model = torch.nn.Linear(2, 1)
    >>> optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    >>> scheduler = lrkit.torch.LRScheduler(
    ...     optimizer,
    ...     lrkit.CosineDecay(0.0, 90, warmup_target=0.1, warmup_steps=10),
    ...     hyperparameters={"momentum": lrkit.CosineDecay(0.95, 100, alpha=0.85 / 0.95)},
    ... )
    >>> for _ in range(10):
    ...     optimizer.step()
    ...     scheduler.step()
    >>> scheduler.get_last_lr()
    [0.1]
"""

from __future__ import annotations

import copy
from collections.abc import Collection, Mapping, Sequence
from typing import Any

import torch
from torch.optim import Optimizer
from torch.optim.lr_scheduler import LRScheduler as _TorchLRScheduler

from lrkit._core.schedule import LearningRateSchedule
from lrkit._core.serialization import serialize
from lrkit._integrations.torch_groups import (
    GroupSchedules,
    initial_values,
    is_tensor,
    per_group,
    relative_names,
    same,
    scalar_path,
    set_value,
    target,
)
from lrkit._integrations.torch_state import STATE_KIND, Expected, check_state, find_plateaus

__all__ = ["LRScheduler"]

_INF = float("inf")
#: The optimizer attribute holding the rates an lrkit scheduler last wrote into
#: its param groups (see ``LRScheduler.load_state_dict``).
_WRITTEN = "_lrkit_written_lr"

_Scheduled = tuple[str, int | None, list[Any]]


class LRScheduler(_TorchLRScheduler):
    r"""A torch learning-rate scheduler that follows lrkit schedules.

    After ``t`` calls of :meth:`step` (``last_epoch == t``), param group
    ``i`` has

    .. math:: \text{lr}_i = s_i(t)
        \qquad (\text{with } \texttt{relative=True}: \ s_i(t) \cdot \text{initial\_lr}_i)

    and each scheduled hyperparameter ``h`` has :math:`h_i = s^h_i(t)` (times
    the group's initial ``h`` where ``h`` is relative). Construction applies
    step 0, as every torch scheduler does; call ``scheduler.step()`` after
    ``optimizer.step()``.

    Args:
        optimizer: the torch optimizer whose param groups are scheduled.
        schedule: one lrkit schedule for every group, or a list with one entry
            per group; an entry ``None`` keeps that group at its initial rate.
        relative: read the schedules as multipliers of each group's initial
            value (``initial_lr``, the group's ``lr`` when the scheduler is
            built), as ``LambdaLR`` does, instead of as the values themselves:
            ``True`` for every scheduled name, or the names that are relative,
            e.g. ``{"lr", "weight_decay"}`` with an absolute ``momentum``.
        hyperparameters: other param-group values to schedule the same way, by
            name: ``{"momentum": schedule}``, ``{"weight_decay": [s0, s1]}``,
            ``"beta1"`` / ``"beta2"`` for the entries of Adam's ``betas``, or
            any other numeric param-group key. ``"momentum"`` on an optimizer
            without momentum but with ``betas`` schedules ``beta1``, as torch's
            ``OneCycleLR`` and ``CyclicLR`` do.
        last_epoch: torch's resume argument; leave it at ``-1`` and use
            :meth:`load_state_dict` instead.

    Tensor values in the param groups (capturable and compiled optimizers)
    are updated in place with ``fill_``, so a compiled step does not
    recompile.

    **Rates that cannot be applied are refused, not clipped.** A learning
    rate that is negative, NaN or infinite (``s - 0.1`` past the point where
    ``s`` falls below 0.1, say), or another hyperparameter that is NaN or
    infinite, raises ``ValueError`` at the step where it first occurs, naming
    the param group, the step and the value, and leaves the optimizer and
    ``last_epoch`` as they were; clipping would train silently with a rate the
    schedule does not say. Bound the schedule where that is intended:
    ``lrkit.Clip(schedule, min_learning_rate=0.0)``.

    **Checkpoints.** :meth:`state_dict` holds the step count, the state of
    every :class:`lrkit.ReduceOnPlateau` among the schedules (nested in
    combinators and in hyperparameter schedules too), and the schedules'
    configs and initial values, against which :meth:`load_state_dict` checks
    a state before loading it.

    Example:
        >>> import torch, lrkit, lrkit.torch
        >>> optimizer = torch.optim.AdamW(torch.nn.Linear(2, 1).parameters(), lr=3e-4)
        >>> scheduler = lrkit.torch.LRScheduler(optimizer, lrkit.CosineDecay(1.0, 100),
        ...                                     relative=True)
        >>> scheduler.get_last_lr()
        [0.0003]
    """

    def __init__(
        self,
        optimizer: Optimizer,
        schedule: LearningRateSchedule | Sequence[LearningRateSchedule | None],
        *,
        relative: bool | Collection[str] = False,
        hyperparameters: (
            Mapping[str, LearningRateSchedule | Sequence[LearningRateSchedule | None]] | None
        ) = None,
        last_epoch: int = -1,
    ) -> None:
        if not isinstance(optimizer, Optimizer):
            raise TypeError(f"LRScheduler: optimizer must be a torch Optimizer, got {optimizer!r}")
        groups = optimizer.param_groups
        self._schedules: dict[str, GroupSchedules] = {
            "lr": per_group("schedule", schedule, len(groups))
        }
        #: (group key, index in a ``betas`` pair or None) per scheduled name.
        self._targets: dict[str, tuple[str, int | None]] = {"lr": ("lr", None)}
        if hyperparameters is not None and not isinstance(hyperparameters, Mapping):
            raise TypeError(
                "LRScheduler: hyperparameters must be a dict of name -> schedule, "
                f"got {type(hyperparameters).__name__}"
            )
        for name, entry in (hyperparameters or {}).items():
            where = target(name, groups)
            if where in self._targets.values():
                raise ValueError(
                    f"LRScheduler: hyperparameters[{name!r}] schedules the same value as "
                    f"{[n for n, t in self._targets.items() if t == where]}"
                )
            self._targets[name] = where
            self._schedules[name] = per_group(f"hyperparameters[{name!r}]", entry, len(groups))
        #: The groups' initial values of each scheduled hyperparameter (lr: ``base_lrs``).
        self.base_hyperparameters: dict[str, list[float]] = {
            name: initial_values(where, groups)
            for name, where in self._targets.items()
            if name != "lr"
        }
        #: The scheduled names whose schedules are multipliers of the initial values.
        self.relative: frozenset[str] = relative_names(relative, self._targets)
        self._configs = {
            name: [None if s is None else serialize(s) for s in entries]
            for name, entries in self._schedules.items()
        }
        #: Per name: each group's schedule as a function of a non-negative
        #: Python number, and that function if every group shares it.
        self._evaluators = {
            name: [None if s is None else scalar_path(s) for s in entries]
            for name, entries in self._schedules.items()
        }
        self._shared = {
            name: scalar_path(first)
            if (first := entries[0]) is not None and all(s is first for s in entries)
            else None
            for name, entries in self._schedules.items()
        }
        #: The scheduled hyperparameters other than the rate: (name, group key, index).
        self._hyperparameter_targets = [
            (name, key, index) for name, (key, index) in self._targets.items() if name != "lr"
        ]
        #: Every ReduceOnPlateau among the schedules, by path: their state is saved.
        self._plateaus = find_plateaus(self._schedules)
        super().__init__(optimizer, last_epoch)

    # -- the closed form -----------------------------------------------------

    def get_lr(self) -> list[float | torch.Tensor]:
        """The learning rate of each param group at ``last_epoch``."""
        return self._values("lr", self.last_epoch)

    def _get_closed_form_lr(self) -> list[float | torch.Tensor]:
        """The same as :meth:`get_lr`: every rate is in closed form."""
        return self.get_lr()

    @property
    def schedules(self) -> dict[str, list[LearningRateSchedule | None]]:
        """The schedules by scheduled name (``"lr"`` first), one entry per param group."""
        return {name: list(entries) for name, entries in self._schedules.items()}

    def _values(self, name: str, step: int | float) -> list[Any]:
        if step < 0:  # SequentialLR winds a waiting scheduler back to -1
            step = 0
        shared = self._shared[name]
        if shared is not None:  # the common case: one evaluation for every group
            value = shared(step)
            if name in self.relative:
                return [value * base for base in self._bases(name)]
            return [value] * len(self._evaluators[name])
        relative = name in self.relative
        return [
            base if evaluate is None else evaluate(step) * base if relative else evaluate(step)
            for evaluate, base in zip(self._evaluators[name], self._bases(name), strict=True)
        ]

    def _bases(self, name: str) -> list[float]:
        if name != "lr":
            return self.base_hyperparameters[name]
        return [base if base.__class__ is float else float(base) for base in self.base_lrs]

    def _update_lr(self, epoch: int | None = None) -> None:
        # torch's version, plus the hyperparameters, with every value checked
        # before any is written; no get_lr-outside-step warning is needed, as
        # the closed form is valid at any time.
        previous = self.last_epoch
        self.last_epoch = step = previous + 1 if epoch is None else epoch
        try:
            values = self.get_lr() if epoch is None else self._get_closed_form_lr()
            others = self._checked_values(values, step)
        except ValueError:
            self.last_epoch = previous
            raise
        groups = self.optimizer.param_groups
        last: list[float | torch.Tensor] = []
        for group, value in zip(groups, values, strict=True):
            current = group["lr"]
            if is_tensor(current):
                current.fill_(value)
                last.append(current.clone())
            else:
                group["lr"] = value
                last.append(value)
        self._last_lr = last
        for key, index, hyperparameter_values in others:
            for group, value in zip(groups, hyperparameter_values, strict=True):
                set_value(group, key, index, value)
        # What the param groups hold now, for a later load_state_dict to recognise.
        self.optimizer.__dict__[_WRITTEN] = last

    def _checked_values(self, values: list[Any], step: int | float) -> list[_Scheduled]:
        """The other hyperparameters' values at ``step``, once every value is checked."""
        for i, value in enumerate(values):
            if not 0.0 <= value < _INF:  # also False for NaN
                raise ValueError(
                    f"LRScheduler: the schedule gives param group {i} the learning rate "
                    f"{value!r} at step {step}; a learning rate must be finite and >= 0. "
                    "Keep the schedule non-negative, e.g. lrkit.Clip(schedule, "
                    "min_learning_rate=0.0), or fix the schedule where it goes below 0"
                )
        others = []
        for name, key, index in self._hyperparameter_targets:
            hyperparameter_values = self._values(name, step)
            for i, value in enumerate(hyperparameter_values):
                if not -_INF < value < _INF:
                    raise ValueError(
                        f"LRScheduler: hyperparameters[{name!r}] gives param group {i} the "
                        f"value {value!r} at step {step}; it must be finite. Fix that "
                        "schedule, or bound it with lrkit.Clip"
                    )
            others.append((key, index, hyperparameter_values))
        return others

    # -- checkpoints ---------------------------------------------------------

    def state_dict(self) -> dict[str, Any]:
        """The step count and the plateau states, plus what :meth:`load_state_dict` checks.

        Plain data (JSON-ready, and read by ``torch.load(weights_only=True)``):
        ``last_epoch`` and ``_step_count``; ``plateaus``, the
        :meth:`lrkit.ReduceOnPlateau.state_dict` of every ``ReduceOnPlateau``
        among the schedules, keyed by where it sits (``"lr[0]"``,
        ``"momentum[0].schedules[1]"``; one shared by several groups is saved
        once); ``schedules``, each scheduled name's serialized schedules, one
        per group; ``relative``; and ``base_values``, the groups' initial
        values.
        """
        return {
            "kind": STATE_KIND,
            "last_epoch": self.last_epoch,
            "_step_count": self._step_count,
            "relative": sorted(self.relative),
            "schedules": copy.deepcopy(self._configs),
            "base_values": {name: list(values) for name, values in self._all_bases().items()},
            "plateaus": {path: plateau.state_dict() for path, plateau in self._plateaus.items()},
        }

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Continue from a :meth:`state_dict`, plateau states included.

        The state is checked first, as a config is: ``TypeError`` for an
        entry of the wrong type, ``ValueError`` for missing or unknown keys, a
        ``last_epoch`` that is not an integer from -1 to ``2**53``, an
        invalid plateau state, a state saved with other schedules, other
        ``relative`` names or (where they matter) other initial values, or a
        loaded step whose values cannot be applied; nothing is loaded then.

        Then each param group gets the loaded step's values (the rate and the
        scheduled hyperparameters), unless it no longer holds what an lrkit
        scheduler last wrote there: after the optimizer's own state was loaded
        (it holds those values already), or after a ``SequentialLR`` sibling
        wrote its own, the group is left as it is; so is every group while
        ``last_epoch`` is -1 (a ``SequentialLR`` child that has not started).
        Both orders of resuming, building the scheduler and then loading the
        optimizer's and the scheduler's states, or building the scheduler
        after loading the optimizer's state, continue with the loaded step's
        values from the first step on.
        """
        relative_or_partial = {
            name
            for name, entries in self._schedules.items()
            if name in self.relative or None in entries
        }
        loaded = check_state(
            state_dict,
            Expected(
                configs=self._configs,
                relative=sorted(self.relative),
                bases=self._all_bases(),
                bases_matter=relative_or_partial,
                plateaus=self._plateaus,
                groups=len(self.optimizer.param_groups),
            ),
        )
        step = loaded.last_epoch
        before = [(plateau, plateau._state.copy()) for plateau, _ in loaded.plateaus]
        for plateau, state in loaded.plateaus:
            plateau._state.copy_from(state)
        try:
            values = self._values("lr", step)
            others = self._checked_values(values, max(step, 0))
        except ValueError:
            for plateau, state in before:
                plateau._state.copy_from(state)
            raise
        self.last_epoch = step
        self._step_count = loaded.step_count
        groups = self.optimizer.param_groups
        # A new list: the one recorded may be a scheduler's _last_lr.
        recorded = list(self.optimizer.__dict__.get(_WRITTEN) or [])
        last: list[float | torch.Tensor] = []
        for i, (group, value) in enumerate(zip(groups, values, strict=True)):
            current = group["lr"]
            ours = step >= 0 and i < len(recorded) and same(current, recorded[i])
            if ours:
                for key, index, hyperparameter_values in others:
                    set_value(group, key, index, hyperparameter_values[i])
            if is_tensor(current):
                if ours:
                    current.fill_(value)
                last.append(current.clone().fill_(value))
            else:
                if ours:
                    group["lr"] = value
                last.append(value)
            if ours:
                recorded[i] = last[-1]
        self._last_lr = last
        self.optimizer.__dict__[_WRITTEN] = recorded

    def _all_bases(self) -> dict[str, list[float]]:
        return {"lr": self._bases("lr"), **self.base_hyperparameters}
