"""Schedule configs as text: the size limits, and JSON read strictly.

:func:`parse_json` refuses what ``json.loads`` lets through silently: NaN and
infinities, integers too long to be a parameter, and an object with the same
key twice (``json.loads`` keeps the last value, so a config would mean
something other than what one of its readers sees). Errors say where in the
config the problem is, in the notation of :func:`config_path`
(``$.config.schedules[1].config``).
"""

from __future__ import annotations

import os

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable
    from typing import Any


__all__ = ["MAX_DEPTH", "MAX_INT_DIGITS", "MAX_JSON_CHARS", "config_path", "parse_json"]

#: Deeper nesting than this is refused before any recursion can overflow.
MAX_DEPTH = 64
#: JSON text longer than this is refused before parsing.
MAX_JSON_CHARS = 1_000_000
#: JSON integers longer than this are refused while parsing (2**1024, beyond
#: the largest integer a schedule accepts, has 309 digits).
MAX_INT_DIGITS = 310

_PATH_SUFFIXES = (".json", ".yaml", ".yml", ".txt", ".cfg")


def config_path(parts: Iterable[str | int]) -> str:
    """Where a value is in a config: ``$`` for the whole, ``.key`` and ``[index]`` below."""
    text = "$"
    for part in parts:
        if isinstance(part, int):
            text += f"[{part}]"
        elif part.isidentifier():
            text += f".{part}"
        else:
            text += f"[{part[:40]!r}]"
    return text


class _DuplicateKey(dict):  # type: ignore[type-arg]
    """A JSON object in which ``key`` appeared more than once."""

    key: str


def parse_json(text: str | bytes) -> Any:
    """JSON text (or UTF-8 bytes) as plain data; ``ValueError`` for anything refused."""
    import json

    if len(text) > MAX_JSON_CHARS:
        raise ValueError(
            f"schedule JSON is {len(text)} characters, over the {MAX_JSON_CHARS} limit"
        )
    found_duplicate = False

    def unique_object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        nonlocal found_duplicate
        result = dict(pairs)
        if len(result) == len(pairs):
            return result
        marked = _DuplicateKey(result)
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                marked.key = key
                break
            seen.add(key)
        found_duplicate = True
        return marked

    try:
        if isinstance(text, bytes):  # UTF-8, as JSON between systems is (RFC 8259)
            text = text.decode("utf-8").removeprefix("\ufeff")
        data = json.loads(
            text,
            parse_constant=_refuse_constant,
            parse_int=_parse_int,
            object_pairs_hook=unique_object,
        )
    except RecursionError:
        raise ValueError(f"schedule JSON is nested deeper than {MAX_DEPTH} levels") from None
    except json.JSONDecodeError as error:
        raise ValueError(f"schedule is not valid JSON: {error}{_path_hint(text)}") from None
    except UnicodeDecodeError as error:
        raise ValueError(f"schedule is not valid JSON: {error}") from None
    if found_duplicate:
        key, where = _first_duplicate(data)
        raise ValueError(
            f"schedule JSON has the key {key[:80]!r} twice in the object at {where}: "
            "keys must be unique (JSON readers keep one of the two values, silently); "
            "remove one of them"
        )
    return data


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"schedule JSON may not contain {name}")


def _parse_int(digits: str) -> int:
    if len(digits) > MAX_INT_DIGITS:
        raise ValueError(
            f"schedule JSON has an integer of {len(digits)} digits, over the {MAX_INT_DIGITS} limit"
        )
    return int(digits)


def _first_duplicate(data: Any) -> tuple[str, str]:
    """The first object (in document order) with a repeated key: the key and its path."""
    stack: list[tuple[Any, tuple[str | int, ...]]] = [(data, ())]
    while stack:
        value, parts = stack.pop()
        if isinstance(value, _DuplicateKey):
            return value.key, config_path(parts)
        if isinstance(value, dict):
            children = [(item, (*parts, str(key))) for key, item in value.items()]
        elif isinstance(value, list):
            children = [(item, (*parts, index)) for index, item in enumerate(value)]
        else:
            continue
        stack.extend(reversed(children))
    raise AssertionError("a duplicate key was reported but not found")  # pragma: no cover


def _path_hint(text: str | bytes) -> str:
    """What to do when the "JSON text" looks like the path of a file instead."""
    if not isinstance(text, str):
        return ""
    candidate = text.strip()
    if not candidate or "\n" in candidate or len(candidate) > 1024 or candidate[0] in "{[\"'":
        return ""
    looks_like_path = candidate.lower().endswith(_PATH_SUFFIXES) or os.sep in candidate
    if not looks_like_path:
        try:
            looks_like_path = os.path.isfile(candidate)
        except (OSError, ValueError):
            return ""
    if not looks_like_path:
        return ""
    if candidate.lower().endswith((".yaml", ".yml")):
        read = f"lrkit.deserialize(yaml.safe_load(open({candidate!r})))"
    else:
        read = f"lrkit.from_json(pathlib.Path({candidate!r}).read_text())"
    return (
        f". The text {candidate[:80]!r} looks like a file path: from_json and deserialize "
        f"read a config's text, not a file; read the file first: {read}"
    )
