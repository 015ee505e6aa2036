"""The array namespace of Python numbers: the subset of the Array API the formulas use.

A formula written over ``xp`` runs on a Python ``int`` or ``float`` step with
this module as ``xp`` (a module, so that ``xp.cos`` costs one dictionary
read). NaN propagates as in NumPy: ``minimum(nan, 1.0)`` is ``nan``.
"""

from __future__ import annotations

import math
from math import cos, exp, log, pi, sqrt, tanh

__all__ = [
    "ceil",
    "cos",
    "exp",
    "floor",
    "log",
    "maximum",
    "minimum",
    "pi",
    "sqrt",
    "tanh",
    "where",
]


def minimum(a: float, b: float) -> float:
    return b if b < a else a


def maximum(a: float, b: float) -> float:
    return b if b > a else a


def where(condition: bool, a: float, b: float) -> float:
    return a if condition else b


def floor(x: float) -> float:
    return float(math.floor(x)) if math.isfinite(x) else x


def ceil(x: float) -> float:
    return float(math.ceil(x)) if math.isfinite(x) else x
