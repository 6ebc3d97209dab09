"""Every hostile or broken input, run as a user would: exit code, time and peak memory.

Each file of the corpus (default: tests/data/bad/) goes through `kpi validate FILE` and
`kpi compute FILE --format json` in a fresh process, under a memory cap and a time-out that
protect the machine (a reader that asks for 549 GB then fails at once instead of
swapping). For each run it records the exit code, the wall time, the child's peak RSS, and
whether stderr holds a traceback or stdout/stderr a control character. It prints one line
per run, a verdict against issue 12's promise (every input ends in ≤ 10 s and ≤ 1 GiB with
exit 0-3, no traceback, no abort), and the worst case.

Usage, from the repository root:

    python benchmarks/hostile.py                      # the corpus in tests/data/bad/
    python benchmarks/hostile.py DIR_OR_FILE... [--timeout 60] [--cap-gib 4]

No figure here is asserted by a test: the machine is shared and timings are noisy.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = ROOT / "tests" / "data" / "bad"
SECONDS_PROMISED = 10.0
MIB_PROMISED = 1024.0
EXIT_CODES_ALLOWED = frozenset({0, 1, 2, 3})
# A control character other than tab and newline (CR is rich's, but never ours).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")

# Runs the command under a memory cap and reports its wall time and peak RSS as JSON.
WRAPPER = """\
import json, resource, subprocess, sys, time
out, err, argv = sys.argv[1], sys.argv[2], sys.argv[5:]
cap, timeout = int(sys.argv[3]), float(sys.argv[4])
def limit():
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
start = time.perf_counter()
with open(out, "wb") as o, open(err, "wb") as e:
    child = subprocess.Popen(argv, stdout=o, stderr=e, stdin=subprocess.DEVNULL, preexec_fn=limit)
    timed_out = False
    try:
        child.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        child.kill()
        child.wait()
        timed_out = True
wall = time.perf_counter() - start
print(json.dumps({"wall": wall, "rss_kib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
                  "rc": child.returncode, "timed_out": timed_out}))
"""


@dataclass(frozen=True)
class Run:
    file: str
    command: str
    rc: int
    wall: float
    mib: float
    timed_out: bool
    traceback: bool
    control: bool

    @property
    def kept_promise(self) -> bool:
        return (
            self.rc in EXIT_CODES_ALLOWED
            and not self.timed_out
            and not self.traceback
            and not self.control
            and self.wall <= SECONDS_PROMISED
            and self.mib <= MIB_PROMISED
        )


def kpi_executable() -> str:
    beside = Path(sys.executable).with_name("kpi")
    if beside.exists():
        return str(beside)
    found = shutil.which("kpi")
    if found is None:
        sys.exit("kpi is not installed: pip install -e '.[test]'")
    return found


def run_one(kpi: str, path: Path, command: str, cap: int, timeout: float) -> Run:
    argv = [kpi, command, str(path)] + (["--format", "json"] if command == "compute" else [])
    with tempfile.TemporaryDirectory(prefix="kpi-hostile-") as scratch:
        out, err = Path(scratch, "out"), Path(scratch, "err")
        done = subprocess.run(
            [sys.executable, "-c", WRAPPER, str(out), str(err), str(cap), str(timeout), *argv],
            capture_output=True,
            text=True,
            check=True,
            cwd=scratch,
        )
        figures = json.loads(done.stdout)
        stdout = out.read_bytes().decode("utf-8", "replace")
        stderr = err.read_bytes().decode("utf-8", "replace")
        leftovers = [p.name for p in Path(scratch).iterdir() if p.name not in {"out", "err"}]
    if leftovers:
        stderr += f"\n[left behind: {leftovers}]"
    return Run(
        file=path.name,
        command=command,
        rc=int(figures["rc"]),
        wall=float(figures["wall"]),
        mib=figures["rss_kib"] / 1024,
        timed_out=bool(figures["timed_out"]),
        traceback="Traceback" in stderr or "panicked" in stderr,
        control=bool(_CONTROL.search(stdout)) or bool(_CONTROL.search(stderr)),
    )


def corpus_files(targets: Sequence[str]) -> list[Path]:
    found: list[Path] = []
    for target in targets or [str(DEFAULT_CORPUS)]:
        path = Path(target).resolve()  # each run starts in a scratch folder of its own
        if path.is_dir():
            found.extend(sorted(p for p in path.iterdir() if p.is_file()))
        else:
            found.append(path)
    return found


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("targets", nargs="*", help="corpus folders or files")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds before a kill")
    parser.add_argument("--cap-gib", type=float, default=4.0, help="address-space cap")
    parser.add_argument("--commands", default="validate,compute")
    args = parser.parse_args(argv)
    kpi = kpi_executable()
    cap = int(args.cap_gib * 2**30)
    runs: list[Run] = []
    print(f"{'file':<36} {'command':<9} {'exit':>4} {'s':>6} {'MiB':>7}  verdict")
    for path in corpus_files(args.targets):
        for command in args.commands.split(","):
            run = run_one(kpi, path, command, cap, args.timeout)
            runs.append(run)
            flags = [
                name
                for name, bad in (
                    ("TIMEOUT", run.timed_out),
                    ("TRACEBACK", run.traceback),
                    ("CONTROL-CHAR", run.control),
                    (f"EXIT {run.rc}", run.rc not in EXIT_CODES_ALLOWED),
                    ("SLOW", run.wall > SECONDS_PROMISED),
                    ("MEMORY", run.mib > MIB_PROMISED),
                )
                if bad
            ]
            verdict = "ok" if not flags else " ".join(flags)
            print(
                f"{run.file[:36]:<36} {run.command:<9} {run.rc:>4} {run.wall:>6.2f} "
                f"{run.mib:>7.0f}  {verdict}",
                flush=True,
            )
    if not runs:
        print("no input found")
        return 2
    slowest = max(runs, key=lambda r: r.wall)
    largest = max(runs, key=lambda r: r.mib)
    broken = [r for r in runs if not r.kept_promise]
    print(
        f"\n{len(runs)} runs over {len({r.file for r in runs})} files; "
        f"{len(runs) - len(broken)} kept the promise, {len(broken)} did not."
    )
    print(f"slowest: {slowest.file} ({slowest.command}) {slowest.wall:.2f} s")
    print(f"largest: {largest.file} ({largest.command}) {largest.mib:.0f} MiB")
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())
