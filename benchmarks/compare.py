"""Two versions of `kpi` side by side: the same commands, runs interleaved, ratios to the floor.

A change that must not cost speed (a restructure, issue 13) is measured against the commit
before it on the same machine in the same minutes: each round runs the floor (a bare
fastexcel read), then every command with the "before" tree, then with the "after" tree, so
that a busy minute slows both alike. Each version runs from its own source tree
(`PYTHONPATH=TREE/src python -m kpi_tritue …`), so neither needs installing:

    git worktree add /tmp/before <commit>
    python benchmarks/compare.py --before /tmp/before --after . --rows 200000 --runs 7

Prints the medians, the after/before ratio of each command, and each version's ratio to
the floor. Uses the workbook `bench.py` generates and caches in benchmarks/out/.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench  # the sibling script: its workbook, floor and wrapper

COMMANDS: dict[str, list[str]] = {
    "compute": ["compute", "{file}", "--format", "json"],
    "validate": ["validate", "{file}", "--format", "json"],
    "export": ["export", "{file}", "-o", "{work}/gap-{tag}.xlsx"],
    "indicators": ["indicators"],
    "help": ["--help"],
}


def _argv(tree: Path, command: str, file: Path, work: Path, tag: str) -> list[str]:
    words = [w.format(file=file, work=work, tag=tag) for w in COMMANDS[command]]
    return [sys.executable, "-m", "kpi_tritue", *words]


def _measure(argv: list[str], tree: Path | None, out: Path) -> bench.Sample:
    saved = os.environ.get("PYTHONPATH")
    if tree is not None:
        os.environ["PYTHONPATH"] = str(tree / "src")
    try:
        return bench.measure(argv, out)
    finally:
        if saved is None:
            os.environ.pop("PYTHONPATH", None)
        else:
            os.environ["PYTHONPATH"] = saved


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", type=Path, required=True, help="source tree of the old version")
    parser.add_argument("--after", type=Path, required=True, help="source tree of the new version")
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument(
        "--split",
        default=None,
        metavar="UxR",
        help="many files instead: UNITS workbooks of R rows (scripts/make_split.py); "
        "the floor then reads every sheet of every file",
    )
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--commands", default="compute,validate,export,indicators")
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "out")
    options = parser.parse_args(argv)
    commands = [c for c in options.commands.split(",") if c]
    unknown = sorted(set(commands) - set(COMMANDS))
    if unknown:
        parser.error(f"unknown command(s): {', '.join(unknown)}; known: {', '.join(COMMANDS)}")
    trees = {"before": options.before.resolve(), "after": options.after.resolve()}
    work = options.out / "compare"
    work.mkdir(parents=True, exist_ok=True)
    if options.split:
        units, rows = (int(n) for n in options.split.split("x"))
        file = bench.split_for(units, rows, options.out, print)
        floor_argv = [sys.executable, "-c", bench.FLOOR_ALL, str(file)]
        shape = f"{units:,} files × {rows:,} rows"
    else:
        file = bench.workbook_for(options.rows, options.out, print)
        floor_argv = [sys.executable, "-c", bench.FLOOR, str(file), bench.SHEET]
        shape = f"{options.rows:,} rows"
    bench._warm(file)
    # Each tree's bytecode written first, as `bench.py` writes the installed package's:
    # without it (PYTHONDONTWRITEBYTECODE) every run would compile what it imports.
    for tree in trees.values():
        bench.compile_package(print, tree / "src" / "kpi_tritue")
    walls: dict[str, list[float]] = {"floor": []}
    # CPU seconds (user + system) too: on a shared machine the wall clock also counts the
    # time a process waited for a core.
    cpu: dict[str, list[float]] = {"floor": []}
    for run in range(options.runs):
        sample = _measure(floor_argv, None, work / "floor.out")
        walls["floor"].append(sample.wall)
        cpu["floor"].append(sample.user + sample.sys)
        line = [f"run {run + 1}/{options.runs}: floor {sample.wall:.2f} s"]
        for command in commands:
            for tag, tree in trees.items():
                sample = _measure(
                    _argv(tree, command, file, work, tag), tree, work / f"{command}-{tag}.out"
                )
                if sample.rc not in (0, 1):
                    print(f"{command} ({tag}) exited {sample.rc}: see {work}", file=sys.stderr)
                    return 2
                walls.setdefault(f"{command} {tag}", []).append(sample.wall)
                cpu.setdefault(f"{command} {tag}", []).append(sample.user + sample.sys)
                line.append(f"{command} {tag} {sample.wall:.2f} s")
        print("  ".join(line), flush=True)
    print(f"\n{shape}, medians of {options.runs} interleaved runs")
    for label, figures in (("wall", walls), ("CPU", cpu)):
        floor = statistics.median(figures["floor"])
        print(f"\n{label}: floor (bare fastexcel read) {floor:.2f} s\n")
        print("| command | before | after | after/before | before/floor | after/floor |")
        print("| --- | ---: | ---: | ---: | ---: | ---: |")
        for command in commands:
            before = statistics.median(figures[f"{command} before"])
            after = statistics.median(figures[f"{command} after"])
            print(
                f"| {command} | {before:.2f} s | {after:.2f} s | {after / before:.3f}× "
                f"| {before / floor:.2f}× | {after / floor:.2f}× |"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
