"""lrkit schedules in Keras 3 optimizers: ``lrkit.keras`` classes and the ``KerasSchedule`` wrapper.

The test process runs Keras on its NumPy backend (see conftest.py), which has
optimizers but no ``fit``; the jax, torch and tensorflow backends each run
``model.fit`` in their own subprocess (Keras picks its backend once per
process), all three at once, started when the tests are collected, with an
``lrkit.keras`` schedule given straight to the optimizer, and save, load and
go on fitting with the same rates.
"""

from __future__ import annotations

import atexit
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import numpy as np
import pytest

import lrkit

keras = pytest.importorskip("keras")
# Keras's own NumPy 2 deprecation notices (its variables' __array__), not lrkit's.
pytestmark = pytest.mark.filterwarnings(
    "ignore:__array__ implementation doesn't accept a copy keyword:DeprecationWarning"
)
lrkit_keras = pytest.importorskip("lrkit.keras")
KerasSchedule, to_keras = lrkit_keras.KerasSchedule, lrkit_keras.to_keras

SCHEDULE = lrkit.Warmup(lrkit.CosineDecay(0.1, 12, alpha=0.05), warmup_steps=4)


def sgd_rates(optimizer: Any, steps: int) -> tuple[list[float], list[float]]:
    """(rate reported before each update, rate the update used), with gradient 1."""
    variable = keras.Variable(np.zeros(3, dtype="float32"))
    optimizer.build([variable])
    reported, used = [], []
    for _ in range(steps):
        before = float(variable.numpy()[0])
        reported.append(float(keras.ops.convert_to_numpy(optimizer.learning_rate)))
        optimizer.apply_gradients([(np.ones(3, dtype="float32"), variable)])
        used.append(before - float(variable.numpy()[0]))
    return reported, used


def native(schedule: lrkit.LearningRateSchedule) -> Any:
    """The lrkit.keras class of the schedule's name, with its config."""
    return getattr(lrkit_keras, type(schedule).__name__).from_config(schedule.get_config())


@pytest.mark.parametrize("convert", [native, to_keras], ids=["lrkit.keras", "wrapper"])
def test_keras_schedule_drives_a_keras_optimizer(convert: Any) -> None:
    optimizer = keras.optimizers.SGD(learning_rate=convert(SCHEDULE))
    reported, used = sgd_rates(optimizer, 20)
    expected = [SCHEDULE(t) for t in range(20)]
    np.testing.assert_allclose(reported, expected, rtol=1e-12)
    np.testing.assert_allclose(used, expected, rtol=1e-6, atol=1e-7)  # float32 variables
    assert int(optimizer.iterations.numpy()) == 20


def test_wrapper_is_a_keras_schedule_and_round_trips() -> None:
    wrapped = KerasSchedule(SCHEDULE)
    assert isinstance(wrapped, keras.optimizers.schedules.LearningRateSchedule)
    assert to_keras(wrapped) is wrapped
    assert wrapped.get_config() == {"schedule": lrkit.serialize(SCHEDULE)}
    assert KerasSchedule.from_config(wrapped.get_config()) == wrapped
    assert KerasSchedule(lrkit.serialize(SCHEDULE)) == wrapped
    restored = keras.optimizers.schedules.deserialize(keras.optimizers.schedules.serialize(wrapped))
    assert restored == wrapped
    assert restored.schedule == SCHEDULE


@pytest.mark.parametrize("name", ["SGD", "Adam", "AdamW", "RMSprop", "Lion"])
def test_optimizer_config_embeds_lrkit_config(name: str) -> None:
    optimizer = getattr(keras.optimizers, name)(learning_rate=KerasSchedule(SCHEDULE))
    config = optimizer.get_config()
    assert config["learning_rate"]["registered_name"] == "lrkit>KerasSchedule"
    assert config["learning_rate"]["config"]["schedule"] == lrkit.serialize(SCHEDULE)
    # Back from JSON, with no custom_objects.
    text = json.dumps(keras.optimizers.serialize(optimizer))
    restored = keras.optimizers.deserialize(json.loads(text))
    assert type(restored) is type(optimizer)
    assert restored._learning_rate == KerasSchedule(SCHEDULE)


def test_every_schedule_evaluates_on_keras_tensors(
    example_schedule: lrkit.LearningRateSchedule,
) -> None:
    wrapped = KerasSchedule(example_schedule)
    steps = np.array([0, 1, 5, 17, 250], dtype="int64")
    got = keras.ops.convert_to_numpy(wrapped(keras.ops.convert_to_tensor(steps)))
    np.testing.assert_allclose(got, [example_schedule(int(t)) for t in steps], rtol=1e-12)
    variable = keras.Variable(7, dtype="int64")  # as optimizer.iterations
    np.testing.assert_allclose(keras.ops.convert_to_numpy(wrapped(variable)), example_schedule(7))


def test_model_save_and_load_keeps_the_wrapped_schedule(tmp_path: Path) -> None:
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    model.compile(
        optimizer=keras.optimizers.AdamW(learning_rate=KerasSchedule(SCHEDULE)), loss="mse"
    )
    model.optimizer.build(model.trainable_variables)
    path = tmp_path / "model.keras"
    model.save(path)
    loaded = keras.saving.load_model(path)
    assert isinstance(loaded.optimizer, keras.optimizers.AdamW)
    assert loaded.optimizer._learning_rate == KerasSchedule(SCHEDULE)
    assert loaded.optimizer._learning_rate.schedule == SCHEDULE


def test_wrapping_refuses_what_is_not_an_lrkit_schedule() -> None:
    with pytest.raises(TypeError, match="already a Keras schedule"):
        KerasSchedule(keras.optimizers.schedules.CosineDecay(0.1, 10))
    with pytest.raises(TypeError, match="wraps an lrkit schedule"):
        to_keras(0.1)


# -- the other backends: model.fit, save, load, resume ---------------------------

BACKEND_CHECK = textwrap.dedent(
    """
    import json, os, sys, warnings
    import numpy as np
    import keras, lrkit, lrkit.keras

    sys.path.insert(0, sys.argv[2])
    from conftest import EXAMPLES

    backend = keras.backend.backend()
    assert backend == sys.argv[1], backend
    # An lrkit.keras schedule, straight into the optimizer (a plain part inside).
    schedule = lrkit.keras.Join(
        [lrkit.keras.CosineDecay(0.0, 10, warmup_target=0.1, warmup_steps=6),
         lrkit.NoisyLinearCosineDecay(0.05, 20, seed=1)],
        boundaries=[16],
    )

    @keras.saving.register_keras_serializable(package="check")
    def bias_loss(y_true, y_pred):
        # d loss / d bias == 1: with SGD the bias moves by exactly -lr each step.
        return keras.ops.mean(y_pred)

    class Rates(keras.callbacks.Callback):
        def __init__(self):
            super().__init__()
            self.reported, self.used, self.bias = [], [], None

        def _bias(self):
            return float(keras.ops.convert_to_numpy(self.model.layers[-1].bias)[0])

        def on_train_batch_begin(self, batch, logs=None):
            optimizer = self.model.optimizer
            self.reported.append(
                (int(keras.ops.convert_to_numpy(optimizer.iterations)),
                 float(keras.ops.convert_to_numpy(optimizer.learning_rate))))
            self.bias = self._bias()

        def on_train_batch_end(self, batch, logs=None):
            self.used.append(self.bias - self._bias())

    x = np.random.default_rng(0).normal(size=(48, 3)).astype("float32")
    y = np.zeros((48, 1), dtype="float32")
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=schedule), loss=bias_loss)
    first = Rates()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model.fit(x, y, batch_size=4, epochs=1, verbose=0, callbacks=[first])  # 12 steps
    lrkit_warnings = [str(w.message) for w in caught if "lrkit" in w.filename]

    path = os.path.join(sys.argv[3], f"model-{backend}.keras")
    model.save(path)
    loaded = keras.saving.load_model(path)  # no custom_objects
    second = Rates()
    loaded.fit(x, y, batch_size=4, epochs=1, verbose=0, callbacks=[second])  # steps 12..23

    # Every example schedule in one compiled function (one compilation).
    wrapped = [getattr(lrkit.keras, type(example).__name__).from_config(example.get_config())
               for example in EXAMPLES.values()]

    def all_schedules(steps):
        return keras.ops.stack([keras.ops.cast(w(steps), "float32") for w in wrapped])

    if backend == "jax":
        import jax
        all_schedules = jax.jit(all_schedules)
    elif backend == "tensorflow":
        import tensorflow as tf
        all_schedules = tf.function(all_schedules, jit_compile=True)
    steps = np.array([0, 1, 5, 17, 250], dtype="int32")
    values = keras.ops.convert_to_numpy(all_schedules(keras.ops.convert_to_tensor(steps)))
    compiled = {name: row.tolist() for name, row in zip(EXAMPLES, values)}

    print(json.dumps({
        "reported": first.reported + second.reported,
        "used": first.used + second.used,
        "expected": [schedule(t) for t in range(24)],
        "loaded_schedule": lrkit.serialize(loaded.optimizer._learning_rate),
        "loaded_class": type(loaded.optimizer._learning_rate).__module__,
        "schedule": lrkit.serialize(schedule),
        "optimizer_config": loaded.optimizer.get_config()["learning_rate"],
        "lrkit_warnings": lrkit_warnings,
        "compiled": compiled,
        "compiled_expected": {name: [s(int(t)) for t in steps] for name, s in EXAMPLES.items()},
    }))
    """
)

BACKENDS = ["jax", "torch", "tensorflow"]


#: Backend -> its check's process and the files holding its stdout and stderr.
_RUNS: dict[str, tuple[subprocess.Popen[str], IO[str], IO[str]]] = {}


def _stop_runs() -> None:
    for process, out, err in _RUNS.values():
        if process.poll() is None:
            process.kill()
            process.wait()
        out.close()
        err.close()


def start_in_background() -> None:
    """Start the three backend checks together (once), when the tests are collected.

    They run beside the rest of the suite (see ``conftest.py``); the tests
    below wait for their results. Output goes to files, not pipes, so a
    chatty backend cannot block on a full pipe while nobody reads.
    """
    if _RUNS:
        return
    tests_dir = str(Path(__file__).parent)
    out_dir = tempfile.mkdtemp(prefix="lrkit-keras-backends-")
    for backend in BACKENDS:
        if importlib.util.find_spec(backend) is None:
            continue
        env = {
            **os.environ,
            "KERAS_BACKEND": backend,
            "TF_CPP_MIN_LOG_LEVEL": "3",
            "JAX_PLATFORMS": "cpu",
            "CUDA_VISIBLE_DEVICES": "",
        }
        out = tempfile.TemporaryFile("w+")  # noqa: SIM115 (closed by _stop_runs)
        err = tempfile.TemporaryFile("w+")  # noqa: SIM115
        process = subprocess.Popen(
            [sys.executable, "-c", BACKEND_CHECK, backend, tests_dir, out_dir],
            env=env,
            stdout=out,
            stderr=err,
            text=True,
        )
        _RUNS[backend] = (process, out, err)
    atexit.register(_stop_runs)
    atexit.register(shutil.rmtree, out_dir, True)


@pytest.fixture(scope="session")
def backend_runs() -> Iterator[dict[str, tuple[subprocess.Popen[str], IO[str], IO[str]]]]:
    """The three backend checks (started at collection, or now); stopped at the end.

    Session-scoped: pytest regroups tests by the parameters of session
    fixtures (``example_schedule``), so a module-scoped fixture could be set
    up more than once.
    """
    start_in_background()
    yield _RUNS
    _stop_runs()


@pytest.mark.parametrize("backend", BACKENDS)
def test_fit_save_load_resume_on_backend(
    backend: str, backend_runs: dict[str, tuple[subprocess.Popen[str], IO[str], IO[str]]]
) -> None:
    if backend not in backend_runs:
        pytest.skip(f"{backend} is not installed")
    process, out, err = backend_runs[backend]
    try:
        process.wait(timeout=300)
    except subprocess.TimeoutExpired:
        process.kill()
        raise
    out.seek(0)
    err.seek(0)
    stdout, stderr = out.read(), err.read()
    assert process.returncode == 0, stderr[-4000:]
    result = json.loads(stdout.strip().splitlines()[-1])
    expected = result["expected"]

    # Per step, through a callback: the optimizer's rate, and the rate the update used.
    assert [step for step, _ in result["reported"]] == list(range(24))
    np.testing.assert_allclose([lr for _, lr in result["reported"]], expected, rtol=2e-6, atol=1e-8)
    np.testing.assert_allclose(result["used"], expected, rtol=2e-5, atol=2e-7)

    # The saved model came back with the same lrkit schedule, without custom_objects.
    assert result["loaded_schedule"] == result["schedule"]
    assert result["loaded_class"] == "lrkit.keras"
    assert result["optimizer_config"]["registered_name"] == "lrkit>Join"
    assert result["optimizer_config"]["config"] == result["schedule"]["config"]
    assert result["lrkit_warnings"] == []

    # Every schedule, compiled by the backend (jax.jit / tf.function with XLA).
    for name, values in result["compiled"].items():
        reference = result["compiled_expected"][name]
        scale = max(max(abs(v) for v in reference), 1e-30)
        np.testing.assert_allclose(values, reference, rtol=1e-5, atol=1e-6 * scale, err_msg=name)


def test_deserialize_reads_the_schedule_inside_a_keras_optimizer_config() -> None:
    schedule = lrkit.CosineDecay(0.0, 90, warmup_target=0.1, warmup_steps=10)
    optimizer = keras.optimizers.SGD(learning_rate=KerasSchedule(schedule))
    embedded = optimizer.get_config()["learning_rate"]
    assert embedded["registered_name"] == "lrkit>KerasSchedule"
    assert lrkit.deserialize(embedded) == schedule
    assert lrkit.from_json(json.dumps(embedded)) == schedule
