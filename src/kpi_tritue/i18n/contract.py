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
    "contract.official.heading": {
        "vi": "## Danh sách theo mẫu của Bộ Nội vụ",
        "en": "## Lists in the Ministry of Home Affairs' layout",
    },
    "contract.official.rules": {
        "vi": "Danh sách cán bộ, công chức, viên chức đơn vị đang giữ được đọc nguyên như vậy:\n\n"
        "- **Tên trang bất kỳ.** Khi không trang nào tên `NhanSu`, trang hiện (không ẩn) duy "
        "nhất có dòng tiêu đề (20 dòng đầu) gồm Đơn vị, Trình độ chuyên môn, một cột ngày/năm "
        "sinh và `Mã` hoặc `Họ và tên` được đọc là `NhanSu` (kèm một thông tin); hai trang như "
        "vậy là một lỗi nêu cả hai.\n"
        "- **Ngày sinh tách theo giới tính.** Tiêu đề ngày sinh phủ hai cột con `Nam` và `Nữ` "
        "(dòng dưới gộp vào tiêu đề; `Năm` không phải `Nam`): ô nào có giá trị cho ngày sinh và "
        "giới tính của cột đó; cả hai ô đều có là lỗi ở ô bên phải; cột `Giới tính` nếu có phải "
        "khớp (lỗi ở ô Giới tính).\n"
        "- **Không có `Mã`.** Khi đó cần `Họ và tên`; một người được nhận ra bằng họ tên (giữ "
        "dấu, không phân biệt hoa thường) cùng ngày sinh (hoặc năm sinh) và giới tính: trùng cả "
        "ngày sinh là lỗi, chỉ trùng năm sinh là cảnh báo. Thông báo chỉ nêu ô, không bao giờ "
        "nêu tên. `STT` không bao giờ là mã.\n"
        "- **Dòng tiêu đề nhóm.** Dòng chỉ có ô STT và một ô chữ được bỏ qua (kèm thông tin) khi "
        "STT là số La Mã hoặc chữ cái (`I`, `II`, `A`, `a)`), hoặc chữ viết hoa toàn bộ, hoặc "
        "chữ là một đơn vị của `DonVi` (khi lần chạy không có `DonVi` nào: một đơn vị mà chính "
        "danh sách ghi ở cột Đơn vị); nếu không, đó là một người và các ô trống là lỗi.\n"
        "- **`Cấp` và `Lĩnh vực`** thiếu (cột hoặc ô) được lấy từ dòng của đơn vị trong `DonVi` "
        "của bất kỳ tệp nào trong lần chạy (`kpi compute donvi.xlsx bao-cao/`), rồi từ "
        "`[NhanSu.defaults]` của tệp `--columns`; không có là lỗi ở ô Đơn vị. Ô của NhanSu khác "
        "`DonVi` là cảnh báo nêu cả hai ô.\n"
        "- **`Loại`** của cả tệp lấy từ mục `Loại` trong trang `ThongTin` của chính tệp, rồi từ "
        "`[NhanSu.defaults]`; không có cả hai thì tệp bị từ chối (một lỗi).\n"
        "- **Cờ lãnh đạo** (`Lãnh đạo quản lý`, `Lãnh đạo chủ chốt`, `Ủy viên ban thường vụ`) "
        "thiếu cột được suy ra từ `Chức vụ` theo các quy tắc `[[roles]]` của danh mục chỉ tiêu "
        "(bảng dưới: danh mục kèm theo). Chức vụ được tách ở `,` `;` `-` `–` và chữ `kiêm`; mỗi "
        "phần khớp một cụm từ đứng đầu nó (trọn từ, giữ dấu: `trường` không phải `trưởng`). "
        "`kpi validate` liệt kê các chức vụ không khớp quy tắc nào; `kpi explain` nêu chức vụ "
        "và quy tắc của mỗi người được tính nhờ cờ suy ra. JSON `derived` nói cột nào được suy "
        "ra ở tệp nào.",
        "en": "A staff list as a unit keeps it is read as it is:\n\n"
        "- **Any sheet name.** When no sheet is named `NhanSu`, the one visible sheet whose "
        "header (first 20 rows) holds Đơn vị, Trình độ chuyên môn, a birth header and `Mã` or "
        "`Họ và tên` is read as `NhanSu` (with an info); two such sheets are one error naming "
        "both.\n"
        "- **Birth date split by sex.** A birth header over two sub-columns `Nam` and `Nữ` (the "
        "row below joins the header; `Năm` is not `Nam`): the filled cell gives the birth date "
        "and that column's sex; both filled is an error at the right-hand cell; a `Giới tính` "
        "column, where present, must agree (an error at its cell).\n"
        "- **No `Mã`.** `Họ và tên` is then needed; a person is known by the name (diacritics "
        "kept, case ignored) with the birth date (or year) and sex: the same full date is an "
        "error, the same year only a warning. Messages cite cells, never the name. `STT` is "
        "never an ID.\n"
        "- **Group headings.** A row holding only the STT cell and one text cell is skipped "
        "(with an info) when the STT is a Roman numeral or a letter (`I`, `II`, `A`, `a)`), or "
        "the text is all capitals, or the text is a unit of `DonVi` (with no `DonVi` in the run: "
        "a unit the list itself names in its Đơn vị column); otherwise it is a person, and its "
        "blanks are errors.\n"
        "- **`Cấp` and `Lĩnh vực`**, where the column or the cell is missing, come from the "
        "unit's `DonVi` row in any file of the run (`kpi compute donvi.xlsx reports/`), then "
        "from the `--columns` file's `[NhanSu.defaults]`; neither is an error at the unit cell. "
        "A NhanSu cell that disagrees with `DonVi` is a warning naming both cells.\n"
        "- **`Loại`** of a whole file comes from its own `ThongTin` item `Loại`, then from "
        "`[NhanSu.defaults]`; with neither the file is refused (one error).\n"
        "- **Leadership flags** (`Lãnh đạo quản lý`, `Lãnh đạo chủ chốt`, `Ủy viên ban thường "
        "vụ`) whose column is missing are derived from `Chức vụ` by the catalog's `[[roles]]` "
        "(below: the shipped catalog's). A position is split on `,` `;` `-` `–` and the word "
        "`kiêm`; each part matches a phrase it starts with (whole words, diacritics kept: "
        "`trường` is not `trưởng`). `kpi validate` lists the positions that matched no rule; "
        "`kpi explain` shows the position and rule behind each person counted through a derived "
        "flag. JSON `derived` says which columns were derived in which file.",
    },
    "contract.official.col.flag": {"vi": "Cờ", "en": "Flag"},
    "contract.official.col.levels": {"vi": "Cấp của dòng", "en": "Level of the row"},
    "contract.official.col.phrases": {
        "vi": "Chức vụ bắt đầu bằng",
        "en": "The position starts with",
    },
    "contract.official.any_level": {"vi": "mọi cấp", "en": "any"},
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
    "contract.columns_doc": {
        "vi": "Bảng tính theo mẫu riêng của đơn vị (tiêu đề, giá trị khác): đọc qua một tệp "
        "ánh xạ `--columns FILE.toml`, xem [columns.md](columns.md).\n",
        "en": "A workbook in a unit's own layout (other headers, other values) is read "
        "through a mapping file, `--columns FILE.toml`: see [columns.md](columns.md).\n",
    },
}
