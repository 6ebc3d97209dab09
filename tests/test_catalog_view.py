"""`kpi indicators` lists the packaged catalog without pydantic or rich; it must agree with it."""

from hypothesis import given
from hypothesis import strategies as st

from kpi_tritue.catalog.listing import (
    _pad,
    _printable,
    _width,
    catalog_json,
    catalog_listing,
    catalog_text,
    packaged_listing,
)
from kpi_tritue.catalog.reading import load_catalog
from kpi_tritue.i18n import text


def test_the_fast_listing_equals_the_validated_catalog() -> None:
    for lang in ("vi", "en"):
        assert catalog_json(packaged_listing(), lang) == catalog_json(
            catalog_listing(load_catalog()), lang
        )


def test_the_text_listing_is_one_aligned_line_per_indicator() -> None:
    listing = packaged_listing()
    for lang in ("vi", "en"):
        lines = catalog_text(listing, lang).splitlines()
        assert lines[0] == listing.name(lang) and lines[1] == ""
        header, rows = lines[2], lines[3:]
        assert [row.split()[0] for row in rows] == [e.id for e in listing.entries]
        name_column = header.index(text("listing.col.name", lang))
        for row, entry in zip(rows, listing.entries, strict=True):
            name = entry.name_vi if lang == "vi" else entry.name_en
            assert row[name_column:] == name  # every name starts in the same column
    vietnamese = catalog_text(listing, "vi")
    assert "15–20 %" in vietnamese and "≥ 14" in vietnamese


def test_control_characters_of_a_targets_file_never_reach_the_terminal() -> None:
    catalog = load_catalog()
    first = catalog.indicators[0].model_copy(update={"name_vi": "Bác sĩ\x1b[31m\x07 đỏ"})
    hostile = catalog.model_copy(update={"indicators": [first, *catalog.indicators[1:]]})
    text = catalog_text(catalog_listing(hostile), "vi")
    assert "\x1b" not in text and "\x07" not in text
    assert "Bác sĩ\ufffd[31m\ufffd đỏ" in text


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=12))
def test_padding_gives_every_cell_the_same_terminal_width(value: str) -> None:
    cell = _printable(value)
    assert _width(_pad(cell, _width(cell) + 3)) == _width(cell) + 3
    assert _pad(cell, _width(cell) + 2, right=True).endswith(cell)


def test_a_narrow_terminal_gets_the_names_wrapped_under_their_column() -> None:
    """At 80 columns no line is wider than the terminal (names were 148 characters wide),
    and each indicator's first line still holds its id, clause, target and year."""
    from rich.cells import cell_len

    listing = packaged_listing()
    for lang in ("vi", "en"):
        wide = catalog_text(listing, lang).splitlines()
        narrow = catalog_text(listing, lang, 80).splitlines()
        assert max(cell_len(line) for line in wide) > 80
        assert max(cell_len(line) for line in narrow) <= 80
        firsts = [line for line in narrow[3:] if not line.startswith(" ")]
        assert [line.split()[0] for line in firsts] == [e.id for e in listing.entries]
        assert [line[:40] for line in firsts] == [line[:40] for line in wide[3:]]
        # The words of every name, rejoined from its lines, are the name.
        name_column = narrow[2].index(text("listing.col.name", lang))
        rejoined: list[str] = []
        for line in narrow[3:]:
            if line.startswith(" "):
                rejoined[-1] += " " + line.strip()
            else:
                rejoined.append(line[name_column:])
        names = [e.name_vi if lang == "vi" else e.name_en for e in listing.entries]
        assert rejoined == names


def test_kpi_indicators_fits_the_columns_it_is_given() -> None:
    from rich.cells import cell_len
    from typer.testing import CliRunner

    from kpi_tritue.cli import app

    for columns in ("80", "140"):
        result = CliRunner().invoke(app, ["indicators"], env={"COLUMNS": columns})
        assert result.exit_code == 0
        assert max(cell_len(line) for line in result.stdout.splitlines()) <= int(columns)
