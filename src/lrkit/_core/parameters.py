"""Parameters declared once: the kinds a schedule's constructor arguments take.

A schedule class lists its parameters in its body, in constructor order::

    class LinearDecay(Piecewise):
        initial_learning_rate: float = rate()
        decay_steps: int | float = steps()
        end_learning_rate: float = rate(default=0.0)

and gets from that one list its constructor (with a real signature), the
checks and their error messages, the stored attributes, ``get_config``,
equality, ``repr``, the schedules it wraps (parameters of kind ``schedule``
and ``schedules``) and the bad-input test tables (each kind knows which
values it refuses). Rules between parameters, and constants derived from
them, go in the class's ``_derive`` method, which the constructor calls last.

A default of ``None`` means ``None`` is accepted as well as the kind's values.
Defaults are written as ``default=...`` (type checkers read the keyword).
The compat layers check their arguments with the same kinds, so the same
mistake gets the same message everywhere.
"""

from __future__ import annotations

from lrkit._core import validation as _check

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from typing import Any

    Check = Callable[[str, str, Any], Any]


__all__ = [
    "REQUIRED",
    "Parameter",
    "boundaries",
    "choice",
    "flag",
    "fraction",
    "integer",
    "name",
    "number",
    "parameter",
    "rate",
    "schedule",
    "schedules",
    "seed",
    "steps",
]


class _Required:
    """The default of a parameter that has none."""

    def __repr__(self) -> str:
        return "REQUIRED"


REQUIRED: Any = _Required()


class Parameter:
    """One constructor parameter: its kind, its check and its default.

    ``check(owner, name, value)`` returns the value to store, or raises
    ``TypeError``/``ValueError`` naming the class, the parameter and the value.
    The class body's attribute of this type is replaced, when the class is
    made, by the stored values of its instances (see
    :meth:`LearningRateSchedule.__init_subclass__`).
    """

    __slots__ = ("check", "default", "details", "kind", "kw_only", "name")

    def __init__(
        self,
        kind: str,
        check: Check,
        default: Any = REQUIRED,
        *,
        kw_only: bool = False,
        details: dict[str, Any] | None = None,
    ) -> None:
        self.kind = kind
        self.check = check
        self.default = default
        self.kw_only = kw_only
        self.details = details or {}
        self.name = ""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    @property
    def required(self) -> bool:
        return self.default is REQUIRED

    def validate(self, owner: str, value: Any) -> Any:
        """The value to store for ``value``, checked as this kind."""
        if value is None and self.default is None:
            return None
        return self.check(owner, self.name, value)

    def __repr__(self) -> str:
        default = "" if self.required else f", default={self.default!r}"
        return f"<parameter {self.name!r}: {self.kind}{default}>"


def parameter(kind: str, check: Check, *, default: Any = REQUIRED, kw_only: bool = False) -> Any:
    """A parameter of a kind of the class's own: ``check(owner, name, value)`` checks it."""
    return Parameter(kind, check, default, kw_only=kw_only)


def rate(*, default: Any = REQUIRED, kw_only: bool = False) -> Any:
    """A learning rate (or any non-negative finite value on its scale): a float ``>= 0``."""
    return Parameter("rate", _check.check_rate, default, kw_only=kw_only)


def steps(*, default: Any = REQUIRED, allow_zero: bool = False, kw_only: bool = False) -> Any:
    """A number of steps: finite, ``> 0`` (``>= 0`` with ``allow_zero``); ints stay ints."""

    def check(owner: str, name: str, value: Any) -> int | float:
        return _check.check_steps(owner, name, value, allow_zero=allow_zero)

    return Parameter("steps", check, default, kw_only=kw_only, details={"allow_zero": allow_zero})


def number(
    *,
    default: Any = REQUIRED,
    minimum: float | None = None,
    maximum: float | None = None,
    exclusive_minimum: bool = False,
    kw_only: bool = False,
) -> Any:
    """A finite real number within optional bounds, stored as a ``float``."""

    def check(owner: str, name: str, value: Any) -> float:
        return _check.check_number(
            owner,
            name,
            value,
            minimum=minimum,
            maximum=maximum,
            exclusive_minimum=exclusive_minimum,
        )

    details = {"minimum": minimum, "maximum": maximum, "exclusive_minimum": exclusive_minimum}
    return Parameter("number", check, default, kw_only=kw_only, details=details)


def fraction(*, default: Any = REQUIRED, kw_only: bool = False) -> Any:
    """A number in ``[0, 1]``, stored as a ``float``."""
    return Parameter("fraction", _check.check_fraction, default, kw_only=kw_only)


def integer(*, default: Any = REQUIRED, minimum: int | None = None, kw_only: bool = False) -> Any:
    """An integer (a count of cycles, a number of periods), optionally ``>= minimum``."""

    def check(owner: str, name: str, value: Any) -> int:
        return _check.check_int(owner, name, value, minimum=minimum)

    return Parameter("integer", check, default, kw_only=kw_only, details={"minimum": minimum})


def seed(*, default: Any = None, kw_only: bool = False) -> Any:
    """An integer seed, or ``None``."""
    return Parameter("seed", _check.check_optional_int, default, kw_only=kw_only)


def flag(*, default: Any = REQUIRED, kw_only: bool = False) -> Any:
    """A real ``bool``."""
    return Parameter("flag", _check.check_bool, default, kw_only=kw_only)


def choice(options: Sequence[str], *, default: Any = REQUIRED, kw_only: bool = False) -> Any:
    """One of a fixed set of strings (a shape, a mode)."""
    options = tuple(options)

    def check(owner: str, name: str, value: Any) -> str:
        return _check.check_choice(owner, name, value, options)

    return Parameter("choice", check, default, kw_only=kw_only, details={"options": options})


def name(*, default: Any = REQUIRED, kw_only: bool = False) -> Any:
    """The ``name`` a schedule carries in its config: a string as in Keras, or None as in TF."""

    def check(owner: str, _: str, value: Any) -> str | None:
        return _check.check_name(owner, value)

    return Parameter("name", check, default, kw_only=kw_only)


def boundaries(*, default: Any = REQUIRED, strict: bool = True, kw_only: bool = False) -> Any:
    """Increasing steps (``strict=False``: non-decreasing), finite and ``>= 0``, as a list."""

    def check(owner: str, name: str, value: Any) -> list[int | float]:
        return _check.check_increasing(owner, name, value, strict=strict)

    return Parameter("boundaries", check, default, kw_only=kw_only, details={"strict": strict})


def schedule(*, default: Any = REQUIRED, kw_only: bool = False) -> Any:
    """A nested lrkit schedule (one the class wraps)."""
    return Parameter("schedule", _check.check_schedule, default, kw_only=kw_only)


def schedules(*, default: Any = REQUIRED, kw_only: bool = False) -> Any:
    """A non-empty list of lrkit schedules (those the class combines)."""
    return Parameter("schedules", _check.check_schedules, default, kw_only=kw_only)


def make_init(cls: type, specs: dict[str, Parameter]) -> Callable[..., None]:
    """The constructor ``cls`` gets from its parameters: check, store, then ``_derive``.

    Generated as source (as :mod:`dataclasses` does) from the class's own
    parameter names, so that it has a real signature, Python's own messages
    for missing or unexpected arguments, and no per-call argument binding.
    The arguments as given stay readable to ``_derive`` (for its messages,
    through ``schedule._given``) until the constructor returns.
    """
    positional = [spec for spec in specs.values() if not spec.kw_only]
    keyword = [spec for spec in specs.values() if spec.kw_only]
    scope: dict[str, Any] = {}

    def argument(spec: Parameter) -> str:
        if spec.required:
            return spec.name
        scope[f"_default_{spec.name}"] = spec.default
        return f"{spec.name}=_default_{spec.name}"

    arguments = ["self", *map(argument, positional)]
    if keyword:
        arguments += ["*", *map(argument, keyword)]
    given = ", ".join(f"{spec.name!r}: {spec.name}" for spec in specs.values())
    lines = [
        f"def __init__({', '.join(arguments)}):",
        "    owner = type(self).__name__",
        f"    self._given = {{{given}}}",
    ]
    for spec in specs.values():
        scope[f"_spec_{spec.name}"] = spec
        lines.append(f"    self.{spec.name} = _spec_{spec.name}.validate(owner, {spec.name})")
    lines.append("    self._derive()")
    exec("\n".join(lines), scope)
    init: Callable[..., None] = scope["__init__"]
    annotations: dict[str, Any] = {}
    for owner in reversed(cls.__mro__):
        annotations.update(vars(owner).get("__annotations__", {}))  # own, not inherited
    init.__annotations__ = {key: annotations[key] for key in specs if key in annotations}
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    init.__module__ = cls.__module__
    return init
