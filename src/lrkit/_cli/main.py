"""The ``lrkit`` command line (also ``python -m lrkit``).

``lrkit show`` prints a schedule as a terminal chart (with plotext), a table
of sampled steps and a summary computed from every step; ``lrkit plot``
writes a PNG, SVG or PDF (with matplotlib); ``lrkit convert`` turns Keras
configs into lrkit JSON and back; ``lrkit validate`` checks a SPEC. SPECs are
read by :mod:`lrkit._cli.spec`.

``show``, ``convert`` and ``validate`` evaluate on Python floats only, so they
never import an array library and start fast.

Every user error (a bad SPEC, a bad option) exits with status 2 and one line
on stderr that starts with ``lrkit: error:``.
"""

from __future__ import annotations

import argparse
import math
import os
import sys

from lrkit._cli.spec import SpecError, load_spec
from lrkit._seeing.describe import fmt as _fmt
from lrkit._seeing.terminal import sample_steps

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from typing import NoReturn

    from lrkit._core.schedule import LearningRateSchedule
    from lrkit._seeing.describe import Description


__all__ = ["load_spec", "main", "sample_steps"]

#: ``--steps`` limit: every step is evaluated for the summary.
MAX_STEPS = 10_000_000
DEFAULT_ROWS = 11
BAR_WIDTH = 40

_SPEC_HELP = """\
SPEC is a preset name (see 'lrkit show --list-presets'), JSON text (starting
with '{'), a JSON file, or a YAML file (.yaml/.yml, needs PyYAML: the 'yaml'
extra). Files hold what lrkit.serialize or keras.optimizers.schedules.serialize
writes. A preset name wins over a file of the same name: write ./NAME for the
file.
"""

_EXAMPLES = {
    "show": """\
  lrkit show
  lrkit show sgdr --steps 20000
  lrkit show schedule.json --rows 21
  lrkit show schedule.yaml --no-chart
  lrkit show '{"class_name": "ExponentialDecay",
               "config": {"initial_learning_rate": 0.1,
                          "decay_steps": 1000, "decay_rate": 0.5}}'
  lrkit show --list-presets""",
    "plot": """\
  lrkit plot warmup-cosine -o schedule.png
  lrkit plot schedule.json --steps 50000 --log -o schedule.svg
  lrkit plot cosine sgdr step -o compare.pdf --width 1200 --height 600""",
    "convert": """\
  lrkit convert keras_schedule.json            # a Keras / tf.keras config to lrkit JSON
  lrkit convert schedule.yaml --to keras -o keras_schedule.json
  lrkit convert sgdr --to keras""",
    "validate": """\
  lrkit validate schedule.json
  lrkit validate schedule.yaml --steps 100000""",
}


class CliError(Exception):
    """A user error: reported as one ``lrkit: error:`` line, exit status 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise CliError(f"{message} (see '{self.prog} --help')")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line on ``argv`` (default ``sys.argv[1:]``); return the exit status."""
    try:
        args = _parser().parse_args(argv)
        args.run(args)
    except (CliError, SpecError) as error:
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
    from lrkit._cli.presets import DEFAULT_PRESET
    from lrkit._seeing.describe import DEFAULT_STEPS

    raw = argparse.RawDescriptionHelpFormatter
    parser = _Parser(
        prog="lrkit",
        description="lrkit: learning-rate schedules for every Python training stack.",
        epilog="examples:\n"
        + "\n".join(_EXAMPLES[name].splitlines()[i] for name in _EXAMPLES for i in (0, 1))
        + "\n\n'lrkit COMMAND --help' describes SPEC and each command's options.",
        formatter_class=raw,
    )
    parser.add_argument("--version", action="version", version=f"lrkit {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    def command(
        name: str, run: Callable[[argparse.Namespace], None], summary: str, description: str
    ) -> argparse.ArgumentParser:
        sub = commands.add_parser(
            name,
            help=summary,
            description=description,
            epilog=f"{_SPEC_HELP}\nexamples:\n{_EXAMPLES[name]}",
            formatter_class=raw,
        )
        sub.set_defaults(run=run)
        return sub

    steps_help = (
        "training length: steps 0..N-1 are evaluated (default: from the schedule, "
        f"e.g. decay_steps plus warmup_steps, else {DEFAULT_STEPS:,})"
    )
    show = command(
        "show",
        _show,
        "print a schedule as a chart and a table, with a summary",
        "Print a schedule as a terminal chart (with plotext, the 'plot' extra) and its\n"
        "rate at evenly spaced steps, and a summary computed from every step 0..N-1.\n"
        f"Without SPEC, the preset '{DEFAULT_PRESET}'.",
    )
    show.add_argument("spec", nargs="?", metavar="SPEC", help="preset, JSON text or file")
    show.add_argument("--steps", type=_count(1, MAX_STEPS), metavar="N", help=steps_help)
    show.add_argument(
        "--rows",
        type=_count(2, 1_000),
        default=DEFAULT_ROWS,
        metavar="K",
        help=f"table rows, evenly spaced from step 0 to step N-1 (default {DEFAULT_ROWS})",
    )
    show.add_argument("--no-chart", action="store_true", help="print the table only")
    show.add_argument("--list-presets", action="store_true", help="list the preset names")

    plot = command(
        "plot",
        _plot,
        "draw schedules into a PNG, SVG or PDF file",
        "Draw one or more schedules on one chart (with matplotlib, the 'plot' extra).",
    )
    plot.add_argument("specs", nargs="+", metavar="SPEC", help="preset, JSON text or file")
    plot.add_argument(
        "-o", "--output", required=True, metavar="FILE", help="FILE.png, FILE.svg or FILE.pdf"
    )
    plot.add_argument("--steps", type=_count(1, MAX_STEPS), metavar="N", help=steps_help)
    plot.add_argument("--log", action="store_true", help="a logarithmic rate axis")
    plot.add_argument(
        "--width", type=_count(50, 10_000), default=800, metavar="PX", help="default 800"
    )
    plot.add_argument(
        "--height", type=_count(50, 10_000), default=480, metavar="PX", help="default 480"
    )
    plot.add_argument("--title", help="a title above the chart")

    convert = command(
        "convert",
        _convert,
        "convert between Keras / tf.keras configs and lrkit JSON",
        "Print a schedule's config as JSON: lrkit's ('module': 'lrkit', the default)\n"
        "or Keras 3's ('module': 'keras.optimizers.schedules', for the classes Keras has).",
    )
    convert.add_argument("spec", metavar="SPEC", help="preset, JSON text or file")
    convert.add_argument(
        "--to", choices=("lrkit", "keras"), default="lrkit", help="the output (default lrkit)"
    )
    convert.add_argument("-o", "--output", metavar="FILE", help="write to FILE, not stdout")
    convert.add_argument(
        "--indent", type=_count(0, 16), default=2, metavar="N", help="0: one line (default 2)"
    )

    validate = command(
        "validate",
        _validate,
        "check that a SPEC is a valid schedule",
        "Exit 0 and print a one-line summary if SPEC builds a schedule whose rate is\n"
        "finite and non-negative at every step 0..N-1; else exit 2 with the reason.",
    )
    validate.add_argument("spec", metavar="SPEC", help="preset, JSON text or file")
    validate.add_argument("--steps", type=_count(1, MAX_STEPS), metavar="N", help=steps_help)
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


# -- lrkit show ---------------------------------------------------------------


def _show(args: argparse.Namespace) -> None:
    if args.list_presets:
        _list_presets()
        return
    from lrkit._seeing.run_length import phase_boundaries
    from lrkit._seeing.terminal import schedule_chart

    schedule, source = load_spec(args.spec)
    total = args.steps if args.steps is not None else _suggested(schedule)
    summary = _summarize(schedule, total)
    shown = sample_steps(total, args.rows)
    values = {step: _evaluate(schedule, step) for step in shown}

    lines = [repr(schedule), f"{source}, {total:,} steps (0 to {total - 1:,})", ""]
    if not args.no_chart:
        text = schedule_chart(schedule, total, phase_boundaries(schedule), _evaluate)
        if text:
            lines += [text.rstrip("\n"), ""]
    peak = summary.peak if math.isfinite(summary.peak) and summary.peak > 0 else 0.0
    step_width = max(len("step"), len(str(shown[-1])))
    rate_width = max(len("learning rate"), *(len(_fmt(v)) for v in values.values()))
    lines.append(f"{'step':>{step_width}}  {'learning rate':<{rate_width}}")
    for step in shown:
        value = values[step]
        bar = "#" * round(BAR_WIDTH * min(value / peak, 1.0)) if peak and value > 0 else ""
        lines.append(f"{step:>{step_width}}  {_fmt(value):<{rate_width}}  |{bar}".rstrip())
    warmup = f"warmup ends at step {summary.warmup_end:,}" if summary.warmup_end else "no warmup"
    lines += [
        "",
        f"minimum {_fmt(summary.minimum)} at step {summary.minimum_step:,}, "
        f"mean {_fmt(summary.mean)}, area {_fmt(summary.area)}, {warmup}",
        f"start {_fmt(summary.start)}, peak {_fmt(summary.peak)} at step {summary.peak_step:,}, "
        f"end {_fmt(summary.end)} at step {total - 1:,}",
    ]
    print("\n".join(lines))


def _list_presets() -> None:
    from lrkit._cli.presets import DEFAULT_PRESET, DESCRIPTIONS, PRESETS

    width = max(len(name) for name in PRESETS)
    for name in PRESETS:
        marker = " (default)" if name == DEFAULT_PRESET else ""
        print(f"{name:<{width}}  {DESCRIPTIONS.get(name, '')}{marker}")


# -- lrkit plot -----------------------------------------------------------------


def _plot(args: argparse.Namespace) -> None:
    from lrkit._seeing.plot import FORMATS, render

    output: str = args.output
    suffix = os.path.splitext(output)[1].lower().lstrip(".")
    if suffix not in FORMATS:
        raise CliError(f"cannot tell the image format of {output!r}: end it in .png, .svg or .pdf")
    schedules = [load_spec(spec)[0] for spec in args.specs]
    total = args.steps or max(_suggested(schedule) for schedule in schedules)
    try:
        image = render(
            schedules,
            total,
            format=suffix,
            width=args.width,
            height=args.height,
            log_scale=args.log,
            title=args.title,
        )
    except ImportError as error:
        raise CliError(
            f"lrkit plot needs matplotlib ({error}): pip install 'lrkit[plot]'"
        ) from None
    except (ArithmeticError, ValueError, TypeError) as error:
        raise CliError(f"cannot draw the schedule(s): {error}") from None
    _write(output, image)
    print(f"wrote {output} ({len(schedules)} schedule(s), {total:,} steps)")


def _write(path: str, data: bytes | str) -> None:
    try:
        if isinstance(data, str):
            with open(path, "w", encoding="utf-8") as text_file:
                text_file.write(data)
        else:
            with open(path, "wb") as binary_file:
                binary_file.write(data)
    except OSError as error:
        raise CliError(f"cannot write {path!r}: {error.strerror or error}") from None


# -- lrkit convert and lrkit validate ------------------------------------------


def _convert(args: argparse.Namespace) -> None:
    import json

    from lrkit._cli.spec import keras_config
    from lrkit._core.serialization import serialize

    schedule, _ = load_spec(args.spec)
    config = keras_config(schedule) if args.to == "keras" else serialize(schedule)
    text = json.dumps(config, indent=args.indent or None) + "\n"
    if args.output is None:
        sys.stdout.write(text)
    else:
        _write(args.output, text)


def _validate(args: argparse.Namespace) -> None:
    schedule, source = load_spec(args.spec)
    total = args.steps if args.steps is not None else _suggested(schedule)
    summary = _summarize(schedule, total)
    if summary.minimum < 0:
        raise CliError(
            f"{source}: {schedule!r} gives a negative learning rate, "
            f"{_fmt(summary.minimum)} at step {summary.minimum_step:,}"
        )
    if math.isinf(summary.peak):
        raise CliError(
            f"{source}: {schedule!r} gives an infinite learning rate at step {summary.peak_step:,}"
        )
    print(
        f"valid: {type(schedule).__name__} from {source}; over {total:,} steps: "
        f"start {_fmt(summary.start)}, peak {_fmt(summary.peak)} at step "
        f"{summary.peak_step:,}, end {_fmt(summary.end)}"
    )


# -- evaluation -------------------------------------------------------------------


def _suggested(schedule: LearningRateSchedule) -> int:
    from lrkit._seeing.describe import suggested_steps

    try:
        return min(suggested_steps(schedule), MAX_STEPS)
    except (ArithmeticError, ValueError, TypeError, KeyError) as error:
        raise CliError(f"cannot tell the length of {schedule!r}: {error}") from None


def _summarize(schedule: LearningRateSchedule, total: int) -> Description:
    """:func:`lrkit.describe` of steps ``0..total-1``, with errors as one line."""
    from lrkit._seeing.describe import VECTORIZE_FROM, summarize

    try:
        return summarize(schedule, total, VECTORIZE_FROM)
    except (ArithmeticError, ValueError, TypeError) as error:
        if total < VECTORIZE_FROM:  # name the step that fails
            for step in range(total):
                _evaluate(schedule, step)
        text = str(error)  # "<repr> gives NaN at step ..."
        if not text.startswith(repr(schedule)):
            text = f"cannot evaluate {schedule!r}: {text}"
        raise CliError(text) from None


def _evaluate(schedule: LearningRateSchedule, step: int) -> float:
    try:
        return float(schedule(step))
    except (ArithmeticError, ValueError, TypeError) as error:
        raise CliError(f"cannot evaluate {schedule!r} at step {step:,}: {error}") from None
