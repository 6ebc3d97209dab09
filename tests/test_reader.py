"""What the reader finds beside the cells: merged blocks in every format."""

from __future__ import annotations

from kpi_tritue.io.sheet_xml import MergedRange
from kpi_tritue.io.sheet_xml import ods_merged as _ods_merged

T = 'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'


def _content(*tables: str) -> bytes:
    body = "".join(tables)
    return f'<doc xmlns:office="o" {T}><office:body>{body}</office:body></doc>'.encode()


def test_ods_merges_are_placed_through_repeated_rows_and_cells() -> None:
    other = (
        '<table:table table:name="Khac"><table:table-row>'
        '<table:table-cell table:number-rows-spanned="5"/></table:table-row></table:table>'
    )
    sheet = (
        '<table:table table:name="NhanSu">'
        '<table:table-row><table:table-cell table:number-columns-spanned="11"/>'
        '<table:covered-table-cell table:number-columns-repeated="10"/></table:table-row>'
        '<table:table-row table:number-rows-repeated="3"><table:table-cell/></table:table-row>'
        '<table:table-row><table:table-cell table:number-columns-repeated="2"/>'
        '<table:table-cell table:number-rows-spanned="2"><text:p xmlns:text="t">Sở Y tế</text:p>'
        "</table:table-cell></table:table-row>"
        "<table:table-row><table:covered-table-cell/></table:table-row>"
        "</table:table>"
    )
    content = _content(other, sheet)
    # Fed in small blocks, as the archive gives them.
    blocks = [content[i : i + 7] for i in range(0, len(content), 7)]
    assert _ods_merged(blocks, "NhanSu") == [
        MergedRange(0, 0, 0, 10),
        MergedRange(4, 2, 5, 2),
    ]
    assert _ods_merged([content], "Khac") == [MergedRange(0, 0, 4, 0)]
    assert _ods_merged([content], "Khong co") == []


# ---------------------------------------------------------------------------------------
# The XML scan beside the cells (issue 12, item 7): blocks may be cut anywhere.

import itertools  # noqa: E402

from hypothesis import example, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from kpi_tritue.io.sheet_xml import scan_xml as _scan_xml  # noqa: E402

_SHEET = (
    b'<worksheet><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c>'
    b'<c r="B1" s="3"><f>IF(1=1,"T\xe1\xbb\x89nh","X\xc3\xa3")</f><v></v></c></row>'
    b'<row r="2"><c r="C2"><f>DATE(1990,2,1)+IF(ISBLANK(A2),0,VLOOKUP(A2,DonVi!A:B,2,FALSE))</f>'
    b'</c><c r="D2" t="e"><v>#N/A</v></c>'
    b'<c r="AB2"><f t="shared" ref="AB2:AB9" si="0"/></c></row></sheetData>'
    b'<mergeCells count="2"><mergeCell ref="A3:A9"/><mergeCell ref="B3:C4"/></mergeCells>'
    b"</worksheet>"
)


def test_the_scan_finds_unsaved_formulas_errors_and_merges() -> None:
    whole = _scan_xml([_SHEET])
    assert whole.unsaved_formulas == [(0, 1), (1, 2), (1, 27)]
    assert whole.has_errors is True
    assert [(m.first_row, m.last_row) for m in whole.merged] == [(2, 8), (2, 3)]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=len(_SHEET)), max_size=6))
def test_cutting_the_xml_anywhere_finds_the_same_cells(cuts: list[int]) -> None:
    points = [0, *sorted(cuts), len(_SHEET)]
    blocks = [_SHEET[a:b] for a, b in itertools.pairwise(points)]
    assert _scan_xml(blocks) == _scan_xml([_SHEET])


_FORMULA_CELLS = [
    b'<c r="{ref}"><f>A1+1</f><v>2</v></c>',
    b'<c r="{ref}"><f>A1+1</f></c>',
    b'<c r="{ref}"><f>A1+1</f><v/></c>',
    b'<c r="{ref}"><f>A1+1</f><v></v></c>',
    b'<c r="{ref}"><f t="shared" si="0"/></c>',
    b'<c r="{ref}"><f t="shared" si="0"/><v>3</v></c>',
    b'<c r="{ref}"><f t="shared" si="0"/><v /></c>',
    b'<c r="{ref}"><f t="shared" si="0"/><v></v></c>',
    b'<c r="{ref}" t="s"><v>0</v></c>',
    b'<c r="{ref}"/>',
]


@settings(max_examples=80, deadline=None)
@given(
    st.lists(st.sampled_from(range(len(_FORMULA_CELLS))), min_size=1, max_size=12),
    st.lists(st.integers(min_value=0, max_value=2000), max_size=4),
)
# A shared formula with an empty saved value, alone: its cell ends in none of the three
# endings the scan first looked for (`</f><v`, `</f></c>`, `/></c>`), and was missed.
@example([7], [])
def test_the_scan_finds_every_unsaved_formula_the_pattern_finds(
    kinds: list[int], cuts: list[int]
) -> None:
    """The plain search (the pattern over the whole XML) against the scan's, which looks
    for the pattern only in blocks holding the end of such a cell."""
    from kpi_tritue.io.sheet_xml import _UNSAVED_FORMULA, column_index

    cells = b"".join(
        _FORMULA_CELLS[kind].replace(b"{ref}", f"{chr(65 + i % 26)}{i + 1}".encode())
        for i, kind in enumerate(kinds)
    )
    xml = b"<worksheet><sheetData><row>" + cells + b"</row></sheetData></worksheet>"
    plain: list[tuple[int, int]] = []
    for found in _UNSAVED_FORMULA.finditer(xml):
        cell = (int(found[2]) - 1, column_index(found[1]))
        if cell not in plain:
            plain.append(cell)
    points = [0, *sorted(c for c in cuts if c < len(xml)), len(xml)]
    blocks = [xml[a:b] for a, b in itertools.pairwise(points)]
    assert _scan_xml(blocks).unsaved_formulas == plain


def test_cutting_the_xml_at_every_single_position_finds_the_same_cells() -> None:
    whole = _scan_xml([_SHEET])
    assert whole
    cuts = range(len(_SHEET) + 1)
    assert [cut for cut in cuts if _scan_xml([_SHEET[:cut], _SHEET[cut:]]) != whole] == []
