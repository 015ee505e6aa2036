"""Worker: the cost of ``lrkit.torch.LRScheduler.step()`` against torch's own scheduler.

Times ``scheduler.step()`` of

* torch's ``CosineAnnealingLR(optimizer, T_max)`` (the reference, ratio 1.00x),
* ``lrkit.torch.LRScheduler(optimizer, lrkit.CosineDecay(lr, T_max))`` (one
  absolute schedule for every group),
* the same in relative mode (``CosineDecay(1.0, T_max)`` times each group's
  initial rate, as ``CosineAnnealingLR`` scales each group's base rate),
* the relative one that also schedules ``momentum``,

on SGD optimizers with 1 and with 10 param groups. Each scheduler gets its own
optimizer of the same kind. Before timing, the lrkit schedulers are checked to
set the rates torch sets. ``T_max`` is large, so every timed step is inside
the cosine (no clamping, no restarts).

Each repeat times every contender once, in a rotated order; each row is the
median over repeats of the time ratio to torch's scheduler in the same repeat
(target: 1.00x or less).
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


@dataclass
class Contender:
    name: str
    make: Callable[[torch.optim.Optimizer], Any]  # optimizer -> scheduler
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
    momentum = lrkit.CosineDecay(0.9, T_MAX, alpha=0.85 / 0.9)
    return [
        Contender(TORCH, lambda opt: torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_MAX)),
        Contender(
            "lrkit LRScheduler (absolute)",
            lambda opt: lrkit.torch.LRScheduler(opt, absolute if groups > 1 else absolute[0]),
        ),
        Contender(
            "lrkit LRScheduler (relative)",
            lambda opt: lrkit.torch.LRScheduler(opt, shared, relative=True),
        ),
        Contender(
            "lrkit LRScheduler (relative, + momentum)",
            lambda opt: lrkit.torch.LRScheduler(
                opt, shared, relative={"lr"}, hyperparameters={"momentum": momentum}
            ),
        ),
    ]


def prepare(contender: Contender, groups: int) -> None:
    optimizer = make_optimizer(groups)
    contender.scheduler = contender.make(optimizer)
    optimizer.step()  # the step-order check wants an optimizer step first


def check_values(groups: int) -> None:
    """The lrkit schedulers set the rates torch sets (100 steps, 1e-12 relative)."""
    checked = contenders(groups)
    for contender in checked:
        prepare(contender, groups)
    reference = checked[0].scheduler
    for step in range(100):
        for contender in checked:
            contender.scheduler.step()
        expected = reference.get_last_lr()
        for contender in checked[1:]:
            got = contender.scheduler.get_last_lr()
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
        reference, *timed = run(groups, repeats, number)
        for contender in timed:
            rows.append(
                row(
                    "adapter",
                    f"SGD, {groups} param group{'s' if groups > 1 else ''}: {contender.name}",
                    TORCH,
                    contender.seconds,
                    reference.seconds,
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
