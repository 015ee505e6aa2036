"""``lrkit.tf_keras``: lrkit schedules in tf.keras 2.x (the installed ``tf-keras`` package).

One subprocess with ``TF_USE_LEGACY_KERAS=1``, so that ``tf.keras`` is Keras 2
as TF 2.x users have it: an ``lrkit.tf_keras`` schedule goes straight into a
``tf.keras`` optimizer; the schedule and optimizer configs round-trip through
JSON without ``custom_objects``; a short ``fit`` applies the schedule's rate at
every step (read from the bias a unit-gradient loss moves by ``-lr``); the
model saves, loads and goes on fitting with the same rates; every example
schedule evaluates on tensors inside a ``tf.function``; and a plain lrkit
schedule given to a tf.keras optimizer raises the TypeError that names
``lrkit.keras``/``lrkit.tf_keras``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("tensorflow")
pytest.importorskip("tf_keras")

pytestmark = pytest.mark.tensorflow

CHECK = textwrap.dedent(
    """
    import json, sys
    import numpy as np
    import tensorflow as tf
    import lrkit, lrkit.tf_keras

    sys.path.insert(0, sys.argv[1])
    from conftest import EXAMPLES

    import tf_keras
    assert tf.keras.optimizers.SGD is tf_keras.optimizers.SGD  # Keras 2 is tf.keras here
    out = {}

    schedule = lrkit.tf_keras.Join(
        [lrkit.tf_keras.CosineDecay(0.0, 10, warmup_target=0.1, warmup_steps=6),
         lrkit.ExponentialDecay(0.05, 4, 0.5)],  # a plain part inside
        boundaries=[16],
    )
    out["schedule"] = lrkit.serialize(schedule)
    out["expected"] = [schedule(t) for t in range(24)]

    # Configs through JSON, no custom_objects.
    optimizer = tf.keras.optimizers.AdamW(learning_rate=schedule)
    config = json.loads(json.dumps(optimizer.get_config()))
    out["optimizer_config"] = config["learning_rate"]
    again = tf.keras.optimizers.AdamW.from_config(dict(config))  # it replaces learning_rate
    restored = tf.keras.optimizers.deserialize(
        json.loads(json.dumps(tf.keras.optimizers.serialize(optimizer))))
    by_schedules = tf.keras.optimizers.schedules.deserialize(
        json.loads(json.dumps(tf.keras.optimizers.schedules.serialize(schedule))))
    by_saving = tf.keras.saving.deserialize_keras_object(
        json.loads(json.dumps(tf.keras.saving.serialize_keras_object(schedule))))
    by_lrkit = lrkit.tf_keras.deserialize(
        json.loads(json.dumps(lrkit.tf_keras.serialize(schedule))))
    out["round_trips"] = [
        [type(s).__module__, type(s).__name__, s == schedule]
        for s in (again._learning_rate, restored._learning_rate, by_schedules, by_saving, by_lrkit)
    ]
    out["lrkit_reads_it"] = lrkit.deserialize(config["learning_rate"]) == schedule

    @tf.keras.saving.register_keras_serializable(package="check")
    def bias_loss(y_true, y_pred):
        # d loss / d bias == 1: with SGD the bias moves by exactly -lr each step.
        return tf.reduce_mean(y_pred)

    class Rates(tf.keras.callbacks.Callback):
        def __init__(self):
            super().__init__()
            self.steps, self.used, self.bias = [], [], None

        def on_train_batch_begin(self, batch, logs=None):
            self.steps.append(int(self.model.optimizer.iterations.numpy()))
            self.bias = float(self.model.layers[-1].bias.numpy()[0])

        def on_train_batch_end(self, batch, logs=None):
            self.used.append(self.bias - float(self.model.layers[-1].bias.numpy()[0]))

    x = np.random.default_rng(0).normal(size=(48, 3)).astype("float32")
    y = np.zeros((48, 1), dtype="float32")
    model = tf.keras.Sequential([tf.keras.Input((3,)), tf.keras.layers.Dense(1)])
    model.compile(optimizer=tf.keras.optimizers.SGD(learning_rate=schedule), loss=bias_loss)
    first = Rates()
    model.fit(x, y, batch_size=4, epochs=1, verbose=0, callbacks=[first])  # 12 steps
    path = sys.argv[2] + "/model.keras"
    model.save(path)
    loaded = tf.keras.models.load_model(path)  # no custom_objects
    second = Rates()
    loaded.fit(x, y, batch_size=4, epochs=1, verbose=0, callbacks=[second])  # steps 12..23
    out["steps"] = first.steps + second.steps
    out["used"] = first.used + second.used
    learning_rate = loaded.optimizer._learning_rate
    out["loaded"] = [type(learning_rate).__module__, learning_rate == schedule]

    # Every example schedule (but the slow-to-trace seeded timm noise) in one tf.function.
    examples = {k: s for k, s in EXAMPLES.items() if not k.startswith("TimmNoise")}
    converted = [lrkit.tf_keras.to_keras(s) for s in examples.values()]
    steps = tf.constant([0, 1, 5, 17, 250], tf.int64)
    graph = tf.function(lambda t: tf.stack([s(t) for s in converted]))(steps).numpy()
    out["compiled"] = {k: row.tolist() for k, row in zip(examples, graph)}
    out["compiled_expected"] = {
        k: [s(int(t)) for t in steps.numpy()] for k, s in examples.items()}

    try:
        tf.keras.optimizers.SGD(learning_rate=lrkit.CosineDecay(0.1, 10))
        out["plain_error"] = None
    except TypeError as error:
        out["plain_error"] = str(error)
    print(json.dumps(out))
    """
)


def test_tf_keras_optimizers_fit_save_and_load(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "TF_USE_LEGACY_KERAS": "1",
        "TF_CPP_MIN_LOG_LEVEL": "3",
        "CUDA_VISIBLE_DEVICES": "",
    }
    result = subprocess.run(
        [sys.executable, "-c", CHECK, str(Path(__file__).parent), str(tmp_path)],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-6000:]
    out = json.loads(result.stdout.strip().splitlines()[-1])
    expected = out["expected"]

    assert out["optimizer_config"]["registered_name"] == "lrkit>Join"
    assert out["optimizer_config"]["config"] == out["schedule"]["config"]
    assert out["round_trips"] == [["lrkit.tf_keras", "Join", True]] * 5
    assert out["lrkit_reads_it"] is True

    assert out["steps"] == list(range(24))
    np.testing.assert_allclose(out["used"], expected, rtol=2e-5, atol=2e-7)  # float32 bias
    assert out["loaded"] == ["lrkit.tf_keras", True]

    assert len(out["compiled"]) > 40
    for name, values in out["compiled"].items():
        reference = out["compiled_expected"][name]
        scale = max(max(abs(v) for v in reference), 1e-30)
        np.testing.assert_allclose(values, reference, rtol=1e-5, atol=1e-6 * scale, err_msg=name)

    assert "CosineDecay was called without a step" in out["plain_error"]
    assert "lrkit.keras.CosineDecay(...)" in out["plain_error"]
    assert "lrkit.tf_keras" in out["plain_error"]
