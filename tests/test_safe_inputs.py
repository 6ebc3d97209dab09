"""Inputs that never end or never open, and text inputs (`--targets`, `--baseline`) built to
cost minutes or gigabytes or to crash a parser: each is refused with a sentence.

Anything that would block (a FIFO) runs in a subprocess with a timeout, so that a
regression fails the test instead of hanging the suite.
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from kpi_tritue.catalog.model import MAX_ERRORS_SHOWN, CatalogError
from kpi_tritue.cli import app
from kpi_tritue.compute.baseline import BaselineError, delta, load_baseline
from kpi_tritue.contract.text_inputs import (
    DEFAULT_NESTING,
    TARGETS_LIMIT,
    UnsafeInput,
    check_toml_structure,
)
from kpi_tritue.io.inputs import expand_inputs
from kpi_tritue.io.option_files import load_targets
from kpi_tritue.io.safe_files import LONGEST_PATH_SHOWN, path_problem, read_capped
from kpi_tritue.model.results import Status
from kpi_tritue.render.terminal import dumps
from test_gate import result

SAMPLE = Path(__file__).parent.parent / "data" / "samples" / "ha_tinh_2024.xlsx"
CATALOG = Path(__file__).parent.parent / "src" / "kpi_tritue" / "catalog" / "ha_tinh_2030.toml"
DEV_ZERO = Path("/dev/zero")
runner = CliRunner()

needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
needs_dev_zero = pytest.mark.skipif(not DEV_ZERO.exists(), reason="no /dev/zero here")


def fifo(path: Path) -> Path:
    os.mkfifo(path)
    return path


def kpi(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """`kpi` in its own process: a read that blocks fails the test by its timeout."""
    return subprocess.run(
        [sys.executable, "-m", "kpi_tritue", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, "COLUMNS": "200", "NO_COLOR": "1"},
    )


def catalog_with(tmp_path: Path, old: str, new: str) -> Path:
    source = CATALOG.read_text(encoding="utf-8")
    assert old in source
    path = tmp_path / "plan.toml"
    path.write_text(source.replace(old, new, 1), encoding="utf-8")
    return path


# ---------------------------------------------------------------------------------------
# What a path names: only regular files are read


@needs_fifo
def test_a_fifo_or_a_symlink_to_one_is_not_a_regular_file(tmp_path: Path) -> None:
    pipe = fifo(tmp_path / "pipe.xlsx")
    link = tmp_path / "link.xlsx"
    link.symlink_to(pipe)
    for path in (pipe, link):
        problem = path_problem(path, folder_ok=True)
        assert problem is not None and problem.code == "not_regular"


def test_regular_files_and_symlinks_to_them_are_fine(tmp_path: Path) -> None:
    real = tmp_path / "a.toml"
    real.write_text("x = 1\n", encoding="utf-8")
    link = tmp_path / "b.toml"
    link.symlink_to(real)
    assert path_problem(real, folder_ok=False) is None
    assert path_problem(link, folder_ok=False) is None
    assert path_problem(tmp_path, folder_ok=True) is None
    folder = path_problem(tmp_path, folder_ok=False)
    assert folder is not None and folder.code == "not_regular"
    loop = tmp_path / "loop.toml"
    loop.symlink_to(loop)
    looping = path_problem(loop, folder_ok=False)
    assert looping is not None and looping.code == "unreadable"
    missing = path_problem(tmp_path / "nope.toml", folder_ok=False)
    assert missing is not None and missing.code == "missing"


@needs_dev_zero
def test_dev_zero_is_refused_before_a_byte_is_read() -> None:
    with pytest.raises(UnsafeInput) as caught:
        read_capped(DEV_ZERO, TARGETS_LIMIT)
    # Without the check, the cap would stop the read but call it too big.
    assert caught.value.code == "not_regular"


@needs_fifo
def test_a_fifo_swapped_in_after_the_check_is_opened_without_blocking(tmp_path: Path) -> None:
    pipe = fifo(tmp_path / "pipe.toml")
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from kpi_tritue.contract.text_inputs import TARGETS_LIMIT, UnsafeInput\n"
        "from kpi_tritue.io import safe_files\n"
        "safe_files.path_problem = lambda path, folder_ok: None\n"  # the check lost the race
        "try:\n"
        "    safe_files.read_capped(Path(sys.argv[1]), TARGETS_LIMIT)\n"
        "except UnsafeInput as problem:\n"
        "    print(problem.code)\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", script, str(pipe)], capture_output=True, text=True, timeout=30
    )
    assert run.stdout.strip() == "not_regular", run.stderr


def test_a_text_input_is_read_up_to_its_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KPI_MAX_TARGETS_KB", "1")
    path = tmp_path / "plan.toml"
    path.write_bytes(b"#" * 1024)
    assert read_capped(path, TARGETS_LIMIT) == b"#" * 1024
    path.write_bytes(b"#" * 1025)
    with pytest.raises(UnsafeInput) as caught:
        read_capped(path, TARGETS_LIMIT)
    assert caught.value.code == "too_big"
    for lang in ("vi", "en"):
        message = caught.value.message(lang)
        assert "1 KB" in message and "KPI_MAX_TARGETS_KB=4" in message


@needs_fifo
@needs_dev_zero
def test_a_folder_lists_only_regular_workbooks(tmp_path: Path) -> None:
    good = tmp_path / "a.xlsx"
    good.write_bytes(SAMPLE.read_bytes())
    fifo(tmp_path / "pipe.xlsx")
    (tmp_path / "zero.xlsx").symlink_to(DEV_ZERO)
    (tmp_path / "gone.xlsx").symlink_to(tmp_path / "nowhere.xlsx")
    fifo(tmp_path / "pipe.txt")  # not named as a workbook: not an input at all
    files, issues = expand_inputs([str(tmp_path)])
    assert [path.name for path, _ in files] == ["a.xlsx"]
    found = sorted((Path(i.file or "").name, i.code) for i in issues)
    assert found == [
        ("gone.xlsx", "file_not_found"),
        ("pipe.xlsx", "not_a_regular_file"),
        ("zero.xlsx", "not_a_regular_file"),
    ]


def test_a_folder_nested_deeper_than_the_recursion_limit_is_walked(tmp_path: Path) -> None:
    levels = [tmp_path / "d"]
    for _ in range(1199):  # more levels than Python's recursion limit of 1000
        levels.append(levels[-1] / "d")
    try:
        made = []
        try:
            for level in levels:
                level.mkdir()
                made.append(level)
        except OSError:
            pytest.skip("the file system refuses so deep a path")
        (made[-1] / "a.xlsx").write_bytes(b"x")
        files, _ = expand_inputs([str(tmp_path)])
        assert [path.name for path, _ in files] == ["a.xlsx"]
    finally:
        # From the bottom up: pytest's own clean-up (shutil.rmtree) recurses and fails.
        (levels[-1] / "a.xlsx").unlink(missing_ok=True)
        for level in reversed(made):
            level.rmdir()


@needs_fifo
@pytest.mark.parametrize("option", ["files", "--targets", "--baseline"])
def test_a_fifo_on_the_command_line_is_wrong_usage(tmp_path: Path, option: str) -> None:
    pipe = fifo(tmp_path / ("pipe.xlsx" if option == "files" else "pipe.toml"))
    args = [str(pipe)] if option == "files" else [str(SAMPLE), option, str(pipe)]
    run = kpi("compute", *args, "--lang", "en")
    assert run.returncode == 2, run.stderr
    assert "is not a regular file" in run.stderr and str(pipe.name) in run.stderr
    assert "Traceback" not in run.stderr


@needs_dev_zero
@pytest.mark.parametrize("option", ["files", "--targets", "--baseline"])
def test_dev_zero_on_the_command_line_is_wrong_usage(option: str) -> None:
    args = [str(DEV_ZERO)] if option == "files" else [str(SAMPLE), option, str(DEV_ZERO)]
    result = runner.invoke(app, ["compute", *args])
    assert result.exit_code == 2
    assert "không phải là tệp thông thường" in result.stderr


def test_a_folder_as_targets_is_wrong_usage(tmp_path: Path) -> None:
    result = runner.invoke(app, ["indicators", "--targets", str(tmp_path), "--lang", "en"])
    assert result.exit_code == 2
    assert "is not a regular file" in result.stderr


# ---------------------------------------------------------------------------------------
# TOML bounded before it is parsed


def test_a_key_of_many_parts_is_refused_before_the_parser_sees_it(tmp_path: Path) -> None:
    # Python's TOML parser holds every prefix of a dotted key: 50,000 parts ask for 10 GB.
    path = tmp_path / "plan.toml"
    path.write_text("a" + "".join(f".k{i}" for i in range(5000)) + " = 1\n", encoding="utf-8")
    with pytest.raises(CatalogError) as caught:
        load_targets(path)
    assert caught.value.problem is not None
    assert caught.value.problem.code == "too_many_parts"
    message = caught.value.message("en")
    assert "line 1:" in message and "KPI_MAX_NESTING" in message


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ("x = " + "[" * 2000 + "]" * 2000, "too_deep"),  # RecursionError in the parser
        ("x = " + "{a = " * 2000 + "}" * 2000, "too_deep"),
        ("x = 1" + "0" * 5000, "number_too_long"),  # past Python's 4,300 digits: ValueError
        ("x = 0x" + "F" * 5000, "number_too_long"),
    ],
)
def test_nesting_and_long_numbers_are_refused_with_their_line(
    tmp_path: Path, body: str, code: str
) -> None:
    path = tmp_path / "plan.toml"
    path.write_text('id = "x"\n' + body + "\n", encoding="utf-8")
    with pytest.raises(CatalogError) as caught:
        load_targets(path)
    assert caught.value.problem is not None and caught.value.problem.code == code
    assert caught.value.message("vi").splitlines()[1].startswith("- dòng 2: ")


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("factor = 10000", "factor = inf"),
        ("value = 14,", "value = nan,"),
        ("value = 14,", "value = -inf,"),
    ],
)
def test_inf_and_nan_in_a_catalog_are_errors_at_their_place(
    tmp_path: Path, old: str, new: str
) -> None:
    path = catalog_with(tmp_path, old, new)
    with pytest.raises(CatalogError) as caught:
        load_targets(path)
    where = "factor" if "factor" in old else "target.value"
    assert caught.value.errors == [
        (f"indicators[doctors_per_10k].{where}", "Input should be a finite number")
    ]


@pytest.mark.parametrize(
    ("old", "new"),
    [("factor = 10000", "factor = 1e300"), ("factor = 10000", "factor = 1e-300")],
)
def test_numbers_that_would_overflow_a_computation_are_errors(
    tmp_path: Path, old: str, new: str
) -> None:
    path = catalog_with(tmp_path, old, new)
    with pytest.raises(CatalogError) as caught:
        load_targets(path)
    assert [loc for loc, _ in caught.value.errors] == ["indicators[doctors_per_10k].factor"]


def test_thousands_of_errors_are_listed_as_the_first_few_and_a_count(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "plan.toml"
    path.write_text("".join(f"k{i}.x = 1\n" for i in range(5000)), encoding="utf-8")
    with pytest.raises(CatalogError) as caught:
        load_targets(path)
    error = caught.value
    assert len(error.errors) == MAX_ERRORS_SHOWN
    assert error.total == 5004  # four fields missing, 5,000 not allowed
    lines = error.message("en").splitlines()
    assert len(lines) == 1 + MAX_ERRORS_SHOWN + 1
    assert (
        lines[-1] == f"… and {5004 - MAX_ERRORS_SHOWN} more error(s) (only the first 20 are shown)."
    )


def test_a_targets_file_over_its_limit_exits_3_naming_the_limit(tmp_path: Path) -> None:
    path = tmp_path / "plan.toml"
    path.write_text("# " + "x" * (TARGETS_LIMIT.bytes()) + "\n", encoding="utf-8")
    result = runner.invoke(app, ["indicators", "--targets", str(path), "--lang", "en"])
    assert result.exit_code == 3
    assert "256 KB" in result.stderr and "KPI_MAX_TARGETS_KB" in result.stderr


def test_too_many_indicators_are_refused_before_validation(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KPI_MAX_INDICATORS", "3")
    path = tmp_path / "plan.toml"
    path.write_text('id = "x"\n' + "[[indicators]]\n" * 4, encoding="utf-8")
    with pytest.raises(CatalogError) as caught:
        load_targets(path)
    assert "KPI_MAX_INDICATORS" in caught.value.message("vi")


def test_a_catalog_of_too_many_values_is_refused_before_validation(tmp_path: Path) -> None:
    # 87,000 empty tables fit in 256 KB: 261,000 validation errors, 6 s, without the limit.
    path = tmp_path / "plan.toml"
    path.write_text('id = "x"\nmilestones = [' + "{}," * 80_000 + "]\n", encoding="utf-8")
    with pytest.raises(CatalogError) as caught:
        load_targets(path)
    assert caught.value.problem is not None
    assert caught.value.problem.code == "too_many_values"
    assert "KPI_MAX_TARGETS_VALUES" in caught.value.message("en")


def test_catalog_errors_in_the_users_language(tmp_path: Path) -> None:
    path = catalog_with(tmp_path, "factor = 10000", "factor = inf")
    vi = runner.invoke(app, ["indicators", "--targets", str(path)])
    en = runner.invoke(app, ["indicators", "--targets", str(path), "--lang", "en"])
    assert vi.exit_code == en.exit_code == 3
    assert "Danh mục chỉ tiêu không hợp lệ" in vi.stderr and "invalid" not in vi.stderr
    assert "Invalid indicator catalog" in en.stderr and "không hợp lệ" not in en.stderr


# The scan that bounds a TOML file must agree with the parser: text inside strings and
# comments never counts, and a dotted key counts its parts however it is spaced or quoted.
_TOML_STRINGS = st.one_of(
    st.text().map(lambda s: json.dumps(s)),  # a JSON string is a TOML basic string
    st.text(
        alphabet=st.characters(blacklist_characters="'\n\r", blacklist_categories=["Cs", "Cc"])
    ).map(lambda s: f"'{s}'"),
    st.text(
        alphabet=st.characters(blacklist_characters='\\"', blacklist_categories=["Cs", "Cc"])
    ).map(lambda s: f'"""{s}"""'),
)


@given(_TOML_STRINGS)
def test_strings_never_count_as_keys_or_nesting(literal: str) -> None:
    source = f"a = {literal}\n# {literal.replace(chr(10), ' ')}\n"
    try:
        expected = tomllib.loads(source)
    except tomllib.TOMLDecodeError:
        return  # not a string TOML accepts (a control character): nothing to compare
    check_toml_structure(source + ("b = " + "[" * 20 + literal + "]" * 20 + "\n"))
    assert "a" in expected


_PART = st.one_of(
    st.from_regex(r"[A-Za-z0-9_-]{1,4}", fullmatch=True),
    st.text(alphabet="abc .[]{}#=", max_size=4).map(lambda s: json.dumps(s)),
)


@given(st.lists(_PART, min_size=1, max_size=2 * DEFAULT_NESTING), st.sampled_from(["", " ", "\t"]))
def test_a_dotted_key_counts_its_parts_however_written(parts: list[str], blank: str) -> None:
    key = f"{blank}.{blank}".join(parts)
    source = f"[t]\n{key} = 1\n"
    if len(parts) <= DEFAULT_NESTING:
        check_toml_structure(source)
        assert "t" in tomllib.loads(source)  # and the parser takes it: the scan agrees
    else:
        with pytest.raises(UnsafeInput) as caught:
            check_toml_structure(source)
        assert caught.value.code == "too_many_parts" and caught.value.line == 2


def test_the_plans_catalog_passes_the_scan() -> None:
    check_toml_structure(CATALOG.read_text(encoding="utf-8"))


# ---------------------------------------------------------------------------------------
# --baseline: strict JSON, in the user's language


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("NaN", "not_finite"),
        ("Infinity", "not_finite"),
        ("-Infinity", "not_finite"),
        ("1e999", "not_finite"),
        ("1" + "0" * 5000, "number_too_long"),
    ],
)
def test_a_baseline_number_that_is_not_a_finite_short_number(
    tmp_path: Path, value: str, code: str
) -> None:
    path = tmp_path / "prev.json"
    path.write_text('{"indicators": [{"id": "a", "value": ' + value + "}]}", encoding="utf-8")
    with pytest.raises(BaselineError) as caught:
        load_baseline(path)
    assert caught.value.problem is not None and caught.value.problem.code == code


def test_a_deeply_nested_baseline(tmp_path: Path) -> None:
    path = tmp_path / "prev.json"
    path.write_text('{"indicators": ' + "[" * 100_000 + "]" * 100_000 + "}", encoding="utf-8")
    with pytest.raises(BaselineError) as caught:
        load_baseline(path)
    assert caught.value.problem is not None and caught.value.problem.code == "json_too_deep"


def test_a_baseline_of_too_many_indicators(tmp_path: Path) -> None:
    path = tmp_path / "prev.json"
    path.write_text(json.dumps({"indicators": [{}] * 301}), encoding="utf-8")
    with pytest.raises(BaselineError, match="KPI_MAX_INDICATORS"):
        load_baseline(path)


def test_a_baseline_with_thousands_of_problems_lists_a_few(tmp_path: Path) -> None:
    path = tmp_path / "prev.json"
    path.write_text(json.dumps({"indicators": [{"value": "x"}] * 200}), encoding="utf-8")
    with pytest.raises(BaselineError) as caught:
        load_baseline(path)
    assert len(caught.value.bullets) == 20 and caught.value.total == 400


def test_two_far_apart_values_give_no_delta_rather_than_infinity(tmp_path: Path) -> None:
    path = tmp_path / "prev.json"
    path.write_text(json.dumps({"indicators": [{"id": "a", "value": -1.7e308}]}), "utf-8")
    baseline = load_baseline(path)
    assert baseline.values["a"] == -1.7e308
    # 1.7e308 − (−1.7e308) is past a float's range: no change rather than infinity.
    assert delta(baseline, result("a", Status.MET, 1.7e308)) is None
    assert delta(baseline, result("a", Status.MET, 1.0)) == 1.7e308


def test_a_bad_baseline_speaks_the_users_language(tmp_path: Path) -> None:
    path = tmp_path / "prev.json"
    path.write_text('{"foo": 1}', encoding="utf-8")
    vi = runner.invoke(app, ["compute", str(SAMPLE), "--baseline", str(path)])
    en = runner.invoke(app, ["compute", str(SAMPLE), "--baseline", str(path), "--lang", "en"])
    assert vi.exit_code == en.exit_code == 3
    assert "không phải kết quả của kpi compute" in vi.stderr and "not a result" not in vi.stderr
    assert "not a result of kpi compute" in en.stderr and "không phải" not in en.stderr
    assert "indicators: Field required" in en.stderr
    path.write_text("{not json", encoding="utf-8")
    en = runner.invoke(app, ["compute", str(SAMPLE), "--baseline", str(path), "--lang", "en"])
    assert en.exit_code == 3 and "the file is not JSON" in en.stderr
    path.write_bytes(b'{"indicators": [], "tool": "S\xf4"}')
    vi = runner.invoke(app, ["compute", str(SAMPLE), "--baseline", str(path)])
    assert vi.exit_code == 3 and "UTF-8" in vi.stderr


# ---------------------------------------------------------------------------------------
# JSON output is strict


def test_no_json_output_holds_a_bare_nan_or_infinity() -> None:
    for number in (math.nan, math.inf, -math.inf):
        with pytest.raises(ValueError, match="JSON compliant"):
            dumps({"value": number})
    assert json.loads(dumps({"value": 1.5})) == {"value": 1.5}


@pytest.mark.parametrize("command", ["validate", "export", "annotate"])
def test_a_path_longer_than_any_file_s_is_said_cut_in_the_middle(
    command: str, tmp_path: Path
) -> None:
    """A path of 100,000 characters names nothing: what is said of it stays bounded, its
    start and end shown."""
    sample = Path(__file__).parent.parent / "data" / "samples" / "ha_tinh_2024.xlsx"
    long = "d" * 50_000 + "e" * 50_000 + ".xlsx"
    args = {
        "validate": ["validate", long],
        "export": ["export", str(sample), "-o", long],
        "annotate": ["validate", str(sample), "--annotate", long],
    }[command]
    result = runner.invoke(app, args, env={"COLUMNS": "80"})
    assert result.exit_code == 2, result.output
    said = "".join(result.stderr.split()).replace("│", "")
    assert "d" * 2000 in said and "e" * 2000 in said and "…" in said
    assert len(result.stderr) < 2 * LONGEST_PATH_SHOWN


@pytest.mark.parametrize(
    "args",
    [
        ["compute", "SAMPLE", "--as-of", "LONG"],
        ["explain", "LONG", "SAMPLE"],
        ["indicators", "LONG"],
        ["check", "SAMPLE", "--fail-on", "LONG"],
    ],
)
def test_a_value_of_100_000_characters_is_quoted_cut(args: list[str]) -> None:
    """An option's value or an id typed at any length: the message quotes its start."""
    sample = str(Path(__file__).parent.parent / "data" / "samples" / "ha_tinh_2024.xlsx")
    long = "z" * 100_000
    given = [{"SAMPLE": sample, "LONG": long}.get(arg, arg) for arg in args]
    result = runner.invoke(app, given, env={"COLUMNS": "80"})
    assert result.exit_code == 2, result.output
    said = "".join(result.output.split()).replace("│", "")
    assert "z" * 70 in said and "z" * 81 not in said and "…" in said
    assert len(result.output) < 3_000
