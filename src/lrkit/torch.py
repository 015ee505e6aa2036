"""PyTorch integration: :class:`LRScheduler`, a torch scheduler driven by lrkit schedules.

``lrkit.torch.LRScheduler`` is a real ``torch.optim.lr_scheduler.LRScheduler``
subclass, so it works wherever torch schedulers do (plain loops,
``SequentialLR``, Lightning, Accelerate). Every rate is computed in closed
form from ``last_epoch``, the number of ``step()`` calls so far, which makes a
resumed run exact: the state is the step count, and the schedules' configs
are kept only to check that a checkpoint belongs to the scheduler loading it.

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
from collections.abc import Callable, Collection, Mapping, Sequence
from typing import Any

import torch
from torch.optim import Optimizer
from torch.optim.lr_scheduler import LRScheduler as _TorchLRScheduler

from lrkit._schedule import LearningRateSchedule
from lrkit._serialization import serialize
from lrkit._validation import show

__all__ = ["LRScheduler"]

#: Hyperparameters stored inside the ``betas`` pair of a param group.
_BETA_INDEX = {"beta1": 0, "beta2": 1}
_STATE_KIND = "lrkit.torch.LRScheduler"

_GroupSchedules = list[LearningRateSchedule | None]


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
    recompile. :meth:`state_dict` holds the step count and the schedules'
    configs; :meth:`load_state_dict` raises ``ValueError`` when the saved
    schedules differ from the constructed ones.

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
        self._schedules: dict[str, _GroupSchedules] = {
            "lr": _per_group("schedule", schedule, len(groups))
        }
        #: (group key, index in a ``betas`` pair or None) per scheduled name.
        self._targets: dict[str, tuple[str, int | None]] = {"lr": ("lr", None)}
        if hyperparameters is not None and not isinstance(hyperparameters, Mapping):
            raise TypeError(
                "LRScheduler: hyperparameters must be a dict of name -> schedule, "
                f"got {type(hyperparameters).__name__}"
            )
        for name, entry in (hyperparameters or {}).items():
            target = _target(name, groups)
            if target in self._targets.values():
                raise ValueError(
                    f"LRScheduler: hyperparameters[{name!r}] schedules the same value as "
                    f"{[n for n, t in self._targets.items() if t == target]}"
                )
            self._targets[name] = target
            self._schedules[name] = _per_group(f"hyperparameters[{name!r}]", entry, len(groups))
        #: The groups' initial values of each scheduled hyperparameter (lr: ``base_lrs``).
        self.base_hyperparameters: dict[str, list[float]] = {
            name: _initial_values(target, groups)
            for name, target in self._targets.items()
            if name != "lr"
        }
        #: The scheduled names whose schedules are multipliers of the initial values.
        self.relative: frozenset[str] = _relative_names(relative, self._targets)
        self._configs = {
            name: [None if s is None else serialize(s) for s in entries]
            for name, entries in self._schedules.items()
        }
        #: Per name: each group's schedule as a function of a non-negative
        #: Python number, and that function if every group shares it.
        self._evaluators = {
            name: [None if s is None else _scalar_path(s) for s in entries]
            for name, entries in self._schedules.items()
        }
        self._shared = {
            name: _scalar_path(first)
            if (first := entries[0]) is not None and all(s is first for s in entries)
            else None
            for name, entries in self._schedules.items()
        }
        #: The scheduled hyperparameters other than the rate: (name, group key, index).
        self._hyperparameter_targets = [
            (name, key, index) for name, (key, index) in self._targets.items() if name != "lr"
        ]
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
        # torch's version, plus the hyperparameters; no get_lr-outside-step
        # warning is needed, as the closed form is valid at any time.
        self.last_epoch = step = self.last_epoch + 1 if epoch is None else epoch
        groups = self.optimizer.param_groups
        values = self.get_lr() if epoch is None else self._get_closed_form_lr()
        last: list[float | torch.Tensor] = []
        for group, value in zip(groups, values, strict=True):
            current = group["lr"]
            if _is_tensor(current):
                current.fill_(value)
                last.append(current.clone())
            else:
                group["lr"] = value
                last.append(value)
        self._last_lr = last
        for name, key, index in self._hyperparameter_targets:
            for group, value in zip(groups, self._values(name, step), strict=True):
                _set(group, key, index, value)

    # -- checkpoints ---------------------------------------------------------

    def state_dict(self) -> dict[str, Any]:
        """The step count, plus what :meth:`load_state_dict` checks (JSON-ready values).

        ``schedules`` holds each scheduled name's serialized schedules, one
        per group; ``base_values`` the groups' initial values.
        """
        bases = {"lr": self._bases("lr"), **self.base_hyperparameters}
        return {
            "kind": _STATE_KIND,
            "last_epoch": self.last_epoch,
            "_step_count": self._step_count,
            "relative": sorted(self.relative),
            "schedules": copy.deepcopy(self._configs),
            "base_values": {name: list(values) for name, values in bases.items()},
        }

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Continue from a :meth:`state_dict`; the optimizer is not touched.

        Load the optimizer's own state as well (its param groups hold the
        current rates), as with any torch scheduler. Raises ``ValueError``
        when the state was saved by another kind of scheduler, or with other
        schedules, other ``relative`` names or (where they matter) other
        initial values than this scheduler was built with.
        """
        if not isinstance(state_dict, Mapping) or state_dict.get("kind") != _STATE_KIND:
            keys = sorted(state_dict) if isinstance(state_dict, Mapping) else state_dict
            raise ValueError(
                f"LRScheduler.load_state_dict: not a state of {_STATE_KIND} "
                f"(got {type(state_dict).__name__} with keys {keys})"
            )
        self._check_compatible(state_dict)
        self.last_epoch = state_dict["last_epoch"]
        self._step_count = state_dict["_step_count"]
        self._last_lr = [
            current.clone().fill_(value) if isinstance(current, torch.Tensor) else value
            for current, value in zip(
                (group["lr"] for group in self.optimizer.param_groups),
                self._get_closed_form_lr(),
                strict=True,
            )
        ]

    def _check_compatible(self, state: Mapping[str, Any]) -> None:
        problems = []
        if state.get("relative") != sorted(self.relative):
            problems.append(
                f"relative {state.get('relative')!r}, constructed {sorted(self.relative)!r}"
            )
        saved = state.get("schedules", {})
        if not isinstance(saved, Mapping) or set(saved) != set(self._configs):
            names = sorted(saved) if isinstance(saved, Mapping) else saved
            problems.append(f"schedules for {names}, constructed for {sorted(self._configs)}")
        else:
            saved_bases = state.get("base_values", {})
            for name, configs in self._configs.items():
                problems.extend(_compare(name, saved[name], configs))
                if name in self.relative or None in self._schedules[name]:
                    expected = self._bases(name)
                    if saved_bases.get(name) != expected:
                        problems.append(
                            f"initial {name} {saved_bases.get(name)}, constructed {expected}"
                        )
        if problems:
            raise ValueError(
                "LRScheduler.load_state_dict: the saved state does not match this scheduler: "
                + "; ".join(problems)
            )


# -- helpers ---------------------------------------------------------------------


def _per_group(argument: str, value: Any, count: int) -> _GroupSchedules:
    """One schedule (or None) per param group."""
    if isinstance(value, LearningRateSchedule):
        return [value] * count
    if isinstance(value, Sequence) and not isinstance(value, (str, bytes)):
        entries = list(value)
        if len(entries) != count:
            raise ValueError(
                f"LRScheduler: {argument} has {len(entries)} entries, "
                f"the optimizer has {count} param groups"
            )
        for i, entry in enumerate(entries):
            if entry is not None and not isinstance(entry, LearningRateSchedule):
                raise TypeError(
                    f"LRScheduler: {argument}[{i}] must be an lrkit schedule or None, "
                    f"got {type(entry).__name__}"
                )
        if all(entry is None for entry in entries):
            raise ValueError(f"LRScheduler: {argument} schedules no param group (all None)")
        return entries
    raise TypeError(
        f"LRScheduler: {argument} must be an lrkit schedule or a list of them "
        f"(one per param group), got {type(value).__name__}"
    )


def _scalar_path(schedule: LearningRateSchedule) -> Callable[[Any], float]:
    """``schedule`` as a bound method: calling it skips the slot dispatch of ``schedule(t)``."""
    return schedule.__call__


def _relative_names(relative: Any, targets: Mapping[str, Any]) -> frozenset[str]:
    if relative is True or relative is False:
        return frozenset(targets) if relative else frozenset()
    if isinstance(relative, (str, bytes)) or not isinstance(relative, Collection):
        raise TypeError(
            "LRScheduler: relative must be True, False or a collection of scheduled names, "
            f"got {show(relative)}"
        )
    names = frozenset(relative)
    unknown = sorted(str(name) for name in names - set(targets))
    if unknown:
        raise ValueError(
            f"LRScheduler: relative names {unknown} are not scheduled; scheduled: {list(targets)}"
        )
    return names


def _target(name: str, groups: list[dict[str, Any]]) -> tuple[str, int | None]:
    """Where hyperparameter ``name`` lives in a param group."""
    if not isinstance(name, str):
        raise TypeError(f"LRScheduler: hyperparameter names are strings, got {show(name)}")
    if name in ("lr", "initial_lr"):
        raise ValueError(
            "LRScheduler: the learning rate is scheduled by the schedule argument, "
            f"not hyperparameters[{name!r}]"
        )
    if name == "betas":
        raise ValueError(
            "LRScheduler: betas is a pair; schedule 'beta1' or 'beta2' "
            "(or 'momentum', which means beta1 on optimizers with betas)"
        )
    if name in _BETA_INDEX:
        target: tuple[str, int | None] = ("betas", _BETA_INDEX[name])
    elif name == "momentum" and all("momentum" not in g and "betas" in g for g in groups):
        target = ("betas", 0)
    else:
        target = (name, None)
    key, index = target
    for i, group in enumerate(groups):
        if key not in group:
            known = sorted(k for k in group if k not in ("params", "initial_lr"))
            raise ValueError(
                f"LRScheduler: param group {i} has no {key!r} to schedule as {name!r}; "
                f"it has {known}"
            )
        value = group[key] if index is None else group[key][index]
        if isinstance(value, bool) or not isinstance(value, (int, float, torch.Tensor)):
            raise TypeError(
                f"LRScheduler: param group {i}'s {name!r} is {show(value)}, not a number"
            )
    return target


def _initial_values(target: tuple[str, int | None], groups: list[dict[str, Any]]) -> list[float]:
    """Each group's initial value of a hyperparameter, kept in the group as ``initial_<key>``.

    As torch does with ``initial_lr``: recorded when the scheduler is first
    built, so that it travels with the optimizer's state.
    """
    key, index = target
    stored = f"initial_{key}" if index is None else f"initial_beta{index + 1}"
    values = []
    for group in groups:
        if stored not in group:
            current = group[key] if index is None else group[key][index]
            group[stored] = float(current)
        values.append(float(group[stored]))
    return values


def _is_tensor(value: Any) -> bool:
    # isinstance(value, torch.Tensor) costs about 0.1 us; most values are floats.
    return type(value) is not float and isinstance(value, torch.Tensor)


def _set(group: dict[str, Any], key: str, index: int | None, value: float) -> None:
    current = group[key]
    if index is None:
        if _is_tensor(current):
            current.fill_(value)
        else:
            group[key] = value
        return
    entry = current[index]
    if _is_tensor(entry):
        entry.fill_(value)
    else:
        pair = list(current)
        pair[index] = value
        group[key] = tuple(pair)


def _compare(name: str, saved: Any, constructed: list[Any]) -> list[str]:
    if not isinstance(saved, list) or len(saved) != len(constructed):
        count = len(saved) if isinstance(saved, list) else saved
        return [f"{name}: saved for {count} param groups, constructed for {len(constructed)}"]
    return [
        f"{name} of param group {i}: saved {_describe(old)}, constructed {_describe(new)}"
        for i, (old, new) in enumerate(zip(saved, constructed, strict=True))
        if old != new
    ]


def _describe(config: Any) -> str:
    if isinstance(config, Mapping):
        return f"{config.get('class_name')}({config.get('config')})"
    return repr(config)
