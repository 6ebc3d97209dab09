"""Write the December cycle's shape: one workbook per unit, and the same rows as one file.

From the seeded generator the benchmarks use (`benchmarks/bench.py`, `workforce_workbook`),
`UNITS` units of `ROWS` people each are drawn once, then written twice:

- `split_<U>x<R>_s<seed>_v<version>/unit-0001.xlsx` … one workbook per unit: `ThongTin`
  (the report year, the date of the data and the unit as the reporting unit), its people
  in `NhanSu` and its own row of `DonVi`; the first unit's workbook also holds the
  province's sheets (`SoLieu`, `KipChuyenSau`, `MocCongViec`), as the Sở Nội vụ's own
  return would;
- `consolidated_<U>x<R>_s<seed>_v<version>.xlsx`: every sheet in one workbook.

The two give the same results, indicator by indicator (tests/test_split.py checks it on
a small set). The same seed writes the same bytes; a set already written is kept.

Usage, from the repository root:

    python scripts/make_split.py --units 200 --rows 1000 [--out benchmarks/out] [--seed 2024]
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

import bench  # the generator and the SpreadsheetML writer of the benchmarks

# Bump when what is written changes, to invalidate the cached sets.
SPLIT_VERSION = 1
# The sheets of the province as a whole, in the first unit's workbook.
PROVINCE_SHEETS = ("SoLieu", "KipChuyenSau", "MocCongViec")


def names(units: int, rows: int, seed: int = bench.SEED) -> tuple[str, str]:
    """The folder of the split set and the name of the consolidated workbook."""
    tag = f"{units}x{rows}_s{seed}_v{bench.FORMAT_VERSION}.{SPLIT_VERSION}"
    return f"split_{tag}", f"consolidated_{tag}.xlsx"


def _rows(values: Any, start: int, stop: int) -> Any:
    if isinstance(values, bench.Dates):
        return bench.Dates(values.serials[start:stop])
    return values[start:stop]


def unit_sheets(
    sheets: dict[str, list[bench.Column]], unit: int, rows: int
) -> dict[str, list[bench.Column]]:
    """The sheets of unit `unit` (0-based): its people are rows unit*rows … (unit+1)*rows."""
    import numpy as np

    start, stop = unit * rows, (unit + 1) * rows
    units = dict(sheets["DonVi"])
    name = units["Đơn vị"][unit]
    info = [
        ("Mục", sheets["ThongTin"][0][1]),
        ("Giá trị", np.array([*sheets["ThongTin"][1][1][:2], name], dtype=object)),
    ]
    own: dict[str, list[bench.Column]] = {
        "ThongTin": info,
        bench.SHEET: [(h, _rows(v, start, stop)) for h, v in sheets[bench.SHEET]],
        "DonVi": [(h, v[unit : unit + 1]) for h, v in sheets["DonVi"]],
    }
    if unit == 0:
        own.update({key: sheets[key] for key in PROVINCE_SHEETS})
    return own


def write_split(
    units: int, rows: int, out: Path, seed: int = bench.SEED, log: Any = print
) -> tuple[Path, Path]:
    """Write (if not there yet) the split set and its consolidated workbook; their paths."""
    folder_name, file_name = names(units, rows, seed)
    folder, consolidated = out / folder_name, out / file_name
    done = folder / ".complete"
    if done.exists() and consolidated.exists():
        return folder, consolidated
    sheets = bench.workforce_workbook(units * rows, seed, units=units)
    out.mkdir(parents=True, exist_ok=True)
    bench.write_workbook(consolidated, sheets)
    folder.mkdir(parents=True, exist_ok=True)
    width = max(4, len(str(units)))
    for unit in range(units):
        bench.write_workbook(
            folder / f"unit-{unit + 1:0{width}d}.xlsx", unit_sheets(sheets, unit, rows)
        )
    done.write_text(f"{units} units × {rows} rows, seed {seed}\n")
    log(f"  wrote {folder.name}/ ({units} files) and {consolidated.name}")
    return folder, consolidated


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--units", type=int, default=200, help="workbooks, one per unit")
    parser.add_argument("--rows", type=int, default=1000, help="people in each unit")
    parser.add_argument("--seed", type=int, default=bench.SEED)
    parser.add_argument("--out", type=Path, default=bench.DEFAULT_OUT)
    options = parser.parse_args(argv)
    if options.units < 1 or options.rows < 1:
        parser.error("--units and --rows must be at least 1")
    folder, consolidated = write_split(options.units, options.rows, options.out, options.seed)
    print(folder)
    print(consolidated)
    return 0


if __name__ == "__main__":
    sys.exit(main())
