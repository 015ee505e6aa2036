"""A torch training loop with a warmup-cosine schedule, resumed from a checkpoint.

Trains a small regression model for 60 steps with ``lrkit.torch.LRScheduler``
(linear warmup for 10 steps, then cosine decay), once without interruption
and once stopped at step 30, saved with ``torch.save`` and resumed in fresh
objects. The resumed run uses exactly the same learning rates and ends with
exactly the same weights.

Run: ``python examples/torch_warmup_cosine_resume.py`` (CPU, a few seconds).
"""

from __future__ import annotations

import io

import torch

import lrkit
import lrkit.torch

STEPS, WARMUP, PEAK = 60, 10, 0.05
SCHEDULE = lrkit.CosineDecay(
    0.0, decay_steps=STEPS - WARMUP, alpha=0.1, warmup_target=PEAK, warmup_steps=WARMUP
)


def make_data() -> list[tuple[torch.Tensor, torch.Tensor]]:
    generator = torch.Generator().manual_seed(0)
    true_weights = torch.randn(8, 1, generator=generator)
    batches = []
    for _ in range(STEPS):
        x = torch.randn(32, 8, generator=generator)
        batches.append((x, x @ true_weights + 0.01 * torch.randn(32, 1, generator=generator)))
    return batches


def build() -> tuple[torch.nn.Module, torch.optim.Optimizer, lrkit.torch.LRScheduler]:
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(8, 16), torch.nn.ReLU(), torch.nn.Linear(16, 1))
    optimizer = torch.optim.AdamW(model.parameters(), lr=PEAK, weight_decay=1e-2)
    # One schedule for the learning rate, one for Adam's beta1 ("momentum").
    scheduler = lrkit.torch.LRScheduler(
        optimizer,
        SCHEDULE,
        hyperparameters={"momentum": lrkit.CosineDecay(0.95, STEPS, alpha=0.85 / 0.95)},
    )
    return model, optimizer, scheduler


def train(
    model: torch.nn.Module,
    optimizer: torch.optim.Optimizer,
    scheduler: lrkit.torch.LRScheduler,
    batches: list[tuple[torch.Tensor, torch.Tensor]],
) -> list[float]:
    rates = []
    for x, y in batches:
        optimizer.zero_grad()
        loss = torch.nn.functional.mse_loss(model(x), y)
        loss.backward()
        rates.append(optimizer.param_groups[0]["lr"])
        optimizer.step()
        scheduler.step()
    return rates


def main() -> None:
    data = make_data()

    model, optimizer, scheduler = build()
    uninterrupted = train(model, optimizer, scheduler, data)

    # Stop halfway and write a checkpoint.
    model_a, optimizer_a, scheduler_a = build()
    first_half = train(model_a, optimizer_a, scheduler_a, data[: STEPS // 2])
    buffer = io.BytesIO()
    torch.save(
        {
            "model": model_a.state_dict(),
            "optimizer": optimizer_a.state_dict(),
            "scheduler": scheduler_a.state_dict(),  # the step count and the schedules' configs
        },
        buffer,
    )

    # Resume in fresh objects: build the scheduler, then load the states.
    buffer.seek(0)
    checkpoint = torch.load(buffer)
    model_b, optimizer_b, scheduler_b = build()
    model_b.load_state_dict(checkpoint["model"])
    optimizer_b.load_state_dict(checkpoint["optimizer"])
    scheduler_b.load_state_dict(checkpoint["scheduler"])
    second_half = train(model_b, optimizer_b, scheduler_b, data[STEPS // 2 :])

    assert first_half + second_half == uninterrupted, "resumed rates differ"
    assert uninterrupted == [SCHEDULE(t) for t in range(STEPS)]
    for a, b in zip(model.parameters(), model_b.parameters(), strict=True):
        assert torch.equal(a, b), "resumed weights differ"

    peak_step = uninterrupted.index(max(uninterrupted))
    print(
        f"{STEPS} steps, peak lr {max(uninterrupted):.4f} at step {peak_step}, "
        f"final lr {uninterrupted[-1]:.5f}"
    )
    print("resumed at step 30: identical learning rates and weights")


if __name__ == "__main__":
    main()
