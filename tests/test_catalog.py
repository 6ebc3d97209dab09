"""The catalog: the default plan as data, and clear errors for a catalog that is wrong."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from engine_fixtures import Book, doctor, figures, person, run
from kpi_tritue.catalog.measures import vocabulary
from kpi_tritue.catalog.model import CatalogError
from kpi_tritue.catalog.reading import load_catalog, parse_catalog
from kpi_tritue.errors import KpiError
from kpi_tritue.io.option_files import load_targets
from kpi_tritue.model.results import Status, Target

DOCS = Path(__file__).resolve().parents[1] / "docs" / "catalog.md"

# spec/indicators.md, in its order: id → (clause, target).
SPEC: dict[str, tuple[str, Target | None]] = {
    "doctors_per_10k": ("II.2", Target(">=", 2030, value=14)),
    "specialist_team_coverage": ("II.2", Target("==", 2030, value=100)),
    "postgrad_norm_units": ("II.2", Target("==", 2030, value=100)),
    "teacher_staffing_preschool": ("II.2", Target(">=", 2030, value=100)),
    "teacher_staffing_primary": ("II.2", Target(">=", 2030, value=100)),
    "teacher_staffing_lower_secondary": ("II.2", Target(">=", 2030, value=100)),
    "teacher_staffing_upper_secondary": ("II.2", Target(">=", 2030, value=100)),
    "education_staff_trained": ("II.2", Target("==", 2030, value=100)),
    "certified_labour_share": ("II.2", Target(">=", 2030, value=50)),
    "foreign_affairs_leaders_language": ("II.2", Target("==", 2030, value=100)),
    "provincial_leaders_international": ("II.2", Target("between", 2030, min=25, max=30)),
    "job_position_fit": ("II.2", Target("==", 2030, value=100)),
    "provincial_leaders_under_40": ("II.2", Target("between", 2030, min=15, max=20)),
    "district_key_leaders_under_40": ("II.2", Target("between", 2030, min=20, max=25)),
    "commune_staff_trained": ("II.2", Target("==", 2030, value=100)),
    "commune_staff_standardized": ("II.2", Target("==", 2030, value=100)),
    "talent_recruitment_share": ("II.2", Target(">=", 2030, value=10)),
    "talent_retention": ("II.3", Target("==", 2045, value=100)),
    "university_merger": ("II.2", Target("==", 2030, value=1)),
    "intellectual_database": ("III.3", Target("==", 2030, value=1)),
    "science_fund": ("III.4", Target("==", 2030, value=1)),
    "patents": ("II.3", None),
    "scientific_works": ("II.3", None),
}


def test_default_catalog_has_every_indicator_of_the_plan() -> None:
    catalog = load_catalog()
    assert catalog.id == "ha-tinh-2030"
    assert [i.id for i in catalog.indicators] == list(SPEC)
    for indicator in catalog.indicators:
        clause, target = SPEC[indicator.id]
        assert indicator.clause == clause, indicator.id
        assert indicator.target_result == target, indicator.id
        assert indicator.name_vi
        assert indicator.name_en
        assert indicator.name_vi != indicator.name_en


def test_default_catalog_units_and_fields() -> None:
    catalog = load_catalog()
    units = {i.id: i.unit for i in catalog.indicators}
    assert units["doctors_per_10k"] == "per_10k"
    assert units["patents"] == units["scientific_works"] == "count"
    assert {k for k, v in units.items() if v == "milestone"} == {
        "university_merger",
        "intellectual_database",
        "science_fund",
    }
    assert {i.field for i in catalog.indicators} == {
        "health",
        "education",
        "cadres",
        "talent",
        "science",
        "milestones",
    }


def test_norms_milestones_and_trend_settings_are_data() -> None:
    catalog = load_catalog()
    assert catalog.norms == {
        "nursery_group": 2.5,
        "kindergarten_class": 2.2,
        "primary_class": 1.5,
        "primary_class_one_session": 1.2,
        "lower_secondary_class": 1.9,
        "lower_secondary_boarding_class": 2.2,
        "upper_secondary_class": 2.25,
    }
    assert [m.id for m in catalog.milestones] == [
        "university_merger",
        "intellectual_database",
        "science_fund",
    ]
    assert all(m.name_vi and m.name_en for m in catalog.milestones)
    assert (catalog.trend.on_track, catalog.trend.needs_acceleration) == (0.95, 0.10)


def test_default_catalog_loads_from_its_file_too() -> None:
    path = Path(__file__).resolve().parents[1] / "src/kpi_tritue/catalog/ha_tinh_2030.toml"
    assert load_targets(path) == load_catalog()


# ---------------------------------------------------------------------------------------
# Errors

HEAD = """
id = "test"
name_vi = "Thử"
name_en = "Test"

[norms]
primary_class = 1.5

[[milestones]]
id = "fund"
name_vi = "Quỹ"
name_en = "Fund"
"""

DENOMINATOR = (
    'denominator = { sheet = "workforce", where = [{ column = "status", in = ["active"] }] }'
)
SHARE = """
[[indicators]]
id = "trained"
name_vi = "Đạt chuẩn"
name_en = "Trained"
clause = "1"
field = "cadres"
unit = "percent"
factor = 100
target = { op = ">=", value = 50, year = 2030 }
numerator = { subset = [{ column = "meets_training_standard", is = true }] }
denominator = { sheet = "workforce", where = [{ column = "status", in = ["active"] }] }
"""


def write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "plan.toml"
    path.write_text(HEAD + body, encoding="utf-8")
    return path


def errors_of(tmp_path: Path, body: str) -> list[tuple[str, str]]:
    path = write(tmp_path, body)
    with pytest.raises(CatalogError) as caught:
        load_targets(path)
    assert caught.value.path == str(path)
    assert str(path) in str(caught.value)
    return caught.value.errors


def test_a_valid_small_catalog(tmp_path: Path) -> None:
    catalog = load_targets(write(tmp_path, SHARE))
    assert [i.id for i in catalog.indicators] == ["trained"]


@pytest.mark.parametrize(
    ("old", "new", "loc", "message"),
    [
        (
            '"meets_training_standard"',
            '"meets_training"',
            "indicators[trained].numerator.subset[0].column",
            "unknown column `meets_training`",
        ),
        (
            'in = ["active"]',
            'in = ["on leave"]',
            "indicators[trained].denominator.where[0].in",
            "unknown value `on leave`",
        ),
        (
            "is = true",
            'prefix = ["x"]',
            "indicators[trained].numerator.subset[0].prefix",
            "does not apply",
        ),
        (
            "is = true }",
            "is = true, in = [1] }",
            "indicators[trained].numerator.subset[0]",
            "exactly one operator",
        ),
        (
            'op = ">=", value = 50',
            'op = "between", min = 30, max = 20',
            "indicators[trained].target",
            "`min` (30) is greater than `max` (20)",
        ),
        (
            'op = ">=", value = 50',
            'op = "between", value = 50',
            "indicators[trained].target",
            "needs `min` and `max`",
        ),
        (
            'sheet = "workforce"',
            'sheet = "NhanSuu"',
            "indicators[trained].denominator.sheet",
            "'workforce' or 'specialist_teams'",
        ),
        (
            DENOMINATOR,
            'denominator = { figure = "population" }',
            "indicators[trained].numerator.subset",
            "denominator is a count",
        ),
        (
            DENOMINATOR,
            'denominator = { figure = "populace" }',
            "indicators[trained].denominator.figure",
            "unknown SoLieu figure `populace`",
        ),
        (
            DENOMINATOR,
            'denominator = { figure = "primary_classes", weight = "primary" }',
            "indicators[trained].denominator.weight",
            "neither a number nor a norm",
        ),
        (
            DENOMINATOR,
            "denominator = { count = 1 }",
            "indicators[trained].denominator",
            "a measure needs one of the keys sheet, figure, sum or subset",
        ),
        (
            '{ column = "status", in = ["active"] }',
            '{ column = "recruited_year", ge = "last_year" }',
            "indicators[trained].denominator.where[0].ge",
            "neither a number nor report_year",
        ),
        (
            '{ column = "status", in = ["active"] }',
            '{ column = "unit.foreign_affair", is = true }',
            "indicators[trained].denominator.where[0].column",
            "unknown column `unit.foreign_affair`",
        ),
        (
            'clause = "1"',
            'clause = "1"\ntarget_year = 2030',
            "indicators[trained].target_year",
            "Extra inputs are not permitted",
        ),
        ('unit = "percent"', 'unit = "people"', "indicators[trained].unit", "Input should be"),
        ('field = "cadres"', 'field = "sport"', "indicators[trained].field", "Input should be"),
    ],
)
def test_errors_name_their_place(
    tmp_path: Path, old: str, new: str, loc: str, message: str
) -> None:
    assert old in SHARE
    errors = errors_of(tmp_path, SHARE.replace(old, new))
    assert any(where == loc and message in text for where, text in errors), errors


def test_every_problem_is_listed(tmp_path: Path) -> None:
    body = SHARE.replace('"meets_training_standard"', '"x"') + SHARE.replace('"active"', '"gone"')
    errors = errors_of(tmp_path, body)
    locs = [loc for loc, _ in errors]
    assert "indicators[trained].id" in locs  # the duplicate
    assert "indicators[trained].numerator.subset[0].column" in locs
    assert "indicators[trained].denominator.where[0].in" in locs
    assert any("duplicate id `trained`" in message for _, message in errors)


def test_milestone_indicators_refer_to_milestones(tmp_path: Path) -> None:
    body = """
[[indicators]]
id = "fund_set_up"
name_vi = "Quỹ"
name_en = "Fund"
clause = "III"
field = "milestones"
unit = "milestone"
kind = "milestone"
milestone = "the_fund"
target = { op = "==", value = 1, year = 2030 }
"""
    errors = errors_of(tmp_path, body)
    assert errors == [
        (
            "indicators[fund_set_up].milestone",
            "unknown milestone `the_fund`; the catalog's milestones are: fund",
        )
    ]
    errors = errors_of(
        tmp_path, body.replace('"the_fund"', '"fund"\nnumerator = { figure = "patents" }')
    )
    assert errors[0][0] == "indicators[fund_set_up]"
    assert "no numerator" in errors[0][1]


def test_unit_norm_checks_donvi_columns(tmp_path: Path) -> None:
    body = """
[[indicators]]
id = "norms"
name_vi = "Định mức"
name_en = "Norms"
clause = "1"
field = "cadres"
unit = "percent"
kind = "unit_norm"
factor = 100

[indicators.unit_norm]
norm = "area"
where = [{ column = "profession", prefix = ["bac si"] }]
qualifying = [{ column = "postgraduate", is = true }]
"""
    errors = dict(errors_of(tmp_path, body))
    assert "not a number column of DonVi" in errors["indicators[norms].unit_norm.norm"]
    assert "unknown column `profession`" in errors["indicators[norms].unit_norm.where[0].column"]


def test_bad_toml_and_missing_file(tmp_path: Path) -> None:
    errors = errors_of(tmp_path, SHARE.replace("factor = 100", "factor = "))
    assert len(errors) == 1
    assert "not valid TOML" in errors[0][1]
    assert "line" in errors[0][1]
    with pytest.raises(CatalogError, match="No file or folder"):
        load_targets(tmp_path / "absent.toml")


def test_catalog_error_is_a_kpi_error_with_bullets(tmp_path: Path) -> None:
    path = write(tmp_path, SHARE.replace('"cadres"', '"sport"'))
    with pytest.raises(KpiError) as caught:
        load_targets(path)
    lines = str(caught.value).splitlines()
    assert str(path) in lines[0]
    assert lines[1].startswith("- indicators[trained].field: ")


def test_no_indicators(tmp_path: Path) -> None:
    errors = errors_of(tmp_path, "")
    assert errors == [("indicators", "Field required")]


def test_parse_catalog_accepts_labels_for_categories() -> None:
    data = tomllib.loads(HEAD + SHARE.replace('in = ["active"]', 'in = ["Đang công tác"]'))
    assert parse_catalog(data).indicators[0].id == "trained"


# ---------------------------------------------------------------------------------------
# The documented example


def _doc_catalogs() -> list[str]:
    text = DOCS.read_text(encoding="utf-8")
    return re.findall(r"```toml\n(.*?)```", text, flags=re.DOTALL)


def test_the_documentation_names_every_column() -> None:
    text = DOCS.read_text(encoding="utf-8")
    columns = [c for sheet in ("workforce", "specialist_teams", "units") for c in vocabulary(sheet)]
    assert len(columns) > 20
    assert [column for column in columns if f"`{column}`" not in text] == []


def test_the_documented_example_loads_and_computes(tmp_path: Path) -> None:
    (example,) = {block for block in _doc_catalogs() if block.lstrip().startswith("id =")}
    path = tmp_path / "other_plan.toml"
    path.write_text(example, encoding="utf-8")
    catalog = load_targets(path)
    people = [
        doctor(),
        doctor(),
        person(level="Xã", category="Công chức", meets_training_standard=True),
        person(level="Xã", category="Cán bộ"),
    ]
    book = Book(people, figures=figures({"population": 2000}))
    computation = run(tmp_path, book, catalog=catalog)
    results = {r.id: r.measurement for r in computation.results}
    # 2 doctors × 10 000 ÷ 2 000 = 10 per 10 000, against ≥ 12.
    assert results["doctors_per_10k"].status is Status.NOT_MET
    assert results["doctors_per_10k"].value == pytest.approx(10.0)
    assert results["commune_staff_trained"].value == pytest.approx(50.0)
