"""The saved state of :class:`lrkit.torch.LRScheduler`: what it holds and how it is checked.

The state is plain data (``torch.load(weights_only=True)`` and JSON read it):
the step count, the schedules' configs and the groups' initial values (to
check that a checkpoint belongs to the scheduler loading it), and the state
of every :class:`lrkit.ReduceOnPlateau` in the schedules, by where it sits.
A state is checked as a config is, before anything is loaded, in time that
does not depend on the numbers in it. No array library is imported here.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping, Sequence

from lrkit._core.schedule import LearningRateSchedule, _parameters
from lrkit._core.validation import show
from lrkit._families.plateau import ReduceOnPlateau
from lrkit._families.plateau_state import PlateauState

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

STATE_KIND = "lrkit.torch.LRScheduler"
STATE_KEYS = (
    "kind",
    "last_epoch",
    "_step_count",
    "relative",
    "schedules",
    "base_values",
    "plateaus",
)
#: Step counts above this are refused: beyond the integers a float holds exactly.
STEP_LIMIT = 2**53
_OWNER = "LRScheduler.load_state_dict"
_HINT = "load the dict that LRScheduler.state_dict() returned"


def find_plateaus(
    schedules: Mapping[str, Sequence[LearningRateSchedule | None]],
) -> dict[str, ReduceOnPlateau]:
    """Every ``ReduceOnPlateau`` in the schedules, by the path where it is first found.

    Paths read like ``"lr[0]"`` (group 0's rate schedule itself) or
    ``"momentum[1].schedules[0].learning_rate"``; the walk is depth first in
    constructor-parameter order and visits each object once, so a schedule
    shared by several groups or parts is found (and saved) once, and the work
    is linear in the number of distinct schedules.
    """
    found: dict[str, ReduceOnPlateau] = {}
    seen: set[int] = set()
    stack: list[tuple[str, LearningRateSchedule]] = []
    for name, entries in reversed(list(schedules.items())):
        stack.extend(
            (f"{name}[{i}]", s) for i, s in reversed(list(enumerate(entries))) if s is not None
        )
    while stack:
        path, node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, ReduceOnPlateau):
            found[path] = node
        children: list[tuple[str, LearningRateSchedule]] = []
        for parameter in _parameters(type(node)):
            value = getattr(node, parameter, None)
            if isinstance(value, LearningRateSchedule):
                children.append((f"{path}.{parameter}", value))
            elif isinstance(value, (list, tuple)):
                children.extend(
                    (f"{path}.{parameter}[{i}]", item)
                    for i, item in enumerate(value)
                    if isinstance(item, LearningRateSchedule)
                )
        stack.extend(reversed(children))
    return found


class Expected:
    """What this scheduler was built with, that a saved state must agree with."""

    __slots__ = ("bases", "bases_matter", "configs", "groups", "plateaus", "relative")

    def __init__(
        self,
        *,
        configs: Mapping[str, list[Any]],
        relative: list[str],
        bases: Mapping[str, list[float]],
        bases_matter: set[str],
        plateaus: Mapping[str, ReduceOnPlateau],
        groups: int,
    ) -> None:
        self.configs = configs
        self.relative = relative
        self.bases = bases
        self.bases_matter = bases_matter
        self.plateaus = plateaus
        self.groups = groups


class Loaded:
    """A checked state, ready to load."""

    __slots__ = ("last_epoch", "plateaus", "step_count")

    def __init__(
        self,
        last_epoch: int,
        step_count: int,
        plateaus: list[tuple[ReduceOnPlateau, PlateauState]],
    ) -> None:
        self.last_epoch = last_epoch
        self.step_count = step_count
        self.plateaus = plateaus


def check_state(state: Any, expected: Expected) -> Loaded:
    """The checked content of a saved state; raises before anything is loaded.

    ``TypeError`` names an entry of the wrong type, ``ValueError`` an entry
    out of range, missing or unknown keys, or a state that belongs to other
    schedules (``"does not match"``).
    """
    if not isinstance(state, Mapping):
        raise TypeError(f"{_OWNER}: expected a dict, got {type(state).__name__}; {_HINT}")
    if state.get("kind") != STATE_KIND:
        raise ValueError(
            f"{_OWNER}: not a state of {STATE_KIND} (got {type(state).__name__} with "
            f"keys {sorted(map(str, state))}); {_HINT}"
        )
    keys = {str(key) for key in state}
    # States saved before plateau states were kept have no "plateaus" key: they
    # load wherever the schedules hold no ReduceOnPlateau (checked below).
    missing = [key for key in STATE_KEYS if key not in keys and key != "plateaus"]
    unknown = sorted(keys - set(STATE_KEYS))
    if missing or unknown:
        raise ValueError(
            f"{_OWNER}: the state must have exactly the keys {list(STATE_KEYS)}; "
            f"missing {missing}, unknown {unknown}; {_HINT}"
        )
    last_epoch = _count("last_epoch", state["last_epoch"], minimum=-1)
    step_count = _count("_step_count", state["_step_count"], minimum=0)
    relative = _strings("relative", state["relative"])
    schedules = _mapping_of_lists("schedules", state["schedules"])
    bases = _mapping_of_lists("base_values", state["base_values"])
    for name, values in bases.items():
        for i, value in enumerate(values):
            _finite(f"base_values[{name!r}][{i}]", value)
    saved_plateaus = state.get("plateaus", {})
    if not isinstance(saved_plateaus, Mapping):
        raise _type_error("plateaus", saved_plateaus, "a dict of path -> ReduceOnPlateau state")

    problems = []
    if relative != expected.relative:
        problems.append(f"relative {relative!r}, constructed {expected.relative!r}")
    if set(schedules) != set(expected.configs):
        problems.append(
            f"schedules for {sorted(schedules)}, constructed for {sorted(expected.configs)}"
        )
    else:
        for name, configs in expected.configs.items():
            problems.extend(_compare(name, schedules[name], configs))
    if set(bases) != set(expected.bases):
        problems.append(
            f"base_values for {sorted(bases)}, constructed for {sorted(expected.bases)}"
        )
    else:
        for name, values in expected.bases.items():
            if len(bases[name]) != expected.groups:
                problems.append(
                    f"base_values[{name!r}] has {len(bases[name])} entries, "
                    f"the optimizer has {expected.groups} param groups"
                )
            elif name in expected.bases_matter and bases[name] != values:
                problems.append(f"initial {name} {bases[name]}, constructed {values}")
    paths = sorted(map(str, saved_plateaus))
    if paths != sorted(expected.plateaus):
        problems.append(
            f"ReduceOnPlateau states for {paths}, constructed with ReduceOnPlateau at "
            f"{sorted(expected.plateaus)}"
        )
    if problems:
        raise ValueError(
            f"{_OWNER}: the saved state does not match this scheduler: " + "; ".join(problems)
        )
    plateaus = [
        (plateau, plateau._parse_state(f"{_OWNER}: plateaus[{path!r}]", saved_plateaus[path]))
        for path, plateau in expected.plateaus.items()
    ]
    return Loaded(last_epoch, step_count, plateaus)


def _type_error(key: str, value: Any, expected: str) -> TypeError:
    return TypeError(
        f"{_OWNER}: {key} must be {expected}, got {show(value)} of type "
        f"{type(value).__name__}; {_HINT}"
    )


def _count(key: str, value: Any, *, minimum: int) -> int:
    """A step count: an integer from ``minimum`` to ``2**53``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise _type_error(key, value, "an integer (a count of scheduler steps)")
    number = int(value)
    if not minimum <= number <= STEP_LIMIT:
        raise ValueError(
            f"{_OWNER}: {key} must be an integer from {minimum} to 2**53, got {show(value)}; "
            f"{_HINT}"
        )
    return number


def _strings(key: str, value: Any) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise _type_error(key, value, "a list of scheduled names")
    return value


def _mapping_of_lists(key: str, value: Any) -> dict[str, list[Any]]:
    if not isinstance(value, Mapping) or not all(
        isinstance(name, str) and isinstance(entries, list) for name, entries in value.items()
    ):
        raise _type_error(key, value, "a dict of scheduled name -> list (one entry per group)")
    return dict(value)


def _finite(key: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise _type_error(key, value, "a real number")
    try:
        number = float(value)
    except OverflowError:
        number = math.inf
    if not math.isfinite(number):
        raise ValueError(f"{_OWNER}: {key} must be finite, got {show(value)}; {_HINT}")
    return number


def _compare(name: str, saved: list[Any], constructed: list[Any]) -> list[str]:
    if len(saved) != len(constructed):
        return [f"{name}: saved for {len(saved)} param groups, constructed for {len(constructed)}"]
    return [
        f"{name} of param group {i}: saved {_describe(old)}, constructed {_describe(new)}"
        for i, (old, new) in enumerate(zip(saved, constructed, strict=True))
        if old != new
    ]


def _describe(config: Any) -> str:
    if isinstance(config, Mapping):
        return f"{config.get('class_name')}({show(config.get('config'))})"
    return show(config)
