"""``lrkit.plot``, image rendering, phase boundaries and the Jupyter display."""

from __future__ import annotations

import io
import struct
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from typing import Any

import pytest

from conftest import EXAMPLES

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")
np = pytest.importorskip("numpy")

import matplotlib.image  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

import lrkit  # noqa: E402
from lrkit._core.shape import phase_boundaries  # noqa: E402
from lrkit._seeing.plot import BOUNDARY_GID, default_labels, render  # noqa: E402

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
#: One example of each registered class (the first in ``EXAMPLES``).
FAMILIES: dict[str, str] = {}
for _key, _schedule in EXAMPLES.items():
    FAMILIES.setdefault(type(_schedule).__name__, _key)
WARMUP = lrkit.Warmup(lrkit.CosineDecay(0.1, decay_steps=90), warmup_steps=10)
JOIN = lrkit.Join(
    [lrkit.PolynomialDecay(0.0, 20, end_learning_rate=0.1), lrkit.CosineDecay(0.1, 80)],
    boundaries=[20],
)


@pytest.fixture(autouse=True)
def _close_figures() -> Iterator[None]:
    yield
    plt.close("all")


def png_size(data: bytes) -> tuple[int, int]:
    """(width, height) from a PNG's IHDR chunk, the first chunk after the signature."""
    assert data[:8] == PNG_SIGNATURE
    length, kind = struct.unpack(">I4s", data[8:16])
    assert (length, kind) == (13, b"IHDR")
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def new_axes() -> Any:
    return Figure().add_subplot()


def schedule_lines(ax: Any) -> list[Any]:
    return [line for line in ax.get_lines() if line.get_gid() != BOUNDARY_GID]


def boundary_artists(ax: Any) -> list[Any]:
    return [line for line in ax.get_lines() if line.get_gid() == BOUNDARY_GID]


# -- every family, as PNG and SVG ---------------------------------------------------


@pytest.mark.parametrize("key", list(FAMILIES.values()))
def test_png_of_every_family(key: str) -> None:
    data = render(EXAMPLES[key], 150, format="png", width=320, height=200, dpi=80)
    assert png_size(data) == (320, 200)
    pixels = matplotlib.image.imread(io.BytesIO(data), format="png")
    assert pixels.shape[:2] == (200, 320)
    # Not a blank canvas: the curve is drawn in colour, where axes, text and grid are grey.
    rgb = pixels[..., :3]
    coloured = rgb.max(axis=-1) - rgb.min(axis=-1) > 0.2
    assert coloured.sum() > 100


@pytest.mark.parametrize("key", list(FAMILIES.values()))
def test_svg_of_every_family(key: str) -> None:
    data = render(EXAMPLES[key], 150, format="svg", width=400, height=250, dpi=100)
    root = ET.fromstring(data)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert (root.get("width"), root.get("height")) == ("288pt", "180pt")  # 72 points per inch
    assert root.get("viewBox") == "0 0 288 180"
    paths = [
        element
        for element in root.iter("{http://www.w3.org/2000/svg}g")
        if (element.get("id") or "").startswith("line2d_")
    ]
    assert paths, "no line drawn"


def test_pdf() -> None:
    data = render(WARMUP, 100, format="pdf")
    assert data.startswith(b"%PDF-")
    assert len(data) > 1000


def test_images_are_reproducible() -> None:
    for kind in ("png", "svg", "pdf"):
        assert render(JOIN, 100, format=kind) == render(JOIN, 100, format=kind), kind


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"format": "jpg"}, "format must be one of"),
        ({"width": 0}, "width must be a positive integer"),
        ({"dpi": 7.5}, "dpi must be a positive integer"),
    ],
)
def test_render_errors(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        render(WARMUP, 100, **kwargs)


# -- axes, labels, legend, scale ----------------------------------------------------


def test_one_schedule() -> None:
    ax = new_axes()
    assert lrkit.plot(lrkit.CosineDecay(0.1, 100), 100, ax) is ax
    (line,) = schedule_lines(ax)
    np.testing.assert_array_equal(line.get_xdata(), np.arange(100))
    expected = [lrkit.CosineDecay(0.1, 100)(step) for step in range(100)]
    np.testing.assert_allclose(line.get_ydata(), expected, rtol=1e-12)
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("step", "learning rate")
    assert ax.get_xlim() == (0, 99)
    assert ax.get_ylim()[0] == 0
    assert ax.get_yscale() == "linear"
    assert [text.get_text() for text in ax.get_legend().get_texts()] == ["CosineDecay"]


def test_several_schedules_and_their_labels() -> None:
    schedules = [
        lrkit.CosineDecay(0.1, 100, name="cosine"),
        lrkit.ExponentialDecay(0.1, 10, 0.5),
        WARMUP,
        lrkit.CosineDecay(0.2, 100, name=None),
    ]
    ax = lrkit.plot(schedules, 100, new_axes(), linewidth=3)
    lines = schedule_lines(ax)
    assert len(lines) == 4
    assert {line.get_linewidth() for line in lines} == {3}
    assert len({line.get_color() for line in lines}) == 4
    legend = [text.get_text() for text in ax.get_legend().get_texts()]
    assert legend == ["cosine", "ExponentialDecay", "Warmup", "CosineDecay"]
    for line, schedule in zip(lines, schedules, strict=True):
        np.testing.assert_allclose(line.get_ydata(), [schedule(s) for s in range(100)])


def test_repeated_names_show_the_parameters_that_differ() -> None:
    twins = [
        lrkit.CosineDecay(0.1, 100),
        lrkit.CosineDecay(0.2, 100, alpha=0.5),
        WARMUP,
        lrkit.CosineDecay(0.1, 100, alpha=0.5),
    ]
    assert default_labels(twins) == [
        "CosineDecay(initial_learning_rate=0.1, alpha=0.0)",
        "CosineDecay(initial_learning_rate=0.2, alpha=0.5)",
        "Warmup",
        "CosineDecay(initial_learning_rate=0.1, alpha=0.5)",
    ]
    # Same name, different classes: a (shortened) repr.
    renamed = [lrkit.CosineDecay(0.1, 100, name="x"), lrkit.ExponentialDecay(0.1, 9, 0.5, name="x")]
    assert default_labels(renamed) == [
        "CosineDecay(initial_learning_rate=0.1, decay_steps=100, nam…",
        "ExponentialDecay(initial_learning_rate=0.1, decay_steps=9, …",
    ]
    long = [lrkit.Join([WARMUP, JOIN], [100]), lrkit.Join([JOIN, WARMUP], [100])]
    labels = default_labels(long)
    assert labels[0].startswith("Join(schedules=[Warmup(schedule=CosineDecay(")
    assert all(len(label) == 60 and label.endswith("…") for label in labels)


def test_labels_are_class_names_not_keras_default_names() -> None:
    """Keras's default ``name`` fields (``SGDRDecay``, ``PiecewiseConstant``) name no class."""
    schedules = [
        lrkit.CosineDecayRestarts(0.1, 10),
        lrkit.PiecewiseConstantDecay([10], [0.1, 0.01]),
        lrkit.CosineDecay(0.1, 100),
        lrkit.ExponentialDecay(0.1, 10, 0.5, name="my decay"),
        lrkit.PolynomialDecay(0.1, 10, name=None),
    ]
    assert [s.name for s in schedules[:2]] == ["SGDRDecay", "PiecewiseConstant"]
    ax = lrkit.plot(schedules, 50, new_axes())
    assert [text.get_text() for text in ax.get_legend().get_texts()] == [
        "CosineDecayRestarts",
        "PiecewiseConstantDecay",
        "CosineDecay",
        "my decay",
        "PolynomialDecay",
    ]


def test_given_labels() -> None:
    ax = lrkit.plot([WARMUP, JOIN], 100, new_axes(), labels=["warm", "joined"], title="Two")
    assert [text.get_text() for text in ax.get_legend().get_texts()] == ["warm", "joined"]
    assert ax.get_title() == "Two"


def test_log_scale_leaves_out_zeros() -> None:
    ax = lrkit.plot(JOIN, 100, new_axes(), log_scale=True)
    assert ax.get_yscale() == "log"
    low, high = ax.get_ylim()
    assert 0 < low < JOIN(1)
    assert high >= 0.1


def test_negative_rates_keep_the_axis_free() -> None:
    ax = lrkit.plot(lrkit.CosineDecay(0.1, 100) - 0.05, 100, new_axes())
    assert ax.get_ylim()[0] < -0.04


def test_new_figure_when_no_axes() -> None:
    ax = lrkit.plot(WARMUP, 100)
    assert ax.figure is plt.gcf()


def test_long_runs_are_sampled_around_boundaries() -> None:
    schedule = lrkit.Join(
        [lrkit.PiecewiseConstantDecay([], [0.1]), lrkit.PiecewiseConstantDecay([], [0.01])],
        boundaries=[12_345.5],
    )
    ax = lrkit.plot(schedule, 100_000, new_axes(), max_points=500)
    (line,) = schedule_lines(ax)
    xs = line.get_xdata()
    assert 500 <= len(xs) <= 503
    assert (xs[0], xs[-1]) == (0, 99_999)
    assert {12_344, 12_345, 12_346} <= set(xs.tolist())  # the jump stays sharp
    assert np.all(np.diff(xs) > 0)


@pytest.mark.parametrize(
    ("schedules", "kwargs", "error", "message"),
    [
        ([], {}, ValueError, "no schedule to draw"),
        ("cosine", {}, TypeError, "a schedule or a list of schedules, got str"),
        ([WARMUP, 0.1], {}, TypeError, r"schedules\[1\] must be an lrkit schedule"),
        (WARMUP, {"total_steps": 0}, ValueError, "total_steps must be an integer >= 1"),
        (WARMUP, {"total_steps": 10.0}, ValueError, "total_steps must be an integer >= 1"),
        (WARMUP, {"labels": ["a", "b"]}, ValueError, "labels must be a list of 1"),
        (WARMUP, {"labels": "a"}, ValueError, "labels must be a list of 1"),
        (WARMUP, {"max_points": 1}, ValueError, "max_points must be an integer >= 2"),
    ],
)
def test_plot_errors(
    schedules: Any, kwargs: dict[str, Any], error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        lrkit.plot(schedules, **{"total_steps": 10, **kwargs}, ax=new_axes())


# -- phase boundaries ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("schedule", "expected"),
    [
        (lrkit.CosineDecay(0.1, 100), []),
        # CosineDecay's built-in warmup is marked as Warmup's is.
        (lrkit.CosineDecay(0.0, 90, warmup_target=0.1, warmup_steps=10), [10]),
        (lrkit.CosineDecay(0.1, 90, warmup_target=0.2), []),
        (lrkit.Join([lrkit.Constant(0.1), lrkit.CosineDecay(0, 9, 0, None, 0.1, 3)], [5]), [5, 8]),
        (WARMUP, [10]),
        (lrkit.Warmup(lrkit.CosineDecay(0.1, 100), 0), []),
        (JOIN, [20]),
        (EXAMPLES["Join-three"], [20, 35.5]),
        # Nested: a warmup before a join shifts the join's boundaries.
        (lrkit.Warmup(JOIN, 5), [5, 25]),
        # A join's part keeps its own phases, shifted to its start, up to the next boundary.
        (lrkit.Join([WARMUP, lrkit.Warmup(JOIN, 5)], [8]), [8, 13, 33]),
        (lrkit.Join([JOIN, WARMUP], [15]), [15, 25]),
        # Value transforms keep the phases of what they wrap.
        (lrkit.Scale(WARMUP, 0.5), [10]),
        (WARMUP + 0.01, [10]),
        (lrkit.Clip(JOIN, max_learning_rate=0.05), [20]),
        (lrkit.Sum([WARMUP, JOIN]), [10, 20]),
        (WARMUP * JOIN, [10, 20]),
    ],
)
def test_phase_boundaries(schedule: lrkit.LearningRateSchedule, expected: list[float]) -> None:
    assert phase_boundaries(schedule) == expected


def test_boundary_markers() -> None:
    schedule = lrkit.Warmup(JOIN, 5)
    ax = lrkit.plot([schedule, lrkit.CosineDecay(0.1, 100)], 100, new_axes())
    markers = [a for a in boundary_artists(ax) if a.get_marker() == "o"]
    vertical = [a for a in boundary_artists(ax) if a.get_marker() != "o"]
    (dots,) = markers
    assert dots.get_xdata().tolist() == [5, 25]
    assert dots.get_ydata().tolist() == pytest.approx([schedule(5), schedule(25)])
    assert dots.get_color() == schedule_lines(ax)[0].get_color()
    assert sorted(line.get_xdata()[0] for line in vertical) == [5, 25]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["Warmup", "CosineDecay"]


def test_boundaries_outside_the_run_and_switched_off() -> None:
    assert boundary_artists(lrkit.plot(JOIN, 20, new_axes())) == []  # boundary 20 > step 19
    assert len(boundary_artists(lrkit.plot(JOIN, 21, new_axes()))) == 2
    assert boundary_artists(lrkit.plot(JOIN, 100, new_axes(), boundaries=False)) == []


# -- Jupyter --------------------------------------------------------------------------


def test_repr_png() -> None:
    data = WARMUP._repr_png_()
    assert data is not None
    assert png_size(data) == (480, 270)
    assert plt.get_fignums() == []  # no pyplot figure left open


def test_repr_png_of_every_example_is_an_image() -> None:
    for key in ("CosineDecayRestarts", "Join-three", "PiecewiseConstantDecay"):
        data = EXAMPLES[key]._repr_png_()
        assert data is not None, key
        assert png_size(data) == (480, 270), key


def test_repr_png_without_matplotlib(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in [name for name in sys.modules if name.partition(".")[0] == "matplotlib"]:
        monkeypatch.setitem(sys.modules, name, None)
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    assert WARMUP._repr_png_() is None


def test_infinite_rates_are_drawn_without_warnings() -> None:
    growing = lrkit.ExponentialDecay(1.0, decay_steps=1, decay_rate=1e300)
    (line,) = schedule_lines(lrkit.plot(growing, 6, new_axes()))
    assert line.get_ydata().tolist() == [1.0, 1e300, *[float("inf")] * 4]
