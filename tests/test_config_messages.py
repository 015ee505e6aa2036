"""Reading configs: what is refused, and messages that say what to do next.

Every ``from_config`` names what is missing; JSON (and YAML) objects with a
key twice are refused with the key and its path; a misspelled class name
suggests the closest one; a torch state dict, a Keras optimizer config or a
file path given where a schedule config belongs says what it is and what to
pass; a Keras ``CosineDecay`` config with ``warmup_steps`` but no
``warmup_target`` reads as Keras computes it, with a warning.
"""

from __future__ import annotations

import inspect
import json
import math
import pathlib
from typing import Any

import pytest

import lrkit
from conftest import EXAMPLES

# -- from_config names what is missing -----------------------------------------------

#: One example per registered class (the first in EXAMPLES).
FIRST_EXAMPLES: dict[str, lrkit.LearningRateSchedule] = {}
for _schedule in EXAMPLES.values():
    FIRST_EXAMPLES.setdefault(type(_schedule).__name__, _schedule)


def _required(cls: type[lrkit.LearningRateSchedule]) -> list[str]:
    parameters = inspect.signature(cls).parameters.values()
    return [p.name for p in parameters if p.default is p.empty and p.kind != p.VAR_KEYWORD]


def test_every_registered_class_is_in_the_from_config_table() -> None:
    assert set(FIRST_EXAMPLES) == {n for n in lrkit.registered_names() if ">" not in n}


@pytest.mark.parametrize("name", sorted(FIRST_EXAMPLES))
def test_from_config_names_every_missing_key(name: str) -> None:
    schedule = FIRST_EXAMPLES[name]
    cls = type(schedule)
    config = schedule.get_config()
    required = _required(cls)
    assert required, f"{name} has no required parameter to leave out"
    with pytest.raises(ValueError, match="missing required key") as raised:
        cls.from_config({})
    assert all(key in str(raised.value) for key in required)
    for key in required:
        partial = {k: v for k, v in config.items() if k != key}
        readers = (cls.from_config, lambda c: lrkit.deserialize({"class_name": name, "config": c}))
        for read in readers:
            with pytest.raises(ValueError, match=rf"missing required key\(s\) \['{key}'\]"):
                read(partial)


def test_keras_schedule_from_config_names_the_missing_schedule() -> None:
    pytest.importorskip("keras")
    from lrkit.keras import KerasSchedule

    for config in ({}, {"scheduel": {}}):
        with pytest.raises(ValueError, match=r"KerasSchedule: .*missing.*'schedule'"):
            KerasSchedule.from_config(config)


# -- duplicate keys ---------------------------------------------------------------------

_COSINE = '"class_name": "CosineDecay"'
DUPLICATES = {
    "top-level": (f'{{{_COSINE}, "config": {{}}, "config": {{}}}}', "config", "$"),
    "config": (
        f'{{{_COSINE}, "config": {{"initial_learning_rate": 0.1, "decay_steps": 10, '
        '"decay_steps": 20}}',
        "decay_steps",
        "$.config",
    ),
    "nested-in-a-list": (
        '{"class_name": "Sum", "config": {"schedules": ['
        '{"class_name": "Constant", "config": {"learning_rate": 0.1}}, '
        '{"class_name": "Constant", "config": {"learning_rate": 0.1, "learning_rate": 0.2}}]}}',
        "learning_rate",
        "$.config.schedules[1].config",
    ),
    "odd-key": ('{"a b": 1, "a b": 2}', "a b", "$"),
}


@pytest.mark.parametrize(("text", "key", "path"), DUPLICATES.values(), ids=DUPLICATES.keys())
def test_duplicate_json_keys_are_refused_with_their_path(text: str, key: str, path: str) -> None:
    json.loads(text)  # json.loads itself keeps the last value, silently
    for read in (lrkit.from_json, lrkit.deserialize, lambda t: lrkit.from_json(t.encode())):
        with pytest.raises(ValueError, match="twice") as raised:
            read(text)
        assert f"key {key!r}" in str(raised.value)
        assert f"at {path}:" in str(raised.value)


def test_unique_keys_are_read_as_before() -> None:
    text = DUPLICATES["config"][0].replace(', "decay_steps": 20', "")
    assert lrkit.from_json(text) == lrkit.CosineDecay(0.1, 10)


# -- did you mean ------------------------------------------------------------------------

MISSPELLED = {
    "CosineDecy": "CosineDecay",
    "cosinedecay": "CosineDecay",
    "CosineDecayRestart": "CosineDecayRestarts",
    "ExponentalDecay": "ExponentialDecay",
    "Warmpu": "Warmup",
    "PieceWiseConstantDecay": "PiecewiseConstantDecay",
}


@pytest.mark.parametrize(("given", "meant"), MISSPELLED.items(), ids=MISSPELLED.keys())
def test_a_misspelled_class_name_suggests_the_closest(given: str, meant: str) -> None:
    for source in ({"class_name": given, "config": {}}, json.dumps({"class_name": given})):
        with pytest.raises(ValueError, match=rf"unknown schedule '{given}' \(did you mean") as e:
            lrkit.deserialize(source)
        assert f"did you mean {meant!r}?" in str(e.value)
        assert "known schedules:" in str(e.value)


@pytest.mark.parametrize("given", ["Adam", "x", "Z" * 5000, "LearningRateSchedule"])
def test_no_suggestion_where_nothing_is_close(given: str) -> None:
    with pytest.raises(ValueError, match="unknown schedule") as raised:
        lrkit.deserialize({"class_name": given, "config": {}})
    assert "did you mean" not in str(raised.value)
    assert len(str(raised.value)) < 2000


def test_a_misspelled_config_key_suggests_the_parameter() -> None:
    with pytest.raises(ValueError, match=r"\['decay_step'\] \(did you mean 'decay_steps'\?\)"):
        lrkit.CosineDecay.from_config({"initial_learning_rate": 0.1, "decay_step": 10})


# -- what was given instead of a schedule config -------------------------------------------


def _torch_states() -> dict[str, Any]:
    torch = pytest.importorskip("torch")
    import lrkit.torch

    optimizer = torch.optim.SGD(torch.nn.Linear(2, 1).parameters(), lr=0.1)
    step_lr = torch.optim.lr_scheduler.StepLR(optimizer, 3)
    adapter = lrkit.torch.LRScheduler(optimizer, lrkit.CosineDecay(0.1, 10))
    return {
        "torch-scheduler": (step_lr.state_dict(), "torch scheduler's state_dict()"),
        "torch-optimizer": (optimizer.state_dict(), "torch optimizer's state_dict()"),
        "lrkit-adapter": (adapter.state_dict(), "state['schedules']['lr'][0]"),
    }


def test_torch_state_dicts_say_what_they_are() -> None:
    for state, expected in _torch_states().values():
        with pytest.raises(ValueError, match=r"not a schedule config|no schedule") as e:
            lrkit.deserialize(state)
        assert expected in str(e.value)


def test_the_adapter_state_hint_is_what_to_pass() -> None:
    state, _ = _torch_states()["lrkit-adapter"]
    assert lrkit.deserialize(state["schedules"]["lr"][0]) == lrkit.CosineDecay(0.1, 10)


def test_plateau_state_dict_says_what_it_is() -> None:
    with pytest.raises(ValueError, match=r"ReduceOnPlateau state_dict\(\).*load_state_dict"):
        lrkit.deserialize(lrkit.ReduceOnPlateau(0.1).state_dict())


def test_keras_optimizer_configs_point_at_their_schedule() -> None:
    keras = pytest.importorskip("keras")
    schedule = keras.optimizers.schedules.CosineDecay(0.1, 100)
    optimizer = keras.optimizers.Adam(learning_rate=schedule)
    serialized = keras.optimizers.serialize(optimizer)
    with pytest.raises(ValueError, match="a Keras optimizer config \\(Adam\\)") as raised:
        lrkit.deserialize(serialized)
    assert "lrkit.deserialize(config['config']['learning_rate'])" in str(raised.value)
    assert lrkit.deserialize(serialized["config"]["learning_rate"]) == lrkit.CosineDecay(0.1, 100)
    with pytest.raises(ValueError, match=r"lrkit.deserialize\(config\['learning_rate'\]\)"):
        lrkit.deserialize(optimizer.get_config())
    constant = keras.optimizers.SGD(learning_rate=0.5).get_config()
    with pytest.raises(ValueError, match=r"learning_rate is 0.5.*lrkit.Constant\(0.5\)"):
        lrkit.deserialize(constant)


def test_file_paths_say_to_read_the_file(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "schedule.json"
    path.write_text(lrkit.to_json(lrkit.CosineDecay(0.1, 10)))
    for given in (path, str(path), "schedule.json"):
        for read in (lrkit.from_json, lrkit.deserialize):
            with pytest.raises((TypeError, ValueError), match="file path") as raised:
                read(given)  # type: ignore[arg-type]
            assert "read_text()" in str(raised.value)
    assert lrkit.from_json(path.read_text()) == lrkit.CosineDecay(0.1, 10)
    with pytest.raises(ValueError, match=r"yaml.safe_load"):
        lrkit.from_json("configs/schedule.yaml")
    with pytest.raises(ValueError, match="not valid JSON") as raised:
        lrkit.from_json("CosineDecay(0.1, 10)")
    assert "file path" not in str(raised.value)


# -- Keras's CosineDecay with warmup_steps but no warmup_target -----------------------------


def test_keras_warmup_steps_without_a_target_read_as_keras_computes_them() -> None:
    keras = pytest.importorskip("keras")
    reference = keras.optimizers.schedules.CosineDecay(1e-3, 1000, warmup_steps=100)
    written = keras.optimizers.schedules.serialize(reference)
    bare = {"class_name": written["class_name"], "config": written["config"]}  # tf.keras 2.x
    steps = [0, 1, 50, 99, 100, 101, 500, 999, 1000, 1100, 5000]
    for source in (written, json.dumps(written), bare):
        with pytest.warns(UserWarning, match="warmup_steps=100 but no warmup_target"):
            schedule = lrkit.deserialize(source)
        assert schedule == lrkit.CosineDecay(1e-3, 1000)
        for step in steps:
            expected = float(reference(step))
            # Keras computes in float32: its rounding, relative to the peak rate.
            assert math.isclose(schedule(step), expected, rel_tol=1e-6, abs_tol=1e-9), step


def test_lrkit_configs_with_warmup_steps_but_no_target_are_refused() -> None:
    config = lrkit.serialize(lrkit.CosineDecay(1e-3, 1000))
    config["config"]["warmup_steps"] = 100
    for source in (config, json.dumps(config)):
        with pytest.raises(ValueError, match="warmup_steps needs a warmup_target"):
            lrkit.deserialize(source)


@pytest.mark.parametrize(
    "module",
    [
        "lrkit._core.config_hints",
        "lrkit._seeing.describe",
        "lrkit._core.schedule",
        "lrkit._core.serialization",
    ],
)
def test_docstring_examples_run(module: str) -> None:
    import doctest
    import importlib

    result = doctest.testmod(importlib.import_module(module))
    assert result.failed == 0
    assert result.attempted > 0
