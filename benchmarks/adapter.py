"""Worker: the cost of ``lrkit.torch.LRScheduler.step()`` against torch's own scheduler.

Times ``scheduler.step()`` of

* torch's ``CosineAnnealingLR(optimizer, T_max)`` (the reference, ratio 1.00x),
* ``lrkit.torch.LRScheduler(optimizer, lrkit.CosineDecay(lr, T_max))`` (one
  absolute schedule for every group),
* the same in relative mode (``CosineDecay(1.0, T_max)`` times each group's
  initial rate, as ``CosineAnnealingLR`` scales each group's base rate),
* torch's ``OneCycleLR(optimizer, max_lr, T_max)``, which sets ``momentum``
  as well as the rate (the reference of the next one),
* ``lrkit.torch.LRScheduler`` with ``lrkit.OneCycle`` for the rate and, for
  ``momentum``, the same one-cycle momentum written with lrkit's
  combinators,

on SGD optimizers with 1 and with 10 param groups. Each scheduler gets its own
optimizer of the same kind. Before timing, the lrkit schedulers are checked to
set the rates (and momenta) their torch reference sets. ``T_max`` is large, so
every timed step is inside the first phase (no clamping, no restarts).

Each repeat times every contender once, in a rotated order; each row is the
median over repeats of the time ratio to its torch reference in the same
repeat (target: 1.00x or less).
"""

from __future__ import annotations

import math
import sys
import timeit
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import torch

import lrkit
import lrkit.torch
from benchmarks.common import emit, progress, row, worker_parser

TARGET = 1.0  # lrkit's step() / torch's step()

BASE_LR = 0.1
T_MAX = 10**9
TORCH = "torch CosineAnnealingLR"
TORCH_MOMENTUM = "torch OneCycleLR (+ momentum)"
PCT_START = 0.3


@dataclass
class Contender:
    name: str
    make: Callable[[torch.optim.Optimizer], Any]  # optimizer -> scheduler
    versus: str | None = None  # the reference's name; None for a reference
    scheduler: Any = None
    seconds: list[float] = field(default_factory=list)  # per call, one per repeat


def make_optimizer(groups: int) -> torch.optim.Optimizer:
    """SGD with momentum over ``groups`` groups of one small parameter each."""
    parameters = [torch.nn.Parameter(torch.zeros(4)) for _ in range(groups)]
    return torch.optim.SGD(
        [{"params": [p], "lr": BASE_LR * (1 + i)} for i, p in enumerate(parameters)],
        lr=BASE_LR,
        momentum=0.9,
    )


def contenders(groups: int) -> list[Contender]:
    absolute = [lrkit.CosineDecay(BASE_LR * (1 + i), T_MAX) for i in range(groups)]
    shared = lrkit.CosineDecay(1.0, T_MAX)
    peaks = [BASE_LR * (1 + i) for i in range(groups)]
    one_cycle = [lrkit.OneCycle(peak, T_MAX, pct_start=PCT_START) for peak in peaks]
    # torch's one-cycle momentum: a cosine from 0.95 down to 0.85 while the rate
    # rises (pct_start * T_MAX - 1 steps), then a cosine back up to 0.95.
    rise = PCT_START * T_MAX - 1
    momentum = lrkit.Join(
        [
            lrkit.CosineDecay(0.95, rise, alpha=0.85 / 0.95),
            lrkit.Warmup(
                lrkit.Constant(0.95),
                warmup_steps=T_MAX - 1 - rise,
                initial_learning_rate=0.85,
                shape="cosine",
            ),
        ],
        [rise],
    )
    return [
        Contender(TORCH, lambda opt: torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_MAX)),
        Contender(
            "lrkit LRScheduler (absolute)",
            lambda opt: lrkit.torch.LRScheduler(opt, absolute if groups > 1 else absolute[0]),
            TORCH,
        ),
        Contender(
            "lrkit LRScheduler (relative)",
            lambda opt: lrkit.torch.LRScheduler(opt, shared, relative=True),
            TORCH,
        ),
        Contender(
            TORCH_MOMENTUM,
            lambda opt: torch.optim.lr_scheduler.OneCycleLR(
                opt, max_lr=peaks, total_steps=T_MAX, pct_start=PCT_START
            ),
        ),
        Contender(
            "lrkit LRScheduler (one cycle, + momentum)",
            lambda opt: lrkit.torch.LRScheduler(
                opt, one_cycle, hyperparameters={"momentum": momentum}
            ),
            TORCH_MOMENTUM,
        ),
    ]


def prepare(contender: Contender, groups: int) -> None:
    optimizer = make_optimizer(groups)
    contender.scheduler = contender.make(optimizer)
    optimizer.step()  # the step-order check wants an optimizer step first


def settings(scheduler: Any) -> list[float]:
    """Each group's rate and momentum, as the scheduler left them."""
    groups = scheduler.optimizer.param_groups
    return [value for group in groups for value in (group["lr"], group["momentum"])]


def check_values(groups: int) -> None:
    """The lrkit schedulers set what their reference sets (100 steps, 1e-12 relative)."""
    checked = contenders(groups)
    for contender in checked:
        prepare(contender, groups)
    references = {c.name: c.scheduler for c in checked if c.versus is None}
    for step in range(100):
        for contender in checked:
            contender.scheduler.step()
        for contender in checked:
            if contender.versus is None:
                continue
            got, expected = settings(contender.scheduler), settings(references[contender.versus])
            if not all(
                math.isclose(g, e, rel_tol=1e-12) for g, e in zip(got, expected, strict=True)
            ):
                raise AssertionError(
                    f"{contender.name}, {groups} groups, step {step + 1}: {got} != {expected}"
                )


def run(groups: int, repeats: int, number: int) -> list[Contender]:
    timed = contenders(groups)
    for contender in timed:
        prepare(contender, groups)
        contender.scheduler.step()  # warm up
    for repeat in range(repeats):
        shift = repeat % len(timed)
        for contender in timed[shift:] + timed[:shift]:
            elapsed = timeit.timeit(contender.scheduler.step, number=number)
            contender.seconds.append(elapsed / number)
    return timed


def main(argv: list[str] | None = None) -> int:
    parser = worker_parser(__doc__.splitlines()[0] if __doc__ else None)
    args = parser.parse_args(argv)
    repeats = args.repeats or (3 if args.quick else 15)
    number = 2_000 if args.quick else 20_000
    rows = []
    for groups in (1, 10):
        check_values(groups)
        progress(f"  torch adapter: {groups} param group(s)")
        timed = run(groups, repeats, number)
        references = {c.name: c for c in timed if c.versus is None}
        for contender in timed:
            if contender.versus is None:
                continue
            rows.append(
                row(
                    "adapter",
                    f"SGD, {groups} param group{'s' if groups > 1 else ''}: {contender.name}",
                    contender.versus,
                    contender.seconds,
                    references[contender.versus].seconds,
                    target=TARGET,
                )
            )
    emit(
        {
            "section": "adapter",
            "versus": "torch",
            "rows": rows,
            "torch": torch.__version__,
            "torch_threads": torch.get_num_threads(),
        }
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
