"""Untrusted configs: ``deserialize`` and ``from_json`` fuzzed with Hypothesis.

Two sources of input: arbitrary JSON-like values (biased towards lrkit's
own keys, class names and parameter names, so that they reach the
constructors), and mutations of the serialized form of every ``EXAMPLES``
entry (keys dropped or added, values retyped or replaced by huge numbers,
huge strings, giant lists, nested schedules or deep nesting, class names
swapped, Keras value wrappers made malformed...).

Whatever arrives, reading it either gives a schedule or raises ``ValueError``
or ``TypeError`` with a short message of lrkit's own (not a Python internal
one such as "unhashable type"); no module is imported while it reads; and a
schedule it gives evaluates without raising and round-trips.

The example count is small by default and ten times larger in the "long"
profile (``LRKIT_TEST_PROFILE=long``, which CI runs); ``LRKIT_FUZZ_EXAMPLES=200000``
runs the same tests longer (``fuzz/`` also has an optional coverage-guided harness).
"""

from __future__ import annotations

import contextlib
import copy
import json
import math
import os
import re
import sys
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import lrkit
from conftest import EXAMPLES, bounded, function_calls, property_examples
from lrkit._core import serialization as _serialization

FUZZ_EXAMPLES = int(os.environ.get("LRKIT_FUZZ_EXAMPLES", "0")) or property_examples(50)
FUZZ_SETTINGS = settings(
    max_examples=FUZZ_EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

SERIALIZED = [lrkit.serialize(schedule) for schedule in EXAMPLES.values()]
REGISTERED = lrkit.registered_names()


def _config_words() -> list[str]:
    """Every key and string value in the examples' configs (parameter names, shapes...)."""
    words: set[str] = {"class_name", "config", "module", "registered_name", "value", "dtype"}

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            words.update(value)
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)
        elif isinstance(value, str):
            words.add(value)

    walk(SERIALIZED)
    return sorted(words)


WORDS = _config_words()
STRINGS = [*WORDS, *REGISTERED, "__tensor__", "__numpy__", _serialization.KERAS_WRAPPER]
STRINGS += ["os", "system", "builtins>eval", "__import__", "__class__", "Custom>Nope", ""]
HUGE_NUMBERS = [
    10**400,
    -(10**400),
    2**1100,
    2**63,
    2**64 + 1,
    -(2**63) - 1,
    1e308,
    -1e308,
    5e-324,
    math.inf,
    -math.inf,
    math.nan,
]

leaves = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**6), max_value=10**6),
    st.integers(),
    st.floats(),
    st.sampled_from(HUGE_NUMBERS),
    st.text(max_size=12),
    st.sampled_from(STRINGS),
)
json_values = st.recursive(
    leaves,
    lambda children: st.one_of(
        st.lists(children, max_size=5),
        st.dictionaries(
            st.one_of(st.sampled_from(WORDS), st.text(max_size=8)), children, max_size=6
        ),
        st.fixed_dictionaries(
            {"class_name": st.sampled_from(STRINGS), "config": children},
            optional={"registered_name": children, "module": children},
        ),
    ),
    max_leaves=25,
)


# -- the checks ---------------------------------------------------------------------

#: Messages of Python's own errors: a config must never reach code that raises these.
INTERNAL_MESSAGES = re.compile(
    r"unhashable type|has no attribute|not subscriptable|not iterable|unsupported operand"
    r"|positional argument|unexpected keyword|required positional|has no len"
    r"|not supported between|must be real number, not|int\(\) argument|could not convert"
    r"|math domain error|Exceeds the limit|object is not callable|too large to convert"
    r"|division by zero|maximum recursion"
)
STEPS = [0, 1, 2.5, 99, 1000.25, 10**6, 10**12]


def assert_clear(error: BaseException) -> None:
    message = str(error)
    assert message, f"{type(error).__name__} without a message"
    assert len(message) < 4000, message[:500]
    assert not INTERNAL_MESSAGES.search(message), f"{type(error).__name__}: {message[:500]}"


def exercise(schedule: lrkit.LearningRateSchedule) -> None:
    """A schedule read from a config works: it evaluates and round-trips."""
    for step in STEPS:
        value = schedule(step)
        assert type(value) is float, (schedule, step, value)
    again = lrkit.deserialize(lrkit.serialize(schedule))
    assert again == schedule
    text = lrkit.to_json(schedule)
    if len(text) <= _serialization.MAX_JSON_CHARS:  # giant schedules write longer JSON
        assert lrkit.from_json(text) == schedule
    # repr: a NaN rate (a valid but senseless config, such as a huge divisor) equals itself
    assert repr([again(step) for step in STEPS]) == repr([schedule(step) for step in STEPS])


def read(source: Any, reader: Callable[[Any], lrkit.LearningRateSchedule]) -> None:
    """Read ``source``; only ValueError/TypeError may escape, and nothing is imported.

    (That reading costs work linear in the input is checked by counting calls,
    in the giant and deep config tests below, not with a clock.)
    """
    before = set(sys.modules)
    try:
        schedule = reader(source)
    except (ValueError, TypeError) as error:
        assert_clear(error)
        schedule = None
    imported = set(sys.modules) - before
    assert not imported, f"reading a config imported {sorted(imported)}"
    if schedule is not None:
        assert isinstance(schedule, lrkit.LearningRateSchedule)
        exercise(schedule)


def read_every_way(config: Any) -> None:
    read(config, lrkit.deserialize)
    try:
        text = json.dumps(config)
    except (ValueError, TypeError, RecursionError):
        return  # not JSON (a huge integer, a non-string key): objects only
    read(text, lrkit.from_json)
    read(text.encode(), lrkit.deserialize)


def _warm_up() -> None:
    # Anything lrkit imports lazily on the first read is imported here, once,
    # so a module that appears during a fuzzed read was imported because of it.
    for schedule in EXAMPLES.values():
        lrkit.from_json(lrkit.to_json(schedule))
        for source in ({"class_name": "Nope"}, "[", {"class_name": "CosineDecay", "config": 1}):
            with pytest.raises((ValueError, TypeError)):
                lrkit.deserialize(source)


_warm_up()


# -- arbitrary JSON --------------------------------------------------------------------


@FUZZ_SETTINGS
@given(config=json_values)
def test_arbitrary_values(config: Any) -> None:
    read_every_way(config)


@FUZZ_SETTINGS
@given(text=st.one_of(st.text(max_size=200), st.binary(max_size=200)))
def test_arbitrary_text(text: str | bytes) -> None:
    read(text, lrkit.from_json)


# -- mutations of every valid config ------------------------------------------------------

Path = tuple[Any, ...]


def _paths(value: Any, prefix: Path = ()) -> Iterator[Path]:
    yield prefix
    if len(prefix) > 40:  # deeper parts of a deepened config are left as they are
        return
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, (*prefix, key))
    elif isinstance(value, list):
        # The first entries and the last: a giant list is not walked in full.
        for index in sorted({*range(min(len(value), 8)), len(value) - 1} - {-1}):
            yield from _paths(value[index], (*prefix, index))


def _get(root: Any, path: Path) -> Any:
    for key in path:
        root = root[key]
    return root


def _set(root: Any, path: Path, value: Any) -> Any:
    if not path:
        return value
    _get(root, path[:-1])[path[-1]] = value
    return root


def _deepen(value: Any, depth: int, as_list: bool) -> Any:
    for _ in range(depth):
        value = [value] if as_list else {"a": value}
    return value


def _retype(value: Any) -> list[Any]:
    """The same value as other JSON types: ``10`` as ``"10"``, ``10.0``, ``True``, ``[10]``..."""
    out: list[Any] = [str(value), [value], {"value": value}, None, True]
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        out += [-value, 0, 0.0]
        with contextlib.suppress(OverflowError, ValueError):  # a huge integer, inf or nan
            out += [float(value), float(value) * 1e300, int(value) + 10**30]
    if isinstance(value, str):
        out += [value.upper(), value + " ", value.encode().decode("latin-1") + "\u00e9", 1]
    if isinstance(value, list):
        out += [list(reversed(value)), value[:-1], [*value, value[-1] if value else 0], []]
    return out


MUTATIONS = (
    "replace",
    "drop-key",
    "add-key",
    "swap-class",
    "retype",
    "wrap",
    "nest-schedule",
    "deepen",
    "huge-number",
    "huge-string",
    "giant-list",
    "registered-name",
)


@st.composite
def mutated_configs(draw: st.DrawFn) -> Any:
    root: Any = copy.deepcopy(draw(st.sampled_from(SERIALIZED), label="example"))
    for _ in range(draw(st.integers(1, 4), label="mutations")):
        path = draw(st.sampled_from(list(_paths(root))), label="path")
        target = _get(root, path)
        mutation = draw(st.sampled_from(MUTATIONS), label="mutation")
        if mutation == "replace":
            root = _set(root, path, draw(json_values))
        elif mutation == "drop-key" and isinstance(target, dict) and target:
            del target[draw(st.sampled_from(sorted(target)))]
        elif mutation == "add-key" and isinstance(target, dict):
            target[draw(st.sampled_from(WORDS))] = draw(json_values)
        elif mutation == "swap-class" and isinstance(target, dict):
            target["class_name"] = draw(st.one_of(st.sampled_from(STRINGS), json_values))
        elif mutation == "retype":
            root = _set(root, path, draw(st.sampled_from(_retype(target))))
        elif mutation == "wrap":
            wrapper = draw(st.sampled_from(["__tensor__", "__numpy__"]))
            inner = draw(
                st.sampled_from(
                    [{"value": target, "dtype": "float32"}, {"dtype": "float32"}, target, None]
                )
            )
            root = _set(root, path, {"class_name": wrapper, "config": inner})
        elif mutation == "nest-schedule":
            root = _set(root, path, copy.deepcopy(draw(st.sampled_from(SERIALIZED))))
        elif mutation == "deepen":
            depth = draw(st.sampled_from([1, 2, 30, 63, 64, 65, 130]))
            root = _set(root, path, _deepen(target, depth, draw(st.booleans())))
        elif mutation == "huge-number":
            root = _set(root, path, draw(st.sampled_from(HUGE_NUMBERS)))
        elif mutation == "huge-string":
            root = _set(root, path, draw(st.sampled_from(STRINGS)) * 50_000)
        elif mutation == "giant-list":
            size = draw(st.sampled_from([1_000, 20_000]))
            small = target if not isinstance(target, (list, dict, str)) else 0.25
            item = draw(st.sampled_from([small, 0.5, 1, "x", None]))
            giant = list(range(size)) if draw(st.booleans()) else [item] * size
            root = _set(root, path, giant)
        elif mutation == "registered-name" and isinstance(target, dict):
            target["registered_name"] = draw(st.one_of(st.sampled_from(STRINGS), json_values))
    return root


@FUZZ_SETTINGS
@given(config=mutated_configs())
def test_mutated_configs(config: Any) -> None:
    read_every_way(config)


@FUZZ_SETTINGS
@given(config=mutated_configs(), data=st.data())
def test_mutated_json_text(config: Any, data: st.DataObject) -> None:
    """Byte-level damage to the JSON text: truncation, a cut-out, a character swapped."""
    try:
        text = json.dumps(config)
    except (ValueError, TypeError):
        return
    start = data.draw(st.integers(0, len(text)), label="start")
    end = data.draw(st.integers(start, min(len(text), start + 8)), label="end")
    insert = data.draw(st.sampled_from(["", "{", "}", "[", "]", '"', ",", ":", "0", "\\", "e9"]))
    read(text[:start] + insert + text[end:], lrkit.from_json)


# -- size: deep, huge and giant configs are refused (or read) quickly ------------------------


def _nested_config(where: str, deep: Any) -> dict[str, Any]:
    base: dict[str, Any] = {"class_name": "CosineDecay", "config": {}}
    if where == "config":
        base["config"] = deep
    elif where == "name":
        base["config"] = {"initial_learning_rate": 0.1, "decay_steps": 10, "name": deep}
    elif where == "class_name":
        base["class_name"] = deep
    else:
        base = {"class_name": "Repeat", "config": {"schedule": deep, "period_steps": 5}}
    return base


def _refuse(config: Any) -> None:
    with pytest.raises((ValueError, TypeError)) as error:
        lrkit.deserialize(config)
    assert_clear(error.value)


@pytest.mark.parametrize("where", ["config", "name", "class_name", "schedule"])
@pytest.mark.parametrize("as_list", [False, True], ids=["dicts", "lists"])
def test_nesting_of_100_000_levels_is_refused_without_walking_it(as_list: bool, where: str) -> None:
    """Refused clearly, with about as many calls as a nesting just past the limit takes."""
    shallow = _nested_config(where, _deepen(1, _serialization.MAX_DEPTH + 8, as_list))
    deep = _nested_config(where, _deepen(1, 100_000, as_list))
    _refuse(shallow)  # first-call work out of the count
    assert bounded(function_calls(lambda: _refuse(deep)), function_calls(lambda: _refuse(shallow)))


GIANT_CONFIGS: dict[str, Callable[[int], Any]] = {
    "boundaries": lambda n: {
        "class_name": "PiecewiseConstantDecay",
        "config": {"boundaries": list(range(2 * n)), "values": [0.1] * (2 * n + 1)},
    },
    "milestones": lambda n: {
        "class_name": "MultiStepDecay",
        "config": {"initial_learning_rate": 0.1, "milestones": [1] * n},
    },
    "name": lambda n: {
        "class_name": "CosineDecay",
        "config": {"initial_learning_rate": 0.1, "decay_steps": 10, "name": "x" * (9 * n)},
    },
    "sum": lambda n: {
        "class_name": "Sum",
        "config": {"schedules": [lrkit.serialize(lrkit.Constant(0.1))] * (n // 5)},
    },
    "class-name": lambda n: {"class_name": "Nope" * (2 * n), "config": {}},
}


def _read_every_way(config: Any) -> None:
    read(config, lrkit.deserialize)
    text = json.dumps(config)
    source = text if len(text) <= _serialization.MAX_JSON_CHARS else text[:100] + " " * len(text)
    read(source, lrkit.from_json)


@pytest.mark.parametrize("make", GIANT_CONFIGS.values(), ids=GIANT_CONFIGS.keys())
def test_giant_configs_are_read_or_refused_in_linear_work(make: Callable[[int], Any]) -> None:
    """Read or refused clearly; ten times the size costs at most about ten times the calls."""
    small, giant = make(1_000), make(10_000)
    _read_every_way(small)  # first-call work out of the count
    work = function_calls(lambda: _read_every_way(giant))
    assert bounded(work, function_calls(lambda: _read_every_way(small)), factor=10)


def _number_id(value: Any) -> str:
    return f"int-{value.bit_length()}-bits" if isinstance(value, int) else repr(value)


@pytest.mark.parametrize("value", [*HUGE_NUMBERS, 10**5000], ids=_number_id)
@pytest.mark.parametrize(
    ("class_name", "parameter"),
    [
        ("CosineDecay", "initial_learning_rate"),
        ("CosineDecay", "decay_steps"),
        ("CosineCycles", "cycle_limit"),
        ("ChebyshevDecay", "decay_steps"),
        ("NoisyLinearCosineDecay", "seed"),
    ],
)
def test_huge_numbers_are_read_or_refused_clearly(
    class_name: str, parameter: str, value: Any
) -> None:
    schedule = next(s for s in EXAMPLES.values() if type(s).__name__ == class_name)
    config = lrkit.serialize(schedule)
    config["config"][parameter] = value
    read_every_way(config)
