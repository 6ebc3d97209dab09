"""The input contract written out for people, in Vietnamese and English, from `schema.py`.

`docs/input-format.md` is this text; a test keeps the two equal, so the document can
never drift from what the reader accepts.
"""

from __future__ import annotations

from kpi_tritue.contract.schema import CONTRACT, ColumnSpec, SheetSpec, ValueType
from kpi_tritue.contract.values import FALSE_SPELLINGS, TRUE_SPELLINGS
from kpi_tritue.i18n import Lang

_TYPE_TEXT: dict[ValueType, dict[Lang, str]] = {
    ValueType.TEXT: {"vi": "chữ", "en": "text"},
    ValueType.BOOL: {"vi": "có/không", "en": "yes/no"},
    ValueType.DATE: {"vi": "ngày", "en": "date"},
    ValueType.YEAR: {"vi": "năm", "en": "year"},
    ValueType.INT: {"vi": "số nguyên", "en": "whole number"},
    ValueType.NUMBER: {"vi": "số", "en": "number"},
    ValueType.ENUM: {"vi": "danh mục", "en": "list"},
}

_INTRO: dict[Lang, str] = {
    "vi": """# Mẫu bảng tính đầu vào

Tài liệu này được sinh từ `src/kpi_tritue/schema.py`: đây chính là những gì `kpi` đọc được.

- Đọc tệp `.xlsx`, `.xlsm` (không chạy macro), `.xls` và `.ods`. Có thể đưa nhiều tệp hoặc
  cả thư mục; các tệp được gộp lại, tệp đầu vào không bao giờ bị sửa.
- Tên trang, tiêu đề cột và giá trị danh mục được so khớp không phân biệt hoa thường,
  dấu, dạng Unicode (NFC/NFD) và dấu câu: `Họ và tên`, `HỌ VÀ TÊN`, `Ho va ten` là một.
- Dòng tiêu đề là dòng đầu tiên (trong 20 dòng đầu) có đủ các cột bắt buộc; các dòng tên
  báo cáo phía trên được bỏ qua. Dòng đánh số cột ngay dưới tiêu đề (`(1)`, `(2)`, `A`…),
  dòng trống, dòng tiêu đề nhóm (`I. KHỐI TỈNH`) và dòng `Tổng cộng` được bỏ qua.
- Ô gộp theo chiều dọc (ví dụ tên đơn vị gộp cho nhiều người) được hiểu là giá trị của
  từng dòng.
- Ngày: ô ngày của Excel, `2025-12-31`, hoặc `ngày/tháng/năm` (`31/12/2025`, `5/3/1985`;
  không bao giờ hiểu theo thứ tự tháng/ngày).
- Có/không: có = {true}; không = để trống, {false}.
- Cột vắng mặt nghĩa là không báo cáo: chỉ tiêu cần cột đó là `no_data`, không phải 0 %.
- Ngày số liệu lấy theo thứ tự: tùy chọn `--as-of`; `Ngày số liệu` trong trang
  `ThongTin`; 31/12 của `Năm báo cáo`; ngày hôm nay.
""",
    "en": """# The input workbook

This document is generated from `src/kpi_tritue/schema.py`: it is exactly what `kpi` reads.

- `.xlsx`, `.xlsm` (macros never run), `.xls` and `.ods` are read. Several files or whole
  folders may be given; they are consolidated, and no input file is ever written to.
- Sheet names, column headers and list values match regardless of case, diacritics,
  Unicode form (NFC/NFD) and punctuation: `Họ và tên`, `HỌ VÀ TÊN`, `Ho va ten` are one.
- The header row is the first row (of the first 20) holding every required column; title
  rows above it are ignored. A column-code row right under it (`(1)`, `(2)`, `A`…), empty
  rows, group headings (`I. KHỐI TỈNH`) and `Tổng cộng` (totals) rows are skipped.
- A vertically merged cell (a unit name merged over its staff rows) counts for each row.
- Dates: an Excel date, `2025-12-31`, or `day/month/year` (`31/12/2025`, `5/3/1985`; never
  read as month/day).
- Yes/no: yes = {true}; no = blank, {false}.
- An absent column means "not reported": indicators that need it are `no_data`, not 0 %.
- The reference date is, first to last: the `--as-of` option; `Ngày số liệu` in the
  `ThongTin` sheet; 31 December of `Năm báo cáo`; today.
""",
}

_HEADINGS: dict[Lang, tuple[str, ...]] = {
    "vi": ("Cột (tên chuẩn)", "Khóa", "Kiểu", "Bắt buộc", "Tên khác, giá trị"),
    "en": ("Column (canonical)", "Key", "Type", "Required", "Aliases, values"),
}
_SHEET_LINE: dict[Lang, str] = {
    "vi": "Tên khác của trang: {aliases}. {required}",
    "en": "Other names of the sheet: {aliases}. {required}",
}
_REQUIRED_SHEET: dict[Lang, tuple[str, str]] = {
    "vi": ("Trang bắt buộc.", "Trang không bắt buộc."),
    "en": ("Required sheet.", "Optional sheet."),
}
_YES: dict[Lang, str] = {"vi": "có", "en": "yes"}
_ONE_OF: dict[Lang, str] = {"vi": "một trong hai", "en": "one of the two"}


def _words(words: tuple[str, ...]) -> str:
    return ", ".join(f"`{w}`" for w in words)


def _column_notes(column: ColumnSpec, lang: Lang) -> str:
    notes = [f"`{a}`" for a in column.aliases]
    note = column.note_vi if lang == "vi" else column.note_en
    if note:
        notes.append(note)
    if column.enum is not None:
        values = []
        for value in column.enum.values:
            synonyms = ", ".join(f"`{s}`" for s in value.synonyms)
            label = f"**{value.vi}**" if lang == "vi" else f"**{value.vi}** ({value.en})"
            values.append(f"{label} ({synonyms})" if synonyms else label)
        notes.append("; ".join(values))
    if column.minimum is not None or column.maximum is not None:
        low = "" if column.minimum is None else f"≥ {column.minimum:g}"
        high = "" if column.maximum is None else f"≤ {column.maximum:g}"
        notes.append(" ".join(part for part in (low, high) if part))
    return "; ".join(notes)


def _required(sheet: SheetSpec, column: ColumnSpec, lang: Lang) -> str:
    if column.required:
        return _YES[lang]
    if any(column.key in group for group in sheet.one_of):
        return _ONE_OF[lang]
    return ""


def render_contract(lang: Lang) -> str:
    lines = [_INTRO[lang].format(true=_words(TRUE_SPELLINGS), false=_words(FALSE_SPELLINGS))]
    for sheet in CONTRACT.sheets:
        required = sheet.key == "workforce"
        lines.append(f"## `{sheet.name}` ({sheet.en})\n")
        aliases = ", ".join(f"`{a}`" for a in (*sheet.aliases, sheet.key))
        lines.append(
            _SHEET_LINE[lang].format(
                aliases=aliases, required=_REQUIRED_SHEET[lang][0 if required else 1]
            )
            + "\n"
        )
        lines.append("| " + " | ".join(_HEADINGS[lang]) + " |")
        lines.append("|" + " --- |" * len(_HEADINGS[lang]))
        for column in sheet.columns:
            lines.append(
                f"| {column.header} | `{column.key}` | {_TYPE_TEXT[column.type][lang]} | "
                f"{_required(sheet, column, lang)} | {_column_notes(column, lang)} |"
            )
        lines.append("")
    return "\n".join(lines)


def render_document() -> str:
    """Vietnamese first, then English."""
    return render_contract("vi") + "\n---\n\n" + render_contract("en")
