"""Configs, serialization and JSON: round trips, Keras formats, registry, safety.

Every registered class is covered through the shared ``EXAMPLES`` table; a
class registered without an example fails the first test here.
"""

from __future__ import annotations

import builtins
import contextlib
import importlib
import inspect
import json
import math
import sys
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import lrkit
from conftest import bounded, function_calls, property_examples
from lrkit._core import serialization as _serialization

StepStrategy = Callable[[lrkit.LearningRateSchedule], st.SearchStrategy[float | int]]


def test_every_registered_class_has_an_example(
    examples: dict[str, lrkit.LearningRateSchedule],
    builtin_classes: dict[str, type[lrkit.LearningRateSchedule]],
) -> None:
    covered = {type(schedule).__name__ for schedule in examples.values()}
    missing = sorted(set(builtin_classes) - covered)
    assert not missing, f"add instances of {missing} to EXAMPLES in conftest.py"
    for name, cls in builtin_classes.items():
        assert cls is not None, f"{name} is registered but not exported from lrkit"
        assert cls.__name__ == name


# -- round trips -------------------------------------------------------------------


def _copies(schedule: lrkit.LearningRateSchedule) -> dict[str, lrkit.LearningRateSchedule]:
    return {
        "from_config": type(schedule).from_config(schedule.get_config()),
        "deserialize": lrkit.deserialize(lrkit.serialize(schedule)),
        "from_json": lrkit.from_json(lrkit.to_json(schedule)),
        "deserialize-json-text": lrkit.deserialize(lrkit.to_json(schedule)),
        "deserialize-json-bytes": lrkit.deserialize(lrkit.to_json(schedule).encode()),
        "json-dumps-of-serialize": lrkit.deserialize(json.dumps(lrkit.serialize(schedule))),
    }


def test_round_trips_give_an_equal_schedule(example_schedule: lrkit.LearningRateSchedule) -> None:
    for how, copy in _copies(example_schedule).items():
        assert type(copy) is type(example_schedule), how
        assert copy == example_schedule, how
        assert copy.get_config() == example_schedule.get_config(), how
        assert hash(copy) == hash(example_schedule), how


#: Each example's copies, made once for all of a property test's examples.
_COPIES: dict[int, dict[str, lrkit.LearningRateSchedule]] = {}


@settings(max_examples=property_examples(8), deadline=None)
@given(data=st.data())
def test_round_trips_give_equal_values(
    example_schedule: lrkit.LearningRateSchedule,
    step_strategy: StepStrategy,
    data: st.DataObject,
) -> None:
    steps = data.draw(st.lists(step_strategy(example_schedule), min_size=1, max_size=8))
    expected = [example_schedule(step) for step in steps]
    if id(example_schedule) not in _COPIES:  # the examples live as long as the session
        _COPIES[id(example_schedule)] = _copies(example_schedule)
    copies = _COPIES[id(example_schedule)]
    for how, copy in copies.items():
        assert [copy(step) for step in steps] == expected, how
        array = np.asarray(steps, dtype=np.float64)
        np.testing.assert_array_equal(copy(array), example_schedule(array), how)


def test_config_is_the_constructor_arguments_and_json_ready(
    example_schedule: lrkit.LearningRateSchedule,
) -> None:
    config = example_schedule.get_config()
    parameters = list(inspect.signature(type(example_schedule)).parameters)
    assert list(config) == parameters
    assert json.loads(json.dumps(config, allow_nan=False)) == config
    assert type(example_schedule).from_config(config) == example_schedule
    nested = any(isinstance(v, (dict, list)) and "class_name" in str(v) for v in config.values())
    if not nested:  # a flat config is the constructor's keyword arguments, as in Keras
        assert type(example_schedule)(**config) == example_schedule


def test_config_is_a_fresh_copy(example_schedule: lrkit.LearningRateSchedule) -> None:
    config = example_schedule.get_config()
    before = json.dumps(config)
    for value in config.values():
        if isinstance(value, list):
            value.append(12345)
    config["name"] = "changed"
    assert json.dumps(example_schedule.get_config()) == before


def test_serialize_has_the_keras_shape(example_schedule: lrkit.LearningRateSchedule) -> None:
    assert lrkit.serialize(example_schedule) == {
        "module": "lrkit",
        "class_name": type(example_schedule).__name__,
        "config": example_schedule.get_config(),
        "registered_name": None,
    }


def test_to_json_passes_json_options() -> None:
    text = lrkit.to_json(lrkit.CosineDecay(0.1, 10), indent=2, sort_keys=True)
    assert text.startswith('{\n  "class_name"')
    assert lrkit.from_json(text) == lrkit.CosineDecay(0.1, 10)


@pytest.mark.parametrize("bad", [42, None, ["CosineDecay"], lrkit.CosineDecay])
def test_serialize_refuses_non_schedules(bad: Any) -> None:
    with pytest.raises(TypeError, match="serialize"):
        lrkit.serialize(bad)


# -- equality, hashing and repr -------------------------------------------------------


def test_equality_and_hash(example_schedule: lrkit.LearningRateSchedule) -> None:
    config = example_schedule.get_config()
    twin = type(example_schedule).from_config(config)
    assert twin == example_schedule
    assert (twin != example_schedule) is False
    assert hash(twin) == hash(example_schedule)
    if "name" in config:
        renamed = type(example_schedule).from_config({**config, "name": "another name"})
        assert renamed != example_schedule
        assert len({example_schedule, twin, renamed}) == 2
    assert example_schedule != config
    assert example_schedule != 0.1
    assert example_schedule != lrkit.serialize(example_schedule)


def test_equal_numbers_of_different_types_are_equal_and_hash_alike() -> None:
    as_ints = lrkit.CosineDecay(1, decay_steps=10, warmup_target=2, warmup_steps=5)
    as_floats = lrkit.CosineDecay(1.0, decay_steps=10.0, warmup_target=2.0, warmup_steps=5.0)
    as_numpy = lrkit.CosineDecay(
        np.float32(1.0), decay_steps=np.int64(10), warmup_target=np.float64(2), warmup_steps=5
    )
    assert as_ints == as_floats == as_numpy
    assert hash(as_ints) == hash(as_floats) == hash(as_numpy)
    # NumPy scalars are stored as Python numbers, so configs stay JSON-ready.
    assert json.loads(json.dumps(as_numpy.get_config())) == as_numpy.get_config()
    assert lrkit.PiecewiseConstantDecay([1, 2], [3, 2, 1]) == lrkit.PiecewiseConstantDecay(
        np.asarray([1, 2]), np.asarray([3.0, 2.0, 1.0])
    )


def test_different_classes_with_equal_configs_differ() -> None:
    class MyCosine(lrkit.CosineDecay):
        pass

    assert MyCosine(0.1, 10) != lrkit.CosineDecay(0.1, 10)
    assert lrkit.LinearCosineDecay(0.1, 10) != lrkit.NoisyLinearCosineDecay(0.1, 10)


def test_repr_evaluates_back_to_an_equal_schedule(
    example_schedule: lrkit.LearningRateSchedule,
) -> None:
    text = repr(example_schedule)
    assert text.startswith(f"{type(example_schedule).__name__}(")
    assert eval(text, dict(vars(lrkit))) == example_schedule


def test_repr_shows_only_non_default_arguments() -> None:
    assert (
        repr(lrkit.CosineDecay(0.1, 100))
        == "CosineDecay(initial_learning_rate=0.1, decay_steps=100)"
    )
    assert repr(lrkit.ExponentialDecay(0.1, 10, 0.5, staircase=True, name=None)) == (
        "ExponentialDecay(initial_learning_rate=0.1, decay_steps=10, decay_rate=0.5, "
        "staircase=True, name=None)"
    )


# -- Keras and tf.keras formats --------------------------------------------------------


def _map_numbers(value: Any, convert: Callable[[float], Any]) -> Any:
    if isinstance(value, dict):
        return {key: _map_numbers(item, convert) for key, item in value.items()}
    if isinstance(value, list):
        return [_map_numbers(item, convert) for item in value]
    if isinstance(value, float):
        return convert(value)
    return value


def test_reads_keras_3_dicts(example_schedule: lrkit.LearningRateSchedule) -> None:
    keras_3 = {
        "module": "keras.optimizers.schedules",
        "class_name": type(example_schedule).__name__,
        "config": example_schedule.get_config(),
        "registered_name": None,
    }
    assert lrkit.deserialize(keras_3) == example_schedule
    assert lrkit.deserialize(json.dumps(keras_3)) == example_schedule


def test_reads_bare_tf_keras_dicts(example_schedule: lrkit.LearningRateSchedule) -> None:
    tf_keras = {
        "class_name": type(example_schedule).__name__,
        "config": example_schedule.get_config(),
    }
    assert lrkit.deserialize(tf_keras) == example_schedule
    assert lrkit.deserialize(json.dumps(tf_keras)) == example_schedule


def test_reads_float32_values_and_value_wrappers(
    example_schedule: lrkit.LearningRateSchedule,
) -> None:
    config = example_schedule.get_config()
    float32 = _map_numbers(config, lambda x: float(np.float32(x)))
    wrapped = _map_numbers(
        config, lambda x: {"class_name": "__tensor__", "config": {"value": x, "dtype": "float32"}}
    )
    numpy_wrapped = _map_numbers(
        config, lambda x: {"class_name": "__numpy__", "config": {"value": x, "dtype": "float64"}}
    )
    name = type(example_schedule).__name__
    from_float32 = lrkit.deserialize({"class_name": name, "config": float32})
    steps = np.arange(0.0, 200.0, 0.5)
    expected = example_schedule(steps)
    scale = float(np.max(np.abs(expected)))
    np.testing.assert_allclose(from_float32(steps), expected, rtol=1e-6, atol=1e-6 * scale)
    assert lrkit.deserialize({"class_name": name, "config": wrapped}) == example_schedule
    assert lrkit.deserialize({"class_name": name, "config": numpy_wrapped}) == example_schedule


def test_reads_what_keras_writes() -> None:
    keras = pytest.importorskip("keras")
    schedules = keras.optimizers.schedules
    pairs = [
        (schedules.ExponentialDecay(0.1, 10, 0.5, staircase=True), lrkit.ExponentialDecay),
        (schedules.PiecewiseConstantDecay([10, 20], [1.0, 0.5, 0.1]), lrkit.PiecewiseConstantDecay),
        (schedules.CosineDecay(0.1, 100, warmup_target=0.2, warmup_steps=5), lrkit.CosineDecay),
        (schedules.CosineDecayRestarts(0.1, 10, t_mul=1.5), lrkit.CosineDecayRestarts),
    ]
    for keras_schedule, cls in pairs:
        written = schedules.serialize(keras_schedule)
        revived = lrkit.deserialize(written)
        assert type(revived) is cls
        assert revived == cls.from_config(keras_schedule.get_config())
        assert lrkit.deserialize(json.dumps(written)) == revived


@pytest.mark.parametrize(
    "config",
    [
        {"class_name": "CosineDecayy", "config": {}},
        {"module": "keras.optimizers.schedules", "class_name": "Nope", "config": {}},
        {"class_name": "LearningRateSchedule", "config": {}},
        {"class_name": "Nope", "config": {}, "registered_name": "Custom>Nope"},
    ],
    ids=["misspelled", "keras-module", "base-class", "registered-name"],
)
def test_unknown_class_names_list_the_known_ones(
    config: dict[str, Any], builtin_classes: dict[str, type[lrkit.LearningRateSchedule]]
) -> None:
    for source in (config, json.dumps(config)):
        with pytest.raises(ValueError, match="unknown schedule") as error:
            lrkit.deserialize(source)
        for name in builtin_classes:
            assert name in str(error.value)


def test_unknown_config_keys_are_named() -> None:
    config = {"initial_learning_rate": 0.1, "decay_steps": 10, "decay_stepz": 10, "warmup": 3}
    with pytest.raises(ValueError, match=r"decay_stepz.*warmup|warmup.*decay_stepz"):
        lrkit.deserialize({"class_name": "CosineDecay", "config": config})
    with pytest.raises(ValueError, match="decay_stepz"):
        lrkit.CosineDecay.from_config(config)


def test_missing_config_keys_are_named() -> None:
    with pytest.raises(ValueError, match="decay_steps"):
        lrkit.deserialize({"class_name": "CosineDecay", "config": {"initial_learning_rate": 0.1}})
    with pytest.raises(ValueError, match="boundaries"):
        lrkit.PiecewiseConstantDecay.from_config({"values": [0.1]})


@pytest.mark.parametrize(
    ("config", "error"),
    [
        (42, TypeError),
        (None, TypeError),
        ({"config": {}}, ValueError),
        ({"class_name": 3, "config": {}}, ValueError),
        ({"class_name": "CosineDecay", "config": [0.1, 10]}, TypeError),
        ({"class_name": "CosineDecay", "registered_name": 5, "config": {}}, ValueError),
        (
            {
                "class_name": "CosineDecay",
                "config": {"initial_learning_rate": "0.1", "decay_steps": 1},
            },
            TypeError,
        ),
        (
            {
                "class_name": "PiecewiseConstantDecay",
                "config": {
                    "boundaries": [{"class_name": "__tensor__", "config": {}}],
                    "values": [1, 2],
                },
            },
            ValueError,
        ),
    ],
    ids=[
        "int",
        "None",
        "no-class-name",
        "class-name-not-str",
        "config-not-dict",
        "registered-name-not-str",
        "string-value",
        "malformed-tensor",
    ],
)
def test_malformed_configs(config: Any, error: type[Exception]) -> None:
    with pytest.raises(error):
        lrkit.deserialize(config)


def test_from_config_refuses_non_mappings() -> None:
    with pytest.raises(TypeError, match="dict"):
        lrkit.CosineDecay.from_config([("initial_learning_rate", 0.1)])  # type: ignore[arg-type]


# -- user classes: register_serializable and custom_objects ---------------------------------


@pytest.fixture
def isolated_registry(monkeypatch: pytest.MonkeyPatch) -> None:
    """Registrations made by a test are forgotten after it."""
    monkeypatch.setattr(_serialization, "_REGISTRY", dict(_serialization._REGISTRY))


def _halving_class() -> type[lrkit.LearningRateSchedule]:
    class Halving(lrkit.LearningRateSchedule):
        def __init__(self, initial_learning_rate: float, every: int, name: str = "Halving") -> None:
            self.initial_learning_rate = initial_learning_rate
            self.every = every
            self.name = name

        def _formula(self, step: Any, xp: Any) -> Any:
            return self.initial_learning_rate * 0.5 ** xp.floor(step / self.every)

    return Halving


@pytest.mark.usefixtures("isolated_registry")
def test_register_serializable_round_trips_a_user_class() -> None:
    halving = lrkit.register_serializable(package="my_project")(_halving_class())
    schedule = halving(1.0, every=10)
    written = lrkit.serialize(schedule)
    assert written["registered_name"] == "my_project>Halving"
    assert written["class_name"] == "Halving"
    assert written["module"] == __name__
    assert "my_project>Halving" in lrkit.registered_names()
    for revived in (lrkit.deserialize(written), lrkit.from_json(lrkit.to_json(schedule))):
        assert type(revived) is halving
        assert revived == schedule
        assert revived(25) == 0.25
        np.testing.assert_array_equal(revived(np.asarray([0, 10, 25])), [1.0, 0.5, 0.25])


@pytest.mark.usefixtures("isolated_registry")
def test_register_serializable_with_a_name() -> None:
    halving = lrkit.register_serializable("my_project", name="Halve")(_halving_class())
    written = lrkit.serialize(halving(1.0, 3))
    assert written["registered_name"] == "my_project>Halve"
    assert lrkit.deserialize(written) == halving(1.0, 3)


@pytest.mark.usefixtures("isolated_registry")
def test_registration_does_not_shadow_builtins() -> None:
    class CosineDecay(lrkit.CosineDecay):
        pass

    lrkit.register_serializable("my_project")(CosineDecay)
    mine = lrkit.deserialize(lrkit.serialize(CosineDecay(0.1, 10)))
    builtin = lrkit.deserialize(lrkit.serialize(lrkit.CosineDecay(0.1, 10)))
    assert type(mine) is CosineDecay
    assert type(builtin) is lrkit.CosineDecay


@pytest.mark.parametrize(
    ("package", "name"),
    [("", None), ("a>b", None), (3, None), ("ok", ""), ("ok", "x>y"), ("ok", 7)],
    ids=[
        "empty-package",
        "package-with->",
        "package-not-str",
        "empty-name",
        "name-with->",
        "name-not-str",
    ],
)
def test_register_serializable_refuses_bad_names(package: Any, name: Any) -> None:
    parameter = "name" if package == "ok" else "package"
    with pytest.raises(ValueError, match=f"{parameter} must be") as error:
        lrkit.register_serializable(package, name)
    assert repr(name if package == "ok" else package) in str(error.value)


@pytest.mark.parametrize(
    "target", [int, len, "CosineDecay"], ids=["builtin-class", "function", "str"]
)
def test_register_serializable_refuses_non_schedules(target: Any) -> None:
    with pytest.raises(TypeError, match="LearningRateSchedule"):
        lrkit.register_serializable("my_project")(target)


def test_custom_objects_resolve_unregistered_classes() -> None:
    halving = _halving_class()
    written = lrkit.serialize(halving(1.0, 4))
    assert written["registered_name"] == "Halving"
    with pytest.raises(ValueError, match="unknown schedule"):
        lrkit.deserialize(written)
    revived = lrkit.deserialize(written, custom_objects={"Halving": halving})
    assert revived == halving(1.0, 4)
    assert lrkit.from_json(json.dumps(written), custom_objects={"Halving": halving}) == revived


def test_custom_objects_take_precedence_over_builtins() -> None:
    class MyCosine(lrkit.CosineDecay):
        pass

    revived = lrkit.deserialize(
        lrkit.serialize(lrkit.CosineDecay(0.1, 10)), custom_objects={"CosineDecay": MyCosine}
    )
    assert type(revived) is MyCosine


@pytest.mark.parametrize(
    "value", [len, int, "CosineDecay", object()], ids=["function", "int", "str", "object"]
)
def test_custom_objects_must_be_schedule_classes(value: Any) -> None:
    with pytest.raises(TypeError, match="custom_objects"):
        lrkit.deserialize({"class_name": "X", "config": {}}, custom_objects={"X": value})


# -- safety: nothing named in a config is imported or run -------------------------------

#: What deserialize itself may import (lazily): lrkit and the JSON parser.
ALLOWED_IMPORTS = ("lrkit", "json")


@contextlib.contextmanager
def imports_forbidden(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Fail (and record) any import outside ALLOWED_IMPORTS while active."""
    attempted: list[str] = []
    real_import = builtins.__import__

    def guarded_import(
        name: str, globals: Any = None, locals: Any = None, fromlist: Any = (), level: int = 0
    ) -> Any:
        package = (globals or {}).get("__package__") or ""
        absolute = f"{package}.{name}" if level else name
        if absolute.partition(".")[0] not in ALLOWED_IMPORTS:
            attempted.append(absolute)
            raise ImportError(f"test forbids importing {absolute!r} here")
        return real_import(name, globals, locals, fromlist, level)

    def guarded_import_module(name: str, package: str | None = None) -> Any:
        attempted.append(name)
        raise ImportError(f"test forbids importlib.import_module({name!r}) here")

    with monkeypatch.context() as patch:
        patch.setattr(importlib, "import_module", guarded_import_module)
        patch.setattr(builtins, "__import__", guarded_import)  # last: setattr imports lazily
        yield attempted


MALICIOUS = {
    "os-system": {
        "module": "os",
        "class_name": "system",
        "config": {"command": "echo hi"},
        "registered_name": None,
    },
    "builtins-eval": {
        "module": "builtins",
        "class_name": "eval",
        "config": {"source": "1 + 1"},
        "registered_name": "builtins>eval",
    },
    "eval-registered-name": {
        "class_name": "eval",
        "config": {},
        "registered_name": "builtins>eval",
    },
    "subprocess-popen": {
        "module": "subprocess",
        "class_name": "Popen",
        "config": {"args": ["true"]},
        "registered_name": None,
    },
    "dotted-class-name": {"class_name": "os.system", "config": {"command": "true"}},
    "unimported-module": {
        "module": "this",
        "class_name": "Zen",
        "config": {},
        "registered_name": "this>Zen",
    },
    "colorsys": {
        "module": "colorsys",
        "class_name": "rgb_to_hsv",
        "config": {"r": 1, "g": 2, "b": 3},
    },
    "keras-function": {
        "module": "builtins",
        "class_name": "function",
        "config": "exec",
        "registered_name": "function",
    },
    "dunder": {"class_name": "__import__", "config": {"name": "os"}},
    "class-attribute": {"class_name": "__class__", "config": {}},
    "lrkit-private": {
        "module": "lrkit._core.serialization",
        "class_name": "_REGISTRY",
        "config": {},
    },
    "nested-in-values": {
        "class_name": "PiecewiseConstantDecay",
        "config": {
            "boundaries": [10],
            "values": [
                {"module": "os", "class_name": "system", "config": {"command": "true"}},
                0.1,
            ],
        },
    },
}


@pytest.mark.parametrize("config", MALICIOUS.values(), ids=MALICIOUS.keys())
def test_configs_never_import_or_run_anything(
    config: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    text = json.dumps(config)
    modules_before = set(sys.modules)
    for source in (config, text):
        # The guard is the inner context: pytest's own lazy imports stay outside it.
        with (
            pytest.raises(ValueError, match="unknown"),
            imports_forbidden(monkeypatch) as attempted,
        ):
            lrkit.deserialize(source)
        assert attempted == []
    assert set(sys.modules) == modules_before


def test_the_import_guard_catches_imports(monkeypatch: pytest.MonkeyPatch) -> None:
    # The guard above must itself be able to fail.
    with pytest.raises(ImportError), imports_forbidden(monkeypatch) as attempted:
        import colorsys  # noqa: F401
    assert attempted == ["colorsys"]


def _nested_json(depth: int, opener: str, closer: str, inner: str = "1") -> str:
    return opener * depth + inner + closer * depth


def _nested_dict(depth: int) -> Any:
    value: Any = 1
    for _ in range(depth):
        value = {"a": value}
    return value


def _nested_list(depth: int) -> Any:
    value: Any = 1
    for _ in range(depth):
        value = [value]
    return value


def _cosine_with(name_value: str) -> str:
    return (
        f'{{"class_name": "CosineDecay", "config": {{"initial_learning_rate": 0.1, '
        f'"decay_steps": 10, "name": {name_value}}}}}'
    )


DEEP_JSON = {
    "dicts": lambda depth: _nested_json(depth, '{"a": ', "}"),
    "lists": lambda depth: _nested_json(depth, "[", "]"),
    "schedule-dicts": lambda depth: _nested_json(
        depth, '{"class_name": "CosineDecay", "config": {"name": ', "}}"
    ),
    "config-value-dicts": lambda depth: _cosine_with(_nested_json(depth, '{"a": ', "}")),
    "config-value-lists": lambda depth: _cosine_with(_nested_json(depth, "[", "]")),
    "boundaries": lambda depth: (
        '{"class_name": "PiecewiseConstantDecay", "config": {"values": [1, 2], "boundaries": '
        + _nested_json(depth, "[", "]")
        + "}}"
    ),
}


def _refuse_json(text: str) -> None:
    with pytest.raises(ValueError, match=r"nested|class_name|over the|must be a dict"):
        lrkit.from_json(text)
    with pytest.raises(ValueError, match=r"nested|class_name|over the|must be a dict"):
        lrkit.deserialize(text)


@pytest.mark.parametrize("depth", [10_000, 200_000])
@pytest.mark.parametrize("make", DEEP_JSON.values(), ids=DEEP_JSON.keys())
def test_deeply_nested_json_is_refused_without_walking_it(
    make: Callable[[int], str], depth: int
) -> None:
    """Refused, with about as many calls as a nesting just past the limit takes."""
    shallow, deep = make(_serialization.MAX_DEPTH + 8), make(depth)
    _refuse_json(shallow)  # first-call work (compiled patterns, caches) out of the count
    assert bounded(
        function_calls(lambda: _refuse_json(deep)), function_calls(lambda: _refuse_json(shallow))
    )


@pytest.mark.parametrize(
    "key", ["schedule-dicts", "config-value-dicts", "config-value-lists", "boundaries"]
)
def test_nesting_inside_a_schedule_config_is_limited(key: str) -> None:
    shallow, deep = DEEP_JSON[key](8), DEEP_JSON[key](_serialization.MAX_DEPTH + 8)
    with pytest.raises((TypeError, ValueError)) as error:  # a bad value, but read in full
        lrkit.from_json(shallow)
    assert "nested" not in str(error.value)
    with pytest.raises(ValueError, match="nested deeper than"):
        lrkit.from_json(deep)


DEEP_OBJECTS = {
    "config-value-dicts": lambda depth: {
        "class_name": "CosineDecay",
        "config": {"initial_learning_rate": 0.1, "decay_steps": 10, "name": _nested_dict(depth)},
    },
    "config-value-lists": lambda depth: {
        "class_name": "CosineDecay",
        "config": {"initial_learning_rate": 0.1, "decay_steps": 10, "name": _nested_list(depth)},
    },
    "class-name": lambda depth: {"class_name": _nested_dict(depth), "config": {}},
    "registered-name": lambda depth: {"class_name": "X", "registered_name": _nested_list(depth)},
    "schedules": lambda depth: _nested_schedules(depth),
}


def _nested_schedules(depth: int) -> Any:
    value: Any = 0.1
    for _ in range(depth):
        value = {"class_name": "CosineDecay", "config": {"initial_learning_rate": value}}
    return value


@pytest.mark.parametrize("depth", [100, 10_000])
@pytest.mark.parametrize("make", DEEP_OBJECTS.values(), ids=DEEP_OBJECTS.keys())
def test_deeply_nested_objects_are_refused_without_walking_them(
    make: Callable[[int], Any], depth: int
) -> None:
    """Refused with a short message, in about the calls of a nesting just past the limit."""

    def refuse(config: Any) -> None:
        with pytest.raises(ValueError, match=r"nested|class_name|registered_name") as error:
            lrkit.deserialize(config)
        assert len(str(error.value)) < 2000

    shallow, deep = make(_serialization.MAX_DEPTH + 8), make(depth)
    refuse(shallow)  # first-call work (compiled patterns, caches) out of the count
    assert bounded(function_calls(lambda: refuse(deep)), function_calls(lambda: refuse(shallow)))


@pytest.mark.parametrize(
    "literal",
    ["NaN", "Infinity", "-Infinity", "1e999", "-1e999"],
)
def test_non_finite_json_numbers_are_refused(literal: str) -> None:
    text = _cosine_with('"c"').replace(
        '"initial_learning_rate": 0.1', f'"initial_learning_rate": {literal}'
    )
    with pytest.raises(ValueError, match=r"NaN|Infinity|finite"):
        lrkit.from_json(text)
    with pytest.raises(ValueError, match=r"NaN|Infinity|finite"):
        lrkit.deserialize(text)


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("", ValueError),
        ("{", ValueError),
        ("{'class_name': 'CosineDecay'}", ValueError),
        (b"\xff\xfe\x00", ValueError),
        ("[1, 2]", ValueError),
        ('"CosineDecay"', ValueError),
        (" " * (_serialization.MAX_JSON_CHARS + 1), ValueError),
    ],
    ids=["empty", "truncated", "single-quotes", "bad-bytes", "array", "string", "too-long"],
)
def test_bad_json_text(text: str | bytes, error: type[Exception]) -> None:
    with pytest.raises(error):
        lrkit.from_json(text)


def test_from_json_refuses_non_text() -> None:
    with pytest.raises(TypeError, match="JSON text"):
        lrkit.from_json({"class_name": "CosineDecay"})  # type: ignore[arg-type]


def test_json_is_plain_and_finite(example_schedule: lrkit.LearningRateSchedule) -> None:
    text = lrkit.to_json(example_schedule)
    assert "NaN" not in text
    assert "Infinity" not in text
    data = json.loads(text)
    assert all(math.isfinite(value) for value in _leaves(data) if isinstance(value, float))


def _leaves(value: Any) -> Iterator[Any]:
    if isinstance(value, dict):
        for item in value.values():
            yield from _leaves(item)
    elif isinstance(value, list):
        for item in value:
            yield from _leaves(item)
    else:
        yield value
