"""The input contract written out for people (`render/contract_doc.py`, and the template's
instructions in `render/template.py`): `docs/input-format.md` is this text."""

from __future__ import annotations

from kpi_tritue.i18n.lang import Lang

TEXT: dict[str, dict[Lang, str]] = {
    # The general rules before the sheets; `{true}` and `{false}` are the yes/no spellings.
    "contract.intro": {
        "vi": """# Mẫu bảng tính đầu vào

Tài liệu này được sinh từ `src/kpi_tritue/contract/schema.py`: đây chính là những gì `kpi` đọc được.

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

This document is generated from `src/kpi_tritue/contract/schema.py`: it is exactly what `kpi` reads.

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
    },
    "contract.type.text": {"vi": "chữ", "en": "text"},
    "contract.type.bool": {"vi": "có/không", "en": "yes/no"},
    "contract.type.date": {"vi": "ngày", "en": "date"},
    "contract.type.year": {"vi": "năm", "en": "year"},
    "contract.type.int": {"vi": "số nguyên", "en": "whole number"},
    "contract.type.number": {"vi": "số", "en": "number"},
    "contract.type.enum": {"vi": "danh mục", "en": "list"},
    "contract.heading.column": {"vi": "Cột (tên chuẩn)", "en": "Column (canonical)"},
    "contract.heading.key": {"vi": "Khóa", "en": "Key"},
    "contract.heading.type": {"vi": "Kiểu", "en": "Type"},
    "contract.heading.required": {"vi": "Bắt buộc", "en": "Required"},
    "contract.heading.aliases": {"vi": "Tên khác, giá trị", "en": "Aliases, values"},
    "contract.sheet_line": {
        "vi": "Tên khác của trang: {aliases}. {required}",
        "en": "Other names of the sheet: {aliases}. {required}",
    },
    "contract.sheet.required": {
        "vi": "Trang bắt buộc ở ít nhất một tệp của lượt đọc: một tệp có thể chỉ có các "
        "trang khác (số liệu của tỉnh, danh sách đơn vị).",
        "en": "Required sheet, in at least one file of the run: a file may hold only other "
        "sheets (the province's figures, the units registry).",
    },
    "contract.sheet.optional": {"vi": "Trang không bắt buộc.", "en": "Optional sheet."},
    "contract.yes": {"vi": "có", "en": "yes"},
    "contract.one_of": {"vi": "một trong hai", "en": "one of the two"},
    # Official lists (official-lists.md, section 1): a qualification with its specialty
    # and a year in a birth-date cell; the table of leading words is `qualification.py`'s.
    "contract.qualification.heading": {
        "vi": "## Trình độ ghi kèm chuyên ngành",
        "en": "## A qualification written with its specialty",
    },
    "contract.qualification.intro": {
        "vi": "Cột `Trình độ chuyên môn` nhận đúng một giá trị danh mục (như trên), hoặc trình "
        "độ ghi kèm chuyên ngành (`ThS. Quản lý kinh tế`, `Bác sĩ CKI Nội`, `Cử nhân Kinh "
        "tế`): trình độ được đọc từ các từ đầu ô theo bảng dưới (trọn từ, không phân biệt "
        "hoa thường, dấu và dấu câu; cụm dài nhất được ưu tiên: `Bác sĩ CKII` là Chuyên khoa "
        "II, không phải Đại học), phần còn lại là chuyên ngành và không được dùng. {doctor} "
        "đứng trước một cụm chuyên khoa hay nội trú cũng được. Ô không bắt đầu bằng cụm nào là "
        "lỗi; chức danh theo sau là {ambiguous} (`Dược sĩ trung học`) là lỗi vì không rõ trình "
        "độ.",
        "en": "The `Trình độ chuyên môn` column takes a list value exactly (as above), or a "
        "level written with its specialty (`ThS. Quản lý kinh tế`, `Bác sĩ CKI Nội`, `Cử "
        "nhân Kinh tế`): the level is read from the cell's leading words by the table below "
        "(whole words, regardless of case, diacritics and punctuation; the longest phrase "
        "first: `Bác sĩ CKII` is Chuyên khoa II, not Đại học), the rest is the specialty and "
        "is not used. {doctor} may come before a specialist or resident phrase. A cell that "
        "starts with no phrase is an error; a degree word followed by {ambiguous} (`Dược sĩ "
        "trung học`) is an error, since the level is open.",
    },
    "contract.qualification.col.level": {"vi": "Trình độ", "en": "Level"},
    "contract.qualification.col.words": {"vi": "Các từ đầu ô", "en": "Leading words"},
    "contract.birth_years": {
        "vi": "Trong cột ngày sinh, một số nguyên từ 1900 đến năm báo cáo (ô số, hoặc chữ "
        "gồm đúng 4 chữ số) là năm sinh, không phải lỗi; `01/1985` là ngày sai. Một ô định "
        "dạng ngày mà số ngày của Excel nằm trong khoảng đó (1985 gõ vào ô ngày hiện thành "
        "07/06/1905) được đọc là năm bằng số đó, kèm một cảnh báo.",
        "en": "In a birth-date column, a whole number from 1900 to the report year (a number "
        "cell, or text of exactly four digits) is a birth year, not an error; `01/1985` is a "
        "bad date. A date-formatted cell whose Excel serial number lies in that range (1985 "
        "typed into a date cell shows as 07/06/1905) is read as the year equal to it, with "
        "a warning.",
    },
}
