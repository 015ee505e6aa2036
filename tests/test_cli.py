"""The ``lrkit`` command line: show, plot, convert, validate (in-process and as real processes)."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import lrkit
from conftest import EXAMPLES
from lrkit._cli.main import main, sample_steps
from lrkit._cli.presets import DEFAULT_PRESET, DESCRIPTIONS, PRESETS
from lrkit._cli.spec import KERAS_CLASSES
from lrkit._core import serialization as _serialization

EXPONENTIAL = lrkit.ExponentialDecay(0.1, decay_steps=100, decay_rate=0.5)
POLYNOMIAL = lrkit.PolynomialDecay(0.2, decay_steps=300, end_learning_rate=0.01, power=2.0)
KERAS_CONFIG = {  # as keras.optimizers.schedules.serialize writes it (Keras 3)
    "module": "keras.optimizers.schedules",
    "class_name": "CosineDecay",
    "config": {
        "initial_learning_rate": 0.05,
        "decay_steps": 2000,
        "alpha": 0.1,
        "name": "CosineDecay",
        "warmup_target": None,
        "warmup_steps": 0,
    },
    "registered_name": None,
}


def run(capsys: pytest.CaptureFixture[str], argv: list[str]) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def fmt(value: float) -> str:
    return format(value, ".6g")


def parse_show(out: str) -> dict[str, Any]:
    """The parts of ``lrkit show`` output: header, table rows and summary."""
    lines = out.splitlines()
    header = lines.index(
        next(line for line in lines if line.split() == ["step", "learning", "rate"])
    )
    rows = []
    for line in lines[header + 1 :]:
        if not line:
            break
        step, rate, bar = line.split(maxsplit=2)
        assert bar.startswith("|"), line
        rows.append((int(step), rate, bar[1:]))
    return {"repr": lines[0], "source": lines[1], "rows": rows, "summary": lines[-1]}


def write(tmp_path: Path, name: str, content: str | bytes) -> str:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return str(path)


# -- success ------------------------------------------------------------------

# (id, SPEC or None, the schedule it must give, extra argv, expected N, expected rows)
SUCCESS_CASES = [
    ("default", None, PRESETS[DEFAULT_PRESET], [], 10_000, 11),
    ("preset-cosine", "cosine", PRESETS["cosine"], [], 10_000, 11),
    ("preset-step", "step", PRESETS["step"], [], 10_000, 11),
    ("preset-sgdr", "sgdr", PRESETS["sgdr"], [], 7_000, 11),
    # An exponential decay is shown until it is down to 5%: T ln 20 / ln 2 steps.
    ("preset-exponential", "exponential", PRESETS["exponential"], [], 4_322, 11),
    ("json-text", lrkit.to_json(EXPONENTIAL), lrkit.serialize(EXPONENTIAL), [], 433, 11),
    ("json-text-keras", json.dumps(KERAS_CONFIG), KERAS_CONFIG, [], 2_000, 11),
    ("json-file", "FILE", lrkit.serialize(POLYNOMIAL), [], 300, 11),
    ("steps", "cosine", PRESETS["cosine"], ["--steps", "500"], 500, 11),
    ("steps-exponent-form", None, PRESETS[DEFAULT_PRESET], ["--steps", "2e3"], 2_000, 11),
    ("rows", "linear", PRESETS["linear"], ["--rows", "3", "--steps", "101"], 101, 3),
    ("fewer-steps-than-rows", "cosine", PRESETS["cosine"], ["--steps", "4"], 4, 4),
    ("one-step", "cosine", PRESETS["cosine"], ["--steps", "1"], 1, 1),
]


@pytest.mark.parametrize(
    ("spec", "config", "extra", "steps", "rows"),
    [case[1:] for case in SUCCESS_CASES],
    ids=[case[0] for case in SUCCESS_CASES],
)
def test_show(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    spec: str | None,
    config: dict[str, Any],
    extra: list[str],
    steps: int,
    rows: int,
) -> None:
    if spec == "FILE":
        spec = write(tmp_path, "schedule.json", json.dumps(config))
    code, out, err = run(capsys, ["show", *([] if spec is None else [spec]), *extra])
    assert (code, err) == (0, "")
    schedule = lrkit.deserialize(config)
    shown = parse_show(out)
    assert shown["repr"] == repr(schedule)
    assert f"{steps:,} steps (0 to {steps - 1:,})" in shown["source"]

    # The table: `rows` evenly spaced steps from 0 to N-1, each with the schedule's value.
    table_steps = [step for step, _, _ in shown["rows"]]
    assert len(table_steps) == rows
    assert table_steps[0] == 0
    assert table_steps[-1] == steps - 1
    assert table_steps == sorted(set(table_steps))
    spacing = (steps - 1) / max(rows - 1, 1)
    for i, step in enumerate(table_steps):
        assert abs(step - i * spacing) <= 1
    for step, rate, _ in shown["rows"]:
        assert rate == fmt(schedule(step))

    # The summary, from every step 0..N-1.
    values = [schedule(step) for step in range(steps)]
    peak = max(values)
    expected = (
        f"start {fmt(values[0])}, peak {fmt(peak)} at step {values.index(peak):,}, "
        f"end {fmt(values[-1])} at step {steps - 1:,}"
    )
    assert shown["summary"] == expected


def test_show_default_values(capsys: pytest.CaptureFixture[str]) -> None:
    """The default preset, checked against values worked out by hand."""
    code, out, _ = run(capsys, ["show"])
    assert code == 0
    shown = parse_show(out)
    assert shown["repr"] == (
        "CosineDecay(initial_learning_rate=0.0, decay_steps=9000, "
        "warmup_target=0.001, warmup_steps=1000)"
    )
    assert shown["source"] == "default preset 'warmup-cosine', 10,000 steps (0 to 9,999)"
    assert [step for step, _, _ in shown["rows"]] == [*range(0, 10_000, 1000), 9999]
    rates = {step: rate for step, rate, _ in shown["rows"]}
    assert rates[0] == "0"
    assert rates[1000] == "0.001"  # end of the warmup: the peak
    assert rates[4000] == "0.00075"  # a third of the decay: (1 + cos(pi/3)) / 2 = 0.75
    bars = {step: bar for step, _, bar in shown["rows"]}
    assert bars[0] == ""
    assert bars[1000] == "#" * 40
    assert bars[4000] == "#" * 30
    assert shown["summary"].startswith("start 0, peak 0.001 at step 1,000, end 3.0")


def test_show_step_preset_values(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, ["show", "step", "--rows", "5"])
    assert code == 0
    rows = [(step, rate) for step, rate, _ in parse_show(out)["rows"]]
    assert rows == [(0, "0.1"), (2500, "0.1"), (5000, "0.1"), (7500, "0.01"), (9999, "0.001")]


@pytest.mark.parametrize(
    ("total", "rows", "expected"),
    [
        (10_000, 11, [*range(0, 10_000, 1000), 9999]),
        (101, 3, [0, 50, 100]),
        (7, 3, [0, 3, 6]),
        (6, 5, [0, 1, 3, 4, 5]),
        (3, 11, [0, 1, 2]),
        (1, 2, [0]),
    ],
)
def test_sample_steps(total: int, rows: int, expected: list[int]) -> None:
    assert sample_steps(total, rows) == expected


def test_sample_steps_are_distinct_and_span_the_run() -> None:
    for total in range(1, 120):
        for rows in range(2, 40):
            steps = sample_steps(total, rows)
            assert steps == sorted(set(steps))
            assert (steps[0], steps[-1], len(steps)) == (0, total - 1, min(rows, total))


def test_list_presets(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, ["show", "--list-presets"])
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert [line.split()[0] for line in lines] == list(PRESETS)
    for line in lines:
        name = line.split()[0]
        assert DESCRIPTIONS[name] in line
        assert line.endswith("(default)") == (name == DEFAULT_PRESET)


@pytest.mark.parametrize("name", list(PRESETS))
def test_presets_are_lrkit_configs(name: str) -> None:
    schedule = lrkit.deserialize(PRESETS[name])
    assert lrkit.serialize(schedule) == PRESETS[name]
    assert json.loads(json.dumps(PRESETS[name])) == PRESETS[name]


@pytest.mark.parametrize("argv", [["--help"], ["show", "--help"]], ids=["lrkit", "lrkit-show"])
def test_help_shows_examples(capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
    code, out, err = run(capsys, argv)
    assert (code, err) == (0, "")
    assert "examples:" in out
    assert "lrkit show sgdr --steps 20000" in out


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, ["--version"])
    assert (code, out) == (0, f"lrkit {lrkit.__version__}\n")


def test_main_reads_sys_argv(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "argv", ["lrkit", "show", "step", "--steps", "10"])
    assert main() == 0
    assert parse_show(capsys.readouterr().out)["summary"].startswith("start 0.1,")


# -- errors -------------------------------------------------------------------


class _Pole(lrkit.LearningRateSchedule):
    """A schedule that cannot be evaluated at step ``at`` (it divides by zero)."""

    def __init__(self, at: int = 3) -> None:
        self.at = at

    def _formula(self, step: Any, xp: Any) -> Any:
        return 1.0 / (self.at - step)


BAD_PARAMETER = {
    "class_name": "CosineDecay",
    "config": {"initial_learning_rate": 0.1, "decay_steps": 0},
}

# (id, argv with {tmp} for the test's folder, a fragment of the error line)
ERROR_CASES = [
    ("missing-file", ["show", "{tmp}/missing.json"], "no such file: "),
    ("unknown-preset", ["show", "warmup-cosin"], "unknown preset 'warmup-cosin'"),
    ("directory", ["show", "{tmp}"], "cannot read "),
    ("not-utf8", ["show", "{tmp}/binary.json"], "not UTF-8 text"),
    ("invalid-json-file", ["show", "{tmp}/broken.json"], "broken.json: schedule is not valid JSON"),
    ("invalid-json-text", ["show", '{"class_name": '], "JSON text: schedule is not valid JSON"),
    ("empty-file", ["show", "{tmp}/empty.json"], "schedule is not valid JSON"),
    ("json-list", ["show", "{tmp}/list.json"], "must be a dict, got list"),
    (
        "unknown-class",
        ["show", '{"class_name": "CosineDecayy"}'],
        "unknown schedule 'CosineDecayy'",
    ),
    ("bad-parameter", ["show", json.dumps(BAD_PARAMETER)], "decay_steps must be > 0"),
    (
        "bad-parameter-type",
        [
            "show",
            '{"class_name": "ExponentialDecay", "config": {"initial_learning_rate": "high",'
            ' "decay_steps": 10, "decay_rate": 0.5}}',
        ],
        "initial_learning_rate must be a real number",
    ),
    (
        "unknown-parameter",
        [
            "show",
            '{"class_name": "CosineDecay", "config": {"initial_learning_rate": 0.1,'
            ' "decay_steps": 10, "warmup": 5}}',
        ],
        "unknown config key(s) ['warmup']",
    ),
    (
        "nan-parameter",
        [
            "show",
            '{"class_name": "CosineDecay", "config": {"initial_learning_rate": NaN,'
            ' "decay_steps": 10}}',
        ],
        "may not contain NaN",
    ),
    (
        "huge-integer",
        [
            "show",
            '{"class_name": "CosineDecay", "config": {"initial_learning_rate": 0.1,'
            ' "decay_steps": 1' + "0" * 400 + "}}",
        ],
        "JSON text: ",
    ),
    (
        "cannot-evaluate",
        [
            "show",
            '{"class_name": "_Pole", "registered_name": "lrkit_cli_tests>_Pole",'
            ' "config": {"at": 2}}',
        ],
        "cannot evaluate _Pole(at=2) at step 2: ",
    ),
    ("steps-zero", ["show", "--steps", "0"], "argument --steps: must be between 1 and"),
    ("steps-negative", ["show", "--steps", "-5"], "argument --steps: must be between 1 and"),
    ("steps-fraction", ["show", "--steps", "2.5"], "argument --steps: must be an integer"),
    ("steps-text", ["show", "--steps", "many"], "argument --steps: must be an integer"),
    ("steps-too-many", ["show", "--steps", "1e12"], "argument --steps: must be between 1 and"),
    ("rows-one", ["show", "--rows", "1"], "argument --rows: must be between 2 and"),
    ("unknown-option", ["show", "--bogus"], "unrecognized arguments: --bogus"),
    ("no-command", [], "required: COMMAND"),
    ("unknown-command", ["plotz"], "invalid choice: 'plotz'"),
]


@pytest.fixture
def spec_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    write(tmp_path, "binary.json", b"\xff\xfe{\x00")
    write(tmp_path, "broken.json", '{"class_name": "CosineDecay",')
    write(tmp_path, "empty.json", "")
    write(tmp_path, "list.json", "[1, 2]")
    monkeypatch.setitem(_serialization._REGISTRY, "lrkit_cli_tests>_Pole", _Pole)
    return tmp_path


@pytest.mark.parametrize(
    ("argv", "fragment"),
    [case[1:] for case in ERROR_CASES],
    ids=[case[0] for case in ERROR_CASES],
)
def test_errors(
    capsys: pytest.CaptureFixture[str], spec_files: Path, argv: list[str], fragment: str
) -> None:
    argv = [arg.replace("{tmp}", str(spec_files)) for arg in argv]
    code, out, err = run(capsys, argv)
    assert code == 2
    assert out == ""
    assert err.startswith("lrkit: error: ")
    assert err.endswith("\n")
    assert err.count("\n") == 1, err
    assert fragment in err
    assert "Traceback" not in err


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() == 0, reason="needs POSIX permissions, not root"
)
def test_unreadable_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = Path(write(tmp_path, "secret.json", lrkit.to_json(EXPONENTIAL)))
    path.chmod(0)
    try:
        code, _, err = run(capsys, ["show", str(path)])
    finally:
        path.chmod(0o600)
    assert code == 2
    assert err.startswith("lrkit: error: cannot read ")
    assert err.count("\n") == 1


def test_preset_name_wins_over_file_and_dot_slash_reads_the_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "step", lrkit.to_json(EXPONENTIAL))
    _, out, _ = run(capsys, ["show", "step"])
    assert parse_show(out)["repr"] == repr(lrkit.deserialize(PRESETS["step"]))
    _, out, _ = run(capsys, ["show", "./step"])
    assert parse_show(out)["repr"] == repr(EXPONENTIAL)


# -- real processes -------------------------------------------------------------


def _run_process(command: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)


def test_python_dash_m() -> None:
    result = _run_process([sys.executable, "-m", "lrkit", "show", "exponential"])
    assert (result.returncode, result.stderr) == (0, "")
    shown = parse_show(result.stdout)
    assert shown["repr"] == repr(lrkit.deserialize(PRESETS["exponential"]))
    assert shown["summary"].startswith("start 0.1, peak 0.1 at step 0, end ")


def test_python_dash_m_error() -> None:
    result = _run_process([sys.executable, "-m", "lrkit", "show", "no-such-preset"])
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.startswith("lrkit: error: unknown preset 'no-such-preset'")
    assert result.stderr.count("\n") == 1


def _console_script() -> str | None:
    scripts = Path(sys.executable).parent
    return shutil.which("lrkit", path=str(scripts)) or shutil.which("lrkit")


@pytest.mark.skipif(_console_script() is None, reason="the lrkit console script is not installed")
def test_console_script() -> None:
    script = _console_script()
    assert script is not None
    result = _run_process([script, "show", "--steps", "100"])
    assert (result.returncode, result.stderr) == (0, "")
    assert (
        parse_show(result.stdout)["summary"]
        == "start 0, peak 9.9e-05 at step 99, end 9.9e-05 at step 99"
    )
    result = _run_process([script, "show", "--steps", "0"])
    assert result.returncode == 2
    assert result.stderr.startswith("lrkit: error: argument --steps")
    assert result.stderr.count("\n") == 1


def test_closed_pipe_is_not_a_traceback() -> None:
    """``lrkit show | head -1``: the reader closes the pipe before lrkit writes."""
    command = [sys.executable, "-m", "lrkit", "show", "--list-presets"]
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as process:
        assert process.stdout is not None
        assert process.stderr is not None
        process.stdout.close()
        stderr = process.stderr.read().decode()
        assert process.wait(timeout=120) == 1
    assert stderr == ""


def test_show_imports_no_array_library() -> None:
    code = (
        "import sys\n"
        "from lrkit._cli.main import main\n"
        "assert main(['show', 'sgdr']) == 0\n"
        "loaded = sorted({'numpy', 'torch', 'jax', 'array_api_compat'} & set(sys.modules))\n"
        "assert not loaded, loaded\n"
    )
    result = _run_process([sys.executable, "-c", code])
    assert result.returncode == 0, result.stderr


# -- the terminal chart -------------------------------------------------------------

BRAILLE = range(0x2800, 0x2900)


def chart_lines(out: str) -> list[str]:
    """The lines between the source line and the table header."""
    lines = out.splitlines()
    header = next(i for i, line in enumerate(lines) if line.split() == ["step", "learning", "rate"])
    return [line for line in lines[2:header] if line.strip()]


def test_show_draws_a_chart(capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("plotext")
    code, out, err = run(capsys, ["show", "sgdr"])
    assert (code, err) == (0, "")
    chart = chart_lines(out)
    assert 10 <= len(chart) <= 20
    assert all(len(line) <= 100 for line in chart)
    assert sum(1 for char in "".join(chart) if ord(char) in BRAILLE) > 50
    assert "\x1b[" not in out  # no colour codes when stdout is not a terminal
    assert chart[-1].strip() == "step"
    assert chart[-2].split() == ["0", "1,750", "3,500", "5,250", "6,999"]
    assert chart[1].split("┤")[0].strip() == "0.1"  # the top tick (under the frame) is the peak


def test_show_marks_phase_boundaries(capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("plotext")
    joined = lrkit.Join([lrkit.CosineDecay(0.1, 50), lrkit.CosineDecay(0.05, 50)], [30])
    _, plain, _ = run(capsys, ["show", lrkit.to_json(lrkit.CosineDecay(0.1, 80))])
    _, marked, _ = run(capsys, ["show", lrkit.to_json(joined)])
    assert "80 steps" in marked
    # plotext draws a vertical line through the whole canvas at the boundary.
    assert (
        sum(line.count("│") for line in chart_lines(marked))
        > sum(line.count("│") for line in chart_lines(plain)) + 8
    )


def test_show_without_chart(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, ["show", "sgdr", "--no-chart"])
    assert code == 0
    assert chart_lines(out) == []
    assert parse_show(out)["summary"].startswith("start 0.1, peak 0.1 at step 0")


def test_show_without_plotext_prints_the_table(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "plotext", None)
    code, out, err = run(capsys, ["show", "sgdr"])
    assert (code, err) == (0, "")
    assert chart_lines(out) == []
    assert len(parse_show(out)["rows"]) == 11


def test_show_prints_the_description(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, ["show", "--steps", "10000"])
    assert code == 0
    summary = lrkit.describe(lrkit.deserialize(PRESETS[DEFAULT_PRESET]), 10_000)
    assert out.splitlines()[-2] == (
        f"minimum {fmt(summary.minimum)} at step 0, mean {fmt(summary.mean)}, "
        f"area {fmt(summary.area)}, warmup ends at step 1,000"
    )
    _, out, _ = run(capsys, ["show", "cosine", "--no-chart"])
    assert out.splitlines()[-2].endswith(", no warmup")


# -- SPECs: YAML ----------------------------------------------------------------------

YAML_JOIN = """\
# a warmup joined to a cosine decay
class_name: Join
config:
  boundaries: [100]
  schedules:
    - class_name: PolynomialDecay
      config: {initial_learning_rate: 0.0, decay_steps: 100, end_learning_rate: 0.001}
    - class_name: CosineDecay
      config:
        initial_learning_rate: 0.001
        decay_steps: 900
"""
JOINED = lrkit.Join(
    [
        lrkit.PolynomialDecay(0.0, 100, end_learning_rate=0.001),
        lrkit.CosineDecay(0.001, 900),
    ],
    boundaries=[100],
)


@pytest.mark.parametrize("suffix", [".yaml", ".yml", ".YAML"])
def test_show_yaml(capsys: pytest.CaptureFixture[str], tmp_path: Path, suffix: str) -> None:
    pytest.importorskip("yaml")
    path = write(tmp_path, f"schedule{suffix}", YAML_JOIN)
    code, out, err = run(capsys, ["show", path, "--no-chart"])
    assert (code, err) == (0, "")
    shown = parse_show(out)
    assert shown["repr"] == repr(JOINED)
    assert shown["source"] == f"YAML file {path!r}, 1,000 steps (0 to 999)"


# -- lrkit plot ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("specs", "extra", "expected_steps", "suffix"),
    [
        (["warmup-cosine"], [], 10_000, "png"),
        (["sgdr", "cosine", "step"], ["--log"], 10_000, "svg"),  # the longest suggestion
        (["FILE"], ["--steps", "2e3", "--title", "joined"], 2_000, "pdf"),
        (["FILE", "sgdr"], [], 7_000, "PNG"),
    ],
    ids=["preset-png", "several-log-svg", "yaml-file-steps-pdf", "upper-case-suffix"],
)
def test_plot_command(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    specs: list[str],
    extra: list[str],
    expected_steps: int,
    suffix: str,
) -> None:
    pytest.importorskip("matplotlib")
    pytest.importorskip("yaml")
    specs = [write(tmp_path, "s.yaml", YAML_JOIN) if spec == "FILE" else spec for spec in specs]
    output = str(tmp_path / f"out.{suffix}")
    argv = ["plot", *specs, "-o", output, "--width", "640", "--height", "320", *extra]
    code, out, err = run(capsys, argv)
    assert (code, err) == (0, "")
    assert out == f"wrote {output} ({len(specs)} schedule(s), {expected_steps:,} steps)\n"
    data = Path(output).read_bytes()
    if suffix.lower() == "png":
        assert data[:8] == b"\x89PNG\r\n\x1a\n"
        assert (int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")) == (
            640,
            320,
        )
    elif suffix == "svg":
        assert b'width="460.8pt" height="230.4pt"' in data
    else:
        assert data.startswith(b"%PDF-")


def test_plot_command_without_matplotlib(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    monkeypatch.setitem(sys.modules, "matplotlib.figure", None)
    code, out, err = run(capsys, ["plot", "cosine", "-o", str(tmp_path / "x.png")])
    assert (code, out) == (2, "")
    assert err.startswith("lrkit: error: lrkit plot needs matplotlib")
    assert "pip install 'lrkit[plot]'" in err
    assert not (tmp_path / "x.png").exists()


# -- lrkit convert ------------------------------------------------------------------------


def test_convert_keras_to_lrkit(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = write(tmp_path, "keras.json", json.dumps(KERAS_CONFIG))
    code, out, err = run(capsys, ["convert", path])
    assert (code, err) == (0, "")
    converted = json.loads(out)
    assert converted == lrkit.serialize(lrkit.deserialize(KERAS_CONFIG))
    assert converted["module"] == "lrkit"
    assert out == json.dumps(converted, indent=2) + "\n"


def test_convert_tf_keras_float32_config(capsys: pytest.CaptureFixture[str]) -> None:
    # tf.keras 2.x: a bare class name and config, values wrapped as float32 tensors.
    tf_config = {
        "class_name": "ExponentialDecay",
        "config": {
            "initial_learning_rate": {
                "class_name": "__tensor__",
                "config": {"value": 0.10000000149011612, "dtype": "float32"},
            },
            "decay_steps": 1000,
            "decay_rate": 0.5,
            "staircase": False,
            "name": None,
        },
    }
    code, out, _ = run(capsys, ["convert", json.dumps(tf_config), "--indent", "0"])
    assert code == 0
    assert out.count("\n") == 1
    assert json.loads(out)["config"]["initial_learning_rate"] == 0.10000000149011612


KERAS_CLASS_EXAMPLES = [
    key for key, schedule in EXAMPLES.items() if type(schedule).__name__ in KERAS_CLASSES
]


@pytest.mark.parametrize("key", KERAS_CLASS_EXAMPLES)
def test_convert_to_keras_is_read_by_keras(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, key: str
) -> None:
    keras = pytest.importorskip("keras")
    schedule = EXAMPLES[key]
    output = tmp_path / "keras.json"
    argv = ["convert", lrkit.to_json(schedule), "--to", "keras", "-o", str(output)]
    code, out, err = run(capsys, argv)
    assert (code, out, err) == (0, "", "")
    config = json.loads(output.read_text(encoding="utf-8"))
    assert config["module"] == "keras.optimizers.schedules"
    assert config["class_name"] == type(schedule).__name__
    if schedule.get_config()["name"] is None:  # Keras needs a string: its default is used
        assert "name" not in config["config"]
    else:
        assert lrkit.deserialize(config) == schedule  # and back
    keras_schedule = keras.optimizers.schedules.deserialize(config)
    for step in (0, 3, 17, 150):
        assert float(keras_schedule(step)) == pytest.approx(schedule(step), rel=1e-5, abs=1e-7)


def test_convert_round_trip_through_keras_form(capsys: pytest.CaptureFixture[str]) -> None:
    code, keras_text, _ = run(capsys, ["convert", "sgdr", "--to", "keras"])
    assert code == 0
    code, lrkit_text, _ = run(capsys, ["convert", keras_text])
    assert code == 0
    assert json.loads(lrkit_text) == PRESETS["sgdr"]


# -- lrkit validate ---------------------------------------------------------------------------


def test_validate(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = write(tmp_path, "s.json", lrkit.to_json(JOINED))
    code, out, err = run(capsys, ["validate", path])
    assert (code, err) == (0, "")
    assert out == (
        f"valid: Join from file {path!r}; over 1,000 steps: start 0, peak 0.001 at step 100, "
        f"end {fmt(JOINED(999))}\n"
    )
    code, out, _ = run(capsys, ["validate", "step", "--steps", "10"])
    assert (code, out) == (
        0,
        "valid: PiecewiseConstantDecay from preset 'step'; "
        "over 10 steps: start 0.1, peak 0.1 at step 0, end 0.1\n",
    )


# -- errors of the new commands: every kind of bad SPEC, for every command --------------------

SPEC_COMMANDS = {
    "show": ["show"],
    "plot": ["plot", "-o", "{tmp}/out.png"],
    "convert": ["convert"],
    "convert-keras": ["convert", "--to", "keras"],
    "validate": ["validate"],
}
BAD_SPECS = [
    ("missing-file", "{tmp}/missing.json", "no such file: "),
    ("missing-yaml-file", "{tmp}/missing.yaml", "no such file: "),
    ("unknown-preset", "cosin", "unknown preset 'cosin'"),
    ("invalid-json", "{tmp}/broken.json", "broken.json: schedule is not valid JSON"),
    ("invalid-json-text", '{"class_name": ', "JSON text: schedule is not valid JSON"),
    ("invalid-yaml", "{tmp}/broken.yaml", "broken.yaml: not valid YAML: "),
    ("yaml-alias", "{tmp}/alias.yaml", "YAML aliases (*name) are not allowed"),
    ("yaml-python-tag", "{tmp}/tag.yaml", "could not determine a constructor"),
    ("yaml-list", "{tmp}/list.yml", "must be a dict, got list"),
    ("unknown-class", '{"class_name": "CosineDecayy"}', "unknown schedule 'CosineDecayy'"),
    ("unknown-class-yaml", "{tmp}/unknown.yaml", "unknown schedule 'Cosine'"),
    ("bad-parameter", json.dumps(BAD_PARAMETER), "decay_steps must be > 0"),
    ("bad-parameter-yaml", "{tmp}/bad.yaml", "decay_rate must be"),
    (
        "duplicate-key-json-text",
        '{"class_name": "Constant", "config": {"learning_rate": 1, "learning_rate": 2}}',
        "JSON text: schedule JSON has the key 'learning_rate' twice in the object at $.config:",
    ),
    ("duplicate-key-json", "{tmp}/twice.json", "the key 'class_name' twice in the object at $:"),
    (
        "duplicate-key-yaml",
        "{tmp}/twice.yaml",
        "the key 'decay_steps' appears twice in the mapping at $.config (line 4, column 3)",
    ),
    ("deep-yaml-flow", "{tmp}/deep.yaml", "deep.yaml: YAML nested deeper than 64 levels (line 2)"),
    ("deep-yaml-block", "{tmp}/deep.yml", "deep.yml: YAML nested deeper than 64 levels (line 1,"),
]


@pytest.fixture
def bad_spec_files(spec_files: Path) -> Path:
    write(spec_files, "broken.yaml", "class_name: [CosineDecay\n")
    write(spec_files, "alias.yaml", "x: &a {initial_learning_rate: 0.1}\nconfig: *a\n")
    write(spec_files, "tag.yaml", "!!python/object/apply:os.system ['true']\n")
    write(spec_files, "list.yml", "- 1\n- 2\n")
    write(spec_files, "unknown.yaml", "class_name: Cosine\nconfig: {}\n")
    write(spec_files, "twice.json", '{"class_name": "Constant", "class_name": "Clip"}')
    write(
        spec_files,
        "twice.yaml",
        "class_name: CosineDecay\nconfig:\n  decay_steps: 10\n  'decay_steps': 20\n",
    )
    write(spec_files, "deep.yaml", "class_name: Constant\nconfig: " + "[" * 5000 + "]" * 5000)
    write(spec_files, "deep.yml", "- " * 5000 + "x\n")
    write(
        spec_files,
        "bad.yaml",
        "class_name: ExponentialDecay\n"
        "config: {initial_learning_rate: 0.1, decay_steps: 10, decay_rate: -1}\n",
    )
    return spec_files


@pytest.mark.parametrize("command", list(SPEC_COMMANDS))
@pytest.mark.parametrize(
    ("spec", "fragment"), [case[1:] for case in BAD_SPECS], ids=[case[0] for case in BAD_SPECS]
)
def test_bad_specs(
    capsys: pytest.CaptureFixture[str],
    bad_spec_files: Path,
    command: str,
    spec: str,
    fragment: str,
) -> None:
    pytest.importorskip("yaml")
    tmp = str(bad_spec_files)
    argv = [arg.replace("{tmp}", tmp) for arg in [*SPEC_COMMANDS[command], spec]]
    code, out, err = run(capsys, argv)
    assert (code, out) == (2, "")
    assert err.startswith("lrkit: error: ")
    assert err.count("\n") == 1, err
    assert fragment in err
    assert not (bad_spec_files / "out.png").exists()


# (id, argv with {tmp}, a fragment of the error line)
COMMAND_ERROR_CASES = [
    ("plot-no-output", ["plot", "cosine"], "the following arguments are required: -o/--output"),
    ("plot-no-spec", ["plot", "-o", "{tmp}/x.png"], "the following arguments are required: SPEC"),
    ("plot-format", ["plot", "cosine", "-o", "{tmp}/x.jpg"], "end it in .png, .svg or .pdf"),
    ("plot-no-suffix", ["plot", "cosine", "-o", "{tmp}/x"], "cannot tell the image format"),
    ("plot-cannot-write", ["plot", "cosine", "-o", "{tmp}/no/dir/x.png"], "cannot write "),
    ("plot-width", ["plot", "cosine", "-o", "{tmp}/x.png", "--width", "5"], "--width: must be"),
    ("plot-steps", ["plot", "cosine", "-o", "{tmp}/x.png", "--steps", "0"], "--steps: must be"),
    ("convert-no-spec", ["convert"], "the following arguments are required: SPEC"),
    ("convert-bad-target", ["convert", "cosine", "--to", "torch"], "invalid choice: 'torch'"),
    (
        "convert-keras-lacks-join",
        ["convert", lrkit.to_json(JOINED), "--to", "keras"],
        "Join has no Keras counterpart; keras.optimizers.schedules has CosineDecay,",
    ),
    (
        "convert-keras-lacks-linear-cosine",
        ["convert", lrkit.to_json(lrkit.LinearCosineDecay(0.1, 100)), "--to", "keras"],
        "LinearCosineDecay has no Keras counterpart",
    ),
    ("convert-cannot-write", ["convert", "cosine", "-o", "{tmp}/no/dir/x.json"], "cannot write "),
    ("validate-no-spec", ["validate"], "the following arguments are required: SPEC"),
    (
        "validate-negative",
        ["validate", lrkit.to_json(lrkit.CosineDecay(0.1, 100) - 0.05), "--steps", "100"],
        "gives a negative learning rate, -0.0499753 at step 99",
    ),
    (
        "validate-infinite",
        ["validate", lrkit.to_json(lrkit.ExponentialDecay(1.0, 1, 1e300)), "--steps", "9"],
        "gives an infinite learning rate at step 2",
    ),
    (
        "validate-cannot-evaluate",
        [
            "validate",
            '{"class_name": "_Pole", "registered_name": "lrkit_cli_tests>_Pole",'
            ' "config": {"at": 4}}',
        ],
        "cannot evaluate _Pole(at=4) at step 4: ",
    ),
]


@pytest.mark.parametrize(
    ("argv", "fragment"),
    [case[1:] for case in COMMAND_ERROR_CASES],
    ids=[case[0] for case in COMMAND_ERROR_CASES],
)
def test_command_errors(
    capsys: pytest.CaptureFixture[str], spec_files: Path, argv: list[str], fragment: str
) -> None:
    argv = [arg.replace("{tmp}", str(spec_files)) for arg in argv]
    code, out, err = run(capsys, argv)
    assert (code, out) == (2, "")
    assert err.startswith("lrkit: error: ")
    assert err.count("\n") == 1, err
    assert fragment in err


def test_yaml_without_pyyaml(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "yaml", None)
    path = write(tmp_path, "s.yaml", YAML_JOIN)
    code, out, err = run(capsys, ["validate", path])
    assert (code, out) == (2, "")
    assert err == (
        f"lrkit: error: {path}: reading YAML needs PyYAML: pip install 'lrkit[yaml]' "
        "(or give the schedule as JSON)\n"
    )


@pytest.mark.parametrize("command", ["show", "plot", "convert", "validate"])
def test_command_help_shows_spec_and_examples(
    capsys: pytest.CaptureFixture[str], command: str
) -> None:
    code, out, err = run(capsys, [command, "--help"])
    assert (code, err) == (0, "")
    assert "SPEC is a preset name" in out
    assert "YAML file" in out
    assert f"examples:\n  lrkit {command}" in out


def test_top_level_help_lists_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, ["--help"])
    for command in ("show", "plot", "convert", "validate"):
        assert f"\n    {command} " in out
        assert f"  lrkit {command} " in out


def test_new_commands_import_no_array_library(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from lrkit._cli.main import main\n"
        "assert main(['validate', 'sgdr']) == 0\n"
        "assert main(['convert', 'sgdr', '--to', 'keras']) == 0\n"
        "loaded = sorted({'numpy', 'torch', 'jax', 'array_api_compat', 'matplotlib'}"
        " & set(sys.modules))\n"
        "assert not loaded, loaded\n"
    )
    result = _run_process([sys.executable, "-c", code])
    assert result.returncode == 0, result.stderr


# -- YAML: work linear in the file, deep nesting refused before it costs ----------------------


def _spec_calls(path: Path) -> int:
    from conftest import function_calls
    from lrkit._cli.spec import SpecError, load_spec

    def load() -> None:
        with contextlib.suppress(SpecError):
            load_spec(str(path))

    load()  # imports and caches warmed
    return function_calls(load)


def test_deep_yaml_is_refused_with_work_that_does_not_grow(tmp_path: Path) -> None:
    """16 KB of nested brackets once kept ``lrkit validate`` busy for 17-58 s."""
    pytest.importorskip("yaml")
    from conftest import bounded

    for opener, closer in (("[", "]"), ("{a: ", "}")):
        small = write(tmp_path, "small.yaml", opener * 100 + closer * 100)
        large = write(tmp_path, "large.yaml", opener * 16_000 + closer * 16_000)
        assert bounded(_spec_calls(Path(large)), _spec_calls(Path(small)))


def test_shallow_yaml_costs_work_linear_in_its_size(tmp_path: Path) -> None:
    pytest.importorskip("yaml")
    from conftest import bounded

    def piecewise(count: int) -> Path:
        boundaries = ", ".join(str(step) for step in range(1, count + 1))
        values = ", ".join("0.1" for _ in range(count + 1))
        text = (
            "class_name: PiecewiseConstantDecay\n"
            f"config: {{boundaries: [{boundaries}], values: [{values}]}}\n"
        )
        return Path(write(tmp_path, f"wide{count}.yaml", text))

    small, large = _spec_calls(piecewise(250)), _spec_calls(piecewise(1000))
    assert large > 2 * small  # the work does grow with the file...
    assert bounded(large, small, factor=4.0)  # ...in proportion
