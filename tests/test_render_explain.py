"""`render/explain.py` on its own: hand-made explanations, no workbook, no engine, no CLI."""

from __future__ import annotations

import io
import json
from dataclasses import replace
from datetime import date

import pandas as pd
import pytest
from rich.console import Console

from builders import csv_rows
from kpi_tritue.compute.explain import counted_rows
from kpi_tritue.i18n import LANGS, Lang
from kpi_tritue.model.explanation import (
    UNIT_COLUMNS,
    Bilingual,
    Conditions,
    Explanation,
    FigureUsed,
    Kind,
    MilestoneRow,
)
from kpi_tritue.model.results import IndicatorResult, Measurement, Note, Status, Target
from kpi_tritue.model.sources import Source
from kpi_tritue.render.explain import (
    TABLE_ROWS,
    explanation_csv,
    explanation_dict,
    explanation_json,
    explanation_table,
)

BOOK = Source("book.xlsx", "a" * 64)
OTHER = Source("other.xlsx", "b" * 64)


def result(
    value: float | None = 40.0,
    numerator: float | None = 2.0,
    denominator: float | None = 5.0,
    unit: str = "percent",
    note: Note | None = None,
) -> IndicatorResult:
    return IndicatorResult(
        id="share",
        name_vi="Tỷ lệ thử",
        name_en="Test share",
        clause="II.1",
        field="cadres",
        unit=unit,  # type: ignore[arg-type]
        target=Target(op=">=", year=2030, value=50.0),
        measurement=Measurement(
            value=value,
            status=Status.NOT_MET if value is not None else Status.NO_DATA,
            gap=10.0 if value is not None else None,
            shortfall=1 if value is not None else None,
            numerator=numerator,
            denominator=denominator,
            note=note,
        ),
    )


def rows(*lines: tuple[str, str, int, str | None, str | None, str]) -> pd.DataFrame:
    columns = ("file", "sheet", "row", "id", "unit", "counted_in")
    return counted_rows([pd.DataFrame([dict(zip(columns, line, strict=True)) for line in lines])])


CONDITIONS = Conditions(
    numerator=Bilingual("NhanSu: Giới tính ∈ {Nữ}", "NhanSu: Sex ∈ {Female}"),
    denominator=Bilingual("NhanSu: mọi dòng", "NhanSu: every row"),
)


def explanation(kind: Kind = "ratio", **changes: object) -> Explanation:
    base = Explanation(
        result=result(),
        kind=kind,
        catalog="test-catalog",
        as_of=date(2024, 12, 31),
        report_year=2024,
        sources=(BOOK,),
        conditions=CONDITIONS,
        rows=rows(
            ("book.xlsx", "NhanSu", 2, "A1", "Sở Y tế", "numerator+denominator"),
            ("book.xlsx", "NhanSu", 3, "A2", "Sở Y tế", "denominator"),
            ("book.xlsx", "NhanSu", 4, "A3", None, "numerator+denominator"),
        ),
        sheets=("workforce",),
        figures=(
            FigureUsed(
                "denominator",
                "population",
                value=2.5,
                weight=1.0,
                year=2023,
                file="book.xlsx",
                sheet="SoLieu",
                row=3,
                cell="B3",
            ),
        ),
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def shown(expl: Explanation, lang: Lang = "en") -> str:
    console = Console(width=200, record=True, file=io.StringIO())
    console.print(explanation_table(expl, lang))
    return console.export_text()


def csv_lines(expl: Explanation) -> list[dict[str, str]]:
    return csv_rows(explanation_csv(expl, "en"))


# ---------------------------------------------------------------------------------------
# The rich table


def test_table_header_has_the_result_amounts_and_conditions() -> None:
    text = shown(explanation())
    assert "Explaining indicator share · Test share (clause II.1)" in text
    assert "Data as of 31/12/2024 (report year 2024); sources: book.xlsx." in text
    assert "Numerator: 2 · Denominator: 5" in text
    assert "Numerator = NhanSu: Sex ∈ {Female}" in text
    assert "Denominator = NhanSu: every row" in text
    assert "Rows counted: 2 in the numerator, 3 in the denominator." in text


def test_table_speaks_vietnamese_with_vietnamese_numbers() -> None:
    text = shown(
        explanation(figures=(FigureUsed("numerator", "population", 1320000.5, 2.5),)), "vi"
    )
    assert "Giải trình chỉ tiêu share · Tỷ lệ thử (mục II.1)" in text
    assert "Tử số = NhanSu: Giới tính ∈ {Nữ}" in text
    assert "1.320.000,5" in text and "2,5" in text


def test_table_lists_rows_with_a_dash_for_no_unit() -> None:
    lines = [line for line in shown(explanation()).splitlines() if "NhanSu" in line and "│" in line]
    assert len(lines) == 3
    assert "A1" in lines[0] and "Sở Y tế" in lines[0] and "numerator + denominator" in lines[0]
    assert "A2" in lines[1] and "denominator" in lines[1]
    assert "—" in lines[2]


def test_table_marks_an_earlier_year_figure_and_its_cell() -> None:
    text = shown(explanation())
    assert "SoLieu figures used" in text
    assert "2023 (earlier year)" in text
    assert "SoLieu!B3" in text and "whole province" in text


def test_table_names_the_file_only_when_there_are_several() -> None:
    assert "book.xlsx ›" not in shown(explanation())
    several = shown(explanation(sources=(BOOK, OTHER)))
    assert "book.xlsx › SoLieu!B3" in several
    header = next(line for line in several.splitlines() if "Sheet" in line)
    assert "File" in header


def test_table_says_when_no_row_is_counted_except_for_an_override() -> None:
    empty = counted_rows([])
    assert "No row is counted." in shown(explanation(rows=empty, figures=()))
    override = shown(explanation(rows=empty, override=True))
    assert "No row is counted." not in override
    assert "instead of counting NhanSu rows" in override


def test_table_is_capped_and_says_how_many_more() -> None:
    many = rows(
        *(
            ("book.xlsx", "NhanSu", r, f"X{r}", None, "denominator")
            for r in range(2, TABLE_ROWS + 27)
        )
    )
    text = shown(explanation(rows=many))
    assert "… and 25 more rows: see them all with --format csv." in text
    assert f"X{TABLE_ROWS + 1}" in text and f"X{TABLE_ROWS + 2}" not in text


def test_table_shows_the_note() -> None:
    note = Note("missing_sheet", {"sheet": "figures"})
    text = shown(explanation(result=result(None, None, None, note=note)))
    assert "Note: There is no SoLieu sheet" in text
    assert "Numerator: — · Denominator: —" in text


def test_table_shows_cells_as_text_not_markup_nor_control() -> None:
    hostile = rows(
        ("book.xlsx", "NhanSu", 2, "[bold]x[/bold]", "Unit\x1b[2J", "numerator+denominator")
    )
    text = shown(explanation(rows=hostile))
    assert "[bold]x[/bold]" in text
    assert "\x1b" not in text


def test_specialist_teams_are_listed_by_specialty() -> None:
    teams = rows(("book.xlsx", "KipChuyenSau", 2, "Tim mạch", None, "numerator+denominator"))
    text = shown(explanation(rows=teams, sheets=("specialist_teams",), figures=()))
    assert "Specialty" in text and "ID" not in text


def test_unit_norm_table_shows_the_arithmetic() -> None:
    units = pd.DataFrame(
        [
            {
                "file": "book.xlsx",
                "sheet": "DonVi",
                "row": 2,
                "unit": "Bệnh viện A",
                "people": 10,
                "qualifying": 3,
                "share": 30.0,
                "norm": 25.5,
                "meets": True,
            },
            {
                "file": "book.xlsx",
                "sheet": "DonVi",
                "row": 3,
                "unit": "Bệnh viện B",
                "people": 4,
                "qualifying": 0,
                "share": 0.0,
                "norm": 25.5,
                "meets": False,
            },
        ],
        columns=list(UNIT_COLUMNS),
    )
    unit_rows = rows(
        ("book.xlsx", "DonVi", 2, None, "Bệnh viện A", "numerator+denominator"),
        ("book.xlsx", "DonVi", 3, None, "Bệnh viện B", "denominator"),
    )
    expl = explanation("unit_norm", rows=unit_rows, units=units, figures=(), sheets=("units",))
    text = shown(expl, "vi")
    assert "Các đơn vị so với định mức" in text
    line = next(line for line in text.splitlines() if "Bệnh viện A" in line and "30,0" in line)
    assert "25,5" in line and "có" in line and "DonVi, dòng 2" in line
    assert "không" in next(
        row for row in text.splitlines() if "Bệnh viện B" in row and "0,0" in row
    )
    lines = csv_lines(expl)
    assert [line["kind"] for line in lines] == ["unit", "unit"]
    assert (lines[0]["people"], lines[0]["share"], lines[0]["meets"]) == ("10", "30", "true")
    assert (lines[1]["norm"], lines[1]["meets"]) == ("25.5", "false")


def test_milestone_shows_its_condition_and_where_the_state_was_read() -> None:
    milestone = MilestoneRow("merger", "in_progress", "book.xlsx", "MocCongViec", 7)
    conditions = Conditions(
        Bilingual("MocCongViec: Sáp nhập — Hoàn thành", "MocCongViec: Merger — Done"), None
    )
    expl = explanation(
        "milestone",
        result=result(0.0, None, None, unit="milestone"),
        rows=counted_rows([]),
        figures=(),
        conditions=conditions,
        milestone=milestone,
    )
    text = shown(expl)
    assert "Condition = MocCongViec: Merger — Done" in text
    assert "State read at MocCongViec, row 7: In progress." in text
    assert "Numerator:" not in text and "No row is counted." not in text
    assert csv_lines(expl) == [
        {
            "kind": "milestone",
            "counted_in": "",
            "file": "book.xlsx",
            "sheet": "MocCongViec",
            "row": "7",
            "id": "merger",
            "unit": "",
            "state": "in_progress",
        }
    ]
    document = explanation_dict(expl, "en")
    assert document["milestone"] == {
        "milestone": "merger",
        "state": "in_progress",
        "file": "book.xlsx",
        "sheet": "MocCongViec",
        "row": 7,
    }
    assert document["conditions"] == {
        "numerator": "MocCongViec: Merger — Done",
        "denominator": None,
    }


# ---------------------------------------------------------------------------------------
# CSV


def test_csv_has_every_row_then_every_figure_in_codes() -> None:
    lines = csv_lines(explanation())
    assert [line["kind"] for line in lines] == ["row", "row", "row", "figure"]
    assert lines[0]["counted_in"] == "numerator+denominator" and lines[2]["unit"] == ""
    figure = lines[3]
    assert (figure["metric"], figure["year"], figure["value"], figure["weight"]) == (
        "population",
        "2023",
        "2.5",
        "1",
    )
    assert (figure["sheet"], figure["row"], figure["area"]) == ("SoLieu", "3", "")


def test_csv_is_the_same_in_both_languages_and_lists_every_row() -> None:
    many = rows(
        *(("book.xlsx", "NhanSu", r, f"X{r}", None, "numerator") for r in range(2, TABLE_ROWS + 12))
    )
    expl = explanation(rows=many)
    assert explanation_csv(expl, "vi") == explanation_csv(expl, "en")
    assert sum(line["kind"] == "row" for line in csv_lines(expl)) == TABLE_ROWS + 10


def test_csv_cells_are_never_formulas() -> None:
    hostile = rows(("book.xlsx", "NhanSu", 2, "=HYPERLINK(1)", "+Unit", "numerator+denominator"))
    (line, _figure) = csv_lines(explanation(rows=hostile))
    assert line["id"] == "'=HYPERLINK(1)" and line["unit"] == "'+Unit"


def test_csv_lists_a_default_figure_without_a_place() -> None:
    expl = explanation(
        rows=counted_rows([]),
        figures=(FigureUsed("numerator", "private_doctors", 0.0, 1.0, default=True),),
    )
    (figure,) = csv_lines(expl)
    assert (figure["metric"], figure["value"], figure["file"], figure["sheet"]) == (
        "private_doctors",
        "0",
        "",
        "",
    )


# ---------------------------------------------------------------------------------------
# JSON


def test_json_carries_the_header_result_rows_and_figures() -> None:
    document = json.loads(explanation_json(explanation(), "en"))
    assert document["tool"] == "kpi-tritue" and document["catalog"] == "test-catalog"
    assert (document["as_of"], document["report_year"]) == ("2024-12-31", 2024)
    assert document["sources"] == [{"path": "book.xlsx", "sha256": "a" * 64}]
    assert document["kind"] == "ratio" and document["override"] is False
    assert document["counted"] == {"numerator": 2, "denominator": 3}
    assert document["indicator"]["id"] == "share" and document["indicator"]["value"] == 40
    assert document["rows"][2] == {
        "file": "book.xlsx",
        "sheet": "NhanSu",
        "row": 4,
        "id": "A3",
        "unit": None,
        "counted_in": "numerator+denominator",
    }
    (figure,) = document["figures"]
    assert figure["earlier_year"] is True and figure["value"] == 2.5 and figure["weight"] == 1
    assert figure["cell"] == "B3" and figure["default"] is False
    assert document["units"] is None and document["milestone"] is None


@pytest.mark.parametrize("lang", LANGS)
def test_json_is_deterministic_sorted_and_in_the_chosen_language(lang: Lang) -> None:
    first = explanation_json(explanation(), lang)
    assert first == explanation_json(explanation(), lang)
    assert first.endswith("\n")
    document = json.loads(first)
    assert list(document) == sorted(document)
    expected = CONDITIONS.numerator.get(lang) if CONDITIONS.numerator else None
    assert document["conditions"]["numerator"] == expected
