"""Leadership flags from the position text (official-lists.md, 2; settled 4, 6, 13, 15)."""

from __future__ import annotations

import tomllib
import unicodedata
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine_fixtures import ALL_COLUMNS, CATALOG, Book, person
from kpi_tritue.catalog.model import CatalogError
from kpi_tritue.catalog.reading import parse_catalog, read_catalog
from kpi_tritue.catalog.roles import ROLE_FLAGS, RoleRule, position_key, position_parts
from kpi_tritue.compute.engine import compute
from kpi_tritue.contract.privacy import KnownNames
from kpi_tritue.contract.schema import WORKFORCE
from kpi_tritue.io.dataset import Dataset, load_dataset
from kpi_tritue.io.roles import MAX_UNMATCHED_SHOWN, ROLES, derive_roles
from kpi_tritue.io.sheet_table import SheetTable

RULES = CATALOG.roles
AS_OF = date(2024, 12, 31)
FLAGS = set(ROLE_FLAGS)
# The official list: a position, no flag column.
OFFICIAL = tuple(c for c in ALL_COLUMNS if c not in FLAGS)


def flags_of(position: str, level: str | None = "province") -> set[str]:
    """The flags the shipped rules give a position at a level (the matcher alone)."""
    parts, plain = position_parts(position)
    return {rule.flag for rule in RULES if rule.applies_to(level) and rule.match(parts, plain)}


def load(tmp_path: Path, book: Book, name: str = "ds.xlsx", **options: Any) -> Dataset:
    return load_dataset([str(book.write(tmp_path / name))], as_of=AS_OF, **options)


def issues(dataset: Dataset, code: str) -> list[Any]:
    return [issue for issue in dataset.issues if issue.code == code]


# ---------------------------------------------------------------------------------------
# The matcher


@pytest.mark.parametrize(
    ("position", "level", "expected"),
    [
        ("Giám đốc", "province", {"is_manager"}),
        ("Phó Giám đốc Sở", "province", {"is_manager"}),
        ("Giáo viên - Trường THCS Kỳ Anh", "province", set()),
        ("Giáo viên – Trưởng khoa", "province", {"is_manager"}),
        ("Trường phòng", "province", set()),
        ("Chuyên viên; Phó trưởng phòng", "province", {"is_manager"}),
        ("Chủ tịch UBND huyện", "district", {"is_manager", "is_key_leader"}),
        ("Chủ tịch UBND tỉnh", "province", {"is_manager"}),
        ("Phó Bí thư kiêm Chủ tịch HĐND xã", "commune", {"is_manager", "is_key_leader"}),
        (
            "Ủy viên Ban Thường vụ Huyện ủy, Trưởng Ban Tuyên giáo",
            "district",
            {"is_manager", "is_standing_committee"},
        ),
        ("UỶ VIÊN BTV", "province", {"is_standing_committee"}),
        ("Uv Btv tỉnh ủy", "province", {"is_standing_committee"}),
        ("Pho giam doc kiem Bi thu Chi bo", "district", {"is_manager"}),
        ("Chuyen vien kiem Truong phong", "province", set()),  # `kiem` is also `kiểm`
        ("truong phong", "province", {"is_manager"}),
        ("Chánh Văn phòng", "province", {"is_manager"}),
        ("Chánhvăn phòng", "province", set()),
        ("Kiêm nhiệm Giám đốc", "province", set()),
        ("Chuyên viên kiêm Giám đốc", "province", {"is_manager"}),
        ("Thư ký", "province", set()),
        ("", "province", set()),
    ],
)
def test_positions_match_the_default_rules(position: str, level: str, expected: set[str]) -> None:
    assert flags_of(position, level) == expected


def test_key_leader_needs_a_known_district_or_commune_level() -> None:
    assert flags_of("Bí thư Đảng ủy", None) == {"is_manager"}
    assert flags_of("Bí thư Đảng ủy", "commune") == {"is_manager", "is_key_leader"}


_WORDS = st.sampled_from(
    ["phòng", "sở", "ubnd", "huyện", "xã", "tài chính", "thcs", "y tế", "(tchc)", "văn phòng"]
)
_PHRASES = st.sampled_from(sorted({p for rule in RULES for p in rule.phrases}))
_OTHER = st.sampled_from(
    ["giáo viên", "chuyên viên", "kế toán", "bác sĩ", "nhân viên", "thư ký", "trường thcs"]
)
_SEPARATOR = st.sampled_from([", ", "; ", " - ", " – ", " kiêm ", "-", ","])


def _without_diacritics(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(char for char in decomposed if unicodedata.category(char) != "Mn")


def _styled(text: str, style: int) -> str:
    return [text, text.upper(), text.title(), unicodedata.normalize("NFD", text)][style]


@given(
    phrase=_PHRASES,
    tail=st.lists(_WORDS, max_size=3),
    before=st.lists(_OTHER, max_size=2),
    separator=_SEPARATOR,
    style=st.integers(0, 3),
)
def test_a_phrase_at_the_start_of_any_part_matches_in_any_case(
    phrase: str, tail: list[str], before: list[str], separator: str, style: int
) -> None:
    part = " ".join([phrase, *tail])
    position = _styled(separator.join([*before, part]), style)
    rules = [rule for rule in RULES if phrase in rule.phrases]
    parts, plain = position_parts(position)
    assert all(rule.match(parts, plain) is not None for rule in rules)
    # The same position written without diacritics matches the same rules (but `kiem`
    # joins no parts: it is also `kiểm`).
    plain_parts, is_plain = position_parts(_without_diacritics(position))
    assert is_plain
    if before and "kiêm" in separator:
        return
    assert all(rule.match(plain_parts, is_plain) is not None for rule in rules)


@given(parts=st.lists(st.one_of(_OTHER, _PHRASES), min_size=1, max_size=4), separator=_SEPARATOR)
def test_a_position_has_the_flags_of_its_parts(parts: list[str], separator: str) -> None:
    whole = flags_of(separator.join(parts), "district")
    assert whole == set().union(*(flags_of(part, "district") for part in parts))


@given(phrase=_PHRASES, letter=st.sampled_from(["a", "ở", "g", "1", "\u0301"]))
def test_a_phrase_glued_to_a_letter_is_no_word(phrase: str, letter: str) -> None:
    # `trưởngx` is not `trưởng`: a whole-word prefix only.
    rule = RoleRule(flag="is_manager", phrases=(phrase,))
    parts, plain = position_parts(phrase + letter)
    assert rule.match(parts, plain) is None


@given(text=st.text(max_size=40))
@settings(max_examples=300)
def test_the_matcher_takes_any_text(text: str) -> None:
    parts, _ = position_parts(text)
    assert all(part == part.strip() and part for part in parts)
    flags_of(text)


def test_old_and_new_tone_placement_are_one_spelling() -> None:
    assert position_key("Uỷ viên") == position_key("Ủy viên") == position_key("ỦY VIÊN")
    assert position_key("khoẻ") == position_key("khỏe")
    assert position_key("Trường") != position_key("Trưởng")


# ---------------------------------------------------------------------------------------
# The catalog's [[roles]]


def _catalog_text(roles: str) -> str:
    head = 'id = "x"\nname_vi = "x"\nname_en = "x"\n'
    indicator = (
        '[[indicators]]\nid = "a"\nname_vi = "a"\nname_en = "a"\nclause = "1"\n'
        'field = "cadres"\nunit = "count"\n'
        'numerator = { sheet = "workforce", where = [{ column = "leader", is = true }] }\n'
    )
    return head + roles + indicator


def test_the_shipped_rules_are_the_specs_table() -> None:
    by_flag = {rule.flag: rule for rule in RULES}
    assert set(by_flag) == FLAGS
    assert by_flag["is_key_leader"].levels == ("district", "commune")
    assert by_flag["is_manager"].levels == by_flag["is_standing_committee"].levels == ()
    assert by_flag["is_key_leader"].phrases == ("bí thư", "phó bí thư", "chủ tịch", "phó chủ tịch")
    assert len(by_flag["is_manager"].phrases) == 21
    assert "ủy viên ban thường vụ" in by_flag["is_standing_committee"].phrases


def test_levels_are_read_as_codes_or_labels() -> None:
    text = _catalog_text(
        '[[roles]]\nflag = "is_key_leader"\nlevels = ["district", "Xã"]\nphrases = ["Bí  Thư"]\n'
    )
    (rule,) = read_catalog(text, "x.toml").roles
    assert rule.levels == ("district", "commune")
    assert rule.phrases == ("bí thư",)


@pytest.mark.parametrize(
    ("roles", "where", "says"),
    [
        ('flag = "is_boss"\nphrases = ["giám đốc"]', "roles[0].flag", "is_manager"),
        (
            'flag = "is_manager"\nlevels = ["Quận"]\nphrases = ["giám đốc"]',
            "roles[0].levels",
            "unknown level",
        ),
        ('flag = "is_manager"\nphrases = ["giám đốc - sở"]', "roles[0].phrases", "split"),
        ('flag = "is_manager"\nphrases = ["trưởng kiêm phó"]', "roles[0].phrases", "kiêm"),
        ('flag = "is_manager"\nphrases = ["  "]', "roles[0].phrases", "blank"),
        ('flag = "is_manager"\nphrases = []', "roles[0].phrases", "at least 1"),
        ('flag = "is_manager"', "roles[0].phrases", "Field required"),
        ('flag = "is_manager"\nphrases = ["x"]\nwhere = 1', "roles[0].where", "Extra"),
    ],
)
def test_a_bad_roles_table_is_a_catalog_error(roles: str, where: str, says: str) -> None:
    with pytest.raises(CatalogError) as caught:
        read_catalog(_catalog_text(f"[[roles]]\n{roles}\n"), "bad.toml")
    assert any(loc == where and says in message for loc, message in caught.value.errors), (
        caught.value.errors
    )


def test_a_bad_roles_table_stops_compute_with_the_catalog_exit_code(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from kpi_tritue.cli import app

    targets = tmp_path / "plan.toml"
    targets.write_text(_catalog_text('[[roles]]\nflag = "x"\nphrases = ["a"]\n'), "utf-8")
    data = Book(people=[person(position="Giám đốc")], columns=OFFICIAL).write(tmp_path / "d.xlsx")
    outcome = CliRunner().invoke(app, ["compute", str(data), "--targets", str(targets)])
    assert outcome.exit_code == 3
    assert "roles[0].flag" in outcome.output


# ---------------------------------------------------------------------------------------
# Derivation, file by file


def test_flags_are_derived_where_the_file_lacks_their_columns(tmp_path: Path) -> None:
    people = [
        person(position="Giám đốc"),
        person(position="Chủ tịch UBND huyện", level="Huyện"),
        person(position="Chuyên viên"),
        person(position=None),
        person(position="Ủy viên BTV Tỉnh ủy"),
    ]
    dataset = load(tmp_path, Book(people=people, columns=OFFICIAL))
    frame = dataset.tables[WORKFORCE.key].frame
    assert frame["is_manager"].tolist() == [True, True, False, pd.NA, False]
    assert frame["is_key_leader"].tolist() == [False, True, False, pd.NA, False]
    assert frame["is_standing_committee"].tolist() == [False, False, False, pd.NA, True]
    assert frame[ROLES].tolist() == [
        (("is_manager", "giám đốc"),),
        (("is_manager", "chủ tịch"), ("is_key_leader", "chủ tịch")),
        None,
        None,
        (("is_standing_committee", "ủy viên btv"),),
    ]
    assert dataset.derived == {str(tmp_path / "ds.xlsx"): dict.fromkeys(ROLE_FLAGS, "position")}
    assert dataset.tables[WORKFORCE.key].present >= FLAGS
    assert not dataset.has_errors


def test_a_flag_column_the_file_has_is_used_alone(tmp_path: Path) -> None:
    columns = (*OFFICIAL, "is_manager")
    people = [
        person(position="Giám đốc", is_manager=False),
        person(position="Kế toán", is_manager=True),
    ]
    dataset = load(tmp_path, Book(people=people, columns=columns))
    frame = dataset.tables[WORKFORCE.key].frame
    assert frame["is_manager"].fillna(False).tolist() == [False, True]
    assert dataset.derived[str(tmp_path / "ds.xlsx")] == {
        "is_key_leader": "position",
        "is_standing_committee": "position",
    }
    assert issues(dataset, "flag_column_blank") == []


def test_a_blank_flag_column_means_no_and_says_what_it_hides(tmp_path: Path) -> None:
    people = [person(position="Giám đốc"), person(position="Trưởng phòng"), person(position="x")]
    dataset = load(tmp_path, Book(people=people, columns=(*OFFICIAL, "is_manager")))
    frame = dataset.tables[WORKFORCE.key].frame
    assert not frame["is_manager"].fillna(False).any()
    assert "is_manager" not in dataset.derived[str(tmp_path / "ds.xlsx")]
    (blank,) = issues(dataset, "flag_column_blank")
    assert blank.severity == "info"
    assert blank.params["count"] == 2
    assert blank.params["field"] == WORKFORCE.column("is_manager").header
    assert blank.column == WORKFORCE.column("is_manager").header


def test_a_file_with_every_flag_column_derives_nothing(tmp_path: Path) -> None:
    people = [person(position="Giám đốc", is_manager=True), person(position="Chuyên viên")]
    dataset = load(tmp_path, Book(people=people))  # every column: flags and position
    assert dataset.derived == {}
    assert ROLES not in dataset.tables[WORKFORCE.key].frame
    assert issues(dataset, "positions_unmatched") == []
    assert issues(dataset, "roles_not_in_catalog") == []


def test_a_position_column_with_nothing_written_derives_nothing(tmp_path: Path) -> None:
    people = [person(position=None), person(position=" ")]
    dataset = load(tmp_path, Book(people=people, columns=OFFICIAL))
    assert dataset.derived == {}
    assert not FLAGS & dataset.tables[WORKFORCE.key].present
    result = compute(dataset, CATALOG).result("provincial_leaders_under_40")
    assert result.measurement.note is not None
    assert result.measurement.note.code == "missing_column"


def test_a_catalog_without_roles_derives_nothing_and_says_so(tmp_path: Path) -> None:
    people = [person(position="Giám đốc")]
    dataset = load(tmp_path, Book(people=people, columns=OFFICIAL), roles=())
    assert dataset.derived == {}
    assert "is_manager" not in dataset.tables[WORKFORCE.key].frame
    (said,) = issues(dataset, "roles_not_in_catalog")
    assert said.severity == "info"
    assert "Lãnh đạo quản lý" in str(said.params["fields"])


def test_unmatched_positions_are_listed_once_per_file(tmp_path: Path) -> None:
    positions = [
        "Chuyên viên",
        "chuyên viên",
        "Giáo viên - Trường THCS",
        "Kế toán",
        "Kế toán",
        "Giám đốc",
        None,
        "  ",
        "Kế toán",
    ]
    people = [person(position=p) for p in positions]
    dataset = load(tmp_path, Book(people=people, columns=OFFICIAL))
    (listed,) = issues(dataset, "positions_unmatched")
    assert listed.severity == "info"
    assert listed.params["count"] == 3
    assert listed.params["positions"] == (
        "\u201cKế toán\u201d (3); \u201cChuyên viên\u201d (2); "
        "\u201cGiáo viên - Trường THCS\u201d (1)"
    )
    assert "Kế toán" in listed.message("vi")


def test_at_most_twenty_unmatched_positions_are_shown(tmp_path: Path) -> None:
    people = [person(position=f"Chức danh {i:02d}") for i in range(25) for _ in range(i % 3 + 1)]
    dataset = load(tmp_path, Book(people=people, columns=OFFICIAL))
    (listed,) = issues(dataset, "positions_unmatched")
    assert listed.params["count"] == 25
    assert listed.params["shown"] == MAX_UNMATCHED_SHOWN
    shown = str(listed.params["positions"]).split("; ")
    assert len(shown) == MAX_UNMATCHED_SHOWN
    assert shown[0] == "\u201cChức danh 02\u201d (3)"  # most rows first, then by text


def test_a_long_or_unprintable_position_is_shown_bounded(tmp_path: Path) -> None:
    people = [person(position="Chuyên viên \u202e\u0085" + "x" * 500)]
    dataset = load(tmp_path, Book(people=people, columns=OFFICIAL))
    (listed,) = issues(dataset, "positions_unmatched")
    assert "\u0085" not in str(listed.params["positions"])
    assert len(str(listed.params["positions"])) < 100


def test_a_position_holding_a_known_name_is_never_shown(tmp_path: Path) -> None:
    people = [
        person(full_name="Lê Văn Cường", position="Chuyên viên"),
        person(full_name="Hồ Thị Dung", position="Lê Văn Cường"),
    ]
    columns = ("id", "full_name", *OFFICIAL[1:])
    dataset = load(tmp_path, Book(people=people, columns=columns))
    (listed,) = issues(dataset, "positions_unmatched")
    assert "Cường" not in str(listed.params["positions"])
    assert issues(dataset, "name_in_text_column")


def test_derive_roles_hides_a_known_name_it_would_list() -> None:
    frame = pd.DataFrame({"position": ["Lê Văn Cường", "Thư ký", None], "_row": [2, 3, 4]})
    table = SheetTable(WORKFORCE, "NhanSu", frame, {"position": "Chức vụ"}, {"position": "K"})
    _, found = derive_roles([("f.xlsx", table)], RULES, KnownNames.of(["Lê Văn Cường"]))
    (listed,) = [i for i in found if i.code == "positions_unmatched"]
    assert listed.params["positions"] == "\u201c***\u201d (1); \u201cThư ký\u201d (1)"


# The plain version: every row matched on its own, as the spec says it.
def _row_by_row(positions: list[str | None], levels: list[str | None]) -> dict[str, list[Any]]:
    out: dict[str, list[Any]] = {flag: [] for flag in ROLE_FLAGS}
    for position, level in zip(positions, levels, strict=True):
        for flag in ROLE_FLAGS:
            if position is None:
                out[flag].append(pd.NA)
            else:
                out[flag].append(flag in flags_of(position, level))
    return out


@given(
    rows=st.lists(
        st.tuples(
            st.one_of(st.none(), _OTHER, _PHRASES, st.builds(" kiêm ".join, st.lists(_PHRASES))),
            st.sampled_from([None, "province", "district", "commune"]),
        ),
        max_size=30,
    )
)
@settings(max_examples=60, deadline=None)
def test_derived_once_per_distinct_position_as_row_by_row(
    rows: list[tuple[str | None, str | None]],
) -> None:
    positions = [p for p, _ in rows]
    levels = [lv for _, lv in rows]
    frame = pd.DataFrame(
        {
            "position": pd.Series(positions, dtype=object),
            "level": pd.Categorical(levels, categories=["province", "district", "commune"]),
            "_row": range(2, len(rows) + 2),
        }
    )
    headers = {"position": "Chức vụ", "level": "Cấp"}
    table = SheetTable(WORKFORCE, "NhanSu", frame, headers, {})
    derived_files, _ = derive_roles([("f.xlsx", table)], RULES)
    if all(position is None for position in positions):
        assert derived_files == {}
        return
    expected = _row_by_row(positions, levels)
    for flag in ROLE_FLAGS:
        assert table.frame[flag].tolist() == expected[flag]
    assert derived_files == {"f.xlsx": dict.fromkeys(ROLE_FLAGS, "position")}


# ---------------------------------------------------------------------------------------
# Indicators counted through derived flags


def test_provincial_leaders_are_counted_from_positions(tmp_path: Path) -> None:
    people = [
        person(position="Giám đốc Sở", birth_date="01/01/1990"),
        person(position="Phó Giám đốc", birth_date="01/01/1970"),
        person(position="Giáo viên - Trường THPT", birth_date="01/01/1995"),
        person(position="Chủ tịch UBND huyện", level="Huyện", birth_date="01/01/1990"),
    ]
    dataset = load(tmp_path, Book(people=people, columns=OFFICIAL))
    result = compute(dataset, CATALOG).result("provincial_leaders_under_40")
    assert (result.measurement.numerator, result.measurement.denominator) == (1, 2)
    district = compute(dataset, CATALOG).result("district_key_leaders_under_40")
    assert (district.measurement.numerator, district.measurement.denominator) == (1, 1)


def test_the_default_catalog_text_holds_the_roles() -> None:
    from importlib import resources

    text = resources.files("kpi_tritue").joinpath("catalog/ha_tinh_2030.toml").read_text("utf-8")
    data = tomllib.loads(text)
    assert [table["flag"] for table in data["roles"]] == list(ROLE_FLAGS)
    assert parse_catalog(data).roles == RULES


# ---------------------------------------------------------------------------------------
# `kpi explain`: the position and the rule of a row counted through a derived flag


def test_explain_shows_the_position_and_the_rule_that_matched(tmp_path: Path) -> None:
    import io

    from rich.console import Console

    from kpi_tritue.compute.engine import explain
    from kpi_tritue.render.explain import explanation_csv, explanation_dict, explanation_table

    people = [
        person(position="Giám đốc Sở", birth_date="01/01/1990"),
        person(position="Phó Giám đốc", birth_date="01/01/1970"),
        person(position="Chuyên viên", birth_date="01/01/1990"),
    ]
    dataset = load(tmp_path, Book(people=people, columns=OFFICIAL))
    expl = explain(dataset, CATALOG, "provincial_leaders_under_40")
    assert expl.has_roles
    assert expl.rows["position"].tolist() == ["Giám đốc Sở", "Phó Giám đốc"]
    assert expl.rows["role"].tolist() == [
        (("is_manager", "giám đốc"),),
        (("is_manager", "phó giám đốc"),),
    ]
    rows = explanation_dict(expl, "en")["rows"]
    assert rows[0]["position"] == "Giám đốc Sở"
    assert rows[0]["role"] == [{"flag": "is_manager", "phrase": "giám đốc"}]
    assert "Giám đốc Sở,is_manager: giám đốc" in explanation_csv(expl, "en")
    console = Console(width=200, record=True, file=io.StringIO())
    console.print(explanation_table(expl, "vi"))
    shown = console.export_text()
    assert "Lãnh đạo quản lý ← \u201cgiám đốc\u201d" in shown
    assert "Chức vụ" in shown


def test_explain_adds_nothing_where_no_flag_counted_was_derived(tmp_path: Path) -> None:
    from kpi_tritue.compute.engine import explain
    from kpi_tritue.render.explain import explanation_dict

    people = [person(position="Giám đốc Sở", is_manager=True, profession="Bác sĩ")]
    dataset = load(tmp_path, Book(people=people))  # the flag columns are there
    expl = explain(dataset, CATALOG, "provincial_leaders_under_40")
    assert not expl.has_roles
    assert "role" not in explanation_dict(expl, "en")["rows"][0]
    # Derived, but not what this indicator counts by.
    derived = load(tmp_path, Book(people=people, columns=OFFICIAL), name="b.xlsx")
    doctors = explain(derived, CATALOG, "doctors_per_10k")
    assert not doctors.has_roles
    assert "role" not in doctors.rows


def test_validate_derives_with_the_targets_catalog_as_compute_does(tmp_path: Path) -> None:
    import json

    from typer.testing import CliRunner

    from kpi_tritue.cli import app

    shipped = (Path(__file__).parent.parent / "src/kpi_tritue/catalog/ha_tinh_2030.toml").read_text(
        "utf-8"
    )
    # A province's own rule: a head accountant (`kế toán trưởng`) manages.
    own = shipped + '\n[[roles]]\nflag = "is_manager"\nphrases = ["kế toán trưởng"]\n'
    targets = tmp_path / "plan.toml"
    targets.write_text(own, "utf-8")
    people = [person(position="Kế toán trưởng"), person(position="Giám đốc")]
    data = Book(people=people, columns=OFFICIAL).write(tmp_path / "d.xlsx")

    def unmatched(*options: str) -> list[str]:
        outcome = CliRunner().invoke(app, ["validate", str(data), "--format", "json", *options])
        assert outcome.exit_code == 0, outcome.output
        issues = json.loads(outcome.stdout)["issues"]
        return [i["message"] for i in issues if i["code"] == "positions_unmatched"]

    (shipped_says,) = unmatched()
    assert "Kế toán trưởng" in shipped_says
    assert unmatched("--targets", str(targets)) == []
