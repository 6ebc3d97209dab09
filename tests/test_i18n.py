"""The i18n layer: one lookup over tables in which every key has both languages."""

from __future__ import annotations

import ast
import re
from collections import Counter
from pathlib import Path

import pytest

import kpi_tritue
from kpi_tritue.i18n import ISSUE_MESSAGES, LANGS, TABLES, TEXT, issue_message, text
from kpi_tritue.io import shards


def test_every_key_of_every_table_has_both_languages() -> None:
    rows = [*ISSUE_MESSAGES.items(), *(item for table in TABLES for item in table.items())]
    assert len(rows) > 100
    missing = [key for key, row in rows if any(not row.get(lang, "").strip() for lang in LANGS)]
    assert missing == []


def test_no_two_tables_share_a_key() -> None:
    counts = Counter(key for table in TABLES for key in table)
    assert len(counts) == len(TEXT)
    assert [key for key, count in counts.items() if count > 1] == []


def test_text_fills_placeholders_and_shows_a_missing_one_as_a_question_mark() -> None:
    """`None`, and a placeholder not given, read as `?`; the others as given."""
    assert text("gate.bad_fail_on", "en", value="met", allowed="no_data") == (
        "--fail-on: `met` is not a status the gate can fail on. Use one or more of: no_data "
        "(separated by commas)."
    )
    assert text("gate.bad_fail_on", "en", value=None) == (
        "--fail-on: `?` is not a status the gate can fail on. Use one or more of: ? "
        "(separated by commas)."
    )
    assert issue_message("no_such_code", "en", {"value": 1}) == "no_such_code"


@pytest.mark.parametrize("lang", LANGS)
def test_an_unknown_issue_code_reads_as_itself(lang: str) -> None:
    assert issue_message("no_such_code", lang, {}) == "no_such_code"  # type: ignore[arg-type]


# ---------------------------------------------------------------------------------------
# Every user-visible sentence lives in i18n/ (issue 13, rule 4): an AST scan of the source

SOURCE = Path(kpi_tritue.__file__).parent

# Modules whose sentences other helpers of issue 13 are still moving into i18n/. The scan
# skips them, and fails once one of them is clean, so that the lead empties this set as the
# branches merge.
PENDING_MODULES: set[str] = set()

# Whole modules whose words are not the tool's sentences.
ALLOWED_MODULES = {
    # The input contract's own words: sheet names, headers and their aliases, list values
    # and their synonyms, yes/no spellings, each column's note; what users type, described
    # where it is specified (and written out by render/contract_doc.py).
    "contract/",
    # Character tables of the legacy Vietnamese encodings (TCVN3, VNI), not words.
    "io/legacy_text.py",
}

# Single literals that look like sentences and are not, with the reason.
shards_start = shards._START
ALLOWED: dict[str, set[str]] = {
    # Input headers and labels as they read once folded (lower case, no marks): the words
    # that users write in their workbooks, matched, never shown.
    "io/headers.py": {"so tt", "so thu tu", "ghi chu"},
    "io/workforce.py": {"giao vien"},
    "io/workbook.py": {"thong tin", "cong cu"},
    # Technical details of an unreadable sheet, shown as an OSError's text would be.
    "io/reader.py": {"worksheet part not found", "far cells could not be left out"},
    # The program a worker process starts with (Python code, never shown).
    "io/shards.py": {shards_start},
    # The ASCII fallback of `đ` for a terminal that cannot show it.
    "render/streams.py": {"đ", "Đ"},
    # The tags of the catalog's measure kinds, for pydantic's union (kept out of messages).
    "catalog/measures.py": {"count measure", "figure measure", "sum measure", "subset measure"},
    # An Excel number format.
    "render/xlsx_report.py": {"dd/mm/yyyy hh:mm:ss"},
    # Click's English sentences, matched to take the value they quote (never shown as such).
    "cli/usage.py": {
        "^'(?P<value>.*)' is not one of ",
        "^'(?P<value>.*)' is not a valid (?:float|integer)",
        "^Got unexpected extra arguments?(?:\\(s\\))? \\((?P<value>.*)\\)$",
        "^No such command '(?P<value>.*?)'\\.(?: Did you mean '(?P<maybe>.*)'\\?)?$",
        "requires an argument.",
    },
    # The separators of a position's parts (`kiêm`: "and also"), matched, never shown.
    "catalog/roles.py": {
        "[,;\\-\\u2013]|(?<!\\w)kiêm(?!\\w)",
    },
    # The XML declaration of the JUnit file.
    "render/gate.py": {'<?xml version="1.0" encoding="UTF-8"?>\n'},
}

_VIETNAMESE = re.compile(
    "[àáảãạăắằẳẵặâấầẩẫậèéẻẽẹêếềểễệìíỉĩịòóỏõọôốồổỗộơớờởỡợùúủũụưứừửữựỳýỷỹỵđ]", re.IGNORECASE
)
_ENGLISH = re.compile(r"\b[A-Za-z][a-z]+,? [a-z]{2,}\b")  # two words side by side
# A rich style (`bold red`) is not a sentence.
_STYLE = re.compile(r"(?:(?:bold|dim|italic|underline|not|red|green|yellow|cyan|blue) ?)+")


def _modules() -> list[tuple[str, ast.Module]]:
    found = []
    for path in sorted(SOURCE.rglob("*.py")):
        name = path.relative_to(SOURCE).as_posix()
        if not name.startswith("i18n/"):
            found.append((name, ast.parse(path.read_text("utf-8"), filename=name)))
    return found


def _kpi_errors(modules: list[tuple[str, ast.Module]]) -> set[str]:
    """`KpiError` and its subclasses: the errors users read, whose messages are i18n keys."""
    classes = [
        node for _, tree in modules for node in ast.walk(tree) if isinstance(node, ast.ClassDef)
    ]
    names = {"KpiError"}
    while True:
        more = {c.name for c in classes if any(ast.unparse(b) in names for b in c.bases)}
        if more <= names:
            return names
        names |= more


def _is_command(node: ast.AST) -> bool:
    """A Typer command or callback, whose docstring is the help users read."""
    decorators = getattr(node, "decorator_list", [])
    return any(
        "app.command" in ast.unparse(d) or "app.callback" in ast.unparse(d) for d in decorators
    )


def _skipped(tree: ast.Module, kpi_errors: set[str]) -> set[int]:
    """The ids of the literals that are not shown to users as sentences: docstrings (but a
    command's, which is its help), and the messages of exceptions raised for a bug or a
    parse fault (but `KpiError`s, which users read)."""
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            first = node.body[0] if node.body else None
            if (
                isinstance(first, ast.Expr)
                and isinstance(first.value, ast.Constant)
                and isinstance(first.value.value, str)
                and not _is_command(node)
            ):
                skipped.add(id(first.value))
        if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call):
            raised = ast.unparse(node.exc.func).rsplit(".", 1)[-1]
            if raised not in kpi_errors:
                skipped |= {id(inner) for arg in node.exc.args for inner in ast.walk(arg)}
    return skipped


def _sentences_in(name: str, tree: ast.Module, kpi_errors: set[str]) -> list[str]:
    """`file:line: literal` of each literal of `tree` that reads as a sentence or a label."""
    skipped = _skipped(tree, kpi_errors)
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Constant) or not isinstance(node.value, str):
            continue
        value = node.value
        if id(node) in skipped or value in ALLOWED.get(name, ()):
            continue
        if _VIETNAMESE.search(value) or (_ENGLISH.search(value) and not _STYLE.fullmatch(value)):
            found.append(f"{name}:{node.lineno}: {value[:60]!r}")
    return found


def _sentences() -> dict[str, list[str]]:
    """module → its sentences, for every module of the package but i18n/ and those allowed."""
    modules = _modules()
    kpi_errors = _kpi_errors(modules)
    found: dict[str, list[str]] = {}
    for name, tree in modules:
        if not any(name.startswith(prefix) for prefix in ALLOWED_MODULES):
            lines = _sentences_in(name, tree, kpi_errors)
            if lines:
                found[name] = lines
    return found


def test_the_scan_finds_sentences_and_labels_but_not_code() -> None:
    planted = ast.parse(
        '''"""A module docstring, not shown."""
import typer
app = typer.Typer()
STYLE = "bold red"
LABEL = "Chỉ tiêu"
SENTENCE = f"There is no {sheet} sheet."
KEY = {"report.title": 1, "by": "unit"}
class Shown(KpiError):
    pass
@app.command()
def validate() -> None:
    """Chỉ đọc và kiểm tra bảng tính."""
def helper(x: int) -> None:
    """Says why, to the reader of the code."""
    if x < 0:
        raise ValueError("x must be positive")
    raise Shown("Không đọc được tệp")
'''
    )
    found = _sentences_in("planted.py", planted, {"KpiError", "Shown"})
    lines = sorted(int(line.split(":")[1]) for line in found)
    # The label, the sentence, the command's help, the message of an error users read.
    assert lines == [5, 6, 12, 17]


def test_every_user_visible_sentence_lives_in_i18n() -> None:
    found = _sentences()
    outside = [
        line for name, lines in found.items() if name not in PENDING_MODULES for line in lines
    ]
    assert outside == [], "sentences outside i18n/ (move them, or allow them with a reason):\n" + (
        "\n".join(outside)
    )


def test_every_pending_module_still_holds_sentences() -> None:
    """A pending module found clean is done: take it out of `PENDING_MODULES`."""
    found = _sentences()
    done = sorted(name for name in PENDING_MODULES if name not in found)
    assert done == [], f"no sentence left in {done}: remove them from PENDING_MODULES"


def test_the_allow_list_names_literals_that_are_there() -> None:
    """An exception that no longer exists is taken off the list."""
    modules = dict(_modules())
    present = {
        name: {n.value for n in ast.walk(modules[name]) if isinstance(n, ast.Constant)}
        for name in ALLOWED
    }
    gone = [f"{name}: {lit!r}" for name, lits in ALLOWED.items() for lit in lits - present[name]]
    gone += [prefix for prefix in ALLOWED_MODULES if not any(m.startswith(prefix) for m in modules)]
    assert gone == []


def test_a_row_without_an_id_is_not_quoted_as_id_question_mark() -> None:
    from kpi_tritue.i18n import issue_message, issue_parts

    for lang in ("vi", "en"):
        with_id = issue_message("required_blank", lang, {"field": "Cấp", "id": "NV1"})
        without = issue_message("required_blank", lang, {"field": "Cấp", "id": "?"})
        assert "NV1" in with_id
        assert "?" not in without and "Cấp" in without
        what, fix = issue_parts("teacher_without_school_level", lang, {"id": "?"})
        assert "?" not in what + fix and fix


def test_a_key_looked_up_alone_is_the_row_of_the_tables_merged() -> None:
    """`TEXT` loads the table a key's first word names (`_TABLE_OF`) and, for a key not
    there, every table: each key, looked up first in a fresh mapping, gives the row the
    tables merged give; a key of no table is in none."""
    from kpi_tritue import i18n

    merged = {key: row for table in TABLES for key, row in table.items()}
    for key, row in merged.items():
        fresh = i18n._Sentences()
        assert fresh[key] is row
        # Found without importing every table: a key lives where its first word says.
        assert fresh._all is None, key
    fresh = i18n._Sentences()
    assert "no.such.key" not in fresh
    assert 1 not in fresh
    with pytest.raises(KeyError):
        fresh["cli.no_such_key"]
    assert dict(fresh) == merged


def test_the_command_line_starts_without_importing_every_table() -> None:
    """Start-up: the command line's own sentences are loaded, not the report's or the
    workbook's (`_TABLE_OF`)."""
    import subprocess
    import sys

    script = (
        "import sys\n"
        "import kpi_tritue.cli\n"
        "from kpi_tritue.i18n import text\n"
        "text('cli.help.version', 'vi')\n"
        "print(sorted(m for m in sys.modules if m.startswith('kpi_tritue.i18n.')))\n"
    )
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    loaded = run.stdout.strip()
    assert "kpi_tritue.i18n.cli" in loaded
    assert "kpi_tritue.i18n.xlsx" not in loaded and "kpi_tritue.i18n.issues" not in loaded
