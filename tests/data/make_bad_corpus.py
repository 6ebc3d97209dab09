"""Write the corpus of broken and hostile workbooks under tests/data/bad/.

Rerun with `python tests/data/make_bad_corpus.py` (needs msoffcrypto-tool for the
password-protected file). Every file is small on disk; `zip_bomb.xlsx` expands to about
3 GB.
"""

from __future__ import annotations

import io
import struct
import zipfile
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path

from openpyxl import Workbook

OUT = Path(__file__).parent / "bad"
HEADER = [
    "Mã",
    "Họ và tên",
    "Đơn vị",
    "Cấp",
    "Lĩnh vực",
    "Loại",
    "Ngày sinh",
    "Trình độ chuyên môn",
    "Chức danh nghề nghiệp",
]
PERSON = [
    "HT001",
    "Nguyễn Văn An",
    "Sở Y tế",
    "Tỉnh",
    "Y tế",
    "Viên chức",
    "15/03/1985",
    "Đại học",
    "Bác sĩ",
]
FIXED_TIME = datetime(2024, 12, 31)


def _save(workbook: Workbook, name: str) -> Path:
    workbook.properties.created = FIXED_TIME
    workbook.properties.modified = FIXED_TIME
    path = OUT / name
    workbook.save(path)
    return path


def _good_workbook() -> Workbook:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "NhanSu"
    sheet.append(HEADER)
    sheet.append(PERSON)
    sheet.append(
        [
            "HT002",
            "Trần Thị Bình",
            "UBND xã Kỳ Tân",
            "Xã",
            "QLNN",
            "Công chức",
            "01/02/1990",
            "Đại học",
            "Chuyên viên",
        ]
    )
    return workbook


def _good_bytes() -> bytes:
    buffer = io.BytesIO()
    workbook = _good_workbook()
    workbook.properties.created = FIXED_TIME
    workbook.properties.modified = FIXED_TIME
    workbook.save(buffer)
    return buffer.getvalue()


def _rewrite_sheet(  # type: ignore[no-untyped-def]
    source: bytes, name: str, transform, method: int = zipfile.ZIP_DEFLATED, duplicate=None
) -> Path:
    """Copy an xlsx, passing sheet1.xml through `transform` (and, with `duplicate`, adding a
    second entry of the same name holding `duplicate(sheet1.xml)` after the first)."""
    import warnings

    path = OUT / name
    with (
        zipfile.ZipFile(io.BytesIO(source)) as original,
        zipfile.ZipFile(path, "w", method) as copy,
    ):
        for item in original.infolist():
            data = original.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = transform(data)
            info = zipfile.ZipInfo(item.filename, date_time=item.date_time)
            info.compress_type = method
            copy.writestr(info, data)
        if duplicate is not None:
            sheet = original.read("xl/worksheets/sheet1.xml")
            info = zipfile.ZipInfo("xl/worksheets/sheet1.xml", date_time=(2024, 12, 31, 0, 0, 0))
            info.compress_type = method
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # the duplicate name is the point
                copy.writestr(info, duplicate(sheet))
    return path


def _append_rows(rows: bytes):  # type: ignore[no-untyped-def]
    """A transform adding `rows` at the end of the sheet's data."""
    return lambda xml: xml.replace(b"</sheetData>", rows + b"</sheetData>")


def declare_sizes(archive: bytes, sizes: Mapping[str, int]) -> bytes:
    """The archive with the parts named in `sizes` declaring those uncompressed sizes, in
    their local headers and in the central directory (the data itself unchanged)."""
    data = bytearray(archive)
    wanted = {name.encode(): size for name, size in sizes.items()}
    for signature, name_at, size_at, offset in (
        (b"PK\x03\x04", 26, 22, 30),
        (b"PK\x01\x02", 28, 24, 46),
    ):
        start = data.find(signature)
        while start >= 0:
            (length,) = struct.unpack_from("<H", data, start + name_at)
            name = bytes(data[start + offset : start + offset + length])
            if name in wanted:
                struct.pack_into("<I", data, start + size_at, wanted[name])
            start = data.find(signature, start + 4)
    return bytes(data)


def _column(index: int) -> bytes:
    letters = b""
    index += 1
    while index > 0:
        index, rest = divmod(index - 1, 26)
        letters = bytes([65 + rest]) + letters
    return letters


def _ods(rows: bytes) -> bytes:
    """A minimal .ods with one sheet, NhanSu, holding `rows` (table-row elements)."""
    content = (
        b'<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        b'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        b'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        b'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        b'<office:body><office:spreadsheet><table:table table:name="NhanSu">'
        + rows
        + b"</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        b'<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
        b'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
        b'manifest:version="1.2"><manifest:file-entry manifest:full-path="/" '
        b'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        b'<manifest:file-entry manifest:full-path="content.xml" '
        b'manifest:media-type="text/xml"/></manifest:manifest>'
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        stamp = (2024, 12, 31, 0, 0, 0)
        archive.writestr(
            zipfile.ZipInfo("mimetype", stamp), b"application/vnd.oasis.opendocument.spreadsheet"
        )
        for name, data in (("META-INF/manifest.xml", manifest), ("content.xml", content)):
            info = zipfile.ZipInfo(name, stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return buffer.getvalue()


def _ods_row(values: list[str], repeat: int = 1, tail: bytes = b"") -> bytes:
    cells = b"".join(
        b'<table:table-cell office:value-type="string"><text:p>%s</text:p></table:table-cell>'
        % value.encode()
        for value in values
    )
    repeated = b' table:number-rows-repeated="%d"' % repeat if repeat > 1 else b""
    return b"<table:table-row%s>%s%s</table:table-row>" % (repeated, cells, tail)


def _ods_files() -> None:
    """Item 1 in .ods: a 1 kB file whose last row (a value) stands for a million rows, and a
    value 16,000 columns to the right, after an empty cell repeated that often."""
    head = _ods_row(HEADER) + _ods_row(PERSON)
    (OUT / "repeated_row.ods").write_bytes(_ods(head + _ods_row(["x"], repeat=1_000_000)))
    far = (
        b'<table:table-cell table:number-columns-repeated="16000"/>'
        b'<table:table-cell office:value-type="float" office:value="1"/>'
    )
    other = ["HT002", "Trần Thị Bình", "Sở Y tế", "Tỉnh", "Y tế", "Viên chức", "01/02/1990"]
    rows = _ods_row(HEADER) + _ods_row(PERSON, tail=far) + _ods_row(other + PERSON[7:])
    (OUT / "far_cell.ods").write_bytes(_ods(rows))


def _xls_files(good: bytes) -> None:
    """Item 1 in .xls, converted by LibreOffice: a value at IV65536 (calamine would lay out
    65,536 × 256 cells), and a DIMENSIONS record declaring two billion rows (calamine would
    reserve them up front and abort)."""
    import shutil
    import subprocess
    import tempfile

    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        print("LibreOffice is not installed: the .xls files left as they are")
        return
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        source = folder / "far_cell.xlsx"
        source.write_bytes(
            _rewrite_bytes(good, _append_rows(b'<row r="65536"><c r="IV65536"><v>1</v></c></row>'))
        )
        subprocess.run(
            [
                soffice,
                f"-env:UserInstallation=file://{folder / 'profile'}",
                "--headless",
                "--convert-to",
                "xls",
                "--outdir",
                str(folder),
                str(source),
            ],
            check=True,
            capture_output=True,
            timeout=300,
        )
        far = (folder / "far_cell.xls").read_bytes()
    (OUT / "far_cell.xls").write_bytes(far)
    (OUT / "huge_dimensions.xls").write_bytes(declare_dimensions(far, rows=0x7FFFFFFF))


def declare_dimensions(xls: bytes, rows: int) -> bytes:
    """The .xls with every sheet's DIMENSIONS record declaring `rows` rows and 256 columns
    (its cells unchanged): found through the reader's own reading of the container."""
    from kpi_tritue.io import extent_xls

    data = bytearray(xls)
    container = extent_xls._Container(xls)
    stream, positions, block = container.stream(("Workbook", "Book"))
    at = 0
    while at + 4 <= len(stream):
        kind, length = struct.unpack_from("<HH", stream, at)
        if kind == 0x0200 and length == 14:
            for i, byte in enumerate(struct.pack("<IIHH", 0, rows, 0, 256)):
                where = at + 4 + i
                data[positions[where // block] + where % block] = byte
        at += 4 + length
    return bytes(data)


def _rewrite_bytes(source: bytes, transform) -> bytes:  # type: ignore[no-untyped-def]
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(source)) as original,
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as copy,
    ):
        for item in original.infolist():
            data = original.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = transform(data)
            copy.writestr(item, data)
    return buffer.getvalue()


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    good = _good_bytes()

    (OUT / "not_a_workbook.xlsx").write_bytes(bytes(range(256)) * 8)
    (OUT / "truncated.xlsx").write_bytes(good[: len(good) // 2])
    (OUT / "csv_renamed.xlsx").write_text(
        ",".join(HEADER) + "\n" + ",".join(PERSON) + "\n", encoding="utf-8"
    )
    (OUT / "empty_file.xlsx").write_bytes(b"")

    try:
        import msoffcrypto.format.ooxml as ooxml

        encrypted = io.BytesIO()
        ooxml.OOXMLFile(io.BytesIO(good)).encrypt("matkhau", encrypted)
        (OUT / "password.xlsx").write_bytes(encrypted.getvalue())
    except ImportError:
        print("msoffcrypto-tool is not installed: password.xlsx left as it is")

    # A sheet that expands to about 3 GB of XML: rejected by its declared size.
    with (
        zipfile.ZipFile(io.BytesIO(good)) as original,
        zipfile.ZipFile(OUT / "zip_bomb.xlsx", "w", zipfile.ZIP_DEFLATED) as copy,
    ):
        for item in original.infolist():
            if item.filename == "xl/worksheets/sheet1.xml":
                xml = original.read(item.filename)
                head, tail = xml.split(b"</sheetData>")
                with copy.open(item.filename, "w", force_zip64=True) as stream:
                    stream.write(head)
                    block = b" " * (1 << 20)
                    for _ in range(3 * 1024):
                        stream.write(block)
                    stream.write(b"</sheetData>" + tail)
            else:
                copy.writestr(item, original.read(item.filename))

    # A bomb whose directory lies: the sheet declares ten times its compressed size (a
    # plausible sheet), but inflates to 1.5 GB. Only counting what it inflates to finds out.
    lying = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(good)) as original,
        zipfile.ZipFile(lying, "w", zipfile.ZIP_DEFLATED) as copy,
    ):
        for item in original.infolist():
            if item.filename == "xl/worksheets/sheet1.xml":
                head, tail = original.read(item.filename).split(b"</sheetData>")
                with copy.open(item.filename, "w") as stream:
                    stream.write(head)
                    block = b" " * (1 << 20)
                    for _ in range(1536):
                        stream.write(block)
                    stream.write(b"</sheetData>" + tail)
            else:
                copy.writestr(item, original.read(item.filename))
    with zipfile.ZipFile(lying) as reading:
        plausible = {
            i.filename: i.compress_size * 10
            for i in reading.infolist()
            if i.filename.startswith("xl/worksheets/")
        }
    (OUT / "lying_sizes.xlsx").write_bytes(declare_sizes(lying.getvalue(), plausible))

    # The used range claims XFD1048576 but three cells are filled.
    _rewrite_sheet(
        good,
        "huge_dimension.xlsx",
        lambda xml: xml.replace(b'<dimension ref="A1:I3"/>', b'<dimension ref="A1:XFD1048576"/>'),
    )

    workbook = Workbook()
    workbook.active.title = "NhanSu"
    _save(workbook, "empty_workbook.xlsx")

    workbook = Workbook()
    workbook.active.title = "Sheet1"
    workbook.active.append(HEADER)
    workbook.active.append(PERSON)
    _save(workbook, "no_workforce_sheet.xlsx")

    workbook = _good_workbook()
    sheet = workbook.active
    sheet.delete_cols(4)  # Cấp
    _save(workbook, "missing_column.xlsx")

    workbook = _good_workbook()
    workbook.active.cell(row=1, column=10, value="Đơn vị")
    workbook.active.cell(row=2, column=10, value="Sở Nội vụ")
    _save(workbook, "duplicated_headers.xlsx")

    workbook = _good_workbook()
    workbook.active["D2"] = '=IF(1=1,"Tỉnh","Xã")'
    workbook.active["G3"] = "=DATE(1990,2,1)"
    _save(workbook, "formula_without_value.xlsx")

    workbook = _good_workbook()
    sheet = workbook.active
    sheet.append(
        [
            "HT003",
            "Lê Văn Cường",
            None,
            "Tỉnh",
            "Y tế",
            "Viên chức",
            "02/03/1970",
            "Thạc sĩ",
            "Bác sĩ",
        ]
    )
    sheet["C2"] = "Bệnh viện Đa khoa tỉnh"
    sheet.merge_cells("C2:C4")
    _save(workbook, "merged_in_data.xlsx")

    workbook = _good_workbook()
    workbook.active.row_dimensions[3].hidden = True
    hidden = workbook.create_sheet("Nháp")
    hidden.append(["ghi chú nội bộ"])
    hidden.sheet_state = "hidden"
    _save(workbook, "hidden_sheet_and_row.xlsx")

    workbook = _good_workbook()
    # Control characters reach a cell the way Excel stores them: `_x0007_` escapes.
    workbook.active["I2"] = "Bác sĩ_x0007__x001B_[31m" + "x" * 10_000
    workbook.active["C3"] = "UBND\u200b xã\u00a0Kỳ Tân"
    _save(workbook, "control_and_long_text.xlsx")

    # TCVN3 (ABC, font .VnTime): "Sở Y tế" is typed as "Së Y tÕ", "Viên chức" as "Viªn chøc";
    # converted, since the reading is certain.
    workbook = _good_workbook()
    sheet = workbook.active
    sheet["C2"] = "Së Y tÕ"
    sheet["F2"] = "Viªn chøc"
    sheet["C3"] = "UBND x· Kú T©n"
    sheet["F3"] = "C«ng chøc"
    _save(workbook, "tcvn3_text.xlsx")

    # VNI (font VNI-Times): "Sở Y tế" is "Sôû Y teá".
    workbook = _good_workbook()
    sheet = workbook.active
    sheet["C2"] = "Sôû Y teá"
    sheet["F2"] = "Vieân chöùc"
    _save(workbook, "vni_text.xlsx")

    # One column typed in both encodings: no reading is certain, so nothing is converted.
    workbook = _good_workbook()
    sheet = workbook.active
    sheet["F2"] = "Viªn chøc"
    sheet["F3"] = "Coâng chöùc"
    _save(workbook, "legacy_mixed.xlsx")

    # Far cells: calamine would lay a grid of 17 billion cells and abort the process. Each
    # is left out with an info and the sheet read (tests/test_hostile.py).
    far = b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
    _rewrite_sheet(good, "far_cell.xlsx", _append_rows(far))
    _rewrite_sheet(
        good,
        "far_cell_empty_inline.xlsx",
        _append_rows(
            b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t></t></is></c></row>'
        ),
    )
    _rewrite_sheet(
        good,
        "far_cell_past_xfd.xlsx",
        _append_rows(b'<row r="7"><c r="ZZZZZZ7"><v>1</v></c></row>'),
    )
    # Cells without `r` are placed by position: the last of these is column 1,101.
    _rewrite_sheet(
        good,
        "far_cell_without_r.xlsx",
        _append_rows(b"<row>" + b"<c/>" * 1100 + b"<c><v>1</v></c></row>"),
    )
    _rewrite_sheet(
        good,
        "far_cell_prefixed.xlsx",
        _append_rows(
            b'<x:row xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" r="9">'
            b'<x:c r="XFD9"><x:v>1</x:v></x:c></x:row>'
        ),
    )
    # Two entries of the sheet's name: calamine reads the last, which holds the far cell.
    _rewrite_sheet(
        good, "far_cell_duplicate_entry.xlsx", lambda xml: xml, duplicate=_append_rows(far)
    )
    # A stray cell within the grid and the columns read, far below three rows (item 3):
    # calamine would lay out 25 million cells; left out with an info.
    _rewrite_sheet(
        good,
        "stray_cell.xlsx",
        _append_rows(b'<row r="1048576"><c r="X1048576"><v>1</v></c></row>'),
    )
    # 150 values far below the data: more than a few stray cells, so the sheet is refused
    # rather than cut short, naming the cell.
    _rewrite_sheet(
        good,
        "too_many_cells.xlsx",
        _append_rows(
            b"".join(
                b'<row r="%d"><c r="A%d"><v>%d</v></c></row>' % (r, r, r)
                for r in range(900_001, 900_151)
            )
        ),
    )
    # A header 16,384 columns wide (item 4): the columns past AMJ are left out.
    _rewrite_sheet(
        good,
        "wide_header.xlsx",
        lambda xml: xml.replace(
            b"</c></row>",
            b"</c>"
            + b"".join(
                b'<c r="%s1" t="inlineStr"><is><t>C%d</t></is></c>' % (_column(c), c)
                for c in range(len(HEADER), 16_384)
            )
            + b"</row>",
            1,
        ),
    )
    _ods_files()
    _xls_files(good)
    _rewrite_sheet(good, "lzma_compressed.xlsx", lambda xml: xml, method=zipfile.ZIP_LZMA)
    # 2 MB of text in one cell (Excel holds 32,767 characters): a few kB on disk.
    _rewrite_sheet(
        good,
        "long_text_cell.xlsx",
        _append_rows(
            b'<row r="4"><c r="C4" t="inlineStr"><is><t>'
            + b"a" * (2 << 20)
            + b"</t></is></c></row>"
        ),
    )

    print(f"wrote {len(list(OUT.iterdir()))} files to {OUT}")


if __name__ == "__main__":
    main()
