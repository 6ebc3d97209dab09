"""docs/indicators.md and `kpi indicators ID`: every indicator said in words, from the catalog."""

from __future__ import annotations

import json
import tomllib
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from rich.cells import cell_len

from kpi_tritue.catalog.model import Catalog, CatalogError
from kpi_tritue.catalog.reading import load_catalog, parse_catalog
from kpi_tritue.render.indicator_doc import describe, indicator_text, indicators_document

DOC = Path(__file__).parent.parent / "docs" / "indicators.md"


def _shipped_data() -> dict[str, Any]:
    source = resources.files("kpi_tritue").joinpath("catalog", "ha_tinh_2030.toml")
    return tomllib.loads(source.read_text("utf-8"))


def test_the_indicators_document_matches_the_catalog() -> None:
    # Regenerate with: python scripts/make_docs.py
    assert DOC.read_text(encoding="utf-8") == indicators_document(load_catalog())


def test_every_indicator_is_said_in_both_languages_with_its_numerator_and_denominator() -> None:
    catalog = load_catalog()
    vietnamese, english = indicators_document(catalog).split("\n## English\n")
    assert len(catalog.indicators) == 23
    for indicator in catalog.indicators:
        assert f"### `{indicator.id}`: {indicator.name_vi}" in vietnamese
        assert f"### `{indicator.id}`: {indicator.name_en}" in english
        about = indicator.about
        assert about is not None, indicator.id
        counted = indicator.kind != "milestone" and indicator.target is not None
        assert (about.numerator_vi is not None) is counted, indicator.id
        assert (about.denominator_vi is not None) is counted, indicator.id


def test_the_teacher_norms_and_their_legal_source_are_given() -> None:
    catalog = load_catalog()
    preschool = dict(describe(catalog, catalog.indicator("teacher_staffing_preschool"), "vi"))
    assert preschool["Định mức"] == (
        "2,5 giáo viên/nhóm trẻ (`nursery_group`); 2,2 giáo viên/lớp mẫu giáo "
        "(`kindergarten_class`)"
    )
    assert preschool["Căn cứ"].startswith("Thông tư 19/2023/TT-BGDĐT")
    upper = dict(describe(catalog, catalog.indicator("teacher_staffing_upper_secondary"), "en"))
    assert upper["Norms"] == "2.25 teachers per upper-secondary class (`upper_secondary_class`)"
    assert upper["Legal source"].startswith("Circular 20/2023/TT-BGDĐT")
    assert upper["Target"] == "≥ 100 % by 2030"
    assert upper["Clause"].startswith("clause II.2, Hà Tĩnh plan")


def test_the_norms_said_are_the_catalogs_own() -> None:
    """A catalog that changes a norm is described with its own number, not the shipped one."""
    data = _shipped_data()
    data["norms"]["primary_class"] = 1.7
    data["norms"]["primary_class_one_session"] = 1.3
    catalog = parse_catalog(data)
    said = dict(describe(catalog, catalog.indicator("teacher_staffing_primary"), "vi"))
    assert said["Định mức"] == (
        "1,7 giáo viên/lớp tiểu học (`primary_class`); "
        "1,3 giáo viên/lớp tiểu học học 1 buổi/ngày (`primary_class_one_session`)"
    )


def test_a_catalog_without_words_is_described_by_what_it_computes() -> None:
    data = _shipped_data()
    for item in data["indicators"]:
        item.pop("about", None)
    catalog: Catalog = parse_catalog(data)
    said = dict(describe(catalog, catalog.indicator("doctors_per_10k"), "en"))
    assert list(said) == ["Value", "Clause", "Target", "Field"]
    assert said["Value"] == "numerator × 10,000 ÷ denominator"


def test_words_in_one_language_only_are_refused() -> None:
    data = _shipped_data()
    data["indicators"][0]["about"].pop("numerator_en")
    with pytest.raises(CatalogError) as raised:
        parse_catalog(data, "half.toml")
    assert "numerator_vi` and `numerator_en` go together" in str(raised.value.errors)


@pytest.mark.parametrize("width", [60, 80, 140])
def test_one_indicator_fits_the_terminal(width: int) -> None:
    """Every line but the title (the name, not wrapped) fits the width it is given."""
    catalog = load_catalog()
    widest = {
        indicator.id: max(
            cell_len(line)
            for line in indicator_text(catalog, indicator, "vi", width).splitlines()[1:]
        )
        for indicator in catalog.indicators
    }
    assert len(widest) == 23
    assert max(widest.values()) <= width


def test_a_control_character_or_a_bar_in_a_catalog_cannot_break_the_document() -> None:
    data = _shipped_data()
    data["indicators"][0]["name_en"] = "Doctors | \x1b[31mred"
    data["indicators"][0]["about"]["en"] = "what \x07 it | measures"
    catalog = parse_catalog(data)
    document = indicators_document(catalog)
    assert "\x1b" not in document and "\x07" not in document
    assert "Doctors \\| \ufffd[31mred" in document
    text = indicator_text(catalog, catalog.indicators[0], "en")
    assert "\x1b" not in text and "\x07" not in text


def test_kpi_indicators_with_an_id_says_what_it_means() -> None:
    from typer.testing import CliRunner

    from kpi_tritue.cli import app

    cli_runner = CliRunner()
    result = cli_runner.invoke(app, ["indicators", "teacher_staffing_primary"])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == (
        "teacher_staffing_primary — Tỷ lệ giáo viên tiểu học so với định mức"
    )
    assert "Định mức:   1,5 giáo viên/lớp tiểu học (`primary_class`)" in result.stdout
    english = cli_runner.invoke(app, ["indicators", "patents", "--format", "json", "--lang", "en"])
    assert english.exit_code == 0
    document = json.loads(english.stdout)
    assert document["target"] is None
    assert document["about"]["target"] == "tracked"
    assert document["about"]["value"] == "the figure reported"
    unknown = cli_runner.invoke(app, ["indicators", "bac_si"])
    assert unknown.exit_code == 2
    assert "doctors_per_10k" in unknown.stderr
