"""The ``lrkit`` command line (also ``python -m lrkit``).

``lrkit show [SPEC] [--steps N] [--rows K]`` prints a schedule as a table of
sampled steps with a bar chart, and a one-line summary (start, peak, end)
computed from every step. It evaluates on Python floats only, so it never
imports an array library and starts fast.

Every user error (a bad SPEC, a bad option) exits with status 2 and one line
on stderr that starts with ``lrkit: error:``.
"""

from __future__ import annotations

import argparse
import math
import os
import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from typing import Any, NoReturn

    from lrkit._schedule import LearningRateSchedule


__all__ = ["main"]

#: Steps shown when the schedule does not suggest a length of its own.
DEFAULT_STEPS = 10_000
#: ``--steps`` limit: every step is evaluated in pure Python for the summary.
MAX_STEPS = 10_000_000
DEFAULT_ROWS = 11
BAR_WIDTH = 40

_EPILOG = """\
SPEC is a JSON file, JSON text (starting with '{') or a preset name (see
--list-presets); without SPEC, the preset '%(default)s' is shown. A preset name
wins over a file of the same name: write ./NAME for the file.

examples:
  lrkit show
  lrkit show sgdr --steps 20000
  lrkit show schedule.json --rows 21
  lrkit show '{"class_name": "ExponentialDecay",
               "config": {"initial_learning_rate": 0.1,
                          "decay_steps": 1000, "decay_rate": 0.5}}'
  lrkit show --list-presets
"""


class CliError(Exception):
    """A user error: reported as one ``lrkit: error:`` line, exit status 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise CliError(f"{message} (see '{self.prog} --help')")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line on ``argv`` (default ``sys.argv[1:]``); return the exit status."""
    try:
        args = _parser().parse_args(argv)
        if args.list_presets:
            _list_presets()
        else:
            _show(args.spec, args.steps, args.rows)
    except CliError as error:
        message = " ".join(str(error).split())  # always one line
        print(f"lrkit: error: {message}", file=sys.stderr)
        return 2
    except SystemExit as exit_:  # --help and --version
        return exit_.code if isinstance(exit_.code, int) else 0
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # the reader went away (lrkit show | head -1)
        _silence_stdout()
        return 1
    return 0


def _silence_stdout() -> None:
    """Point stdout at the null device, so that Python's final flush stays quiet."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


def _parser() -> argparse.ArgumentParser:
    from lrkit import __version__
    from lrkit._presets import DEFAULT_PRESET

    parser = _Parser(
        prog="lrkit",
        description="lrkit: learning-rate schedules for every Python training stack.",
        epilog="examples:\n  lrkit show\n  lrkit show sgdr --steps 20000\n"
        "  lrkit show schedule.json\n  lrkit show --list-presets\n\n"
        "'lrkit show --help' describes SPEC and the options.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"lrkit {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    show = commands.add_parser(
        "show",
        help="print a schedule as a table with a summary (start, peak, end)",
        description="Print a schedule's rate at evenly spaced steps, with a bar chart,\n"
        "and a summary (start, peak, end) computed from every step 0..N-1.",
        epilog=_EPILOG % {"default": DEFAULT_PRESET},
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    show.add_argument("spec", nargs="?", metavar="SPEC", help="JSON file, JSON text or preset")
    show.add_argument(
        "--steps",
        type=_count(1, MAX_STEPS),
        metavar="N",
        help="training length: steps 0..N-1 are evaluated (default: from the schedule, "
        f"e.g. decay_steps plus warmup_steps, else {DEFAULT_STEPS:,})",
    )
    show.add_argument(
        "--rows",
        type=_count(2, 1_000),
        default=DEFAULT_ROWS,
        metavar="K",
        help=f"table rows, evenly spaced from step 0 to step N-1 (default {DEFAULT_ROWS})",
    )
    show.add_argument("--list-presets", action="store_true", help="list the preset names")
    return parser


def _count(minimum: int, maximum: int) -> Callable[[str], int]:
    """An argparse ``type``: an integer in ``[minimum, maximum]`` ("1e6" is accepted)."""

    def convert(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            number = _float_or_none(text)
            if number is None or not number.is_integer():
                raise argparse.ArgumentTypeError(f"must be an integer, got {text!r}") from None
            value = int(number)
        if not minimum <= value <= maximum:
            raise argparse.ArgumentTypeError(
                f"must be between {minimum:,} and {maximum:,}, got {text!r}"
            )
        return value

    return convert


def _float_or_none(text: str) -> float | None:
    try:
        number = float(text)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def _list_presets() -> None:
    from lrkit._presets import DEFAULT_PRESET, DESCRIPTIONS, PRESETS

    width = max(len(name) for name in PRESETS)
    for name in PRESETS:
        marker = " (default)" if name == DEFAULT_PRESET else ""
        print(f"{name:<{width}}  {DESCRIPTIONS.get(name, '')}{marker}")


# -- lrkit show ---------------------------------------------------------------


def _show(spec: str | None, steps: int | None, rows: int) -> None:
    schedule, source = load_spec(spec)
    total = steps if steps is not None else default_steps(schedule)
    start, (peak, peak_step), end = summarize(schedule, total)
    shown = sample_steps(total, rows)
    values = {step: _evaluate(schedule, step) for step in shown}

    finite_peak = peak if math.isfinite(peak) and peak > 0 else 0.0
    step_width = max(len("step"), len(str(shown[-1])))
    rate_width = max(len("learning rate"), *(len(_fmt(v)) for v in values.values()))
    lines = [
        repr(schedule),
        f"{source}, {total:,} steps (0 to {total - 1:,})",
        "",
        f"{'step':>{step_width}}  {'learning rate':<{rate_width}}",
    ]
    for step in shown:
        value = values[step]
        bar = ""
        if finite_peak and value == value and value > 0:
            bar = "#" * round(BAR_WIDTH * min(value / finite_peak, 1.0))
        lines.append(f"{step:>{step_width}}  {_fmt(value):<{rate_width}}  |{bar}".rstrip())
    lines += [
        "",
        f"start {_fmt(start)}, peak {_fmt(peak)} at step {peak_step:,}, "
        f"end {_fmt(end)} at step {total - 1:,}",
    ]
    print("\n".join(lines))


def load_spec(spec: str | None) -> tuple[LearningRateSchedule, str]:
    """The schedule a SPEC names, and a description of where it came from."""
    from lrkit._presets import DEFAULT_PRESET, PRESETS
    from lrkit._serialization import MAX_JSON_CHARS, deserialize, from_json

    if spec is None:
        source = f"default preset {DEFAULT_PRESET!r}"
        return _build(deserialize, PRESETS[DEFAULT_PRESET], source), source
    if spec.lstrip().startswith("{"):
        return _build(from_json, spec, "JSON text"), "JSON text"
    if spec in PRESETS:
        source = f"preset {spec!r}"
        return _build(deserialize, PRESETS[spec], source), source
    try:
        with open(spec, encoding="utf-8") as file:
            text = file.read(MAX_JSON_CHARS + 1)
    except FileNotFoundError:
        if "/" in spec or "\\" in spec or "." in spec:
            raise CliError(f"no such file: {spec!r}") from None
        raise CliError(
            f"unknown preset {spec!r} (and no file of that name); presets: {', '.join(PRESETS)}"
        ) from None
    except OSError as error:
        raise CliError(f"cannot read {spec!r}: {error.strerror or error}") from None
    except UnicodeDecodeError:
        raise CliError(f"cannot read {spec!r}: not UTF-8 text") from None
    if len(text) > MAX_JSON_CHARS:
        raise CliError(f"{spec}: file is over the {MAX_JSON_CHARS:,}-character limit")
    return _build(from_json, text, spec), f"file {spec!r}"


def _build(
    reader: Callable[[Any], LearningRateSchedule], data: Any, source: str
) -> LearningRateSchedule:
    try:
        return reader(data)
    except (ValueError, TypeError, OverflowError) as error:
        raise CliError(f"{source}: {error}") from None


def default_steps(schedule: LearningRateSchedule) -> int:
    """The training length to show when ``--steps`` is not given."""
    name = type(schedule).__name__
    config = schedule.get_config()
    horizon: float = DEFAULT_STEPS
    if name in ("CosineDecay", "LinearCosineDecay", "NoisyLinearCosineDecay") or (
        name == "PolynomialDecay" and not config.get("cycle")
    ):
        horizon = config["decay_steps"]
        if config.get("warmup_target") is not None:
            horizon += config.get("warmup_steps", 0)
    elif name == "CosineDecayRestarts":  # three periods
        t_mul = config["t_mul"]
        horizon = config["first_decay_steps"] * (1 + t_mul + t_mul * t_mul)
    elif name == "PiecewiseConstantDecay":  # the last boundary at 3/4 of the way
        horizon = config["boundaries"][-1] * 4 / 3
    return min(max(math.ceil(horizon), 1), MAX_STEPS)


def sample_steps(total: int, rows: int) -> list[int]:
    """``rows`` distinct steps evenly spaced from 0 to ``total - 1``.

    The multiples of ``total / (rows - 1)``, rounded down, with the last one
    moved to ``total - 1``: round numbers (0, 1000, ..., 9000, 9999 for
    10,000 steps), distinct because they are more than one step apart.
    """
    if rows >= total:
        return list(range(total))
    return [min(i * total // (rows - 1), total - 1) for i in range(rows)]


def summarize(schedule: LearningRateSchedule, total: int) -> tuple[float, tuple[float, int], float]:
    """(start, (peak, first step of the peak), end) over steps ``0..total-1``."""
    start = peak = _evaluate(schedule, 0)
    peak_step = 0
    value = start
    for step in range(1, total):
        value = _evaluate(schedule, step)
        if value > peak or peak != peak:
            peak, peak_step = value, step
    return start, (peak, peak_step), value


def _evaluate(schedule: LearningRateSchedule, step: int) -> float:
    try:
        return float(schedule(step))
    except (ArithmeticError, ValueError, TypeError) as error:
        raise CliError(f"cannot evaluate {schedule!r} at step {step:,}: {error}") from None


def _fmt(value: float) -> str:
    """A learning rate as shown in the table and the summary."""
    return format(value, ".6g")
