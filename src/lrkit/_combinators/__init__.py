"""Combinators: schedules built from other schedules."""

from lrkit._combinators.arithmetic import Clip, Offset, Product, Scale, Sum
from lrkit._combinators.composition import Join, Shift, Warmup
from lrkit._combinators.groups import GroupSchedules, scale_by_group
from lrkit._combinators.repeat import Repeat
from lrkit._core.shape import phase_boundaries

__all__ = [
    "Clip",
    "GroupSchedules",
    "Join",
    "Offset",
    "Product",
    "Repeat",
    "Scale",
    "Shift",
    "Sum",
    "Warmup",
    "phase_boundaries",
    "scale_by_group",
]
