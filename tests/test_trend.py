"""`kpi trend`: the progress method on constructed series, and yearly workbooks end to end."""

from __future__ import annotations

import json
import random
from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rich.console import Console

from builders import csv_rows, write_workbook
from engine_fixtures import CATALOG, Book, doctor, figures, person
from kpi_tritue.catalog.model import TrendSettings
from kpi_tritue.compute.progress import assess_progress, least_squares
from kpi_tritue.compute.trend import compute_trend, unit_mapping
from kpi_tritue.contract.schema import UNIT_CHANGES
from kpi_tritue.io.series import UnitChange, YearlyData, load_series
from kpi_tritue.model.results import Status, Target
from kpi_tritue.model.trend import Progress, TrendClass, TrendResult, YearPoint
from kpi_tritue.render.trend_terminal import (
    CSV_COLUMNS,
    sparkline,
    trend_csv,
    trend_json,
    trend_table,
)

SETTINGS = TrendSettings()
AT_LEAST_50 = Target(op=">=", value=50, year=2030)
ALL_OF_THEM = Target(op="==", value=100, year=2030)
BAND = Target(op="between", min=15, max=20, year=2030)
DONE = Target(op="==", value=1, year=2030)


def status_of(value: float, target: Target) -> Status:
    """The engine's verdict on one value (counts aside), enough for constructed series."""
    if target.op == "between":
        assert target.min is not None and target.max is not None
        if value > target.max:
            return Status.ABOVE_RANGE
        return Status.MET if value >= target.min else Status.NOT_MET
    assert target.value is not None
    return Status.MET if value >= target.value else Status.NOT_MET


def series(
    values: Mapping[int, float | None],
    target: Target | None = AT_LEAST_50,
    denominators: Mapping[int, float] | None = None,
) -> list[YearPoint]:
    points = []
    for year, value in values.items():
        if value is None:
            points.append(YearPoint(year, None, Status.NO_DATA))
            continue
        status = Status.TRACKED if target is None else status_of(value, target)
        denominator = (denominators or {}).get(year)
        points.append(YearPoint(year, value, status, denominator=denominator))
    return points


def progress(
    values: Mapping[int, float | None],
    target: Target | None = AT_LEAST_50,
    unit: Any = "percent",
    **options: Any,
) -> Progress:
    return assess_progress(series(values, target), target, unit, SETTINGS, **options)


# ---------------------------------------------------------------------------------------
# The method on constructed series


def test_one_year_only_is_insufficient_data() -> None:
    result = progress({2025: 30.0})
    assert result.trend_class is TrendClass.INSUFFICIENT_DATA
    assert (result.base_year, result.latest_year) == (2025, 2025)
    assert result.projection is None and result.ratio is None
    # The pace needs no trend: (50 − 30) ÷ (2030 − 2025).
    assert result.required_pace == pytest.approx(4.0)


def test_no_value_at_all_is_insufficient_data() -> None:
    result = progress({2023: None, 2024: None})
    assert result.trend_class is TrendClass.INSUFFICIENT_DATA
    assert result.base is None and result.required_pace is None


def test_a_100_percent_target_reached_is_achieved_whatever_the_trend() -> None:
    result = progress({2023: 100.0, 2024: 80.0, 2025: 100.0}, ALL_OF_THEM)
    assert result.trend_class is TrendClass.ACHIEVED
    assert result.required_pace == 0.0
    # Reached in a single year is achieved too: the latest value meets the target.
    assert progress({2025: 100.0}, ALL_OF_THEM).trend_class is TrendClass.ACHIEVED


def test_on_track() -> None:
    # Line 20, 25, 30 → 55 in 2030; r = (55 − 20) ÷ (50 − 20) = 1.1667.
    result = progress({2023: 20.0, 2024: 25.0, 2025: 30.0})
    assert result.trend_class is TrendClass.ON_TRACK
    assert result.projection == pytest.approx(55.0)
    assert result.ratio == pytest.approx(35 / 30)
    assert result.slope == pytest.approx(5.0)
    assert result.required_pace == pytest.approx(4.0)  # (50 − 30) ÷ 5


def test_needs_acceleration() -> None:
    # 20, 22, 24 → 34 in 2030; r = 14 ÷ 30.
    result = progress({2023: 20.0, 2024: 22.0, 2025: 24.0})
    assert result.trend_class is TrendClass.NEEDS_ACCELERATION
    assert result.ratio == pytest.approx(14 / 30)
    assert result.required_pace == pytest.approx(26 / 5)


def test_a_falling_series_is_stagnating_or_regressing() -> None:
    result = progress({2023: 40.0, 2024: 35.0, 2025: 30.0})
    assert result.trend_class is TrendClass.STAGNATING_OR_REGRESSING
    assert result.projection == pytest.approx(5.0)
    assert result.ratio is not None and result.ratio < 0


def test_a_flat_series_is_stagnating() -> None:
    result = progress({2023: 30.0, 2024: 30.0})
    assert result.trend_class is TrendClass.STAGNATING_OR_REGRESSING
    assert result.ratio == 0.0


def test_the_thresholds_are_inclusive_and_read_from_the_catalog() -> None:
    # r = 0.95 exactly: 20 → 48.5 in 2030 along a straight line from 2020.
    exact = {2020: 20.0, 2025: 34.25}
    assert progress(exact).ratio == pytest.approx(0.95)
    assert progress(exact).trend_class is TrendClass.ON_TRACK
    # r = 0.10 exactly.
    slow = {2020: 20.0, 2025: 21.5}
    assert progress(slow).ratio == pytest.approx(0.10)
    assert progress(slow).trend_class is TrendClass.NEEDS_ACCELERATION
    strict = TrendSettings(on_track=0.99, needs_acceleration=0.5)
    result = assess_progress(series(exact), AT_LEAST_50, "percent", strict)
    assert result.trend_class is TrendClass.NEEDS_ACCELERATION


def test_a_base_that_already_met_the_target_then_fell_is_regressing() -> None:
    result = progress({2023: 55.0, 2024: 52.0, 2025: 45.0})
    assert result.trend_class is TrendClass.STAGNATING_OR_REGRESSING
    assert result.ratio is None  # (v̂ − v_b) ÷ (v* − v_b) has no meaning past the target


def test_projection_of_a_percentage_is_clamped_to_100() -> None:
    result = progress({2023: 60.0, 2024: 80.0, 2025: 95.0}, ALL_OF_THEM)
    assert result.projection == 100.0
    assert result.ratio == pytest.approx(1.0)
    assert result.trend_class is TrendClass.ON_TRACK
    falling = progress({2023: 10.0, 2024: 5.0, 2025: 1.0}, ALL_OF_THEM)
    assert falling.projection == 0.0


def test_a_band_reached_is_achieved() -> None:
    result = progress({2023: 10.0, 2024: 13.0, 2025: 16.0}, BAND)
    assert result.trend_class is TrendClass.ACHIEVED
    assert result.above_range_years == ()


def test_a_band_below_aims_at_its_lower_bound() -> None:
    result = progress({2023: 8.0, 2024: 9.0, 2025: 10.0}, BAND)
    assert result.goal == 15
    # 10 + 5 → 15 in 2030: r = (15 − 8) ÷ (15 − 8) = 1.
    assert result.trend_class is TrendClass.ON_TRACK
    assert result.required_pace == pytest.approx(1.0)


def test_a_band_overshoot_is_above_range_with_the_years_it_lasted() -> None:
    result = progress({2022: 17.0, 2023: 22.0, 2024: 25.0, 2025: 27.0}, BAND)
    assert result.trend_class is TrendClass.ABOVE_RANGE
    assert result.above_range_years == (2023, 2024, 2025)
    # Above the band, the goal is its upper bound: the pace is negative (come down).
    assert result.goal == 20
    assert result.required_pace == pytest.approx((20 - 27) / 5)
    # A year without a value does not break the run; a year inside the band does.
    gap = progress({2023: 22.0, 2024: None, 2025: 27.0}, BAND)
    assert gap.above_range_years == (2023, 2025)


def test_the_pace_in_people_uses_the_latest_denominator() -> None:
    points = series({2024: 20.0, 2025: 30.0}, denominators={2024: 40, 2025: 60})
    result = assess_progress(points, AT_LEAST_50, "percent", SETTINGS, people_factor=100)
    # (50 − 30) ÷ 5 = 4 points a year, of 60 people: 2.4 more people a year.
    assert result.required_pace == pytest.approx(4.0)
    assert result.required_pace_people == pytest.approx(2.4)
    doctors = Target(op=">=", value=14, year=2030)
    points = [
        YearPoint(2024, 11.0, Status.NOT_MET, denominator=1_300_000),
        YearPoint(2025, 12.0, Status.NOT_MET, denominator=1_320_000),
    ]
    result = assess_progress(points, doctors, "per_10k", SETTINGS, people_factor=10_000)
    assert result.required_pace_people == pytest.approx(0.4 * 132)


def test_no_pace_once_the_target_year_is_past() -> None:
    result = progress({2029: 40.0, 2030: 45.0, 2031: 48.0})
    assert result.required_pace is None
    assert result.trend_class is TrendClass.NEEDS_ACCELERATION


def test_milestones_follow_the_method_on_0_and_1() -> None:
    not_yet = progress({2023: 0.0, 2024: 0.0, 2025: 0.0}, DONE, unit="milestone")
    assert not_yet.trend_class is TrendClass.STAGNATING_OR_REGRESSING
    assert not_yet.required_pace is None
    done = progress({2023: 0.0, 2024: 0.0, 2025: 1.0}, DONE, unit="milestone")
    assert done.trend_class is TrendClass.ACHIEVED
    assert done.projection is not None and 0.0 <= done.projection <= 1.0


def test_a_tracked_figure_has_a_slope_and_no_class() -> None:
    result = progress({2023: 10.0, 2024: 14.0, 2025: 18.0}, None, unit="count")
    assert result.trend_class is None
    assert result.slope == pytest.approx(4.0)
    assert result.projection is None and result.required_pace is None


def test_least_squares_through_exact_points() -> None:
    slope, intercept = least_squares([(2023, 1.0), (2024, 3.0), (2025, 5.0)])
    assert slope == pytest.approx(2.0)
    assert intercept + slope * 2030 == pytest.approx(15.0)
    with pytest.raises(ValueError, match="two distinct years"):
        least_squares([(2025, 1.0)])


@given(
    st.dictionaries(
        st.integers(min_value=2015, max_value=2029),
        st.floats(min_value=0, max_value=100, allow_nan=False),
        min_size=1,
        max_size=8,
    ),
    st.randoms(use_true_random=False),
)
def test_the_order_of_the_years_never_changes_the_assessment(
    values: dict[int, float], shuffle: random.Random
) -> None:
    points = series(values, ALL_OF_THEM)
    shuffled = list(points)
    shuffle.shuffle(shuffled)
    expected = assess_progress(points, ALL_OF_THEM, "percent", SETTINGS)
    assert assess_progress(shuffled, ALL_OF_THEM, "percent", SETTINGS) == expected
    if expected.projection is not None:
        assert 0.0 <= expected.projection <= 100.0


def test_sparkline() -> None:
    assert sparkline([1.0, 2.0, 3.0]) == "▁▅█"
    assert sparkline([None, 5.0, 5.0]) == " ▄▄"
    assert sparkline([None]) == " "


# ---------------------------------------------------------------------------------------
# Yearly workbooks

CHANGES_HEADER = [c.header for c in UNIT_CHANGES.columns]


def commune_staff(trained: int, total: int = 10, unit: str = "Xã Kỳ Anh") -> list[dict[str, Any]]:
    return [
        person(
            level="Xã",
            category="Công chức",
            unit=unit,
            sector="Quản lý nhà nước",
            meets_training_standard=i < trained,
        )
        for i in range(total)
    ]


def district_leaders(young: int, total: int) -> list[dict[str, Any]]:
    return [
        person(
            level="Huyện",
            unit="Huyện ủy Can Lộc",
            sector="Quản lý nhà nước",
            category="Cán bộ",
            is_key_leader=True,
            birth_date="01/01/1995" if i < young else "01/01/1970",
        )
        for i in range(total)
    ]


def write_year(
    folder: Path,
    year: int | None,
    people: Sequence[Mapping[str, Any]] = (),
    *,
    figures_rows: Sequence[tuple[str, float, int | None, str | None]] | None = None,
    changes: Sequence[Sequence[Any]] | None = None,
    as_of: str | None = None,
    name: str | None = None,
    workforce: bool = True,
) -> Path:
    """One yearly report: NhanSu, SoLieu, ThongTin (Năm báo cáo / Ngày số liệu), and
    ChuyenDoiDonVi rows when given."""
    sheets: dict[str, list[list[Any]]] = Book(people=list(people), figures=figures_rows).sheets()
    if not workforce:
        del sheets["NhanSu"]
    info: list[list[Any]] = [["Mục", "Giá trị"]]
    if year is not None:
        info.append(["Năm báo cáo", year])
    if as_of is not None:
        info.append(["Ngày số liệu", as_of])
    if len(info) > 1:
        sheets["ThongTin"] = info
    if changes is not None:
        sheets[UNIT_CHANGES.name] = [CHANGES_HEADER, *[list(row) for row in changes]]
    return write_workbook(folder / (name or f"bao_cao_{year}.xlsx"), sheets)


def trend_of(paths: Sequence[Path], **options: Any) -> tuple[YearlyData, TrendResult]:
    by = options.pop("by", None)
    yearly = load_series([str(p) for p in paths], catalog=CATALOG, **options)
    errors = [i.message("en") for i in yearly.issues if i.severity == "error"]
    assert not errors, errors
    return yearly, compute_trend(yearly, CATALOG, by=by)


def values(trend: TrendResult, indicator: str) -> dict[int, float | None]:
    return {p.year: p.value for p in trend.indicator(indicator).points}


@pytest.fixture(scope="module")
def three_years(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """2023–2025: commune staff trained 2, 4, 6 of 10 (on track to 100 %); district key
    leaders under 40 at 30 %, 40 %, then none left (the district level abolished);
    certified labour 30 %, 32 %, 34 % (needs acceleration)."""
    folder = tmp_path_factory.mktemp("trend")
    paths = []
    for year, trained, (young, leaders), certified in [
        (2023, 2, (3, 10), 300),
        (2024, 4, (4, 10), 320),
        (2025, 6, (0, 0), 340),
    ]:
        people = commune_staff(trained) + district_leaders(young, leaders)
        rows = figures({"labour_force": 1000, "certified_labour": certified})
        paths.append(write_year(folder, year, people, figures_rows=rows))
    return paths


def test_each_indicator_follows_the_method_over_yearly_files(three_years: list[Path]) -> None:
    yearly, trend = trend_of(three_years)
    assert [y.year for y in yearly.years] == [2023, 2024, 2025]
    assert trend.year_numbers == (2023, 2024, 2025)

    trained = trend.indicator("commune_staff_trained")
    assert values(trend, "commune_staff_trained") == {2023: 20.0, 2024: 40.0, 2025: 60.0}
    assert trained.progress.trend_class is TrendClass.ON_TRACK
    assert trained.progress.projection == pytest.approx(100.0)
    assert trained.progress.required_pace == pytest.approx(8.0)
    # 8 points a year of the 10 people counted in 2025.
    assert trained.progress.required_pace_people == pytest.approx(0.8)

    labour = trend.indicator("certified_labour_share")
    assert values(trend, "certified_labour_share") == {2023: 30.0, 2024: 32.0, 2025: 34.0}
    assert labour.progress.trend_class is TrendClass.NEEDS_ACCELERATION
    assert labour.progress.ratio == pytest.approx((44 - 30) / (50 - 30))
    assert labour.progress.required_pace_people is None  # figures, not people counted
    assert labour.share_of_people is False
    assert all(p.ci95 is None for p in labour.points)


def test_district_leaders_after_the_2025_reform_end_the_series_not_applicable(
    three_years: list[Path],
) -> None:
    _, trend = trend_of(three_years)
    leaders = trend.indicator("district_key_leaders_under_40")
    assert values(trend, "district_key_leaders_under_40") == {2023: 30.0, 2024: 40.0, 2025: None}
    gone = leaders.point(2025)
    assert gone is not None
    # The catalog's applies_until (30/06/2025): the year after it is not a point but the
    # end of the series, and its note gives the catalog's reason.
    assert gone.status is Status.NOT_APPLICABLE
    assert gone.note is not None and gone.note.code == "not_applicable"
    document = json.loads(trend_json(trend, "en"))
    entry = next(i for i in document["indicators"] if i["id"] == "district_key_leaders_under_40")
    assert entry["years"]["2025"] is None
    assert entry["statuses"]["2025"] == "not_applicable"
    assert entry["class"] is None
    assert "abolished on 1 July 2025" in entry["notes"]["2025"]
    assert "not a fall to 0" in entry["notes"]["2025"]
    vietnamese = json.loads(trend_json(trend, "vi"))
    entry = next(i for i in vietnamese["indicators"] if i["id"] == "district_key_leaders_under_40")
    assert "cấp huyện đã bị bãi bỏ" in entry["notes"]["2025"]
    # The two years that have people are the series; its class is not judged.
    assert leaders.progress.trend_class is None
    assert leaders.progress.ended == 2025
    assert leaders.progress.latest_year == 2024
    assert leaders.progress.projection is None


def test_the_order_of_the_files_changes_nothing(three_years: list[Path]) -> None:
    outputs = set()
    for order in ([0, 1, 2], [2, 0, 1], [1, 2, 0]):
        _, trend = trend_of([three_years[i] for i in order], by="unit")
        outputs.add((trend_json(trend, "vi"), trend_csv(trend, "en")))
    assert len(outputs) == 1
    # A folder gives the same indicators as its files.
    _, from_folder = trend_of([three_years[0].parent])
    _, from_files = trend_of(three_years)
    assert from_folder.indicators == from_files.indicators


def test_a_share_of_people_has_wilson_intervals_and_small_denominators_are_marked(
    three_years: list[Path],
) -> None:
    _, trend = trend_of(three_years)
    trained = trend.indicator("commune_staff_trained")
    assert trained.share_of_people
    first = trained.point(2023)
    assert first is not None and first.ci95 is not None
    assert first.ci95[0] < 20.0 < first.ci95[1]
    assert first.small  # 10 people
    document = json.loads(trend_json(trend, "en"))
    entry = next(i for i in document["indicators"] if i["id"] == "commune_staff_trained")
    assert entry["ci95"]["2023"] == list(first.ci95)
    assert entry["small_denominator_years"] == [2023, 2024, 2025]
    assert entry["years"] == {"2023": 20.0, "2024": 40.0, "2025": 60.0}
    assert entry["class"] == "on_track"
    for key in ("projection", "ratio", "required_pace", "required_pace_people", "base"):
        assert key in entry
    assert document["tool"] == "kpi-tritue" and document["catalog"] == CATALOG.id
    assert [y["year"] for y in document["report_years"]] == [2023, 2024, 2025]
    assert (document["report_year"], document["as_of"]) == (2025, "2025-12-31")
    assert all(len(s["sha256"]) == 64 for y in document["report_years"] for s in y["sources"])
    table = _render(trend, "vi")
    assert "20,0†" in table and "Đúng tiến độ" in table and "▁▅█" in table


def test_a_100_percent_target_reached_in_files_is_achieved(tmp_path: Path) -> None:
    paths = [
        write_year(tmp_path, 2024, commune_staff(7)),
        write_year(tmp_path, 2025, commune_staff(10)),
    ]
    _, trend = trend_of(paths)
    trained = trend.indicator("commune_staff_trained")
    assert trained.progress.trend_class is TrendClass.ACHIEVED
    assert trained.progress.required_pace == 0.0


def test_one_file_only_gives_insufficient_data(tmp_path: Path) -> None:
    _, trend = trend_of([write_year(tmp_path, 2025, commune_staff(3))])
    assert trend.indicator("commune_staff_trained").progress.trend_class is (
        TrendClass.INSUFFICIENT_DATA
    )


def test_a_falling_series_in_files_is_regressing(tmp_path: Path) -> None:
    paths = [
        write_year(tmp_path, y, commune_staff(k)) for y, k in [(2023, 6), (2024, 5), (2025, 3)]
    ]
    _, trend = trend_of(paths)
    assert trend.indicator("commune_staff_trained").progress.trend_class is (
        TrendClass.STAGNATING_OR_REGRESSING
    )


def test_a_file_without_a_year_is_an_error_unless_as_of_is_given(tmp_path: Path) -> None:
    dated = write_year(tmp_path, 2024, commune_staff(4))
    undated = write_year(tmp_path, None, commune_staff(6), name="khong_nam.xlsx")
    yearly = load_series([str(dated), str(undated)], catalog=CATALOG)
    unknown = [i for i in yearly.issues if i.code == "trend_year_unknown"]
    assert yearly.has_errors and len(unknown) == 1
    assert unknown[0].file == undated.as_posix()
    assert "year of each file" in unknown[0].message("en")
    assert "Năm báo cáo" in unknown[0].message("vi")
    assert [y.year for y in yearly.years] == [2024]

    _, trend = trend_of([dated, undated], as_of_override=date(2025, 12, 31))
    assert values(trend, "commune_staff_trained") == {2024: 40.0, 2025: 60.0}


def test_ngay_so_lieu_states_the_year_and_the_reference_date(tmp_path: Path) -> None:
    paths = [
        write_year(tmp_path, None, commune_staff(4), as_of="30/06/2024", name="a.xlsx"),
        write_year(tmp_path, None, commune_staff(6), as_of="30/06/2025", name="b.xlsx"),
    ]
    yearly, trend = trend_of(paths)
    assert [y.as_of for y in yearly.years] == [date(2024, 6, 30), date(2025, 6, 30)]
    assert values(trend, "commune_staff_trained") == {2024: 40.0, 2025: 60.0}


def test_solieu_rows_of_several_years_give_figure_only_years(tmp_path: Path) -> None:
    history = [
        ("labour_force", 1000, 2021, None),
        ("certified_labour", 250, 2021, None),
        ("labour_force", 1000, 2022, None),
        ("certified_labour", 270, 2022, None),
        ("labour_force", 1000, 2023, None),
        ("certified_labour", 290, 2023, None),
        ("population", 1_000_000, 2022, None),  # used by no figure-only indicator alone
    ]
    paths = [
        write_year(tmp_path, 2023, commune_staff(2), figures_rows=history),
        write_year(tmp_path, 2024, commune_staff(4), figures_rows=figures({"labour_force": 1000})),
    ]
    yearly, trend = trend_of(paths)
    assert [(y.year, y.has_workforce) for y in yearly.years] == [
        (2021, False),
        (2022, False),
        (2023, True),
        (2024, True),
    ]
    labour = values(trend, "certified_labour_share")
    assert labour == {2021: 25.0, 2022: 27.0, 2023: 29.0, 2024: None}
    # 2024 has no certified labour figure of its own: 2023's is not repeated.
    missing = trend.indicator("certified_labour_share").point(2024)
    assert missing is not None and missing.note is not None
    assert missing.note.code == "trend_earlier_figures"
    assert values(trend, "commune_staff_trained") == {
        2021: None,
        2022: None,
        2023: 20.0,
        2024: 40.0,
    }
    staff = trend.indicator("commune_staff_trained").point(2021)
    assert staff is not None and staff.note is not None
    assert staff.note.code == "trend_figures_only_year"


def test_a_later_report_lends_figures_to_earlier_years(tmp_path: Path) -> None:
    paths = [
        write_year(tmp_path, 2024, [doctor() for _ in range(1300)][:13]),
        write_year(
            tmp_path,
            2025,
            [doctor() for _ in range(14)],
            figures_rows=[("population", 10_000, 2024, None), ("population", 10_000, 2025, None)],
        ),
    ]
    yearly, trend = trend_of(paths)
    assert values(trend, "doctors_per_10k") == {2024: 13.0, 2025: 14.0}
    assert trend.indicator("doctors_per_10k").progress.trend_class is TrendClass.ACHIEVED
    lent = yearly.year(2024)
    assert [s.path for s in lent.figure_sources] == [paths[1].as_posix()]


def test_figures_that_differ_between_reports_warn_and_the_years_own_report_wins(
    tmp_path: Path,
) -> None:
    paths = [
        write_year(
            tmp_path,
            2024,
            commune_staff(4),
            figures_rows=[
                ("labour_force", 1000, None, None),
                ("certified_labour", 300, None, None),
            ],
        ),
        write_year(
            tmp_path,
            2025,
            commune_staff(6),
            figures_rows=[
                ("labour_force", 1000, 2024, None),
                ("certified_labour", 350, 2024, None),
                ("labour_force", 1000, None, None),
                ("certified_labour", 400, None, None),
            ],
        ),
    ]
    yearly, trend = trend_of(paths)
    differs = [i for i in yearly.issues if i.code == "trend_figure_differs"]
    assert len(differs) == 1 and differs[0].file == paths[1].as_posix()
    assert "bao_cao_2024.xlsx" in differs[0].message("en")
    assert values(trend, "certified_labour_share") == {2024: 30.0, 2025: 40.0}


def test_a_merged_unit_counts_under_its_new_unit_before_the_change(tmp_path: Path) -> None:
    merger = [
        ["Xã Kỳ Hoa", "Xã Kỳ Anh", "01/07/2025"],
        ["Xã Kỳ Tân", "Xã Kỳ Anh", "01/07/2025"],
    ]
    before = commune_staff(1, 5, unit="Xã Kỳ Hoa") + commune_staff(3, 5, unit="Xã Kỳ Tân")
    paths = [
        write_year(tmp_path, 2024, before, changes=merger),
        write_year(tmp_path, 2025, commune_staff(6, 10, unit="Xã Kỳ Anh"), changes=merger),
    ]
    yearly, by_unit = trend_of(paths, by="unit")
    assert [(c.old_unit, c.new_unit) for c in yearly.unit_changes] == [
        ("Xã Kỳ Hoa", "Xã Kỳ Anh"),
        ("Xã Kỳ Tân", "Xã Kỳ Anh"),
    ]
    trained = by_unit.indicator("commune_staff_trained")
    assert trained.breakdown is not None
    groups = {g.group: [p.value for p in g.points] for g in trained.breakdown}
    assert groups == {"Xã Kỳ Anh": [40.0, 60.0]}
    merged = trained.breakdown[0]
    assert merged.progress.trend_class is TrendClass.ON_TRACK
    # The province is the same with or without the mapping.
    _, province = trend_of(paths)
    assert values(province, "commune_staff_trained") == {2024: 40.0, 2025: 60.0}
    assert values(by_unit, "commune_staff_trained") == {2024: 40.0, 2025: 60.0}
    assert "Xã Kỳ Anh" in _render(by_unit, "vi")


def test_unit_changes_apply_before_their_date_and_chain() -> None:
    changes = [
        UnitChange("Xã A", "Xã B", date(2020, 1, 1)),
        UnitChange("Xã B", "Phường C", date(2025, 7, 1)),
        UnitChange("Xã D", "Phường C", date(2025, 7, 1)),
    ]
    assert unit_mapping(changes, date(2019, 12, 31)) == {
        "xã a": "Phường C",
        "xã b": "Phường C",
        "xã d": "Phường C",
    }
    assert unit_mapping(changes, date(2024, 12, 31)) == {"xã b": "Phường C", "xã d": "Phường C"}
    assert unit_mapping(changes, date(2025, 12, 31)) == {}
    looping = [UnitChange("X", "Y", date(2025, 1, 1)), UnitChange("Y", "X", date(2025, 1, 1))]
    assert set(unit_mapping(looping, date(2024, 1, 1))) == {"x", "y"}


def test_a_mapping_dated_after_a_file_and_a_mapping_only_workbook_are_accepted(
    tmp_path: Path,
) -> None:
    # ChuyenDoiDonVi in a 2024 report announcing the 2025 merger: not a future-date error.
    merger = [["Xã Kỳ Hoa", "Xã Kỳ Anh", "01/07/2025"]]
    early = write_year(tmp_path, 2024, commune_staff(2, unit="Xã Kỳ Hoa"), changes=merger)
    late = write_year(tmp_path, 2025, commune_staff(5, unit="Xã Kỳ Anh"))
    yearly, _ = trend_of([early, late])
    assert len(yearly.unit_changes) == 1
    # The mapping alone in a workbook of its own: no year, no NhanSu needed.
    mapping = write_workbook(
        tmp_path / "chuyen_doi.xlsx",
        {UNIT_CHANGES.name: [CHANGES_HEADER, ["Xã Kỳ Tân", "Xã Kỳ Anh", "01/07/2025"]]},
    )
    yearly, trend = trend_of([early, late, mapping])
    assert len(yearly.unit_changes) == 2
    assert [s.year for s in yearly.sources] == [2024, 2025, None]
    assert trend.year_numbers == (2024, 2025)


def test_a_conflicting_unit_change_is_an_error(tmp_path: Path) -> None:
    path = write_year(
        tmp_path,
        2025,
        commune_staff(5),
        changes=[
            ["Xã Kỳ Hoa", "Xã Kỳ Anh", "01/07/2025"],
            ["Xã Kỳ Hoa", "Xã Kỳ Tân", "01/07/2025"],
        ],
    )
    yearly = load_series([str(path)], catalog=CATALOG)
    assert [i.code for i in yearly.issues if i.severity == "error"] == ["conflicting_row"]


def test_invalid_rows_can_be_left_out(tmp_path: Path) -> None:
    good = write_year(tmp_path, 2024, commune_staff(4))
    bad_people = commune_staff(6) + [person(level="Không rõ")]
    bad = write_year(tmp_path, 2025, bad_people)
    yearly = load_series([str(good), str(bad)], catalog=CATALOG)
    assert yearly.has_errors
    cleaned, dropped = yearly.without_invalid_rows()
    assert dropped == 1
    trend = compute_trend(cleaned, CATALOG)
    assert values(trend, "commune_staff_trained") == {2024: 40.0, 2025: 60.0}


def test_csv_is_long_with_a_stable_header(three_years: list[Path]) -> None:
    _, trend = trend_of(three_years)
    rows = csv_rows(trend_csv(trend, "en"))
    assert tuple(rows[0]) == CSV_COLUMNS
    trained = [r for r in rows if r["id"] == "commune_staff_trained"]
    assert [(r["year"], r["value"], r["class"]) for r in trained] == [
        ("2023", "20", "on_track"),
        ("2024", "40", "on_track"),
        ("2025", "60", "on_track"),
    ]
    assert trained[0]["small_denominator"] == "yes" and trained[0]["ci95_low"]


def test_the_table_speaks_both_languages(three_years: list[Path]) -> None:
    _, trend = trend_of(three_years)
    english = _render(trend, "en")
    assert "On track" in english and "Needs acceleration" in english
    # District key leaders: 30 %, 40 %, then not applicable since the reform (no class).
    assert "Not applicable from 2025" in english
    assert "abolished on 1 July 2025" in english
    vietnamese = _render(trend, "vi")
    assert "Cần đẩy nhanh" in vietnamese and "Không áp dụng từ 2025" in vietnamese
    assert "Biểu đồ tiến độ SDG" in vietnamese


def _render(trend: TrendResult, lang: Any) -> str:
    console = Console(width=200, record=True, color_system=None)
    console.print(trend_table(trend, lang))
    return console.export_text()


def test_solieu_figures_alone_give_talents_among_recruits_in_a_year_without_a_report(
    tmp_path: Path,
) -> None:
    history = [("new_recruits", 50, 2023, None), ("talents_recruited", 4, 2023, None)]
    path = write_year(tmp_path, 2024, commune_staff(4), figures_rows=history)
    yearly, trend = trend_of([path])
    assert [y.year for y in yearly.years] == [2023, 2024]
    share = trend.indicator("talent_recruitment_share").point(2023)
    assert share is not None and share.value == pytest.approx(8.0)
    # Figures that count people: the interval applies to them too.
    assert share.ci95 is not None and share.ci95[0] < 8.0 < share.ci95[1]


def test_progress_is_reported_up_to_the_end(three_years: list[Path]) -> None:
    steps: list[tuple[int, int]] = []
    load_series(
        [str(p) for p in three_years],
        catalog=CATALOG,
        progress=lambda done, total, _: steps.append((done, total)),
    )
    # Each of the three files is opened once, then read once.
    assert steps[-1] == (6, 6)
    assert [done for done, _ in steps] == sorted(done for done, _ in steps)


def test_a_workbook_with_no_sheet_of_the_form_is_still_an_error(tmp_path: Path) -> None:
    stray = write_workbook(tmp_path / "khac.xlsx", {"Sheet1": [["a", "b"], [1, 2]]})
    good = write_year(tmp_path, 2025, commune_staff(5))
    yearly = load_series([str(good), str(stray)], catalog=CATALOG)
    assert [i.code for i in yearly.issues if i.severity == "error"] == ["no_contract_sheet"]


def test_a_report_of_figures_only_lends_them_to_its_year(tmp_path: Path) -> None:
    staff = write_year(tmp_path, 2025, commune_staff(5))
    numbers = write_year(
        tmp_path,
        2025,
        figures_rows=figures({"labour_force": 1000, "certified_labour": 420}),
        workforce=False,
        name="so_lieu_2025.xlsx",
    )
    yearly, trend = trend_of([staff, numbers])
    assert [(y.year, y.has_workforce) for y in yearly.years] == [(2025, True)]
    assert values(trend, "certified_labour_share") == {2025: 42.0}


def test_nothing_readable_still_renders(tmp_path: Path) -> None:
    yearly = load_series([str(tmp_path / "khong_co.xlsx")], catalog=CATALOG)
    assert [i.code for i in yearly.issues] == ["file_not_found"]
    trend = compute_trend(yearly, CATALOG)
    assert trend.years == ()
    assert json.loads(trend_json(trend, "vi"))["report_year"] is None
    assert "Chưa đủ số liệu" in _render(trend, "vi")
    assert trend_csv(trend, "en").splitlines() == ["\ufeff" + ",".join(CSV_COLUMNS)]
