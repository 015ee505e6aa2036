"""lrkit: learning-rate schedules for every Python training stack.

One schedule object, ``schedule(step) -> learning rate``, that evaluates on
Python numbers and on NumPy, torch and JAX arrays, serializes to Keras-shaped
JSON, and drives torch, optax and Keras optimizers.

Example:
    >>> import lrkit
    >>> schedule = lrkit.CosineDecay(0.1, decay_steps=1000, warmup_target=0.5, warmup_steps=100)
    >>> schedule(100)
    0.5
    >>> lrkit.deserialize(lrkit.serialize(schedule)) == schedule
    True
"""

from lrkit._combinators import Clip, Join, Offset, Product, Scale, Sum, Warmup
from lrkit._keras_family import (
    CosineDecay,
    CosineDecayRestarts,
    ExponentialDecay,
    InverseTimeDecay,
    LinearCosineDecay,
    NoisyLinearCosineDecay,
    PiecewiseConstantDecay,
    PolynomialDecay,
)
from lrkit._schedule import LearningRateSchedule
from lrkit._serialization import (
    deserialize,
    from_json,
    register_serializable,
    registered_names,
    serialize,
    to_json,
)

__version__ = "0.1.0"

__all__ = [
    "Clip",
    "CosineDecay",
    "CosineDecayRestarts",
    "ExponentialDecay",
    "InverseTimeDecay",
    "Join",
    "LearningRateSchedule",
    "LinearCosineDecay",
    "NoisyLinearCosineDecay",
    "Offset",
    "PiecewiseConstantDecay",
    "PolynomialDecay",
    "Product",
    "Scale",
    "Sum",
    "Warmup",
    "__version__",
    "deserialize",
    "from_json",
    "register_serializable",
    "registered_names",
    "serialize",
    "to_json",
]
