"""Keras ``model.fit`` with an lrkit schedule, then save, load and keep training.

``lrkit.keras.to_keras(schedule)`` turns an lrkit schedule into a Keras
``LearningRateSchedule``. A callback records the rate of every step; the
model is saved with ``model.save`` and loaded with
``keras.saving.load_model`` (no ``custom_objects``: ``import lrkit.keras``
registers the class), and training resumes on the same schedule.

Runs on the JAX backend unless ``KERAS_BACKEND`` says otherwise (torch and
tensorflow work the same way). Run: ``python examples/keras_fit.py`` (CPU, a
few seconds).
"""

from __future__ import annotations

import os
import tempfile

os.environ.setdefault("KERAS_BACKEND", "jax")

import keras
import numpy as np

import lrkit
import lrkit.keras

BATCHES_PER_EPOCH = 16
SCHEDULE = lrkit.CosineDecay(
    0.0,
    decay_steps=4 * BATCHES_PER_EPOCH,
    alpha=0.1,
    warmup_target=1e-2,
    warmup_steps=BATCHES_PER_EPOCH,
)


class RecordRates(keras.callbacks.Callback):
    """The optimizer's step count and learning rate before every batch."""

    def __init__(self) -> None:
        super().__init__()
        self.rates: list[tuple[int, float]] = []

    def on_train_batch_begin(self, batch: int, logs: dict[str, float] | None = None) -> None:
        optimizer = self.model.optimizer
        step = int(keras.ops.convert_to_numpy(optimizer.iterations))
        self.rates.append((step, float(keras.ops.convert_to_numpy(optimizer.learning_rate))))


def main() -> None:
    rng = np.random.default_rng(0)
    x = rng.normal(size=(BATCHES_PER_EPOCH * 32, 6)).astype("float32")
    y = (x @ rng.normal(size=(6, 1)) + 0.1 * rng.normal(size=(len(x), 1))).astype("float32")

    model = keras.Sequential(
        [keras.Input((6,)), keras.layers.Dense(16, activation="relu"), keras.layers.Dense(1)]
    )
    optimizer = keras.optimizers.AdamW(learning_rate=lrkit.keras.to_keras(SCHEDULE))
    model.compile(optimizer=optimizer, loss="mse")
    assert optimizer.get_config()["learning_rate"]["config"]["schedule"] == lrkit.serialize(
        SCHEDULE
    )

    recorder = RecordRates()
    history = model.fit(x, y, batch_size=32, epochs=3, verbose=0, callbacks=[recorder])

    with tempfile.TemporaryDirectory() as directory:
        path = os.path.join(directory, "model.keras")
        model.save(path)
        restored = keras.saving.load_model(path)
    assert restored.optimizer._learning_rate.schedule == SCHEDULE
    restored.fit(x, y, batch_size=32, epochs=2, verbose=0, callbacks=[recorder])

    steps = [step for step, _ in recorder.rates]
    assert steps == list(range(5 * BATCHES_PER_EPOCH)), "the step count did not carry over"
    np.testing.assert_allclose(
        [rate for _, rate in recorder.rates], [SCHEDULE(t) for t in steps], rtol=1e-6, atol=1e-9
    )
    losses = history.history["loss"]
    print(
        f"{keras.backend.backend()} backend: 5 epochs of {BATCHES_PER_EPOCH} steps, "
        f"loss {losses[0]:.4f} -> {losses[-1]:.4f}; the loaded model resumed at step "
        f"{3 * BATCHES_PER_EPOCH} on the same schedule"
    )


if __name__ == "__main__":
    main()
