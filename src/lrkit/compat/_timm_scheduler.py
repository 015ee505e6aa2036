"""timm's scheduler interface on :class:`lrkit.torch.LRScheduler` (imports torch)."""

from __future__ import annotations

from typing import Any

from lrkit.torch import LRScheduler

__all__ = ["TimmScheduler"]


class TimmScheduler(LRScheduler):
    """An :class:`lrkit.torch.LRScheduler` stepped as timm's schedulers are.

    ``step(epoch)`` sets the rates of step ``epoch`` when ``t_in_epochs`` is
    true, ``step_update(num_updates)`` those of step ``num_updates`` when it
    is false, and each is ignored otherwise, as in timm. ``step()`` without
    an epoch advances one step, as torch's schedulers do. ``metric`` is
    accepted, as timm's, and unused.

    Example:
        >>> import torch
        >>> from lrkit.compat import timm
        >>> optimizer = torch.optim.SGD(torch.nn.Linear(2, 1).parameters(), lr=0.1)
        >>> scheduler = timm.CosineLRScheduler(optimizer, t_initial=10, t_in_epochs=False)
        >>> scheduler.step_update(5)
        >>> optimizer.param_groups[0]["lr"]
        0.05
    """

    def __init__(self, optimizer: Any, schedule: Any, *, t_in_epochs: bool, **options: Any):
        #: Whether ``step(epoch)`` (True) or ``step_update(num_updates)`` (False) moves the rates.
        self.t_in_epochs = t_in_epochs
        super().__init__(optimizer, schedule, **options)

    def step(self, epoch: int | None = None, metric: float | None = None) -> None:
        """timm's ``step(epoch)``; without ``epoch``, torch's ``step()``."""
        if epoch is None:
            super().step()
        elif self.t_in_epochs:
            self._move_to(epoch)

    def step_update(self, num_updates: int, metric: float | None = None) -> None:
        """timm's ``step_update(num_updates)``: the rates of that step, unless ``t_in_epochs``."""
        if not self.t_in_epochs:
            self._move_to(num_updates)

    def _move_to(self, step: int) -> None:
        self._step_count += 1
        self._update_lr(step)
