"""Before/after: the ratios of two runs of the suite, side by side, one line per case.

    python -m benchmarks --json after.json          # a run to compare (any sections)
    python -m benchmarks.compare --before before.json --after after.json
    python -m benchmarks.compare --before a.json b.json --after c.json d.json --markdown

Each side may be several JSON files written by ``python -m benchmarks --json``
(e.g. one per section); their rows are pooled. Rows are matched by section,
case and what they are compared with. Per section, there is one line per case
and one column per comparison (``versus``), each cell the ratio before, then
after (``1.42x -> 1.18x``); a ratio past its target is marked ``miss`` or
``MISS`` (more than 50% past) with the row's floor where it has one, one
within the target times the floor ``at floor`` and the floor; a ratio in
parentheses has no target (e.g. a combinator against the hand-written object:
its target is against its parts). Only comparisons
with a target are shown unless ``--all`` is given. Without ``--after``, the
cells hold the ratios before.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: make the package importable
    sys.path.insert(0, str(ROOT))

from benchmarks.run import markdown_table, text_table  # noqa: E402

Key = tuple[str, str, str]  # section, case, versus


def load(paths: list[str]) -> dict[Key, dict[str, Any]]:
    """The rows of the runs in ``paths``, by (section, case, versus); later files win."""
    rows: dict[Key, dict[str, Any]] = {}
    for path in paths:
        report = json.loads(Path(path).read_text(encoding="utf-8"))
        for row in report["rows"]:
            rows[row["section"], row["case"], row["versus"]] = row
    return rows


def ratio(row: dict[str, Any] | None) -> str:
    """``1.23x`` and its mark, ``(1.23x)`` without a target, ``-`` where the run has no such row."""
    if row is None:
        return "-"
    shown = f"{row['ratio']:.0f}" if row.get("unit") == "modules" else f"{row['ratio']:.2f}x"
    if row["target"] is None:
        return f"({shown})"
    status, floor = row.get("status", ""), row.get("floor")
    if status == "ok at floor":
        return f"{shown} at floor {floor:.2f}x"
    if status in ("miss", "MISS"):
        return f"{shown} {status}" + ("" if floor is None else f" (floor {floor:.2f}x)")
    return shown


def header(versus: str, rows: list[dict[str, Any]]) -> str:
    """The column title: what is compared with, and its target where every row shares one."""
    targets = {row["target"] for row in rows if row["versus"] == versus} - {None}
    if len(targets) != 1:
        return versus
    (target,) = targets
    return f"{versus} (target {target:.2f}x)"


def tables(
    before: dict[Key, dict[str, Any]],
    after: dict[Key, dict[str, Any]] | None,
    sections: list[str] | None,
    everything: bool,
) -> list[tuple[str, list[list[str]]]]:
    """Per section, the cells of its table (a header line first)."""
    keys = list(before) + [key for key in (after or {}) if key not in before]
    if sections:
        keys = [key for key in keys if key[0] in sections]
    if not everything:
        targeted = {
            (section, versus)
            for (section, _, versus), row in [*before.items(), *(after or {}).items()]
            if row["target"] is not None
        }
        keys = [key for key in keys if (key[0], key[2]) in targeted]
    result = []
    for section in dict.fromkeys(key[0] for key in keys):
        mine = [key for key in keys if key[0] == section]
        columns = list(dict.fromkeys(key[2] for key in mine))
        cases = list(dict.fromkeys(key[1] for key in mine))
        seen = [before[key] for key in mine if key in before]
        seen += [after[key] for key in mine if after and key in after]
        cells = [["case", *(header(versus, seen) for versus in columns)]]
        for case in cases:
            line = [case]
            for versus in columns:
                key = (section, case, versus)
                if key not in before and (after is None or key not in after):
                    line.append("")
                elif after is None:
                    line.append(ratio(before.get(key)))
                else:
                    line.append(f"{ratio(before.get(key))} -> {ratio(after.get(key))}")
            cells.append(line)
        result.append((section, cells))
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.compare",
        description=__doc__.splitlines()[0] if __doc__ else None,
    )
    parser.add_argument("--before", nargs="+", required=True, metavar="JSON")
    parser.add_argument("--after", nargs="+", metavar="JSON")
    parser.add_argument("--markdown", action="store_true", help="Markdown tables, not text")
    parser.add_argument(
        "--section", action="append", metavar="SECTION", help="only this section (repeatable)"
    )
    parser.add_argument("--all", action="store_true", help="also comparisons without a target")
    args = parser.parse_args(argv)
    before = load(args.before)
    after = load(args.after) if args.after else None
    for section, cells in tables(before, after, args.section, args.all):
        if args.markdown:
            print(f"**{section}**\n\n{markdown_table(cells)}\n")
        else:
            print(f"{section}\n{text_table(cells, right=range(1, len(cells[0])))}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
