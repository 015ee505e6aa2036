"""``lrkit.keras``: every lrkit schedule as a Keras 3 ``LearningRateSchedule``.

In the test process Keras runs on its NumPy backend (see conftest.py): the
classes, their values on Keras variables and tensors, Keras's serialization
(``keras.optimizers.schedules``, ``keras.saving``, optimizer configs and
``model.save``/``load_model``) and the TypeError a plain lrkit schedule
raises when a Keras optimizer calls it without a step. Training on the jax,
torch and tensorflow backends is in ``test_keras_integration.py``; Keras's
own schedule tests in ``test_keras_own_suite.py``.
"""

from __future__ import annotations

import copy
import inspect
import json
import os
import pickle
import subprocess
import sys
from pathlib import Path
from typing import Any
from unittest import mock

import numpy as np
import pytest

import lrkit
from lrkit._core.schedule import LearningRateSchedule

keras = pytest.importorskip("keras")
# Keras's own NumPy 2 deprecation notices (its variables' __array__), not lrkit's.
pytestmark = pytest.mark.filterwarnings(
    "ignore:__array__ implementation doesn't accept a copy keyword:DeprecationWarning"
)
lrkit_keras = pytest.importorskip("lrkit.keras")

from conftest import EXAMPLES  # noqa: E402

KerasBase = keras.optimizers.schedules.LearningRateSchedule
BUILTIN_NAMES = [name for name in lrkit.registered_names() if ">" not in name]


def native(schedule: LearningRateSchedule) -> Any:
    """The lrkit.keras schedule of the same class and config."""
    return getattr(lrkit_keras, type(schedule).__name__).from_config(schedule.get_config())


def keras_round_trip(value: Any) -> Any:
    text = json.dumps(keras.optimizers.schedules.serialize(value))
    return keras.optimizers.schedules.deserialize(json.loads(text))


def test_every_lrkit_schedule_has_its_keras_class() -> None:
    assert len(BUILTIN_NAMES) > 40
    for name in BUILTIN_NAMES:
        cls = getattr(lrkit_keras, name)
        base = getattr(lrkit, name)
        assert cls.__name__ == name
        assert cls.__module__ == "lrkit.keras"
        assert cls.__mro__[1:3] == (lrkit_keras.KerasNativeMixin, base), name
        assert issubclass(cls, KerasBase), name
        assert issubclass(cls, base), name
        assert keras.saving.get_registered_name(cls) == f"lrkit>{name}"
        assert keras.saving.get_registered_object(f"lrkit>{name}") is cls
        assert inspect.signature(cls) == inspect.signature(base), name
        assert name in lrkit_keras.__all__
    # As keras.optimizers.schedules has them.
    assert lrkit_keras.LearningRateSchedule is KerasBase
    assert not hasattr(lrkit_keras, "GroupSchedules")  # gives a dict per group, not a rate


def test_same_values_equality_hash_and_lrkit_config() -> None:
    for key, schedule in EXAMPLES.items():
        twin = native(schedule)
        assert isinstance(twin, KerasBase), key
        assert isinstance(twin, type(schedule)), key
        assert twin == schedule, key
        assert schedule == twin, key
        assert hash(twin) == hash(schedule), key
        assert len({twin, schedule}) == 1, key
        assert lrkit.serialize(twin) == lrkit.serialize(schedule), key
        back = lrkit.deserialize(lrkit.serialize(twin))
        assert type(back) is type(schedule), key
        assert back == schedule, key
        assert repr(twin) == repr(schedule), key
        for copied in (pickle.loads(pickle.dumps(twin)), copy.deepcopy(twin)):
            assert type(copied) is type(twin), key
            assert copied == schedule, key
        for step in (0, 1, 7, 12.5, 250, 10**6):
            assert twin(step) == schedule(step), (key, step)
            assert type(twin(step)) is float, (key, step)


def test_different_configs_and_classes_stay_unequal() -> None:
    assert lrkit_keras.CosineDecay(0.1, 100) != lrkit.CosineDecay(0.1, 101)
    assert lrkit_keras.CosineDecay(0.1, 100) != lrkit_keras.CosinePowerDecay(0.1, 100)

    class Mine(lrkit_keras.CosineDecay):  # a subclass of its own is its own class again
        pass

    assert Mine(0.1, 100) != lrkit_keras.CosineDecay(0.1, 100)
    assert lrkit.serialize(Mine(0.1, 100))["class_name"] == "Mine"


def test_values_on_keras_variables_and_tensors() -> None:
    steps = np.array([0, 1, 5, 17, 250], dtype="int64")
    for key, schedule in EXAMPLES.items():
        twin = native(schedule)
        got = keras.ops.convert_to_numpy(twin(keras.ops.convert_to_tensor(steps)))
        np.testing.assert_allclose(got, [schedule(int(t)) for t in steps], rtol=1e-12, err_msg=key)
        variable = keras.Variable(7, dtype="int64")  # as optimizer.iterations
        np.testing.assert_allclose(keras.ops.convert_to_numpy(twin(variable)), schedule(7))


def test_keras_serialization_round_trips_without_custom_objects() -> None:
    for key, schedule in EXAMPLES.items():
        twin = native(schedule)
        config = keras.optimizers.schedules.serialize(twin)
        assert config["registered_name"] == f"lrkit>{type(schedule).__name__}", key
        for restored in (
            keras_round_trip(twin),
            keras.saving.deserialize_keras_object(
                json.loads(json.dumps(keras.saving.serialize_keras_object(twin)))
            ),
            lrkit_keras.deserialize(json.loads(json.dumps(lrkit_keras.serialize(twin)))),
        ):
            assert type(restored) is type(twin), key
            assert restored == schedule, key
        # lrkit reads what Keras wrote, and gives the plain class.
        back = lrkit.deserialize(json.loads(json.dumps(config)))
        assert type(back) is type(schedule), key
        assert back == schedule, key


def test_combinators_of_keras_parts_serialize() -> None:
    k = lrkit_keras
    parts = [k.CosineDecay(0.0, 10, warmup_target=0.1, warmup_steps=5), k.Constant(0.01)]
    schedules = [
        k.Join(parts, boundaries=[15]),
        k.Warmup(k.ExponentialDecay(0.1, 10, 0.5), warmup_steps=3),
        k.Sum([parts[0], lrkit.Constant(0.001)]),  # Keras and plain parts together
        k.Scale(k.Clip(k.CosineDecayRestarts(0.1, 7), 0.01), 0.5),
        parts[0] * 0.5 + 0.01,  # arithmetic on a Keras class gives plain combinators
    ]
    plain = lrkit.Join(
        [lrkit.CosineDecay(0.0, 10, warmup_target=0.1, warmup_steps=5), lrkit.Constant(0.01)],
        boundaries=[15],
    )
    assert schedules[0] == plain
    assert lrkit.serialize(schedules[0]) == lrkit.serialize(plain)
    for schedule in schedules:
        expected = [schedule(t) for t in range(30)]
        for restored in (
            lrkit.deserialize(lrkit.to_json(schedule)),
            native(lrkit.deserialize(lrkit.serialize(schedule))),
        ):
            assert restored == schedule
            assert [restored(t) for t in range(30)] == expected
        keras_form = native(schedule)
        assert keras_round_trip(keras_form) == schedule
        values = keras.ops.convert_to_numpy(keras_form(keras.Variable(np.arange(30))))
        np.testing.assert_allclose(values, expected, rtol=1e-12)


def test_keras_reads_its_own_configs_as_lrkit_keras_classes() -> None:
    original = keras.optimizers.schedules.CosineDecay(
        0.0, 100, alpha=0.1, warmup_target=0.2, warmup_steps=10
    )
    restored = lrkit_keras.deserialize(keras.optimizers.schedules.serialize(original))
    assert type(restored) is lrkit_keras.CosineDecay
    steps = range(0, 130, 7)
    expected = [float(keras.ops.convert_to_numpy(original(keras.Variable(t)))) for t in steps]
    got = keras.ops.convert_to_numpy(restored(keras.ops.convert_to_tensor(np.array(steps))))
    np.testing.assert_allclose(got, expected, rtol=2e-6)


@pytest.mark.parametrize("name", ["SGD", "Adam", "AdamW", "RMSprop", "Lion"])
def test_optimizer_config_round_trips(name: str) -> None:
    schedule = lrkit_keras.Warmup(lrkit_keras.CosineDecay(0.1, 100, alpha=0.05), 10)
    optimizer = getattr(keras.optimizers, name)(learning_rate=schedule)
    config = optimizer.get_config()
    assert config["learning_rate"]["registered_name"] == "lrkit>Warmup"
    assert config["learning_rate"]["config"] == schedule.get_config()
    again = type(optimizer).from_config(json.loads(json.dumps(config)))
    assert type(again._learning_rate) is lrkit_keras.Warmup
    assert again._learning_rate == schedule
    text = json.dumps(keras.optimizers.serialize(optimizer))
    restored = keras.optimizers.deserialize(json.loads(text))
    assert type(restored) is type(optimizer)
    assert type(restored._learning_rate) is lrkit_keras.Warmup
    assert restored._learning_rate == schedule
    # lrkit reads the schedule out of the optimizer's config.
    assert lrkit.deserialize(config["learning_rate"]) == schedule


def test_model_save_and_load_without_custom_objects(tmp_path: Path) -> None:
    schedule = lrkit_keras.OneCycle(0.1, total_steps=100)
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.AdamW(learning_rate=schedule), loss="mse")
    model.optimizer.build(model.trainable_variables)
    model.optimizer.iterations.assign(37)
    path = tmp_path / "model.keras"
    model.save(path)
    loaded = keras.saving.load_model(path)
    assert type(loaded.optimizer._learning_rate) is lrkit_keras.OneCycle
    assert loaded.optimizer._learning_rate == schedule
    assert int(keras.ops.convert_to_numpy(loaded.optimizer.iterations)) == 37
    rate = float(keras.ops.convert_to_numpy(loaded.optimizer.learning_rate))
    assert rate == pytest.approx(lrkit.OneCycle(0.1, total_steps=100)(37), rel=1e-12)


def test_configs_of_the_wrapper_keep_loading() -> None:
    # An optimizer config as the KerasSchedule wrapper writes it (and always has).
    schedule = lrkit.CosineDecay(0.0, 90, warmup_target=0.1, warmup_steps=10)
    saved = {
        "module": "keras.optimizers",
        "class_name": "SGD",
        "config": {
            **keras.optimizers.SGD().get_config(),
            "learning_rate": {
                "module": "lrkit.keras",
                "class_name": "KerasSchedule",
                "config": {"schedule": lrkit.serialize(schedule)},
                "registered_name": "lrkit>KerasSchedule",
            },
        },
        "registered_name": None,
    }
    restored = keras.optimizers.deserialize(json.loads(json.dumps(saved)))
    assert type(restored._learning_rate) is lrkit_keras.KerasSchedule
    assert restored._learning_rate.schedule == schedule
    assert lrkit.deserialize(saved["config"]["learning_rate"]) == schedule


def test_to_keras_wraps_and_keeps_keras_schedules() -> None:
    schedule = lrkit.CosineDecay(0.1, 100)
    wrapped = lrkit_keras.to_keras(schedule)
    assert type(wrapped) is lrkit_keras.KerasSchedule
    assert wrapped.schedule == schedule
    native_form = lrkit_keras.CosineDecay(0.1, 100)
    assert lrkit_keras.to_keras(native_form) is native_form
    assert lrkit_keras.to_keras(wrapped) is wrapped
    # A wrapped lrkit.keras schedule evaluates as the plain one.
    steps = keras.ops.convert_to_tensor(np.arange(0, 120, 7))
    np.testing.assert_allclose(
        keras.ops.convert_to_numpy(lrkit_keras.KerasSchedule(native_form)(steps)),
        [schedule(t) for t in range(0, 120, 7)],
        rtol=1e-12,
    )
    with pytest.raises(TypeError, match="wraps an lrkit schedule"):
        lrkit_keras.to_keras(0.1)


# -- a plain lrkit schedule called without a step ------------------------------


def test_plain_schedule_without_a_step_says_what_to_use() -> None:
    for key, schedule in EXAMPLES.items():
        name = type(schedule).__name__
        with pytest.raises(TypeError) as caught:
            schedule()
        message = str(caught.value)
        assert f"lrkit.keras.{name}(" in message, key
        assert "lrkit.keras.to_keras(schedule)" in message, key
        with pytest.raises(TypeError, match=f"lrkit.keras.{name}"):
            schedule(None)


def test_keras_optimizer_with_a_plain_schedule_raises_the_hint() -> None:
    optimizer = keras.optimizers.SGD(learning_rate=lrkit.ExponentialDecay(0.1, 10, 0.5))
    hint = r"lrkit\.keras\.ExponentialDecay\(\.\.\.\) or lrkit\.keras\.to_keras"
    with pytest.raises(TypeError, match=hint):
        _ = optimizer.learning_rate


def test_schedule_of_ones_own_without_a_step() -> None:
    class Halving(LearningRateSchedule):
        def __init__(self, rate: float) -> None:
            self.rate = rate

        def _formula(self, step: Any, xp: Any) -> Any:
            return self.rate * 0.5 ** xp.floor(step / 10)

    with pytest.raises(TypeError, match="Halving was called without a step") as caught:
        Halving(1.0)()
    assert "lrkit.keras.Halving" not in str(caught.value)
    assert "lrkit.keras.to_keras(schedule)" in str(caught.value)


def test_the_missing_step_costs_the_python_number_path_nothing() -> None:
    # Every __call__ defaults its step to None, which the first line already
    # sends to _call_other with every other non-number: an int or float step
    # never reaches _call_other, and None always does.
    calls: list[Any] = []
    original = LearningRateSchedule._call_other

    def counting(self: Any, step: Any) -> Any:
        calls.append(step)
        return original(self, step)

    with mock.patch.object(LearningRateSchedule, "_call_other", counting):
        for key, schedule in EXAMPLES.items():
            parameter = inspect.signature(type(schedule).__call__).parameters["step"]
            assert parameter.default is None, key
            for step in (0, 3, 12.5, 10**6):
                schedule(step)
            assert calls == [], key
            with pytest.raises(TypeError):
                schedule()
            assert calls == [None], key
            calls.clear()


def test_import_lrkit_imports_no_keras_and_lrkit_keras_does() -> None:
    code = (
        "import sys, lrkit\n"
        "frameworks = ('keras', 'tensorflow', 'tf_keras', 'jax', 'torch', 'numpy')\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in frameworks))\n"
        "import lrkit.keras\n"
        "print('keras' in sys.modules, 'tf_keras' in sys.modules)\n"
    )
    env = {**os.environ, "KERAS_BACKEND": "numpy"}
    result = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    first, second = result.stdout.strip().splitlines()[-2:]
    assert first == "[]"
    assert second == "True False"
