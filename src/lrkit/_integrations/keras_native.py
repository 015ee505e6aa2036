"""Keras-native classes: each lrkit schedule class, also a Keras ``LearningRateSchedule``.

Shared by :mod:`lrkit.keras` (Keras 3) and :mod:`lrkit.tf_keras` (Keras 2,
the ``tf_keras`` package). Neither Keras is imported here: each module passes
its own Keras base class, its mixin (how a Keras step is evaluated) and its
registration decorator.

A native class is made from the lrkit class as
``class X(Mixin, lrkit.X, keras.optimizers.schedules.LearningRateSchedule)``:
the lrkit class's ``__call__`` (its one-frame Python-number path) comes first,
and the mixin's ``_call_other``, where that path sends every other step,
turns Keras variables and tensors into something the formula evaluates on.
``_lrkit_class`` names the lrkit class, so equality, hashing and
``lrkit.serialize`` treat ``lrkit.keras.X(...)`` as ``lrkit.X(...)``.
"""

from __future__ import annotations

from collections.abc import Callable

from lrkit._core.schedule import LearningRateSchedule, value_class

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, TypeVar

    _S = TypeVar("_S", bound=LearningRateSchedule)

__all__ = ["native_class", "native_class_for"]


def native_class(
    cls: type[_S],
    *,
    mixin: type,
    keras_base: type,
    register: Callable[[str], Callable[[type], type]],
    module: str,
) -> type[_S]:
    """The Keras-native class made from the lrkit class ``cls``, registered as ``lrkit>Name``."""
    name = cls.__name__
    doc = (
        f"``lrkit.{name}`` as a Keras ``LearningRateSchedule`` ({module}).\n\n"
        f"The same parameters, formula, config and equality as ``lrkit.{name}``; "
        f"registered with Keras as ``lrkit>{name}``.\n"
    )
    namespace: dict[str, Any] = {
        "__module__": module,
        "__qualname__": name,
        "__doc__": doc,
        "_lrkit_class": cls,
    }
    native: type[_S] = type(name, (mixin, cls, keras_base), namespace)
    registered: type[_S] = register(name)(native)
    return registered


def native_class_for(
    schedule: object, namespace: dict[str, Any]
) -> type[LearningRateSchedule] | None:
    """The class in ``namespace`` made from ``schedule``'s lrkit class, if there is one."""
    if not isinstance(schedule, LearningRateSchedule):
        return None
    base = value_class(type(schedule))
    candidate = namespace.get(base.__name__)
    if isinstance(candidate, type) and candidate.__dict__.get("_lrkit_class") is base:
        native: type[LearningRateSchedule] = candidate
        return native
    return None
