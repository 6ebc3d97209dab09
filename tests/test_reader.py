"""What the reader finds beside the cells: merged blocks in every format."""

from __future__ import annotations

from kpi_tritue.reader import MergedRange, _ods_merged

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
