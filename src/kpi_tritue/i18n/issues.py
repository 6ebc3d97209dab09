"""The message of every issue code: what is wrong, and what to do."""

from __future__ import annotations

from kpi_tritue.i18n.lang import Lang

# Issue messages: what is wrong, and what to do. Placeholders are filled from Issue.params.
# A message never quotes a person's name: the loader redacts any value that is one.
ISSUE_MESSAGES: dict[str, dict[Lang, str]] = {
    "file_not_found": {
        "vi": "Không tìm thấy tệp hoặc thư mục {path}. Kiểm tra lại đường dẫn.",
        "en": "No file or folder {path}. Check the path.",
    },
    "not_a_regular_file": {
        "vi": "{path} không phải là tệp thông thường (mà là thiết bị, ống dẫn có tên FIFO, "
        "socket hay thư mục) nên không được đọc: đọc nó có thể không bao giờ dừng. Chỉ ra "
        "chính tệp cần đọc, hoặc chép nội dung vào một tệp thường rồi chạy lại.",
        "en": "{path} is not a regular file (but a device, a named pipe (FIFO), a socket or "
        "a folder), so it is not read: reading it might never end. Name the file itself, "
        "or copy its content into a regular file and run again.",
    },
    "unreadable_path": {
        "vi": "Không đọc được {path} ({detail}). Kiểm tra đường dẫn và quyền đọc tệp.",
        "en": "{path} cannot be read ({detail}). Check the path and that it may be read.",
    },
    "no_workbooks_in_folder": {
        "vi": "Thư mục {path} không có bảng tính nào (.xlsx, .xlsm, .xls, .ods).",
        "en": "The folder {path} holds no workbook (.xlsx, .xlsm, .xls, .ods).",
    },
    "not_a_workbook": {
        "vi": "Tệp không phải là bảng tính Excel (.xlsx, .xlsm, .xls) hay .ods. "
        "Mở tệp bằng Excel hoặc LibreOffice và lưu lại dưới dạng .xlsx.",
        "en": "The file is not an Excel (.xlsx, .xlsm, .xls) or .ods workbook. "
        "Open it in Excel or LibreOffice and save it as .xlsx.",
    },
    "password_protected": {
        "vi": "Bảng tính được đặt mật khẩu nên không đọc được. "
        "Gỡ mật khẩu (Tệp → Thông tin → Bảo vệ sổ làm việc) rồi gửi lại.",
        "en": "The workbook is password-protected and cannot be read. "
        "Remove the password (File → Info → Protect Workbook) and send it again.",
    },
    "archive_mismatch": {
        "vi": "Tệp bị hỏng hoặc bị làm giả: phần {part} bên trong tệp không khớp với kích thước "
        "mà tệp khai báo (có thể là tệp độc hại, một \u201cquả bom nén\u201d). Không đọc tiếp. "
        "Mở tệp bằng Excel, lưu lại thành tệp mới rồi gửi lại.",
        "en": "The file is damaged or forged: its part {part} does not match the size the file "
        "declares (it may be malicious, a zip bomb). It was not read further. Open it in "
        "Excel, save it as a new file and send that.",
    },
    "unreadable_file": {
        "vi": "Không đọc được bảng tính ({detail}). Tệp có thể bị hỏng hoặc lưu dở: "
        "mở bằng Excel hoặc LibreOffice và lưu lại dưới dạng .xlsx.",
        "en": "The workbook cannot be read ({detail}). It may be damaged or half-saved: "
        "open it in Excel or LibreOffice and save it again as .xlsx.",
    },
    "unsupported_compression": {
        "vi": "Phần {part} bên trong tệp được nén bằng phương pháp mà Excel không dùng (LZMA, "
        "bzip2...) nên không đọc được. Mở tệp bằng Excel hoặc LibreOffice, lưu lại dưới dạng "
        ".xlsx rồi gửi lại.",
        "en": "The part {part} inside the file is compressed with a method Excel does not use "
        "(LZMA, bzip2...) and cannot be read. Open the file in Excel or LibreOffice, save it "
        "as .xlsx and send it again.",
    },
    "too_many_cells": {
        "vi": "Trang tính trải tới ô {cell}: vùng dữ liệu sẽ gồm {value} ô, vượt giới hạn an toàn "
        "{limit} ô (8 lần số ô có dữ liệu, ít nhất 1/8 và nhiều nhất bằng {setting}) nên không "
        "được đọc. Nhấn Ctrl+End để tới ô cuối, xóa các dòng và cột thừa sau dữ liệu rồi lưu "
        "lại; nếu dữ liệu thật sự lớn như vậy, tăng giới hạn bằng biến môi trường {setting} "
        "(tới ít nhất {needed}).",
        "en": "The sheet reaches cell {cell}: its range would span {value} cells, over the "
        "safety limit of {limit} cells (8 times the cells holding a value, at least an eighth "
        "of {setting}, at most {setting}), so it was not read. Press Ctrl+End to go to the last "
        "cell, delete the rows and columns beyond your data and save; if the data really is "
        "that large, raise the limit with the environment variable {setting} (to at least "
        "{needed}).",
    },
    "far_cells_ignored": {
        "vi": "{count} ô nằm quá xa vùng dữ liệu (quá cột giới hạn {limit}, quá lưới của Excel "
        "hoặc ở vài dòng lẻ rất xa phía dưới dữ liệu), ô đầu tiên là {first}, đã được bỏ qua. "
        "Nhấn Ctrl+End để tìm và xóa các ô thừa này.",
        "en": "{count} cell(s) far from the data (beyond the columns read ({limit}), beyond "
        "Excel's grid, or in a few stray rows far below the data) were ignored, the first at "
        "{first}. Press Ctrl+End to find them and delete them.",
    },
    "repeated_row": {
        "vi": "Dòng {row} của trang tính chứa dữ liệu và được lặp lại {value} lần (tệp .ods lưu "
        "các dòng giống nhau liền nhau thành một dòng lặp lại), vượt giới hạn an toàn "
        "{setting} ({limit} lần) nên trang tính không được đọc. Mở tệp, xóa các dòng thừa từ "
        "dòng {row} trở xuống rồi lưu lại; nếu dữ liệu thật sự như vậy, tăng giới hạn bằng "
        "biến môi trường {setting}.",
        "en": "Row {row} of the sheet holds values and is repeated {value} times (an .ods "
        "stores equal adjacent rows as one repeated row), over the safety limit {setting} "
        "({limit} times), so the sheet was not read. Open the file, delete the extra rows from "
        "row {row} down and save; if the data really is like that, raise the limit with the "
        "environment variable {setting}.",
    },
    "unreadable_sheet": {
        "vi": "Không đọc được trang tính này ({detail}). Mở tệp và lưu lại dưới dạng .xlsx.",
        "en": "This sheet cannot be read ({detail}). Open the file and save it again as .xlsx.",
    },
    "missing_workforce_sheet": {
        "vi": "Không tệp nào có trang nhân sự (NhanSu); các tệp đã đọc: {files}. "
        "Đưa vào các bảng tính của đơn vị có danh sách cán bộ, hoặc đặt tên trang danh sách "
        "cán bộ là \u201cNhanSu\u201d.",
        "en": "No file has a workforce sheet (NhanSu); files read: {files}. "
        "Add the units' workbooks that list their staff, or name the sheet of staff records "
        "\u201cNhanSu\u201d.",
    },
    "no_contract_sheet": {
        "vi": "Tệp không có trang nào của mẫu báo cáo. Các trang có trong tệp: {sheets}; "
        "các trang của mẫu: {expected}. Đổi tên trang cho đúng mẫu (kpi template), hoặc bỏ "
        "tệp này khỏi thư mục.",
        "en": "The file has no sheet of the form. Its sheets: {sheets}; the form's sheets: "
        "{expected}. Rename the sheets as in the form (kpi template), or leave this file "
        "out of the folder.",
    },
    "own_report_skipped": {
        "vi": "Tệp này là báo cáo do kpi xuất ra, không phải số liệu đầu vào, nên được bỏ qua. "
        "Chỉ đưa vào các bảng tính theo mẫu (kpi template).",
        "en": "This file is a report written by kpi, not input data, and is skipped. "
        "Give only workbooks in the form (kpi template).",
    },
    "info_value_column_missing": {
        "vi": "Trang ThongTin có cột \u201c{item}\u201d nhưng không có cột \u201c{expected}\u201d, "
        "nên năm báo cáo, ngày số liệu và đơn vị báo cáo không được đọc. "
        "Ghi tiêu đề \u201c{expected}\u201d vào ô này và giá trị của từng mục bên dưới.",
        "en": "The ThongTin sheet has a \u201c{item}\u201d column but no \u201c{expected}\u201d "
        "column, so its report year, reference date and reporting unit are not read. "
        "Write the header \u201c{expected}\u201d in this cell and each item's value below it.",
    },
    "unknown_sheet": {
        "vi": "Trang \u201c{name}\u201d không thuộc mẫu báo cáo nên được bỏ qua.",
        "en": "Sheet \u201c{name}\u201d is not part of the form and is ignored.",
    },
    "duplicate_sheet": {
        "vi": "Có hai trang cùng là {expected}: \u201c{other}\u201d và \u201c{name}\u201d. "
        "Chỉ trang \u201c{other}\u201d được đọc; gộp hoặc đổi tên trang còn lại.",
        "en": "Two sheets are both {expected}: \u201c{other}\u201d and \u201c{name}\u201d. "
        "Only \u201c{other}\u201d is read; merge or rename the other.",
    },
    "header_not_found": {
        "vi": "Không tìm thấy dòng tiêu đề trong 20 dòng đầu: thiếu cột {missing}. "
        "Thêm các cột này vào dòng tiêu đề (dòng gần nhất là dòng {best_row}).",
        "en": "No header row in the first 20 rows: missing column(s) {missing}. "
        "Add them to the header row (the closest is row {best_row}).",
    },
    "unknown_column": {
        "vi": "Cột \u201c{value}\u201d không thuộc mẫu nên được bỏ qua.",
        "en": "Column \u201c{value}\u201d is not part of the form and is ignored.",
    },
    "mapped_header_absent": {
        "vi": "Không có cột {headers} mà tệp --columns ánh xạ; cột đó được coi là vắng mặt. "
        "Kiểm tra lại tiêu đề trong tệp --columns nếu tệp này có cột đó.",
        "en": "There is no column {headers}, which the --columns file maps; it is taken as "
        "absent. Check the header in the --columns file if this file has that column.",
    },
    "duplicate_column": {
        "vi": "Cột {expected} xuất hiện hai lần (ô {other} và ô {here}). "
        "Chỉ cột ở ô {other} được đọc; xóa hoặc đổi tên cột còn lại.",
        "en": "Column {expected} appears twice (cells {other} and {here}). "
        "Only the one at {other} is read; delete or rename the other.",
    },
    "totals_row_skipped": {
        "vi": "Dòng tổng cộng được bỏ qua.",
        "en": "Totals row skipped.",
    },
    "section_row_skipped": {
        "vi": "Dòng tiêu đề nhóm \u201c{value}\u201d được bỏ qua (chỉ có STT và một ô chữ).",
        "en": "Group heading row \u201c{value}\u201d skipped (only its number and one text).",
    },
    "workforce_sheet_by_content": {
        "vi": "Trang \u201c{name}\u201d được đọc là trang NhanSu vì dòng tiêu đề của nó có "
        "các cột của danh sách nhân sự.",
        "en": "Sheet \u201c{name}\u201d is read as the NhanSu sheet: its header holds the "
        "columns of a staff list.",
    },
    "workforce_sheets_ambiguous": {
        "vi": "Không trang nào tên NhanSu, và cả hai trang {sheets} đều có tiêu đề của danh "
        "sách nhân sự, nên không trang nào được đọc. Đổi tên trang cần đọc thành NhanSu.",
        "en": "No sheet is named NhanSu and the sheets {sheets} both have the header of a "
        "staff list, so neither is read. Rename the one to read NhanSu.",
    },
    "birth_both_sexes": {
        "vi": "Ngày sinh được ghi ở cả cột Nam ({other}) và cột Nữ (mã {id}). Chỉ ghi ở "
        "cột đúng giới tính của người này.",
        "en": "The birth date is filled in both the Nam (male) column ({other}) and the Nữ "
        "(female) one (ID {id}). Fill in only the column of this person's sex.",
    },
    "sex_disagrees_with_birth_column": {
        "vi": "Giới tính \u201c{value}\u201d không khớp với cột ngày sinh theo giới tính "
        "({other}) (mã {id}). Sửa một trong hai ô.",
        "en": "Sex \u201c{value}\u201d disagrees with the birth-date column of the other "
        "sex ({other}) (ID {id}). Correct one of the two cells.",
    },
    "row_outside_table": {
        "vi": "Dòng chỉ có nội dung ở các cột ngoài mẫu nên được bỏ qua.",
        "en": "The row has content only in columns outside the form and is skipped.",
    },
    "required_blank": {
        "vi": "Chưa điền {field} (mã {id}). Điền giá trị vào ô này.",
        "en": "{field} is blank (ID {id}). Fill in this cell.",
    },
    "birth_blank": {
        "vi": "Thiếu cả ngày sinh và năm sinh (mã {id}). Điền ít nhất một trong hai.",
        "en": "Neither birth date nor birth year is given (ID {id}). Fill in at least one.",
    },
    "birth_mismatch": {
        "vi": "Năm sinh {value} khác năm của ngày sinh {other} (mã {id}); "
        "ngày sinh được dùng. Sửa một trong hai cho khớp.",
        "en": "Birth year {value} differs from the year of the birth date {other} (ID {id}); "
        "the birth date is used. Make them agree.",
    },
    "bad_bool": {
        "vi": "\u201c{value}\u201d không phải là có/không. "
        "Ghi \u201cx\u201d (có) hoặc để trống (không).",
        "en": "\u201c{value}\u201d is not a yes/no value. Write \u201cx\u201d for yes, "
        "leave blank for no.",
    },
    "bad_date": {
        "vi": "\u201c{value}\u201d không phải là ngày hợp lệ. "
        "Ghi theo dạng ngày/tháng/năm, ví dụ 05/09/1985.",
        "en": "\u201c{value}\u201d is not a valid date. Write day/month/year, e.g. 05/09/1985.",
    },
    "date_is_number": {
        "vi": "\u201c{value}\u201d là một số, không phải ngày. Định dạng ô là Ngày "
        "hoặc ghi ngày/tháng/năm; nếu chỉ biết năm, ghi vào cột Năm sinh.",
        "en": "\u201c{value}\u201d is a number, not a date. Format the cell as a date or write "
        "day/month/year; if only the year is known, use the birth-year column.",
    },
    "future_date": {
        "vi": "Ngày {value} sau ngày số liệu {as_of}. Kiểm tra lại ngày.",
        "en": "Date {value} is after the reference date {as_of}. Check the date.",
    },
    "bad_year": {
        "vi": "\u201c{value}\u201d không phải là năm. Ghi năm bằng 4 chữ số, ví dụ 1985.",
        "en": "\u201c{value}\u201d is not a year. Write a four-digit year, e.g. 1985.",
    },
    "year_out_of_range": {
        "vi": "Năm {value} nằm ngoài khoảng 1900\u2013{report_year} (năm báo cáo). "
        "Kiểm tra lại năm.",
        "en": "Year {value} is outside 1900\u2013{report_year} (the report year). Check the year.",
    },
    "bad_number": {
        "vi": "\u201c{value}\u201d không phải là số. Ghi số không có dấu phân cách hàng "
        "nghìn, ví dụ 1320000 hoặc 12.5.",
        "en": "\u201c{value}\u201d is not a number. Write it without thousands separators, "
        "e.g. 1320000 or 12.5.",
    },
    "number_too_large": {
        "vi": "Số \u201c{value}\u201d quá lớn: kpi chỉ nhận số có độ lớn đến {limit} "
        "(giới hạn {setting}). Kiểm tra lại ô này, có thể thừa chữ số; nếu đúng là số "
        "thật, tăng giới hạn bằng biến môi trường {setting} (tối đa {ceiling}).",
        "en": "The number \u201c{value}\u201d is too large: kpi takes numbers up to {limit} "
        "in size (limit {setting}). Check this cell for extra digits; if the figure is "
        "genuine, raise the limit with the environment variable {setting} (at most {ceiling}).",
    },
    "not_whole_number": {
        "vi": "\u201c{value}\u201d phải là số nguyên.",
        "en": "\u201c{value}\u201d must be a whole number.",
    },
    "below_minimum": {
        "vi": "Giá trị {value} không được nhỏ hơn {minimum}.",
        "en": "Value {value} must not be below {minimum}.",
    },
    "above_maximum": {
        "vi": "Giá trị {value} không được lớn hơn {maximum}.",
        "en": "Value {value} must not be above {maximum}.",
    },
    "bad_enum": {
        "vi": "\u201c{value}\u201d không phải là giá trị hợp lệ của cột {field}. "
        "Chọn một trong: {expected}.",
        "en": "\u201c{value}\u201d is not a valid {field}. Use one of: {expected}.",
    },
    "qualification_ambiguous": {
        "vi": "\u201c{value}\u201d không cho biết một trình độ: sau chức danh (dược sĩ, bác sĩ, "
        "kỹ sư, cử nhân\u2026) lại có trung cấp, trung học hay cao đẳng. Ghi trình độ cao nhất "
        "ở đầu ô, ví dụ \u201cTrung cấp Dược\u201d, \u201cCao đẳng Dược\u201d hoặc "
        "\u201cĐại học Dược\u201d.",
        "en": "\u201c{value}\u201d names no single level: a degree word (dược sĩ, bác sĩ, "
        "kỹ sư, cử nhân\u2026) is followed by trung cấp, trung học or cao đẳng. Write the "
        "highest level first, e.g. \u201cTrung cấp Dược\u201d, \u201cCao đẳng Dược\u201d "
        "or \u201cĐại học Dược\u201d.",
    },
    "date_read_as_year": {
        "vi": "Ô {field} định dạng ngày hiện {value}, tức là số {year} gõ vào ô ngày: đã đọc "
        "là năm sinh {year}. Nếu đúng, định dạng ô là Số (hoặc ghi ngày/tháng/năm) để khỏi "
        "nhầm.",
        "en": "The {field} cell is formatted as a date and shows {value}, which is the number "
        "{year} typed into a date cell: it was read as the birth year {year}. If that is "
        "right, format the cell as a number (or write day/month/year) to avoid the mix-up.",
    },
    "formula_without_value": {
        "vi": "Ô chứa công thức nhưng chưa có giá trị được lưu (tệp do phần mềm khác tạo ra); "
        "kpi không tự tính công thức. Mở tệp bằng Excel hoặc LibreOffice, lưu lại rồi gửi.",
        "en": "The cell holds a formula whose value was never saved (the file was written by "
        "another program); kpi does not evaluate formulas. Open the file in Excel or "
        "LibreOffice, save it and send it again.",
    },
    "limit_exceeded": {
        "vi": "Tệp vượt giới hạn an toàn {setting}: phần {part} là {value}, giới hạn {limit}. "
        "Có thể là tệp độc hại (\u201czip bomb\u201d); nếu đúng là tệp thật, tăng giới hạn "
        "bằng biến môi trường {setting}.",
        "en": "The file exceeds the safety limit {setting}: {part} is {value}, the limit is "
        "{limit}. It may be a malicious file (a zip bomb); if it is a genuine file, raise the "
        "limit with the environment variable {setting}.",
    },
    "more_issues": {
        "vi": "Còn {count} vấn đề cùng loại {code} nữa trong trang này, vấn đề đầu tiên ở dòng "
        "này (mỗi loại chỉ liệt kê {limit} vấn đề đầu tiên: giới hạn {setting}). Thường là cùng "
        "một lỗi lặp lại: sửa như ở các ô đã nêu rồi chạy lại; muốn liệt kê hết, tăng giới hạn "
        "bằng biến môi trường {setting}.",
        "en": "{count} more {code} issue(s) in this sheet, the first at this row (only the first "
        "{limit} of each kind are listed: the limit {setting}). It is usually one mistake "
        "repeated: fix it as in the cells listed and run again; to list them all, raise the "
        "limit with the environment variable {setting}.",
    },
    "name_in_text_column": {
        "vi": "Ô {field} chứa họ tên của một người có trong cột Họ và tên (có thể nhập nhầm "
        "cột). Giá trị này được ẩn ở mọi kết quả và dòng được coi là có lỗi; sửa ô thành "
        "{field} đúng.",
        "en": "The {field} cell holds the name of someone in a Họ và tên column (a column "
        "typed in the wrong place?). It is hidden from every output and the row counts as "
        "wrong; put the right {field} in the cell.",
    },
    "id_column_holds_names": {
        "vi": "Cột {field} có vẻ chứa họ tên chứ không phải mã (tiêu đề Mã và Họ và tên bị "
        "đổi chỗ?). Mã của trang này được ẩn (***) ở mọi kết quả. Kiểm tra lại dòng tiêu đề.",
        "en": "Column {field} seems to hold names, not IDs (the Mã and Họ và tên headers "
        "swapped?). This sheet's IDs are hidden (***) in every output. Check the header row.",
    },
    "legacy_encoding_converted": {
        "vi": "Cột {field} được gõ bằng bảng mã {encoding} cũ; {count} ô đã được chuyển sang "
        "Unicode để tính (ví dụ \u201c{value}\u201d thành \u201c{converted}\u201d). Nên chuyển "
        "cả bảng tính sang Unicode (Unikey: Công cụ chuyển mã, {encoding} → Unicode) để các "
        "phần mềm khác cũng đọc được.",
        "en": "Column {field} was typed in the legacy {encoding} encoding; {count} cells were "
        "converted to Unicode for the computation (e.g. \u201c{value}\u201d became "
        "\u201c{converted}\u201d). Convert the workbook to Unicode (Unikey's converter, "
        "{encoding} → Unicode) so that other software reads it too.",
    },
    "legacy_encoding": {
        "vi": "Cột {field} có vẻ được gõ bằng bảng mã {encoding} cũ, không phải Unicode "
        "(ví dụ ô này: \u201c{value}\u201d, {count} ô như vậy). Chuyển bảng tính sang "
        "Unicode (Unikey: Công cụ chuyển mã, {encoding} → Unicode) rồi gửi lại.",
        "en": "Column {field} looks typed in the legacy {encoding} encoding, not Unicode "
        "(e.g. this cell: \u201c{value}\u201d; {count} such cells). Convert the workbook to "
        "Unicode (Unikey's converter, {encoding} → Unicode) and send it again.",
    },
    "cell_error": {
        "vi": "Ô chứa lỗi công thức Excel ({value}). Sửa công thức hoặc nhập giá trị.",
        "en": "The cell holds an Excel formula error ({value}). Fix the formula or type the value.",
    },
    "teacher_without_school_level": {
        "vi": "Giáo viên (mã {id}) chưa có Cấp học. Ghi Mầm non, Tiểu học, THCS hoặc THPT.",
        "en": "Teacher (ID {id}) has no school level. Write Mầm non, Tiểu học, THCS or THPT.",
    },
    "duplicate_id": {
        "vi": "Mã {id} trùng với dòng {other}. Mỗi người chỉ có một dòng: "
        "xóa dòng trùng hoặc sửa mã.",
        "en": "ID {id} is also at {other}. Each person has one row: "
        "delete the duplicate or correct the ID.",
    },
    "duplicate_person": {
        "vi": "Cùng một người với {other} (cùng họ tên và ngày sinh). Mỗi người chỉ có "
        "một dòng: xóa dòng trùng, hoặc sửa họ tên hay ngày sinh nếu là hai người.",
        "en": "The same person as {other} (same name and birth date). Each person has one "
        "row: delete the duplicate, or correct the name or birth date if they are two people.",
    },
    "duplicate_person_year": {
        "vi": "Có thể là cùng một người với {other} (cùng họ tên và năm sinh). Kiểm tra: "
        "nếu đúng, xóa dòng trùng; nếu là hai người, ghi đủ ngày sinh của cả hai.",
        "en": "Perhaps the same person as {other} (same name and birth year). Check: if so, "
        "delete the duplicate; if they are two people, give both full birth dates.",
    },
    "talent_without_year": {
        "vi": "Nhân tài (mã {id}) không có Năm thu hút hay Năm tuyển dụng nên "
        "không được tính vào tỷ lệ giữ chân nhân tài.",
        "en": "Talent (ID {id}) has neither attracted year nor recruited year, so is left "
        "out of the retention cohort.",
    },
    "duplicate_row": {
        "vi": "{key} đã có ở {other}. Mỗi mục chỉ ghi một lần: xóa dòng trùng.",
        "en": "{key} is already at {other}. Give each entry once: delete the duplicate.",
    },
    "conflicting_row": {
        "vi": "{key} có giá trị khác với {other}. Thống nhất số liệu giữa hai nơi.",
        "en": "{key} differs from {other}. Make the two agree.",
    },
    "repeated_row_merged": {
        "vi": "{key} giống hệt {other}; chỉ tính một lần.",
        "en": "{key} is identical to {other}; counted once.",
    },
    "bad_report_year": {
        "vi": "\u201c{value}\u201d không phải là năm báo cáo. Ghi năm bằng 4 chữ số, ví dụ 2025.",
        "en": "\u201c{value}\u201d is not a report year. Write a four-digit year, e.g. 2025.",
    },
    "bad_as_of": {
        "vi": "\u201c{value}\u201d không phải là ngày số liệu hợp lệ. "
        "Ghi ngày/tháng/năm, ví dụ 31/12/2025.",
        "en": "\u201c{value}\u201d is not a valid reference date. "
        "Write day/month/year, e.g. 31/12/2025.",
    },
    "unit_attribute_missing": {
        "vi": "Không biết {field} của đơn vị \u201c{unit}\u201d (mã {id}): danh mục đơn vị "
        "(trang DonVi) không có đơn vị này, hoặc có mà bỏ trống {field}. Thêm đơn vị vào "
        "DonVi với {field} của nó, hoặc ghi {field} vào dòng này.",
        "en": "The {field} of the unit \u201c{unit}\u201d (ID {id}) is unknown: the units "
        "registry (the DonVi sheet) lacks this unit, or leaves its {field} blank. Add the "
        "unit to DonVi with its {field}, or write the {field} in this row.",
    },
    "unit_attributes_unavailable": {
        "vi": "NhanSu không có cột {fields}, và không tệp nào của lần chạy có danh mục đơn vị "
        "(trang DonVi) ghi {fields} của các đơn vị. Thêm cột {fields} vào NhanSu, hoặc đưa "
        "tệp danh mục đơn vị vào cùng lần chạy (kpi compute donvi.xlsx <các tệp báo cáo>).",
        "en": "NhanSu has no {fields} column, and no file of the run has a units registry "
        "(a DonVi sheet) giving the units' {fields}. Add the {fields} column to NhanSu, or "
        "pass the registry workbook with the reports (kpi compute donvi.xlsx <reports>).",
    },
    "unit_attribute_differs": {
        "vi": "{field} \u201c{value}\u201d (mã {id}) khác với {field} \u201c{other_value}\u201d "
        "của đơn vị \u201c{unit}\u201d trong danh mục đơn vị ở {other}; giá trị của dòng "
        "này được dùng. Sửa một trong hai cho khớp.",
        "en": "{field} \u201c{value}\u201d (ID {id}) differs from the {field} "
        "\u201c{other_value}\u201d of the unit \u201c{unit}\u201d in the units registry at "
        "{other}; this row\u2019s value is used. Make the two agree.",
    },
    "unit_attribute_disputed": {
        "vi": "Danh mục đơn vị ghi {field} của \u201c{unit}\u201d là \u201c{value}\u201d ở "
        "đây nhưng \u201c{other_value}\u201d ở {other}, nên {count} dòng NhanSu của đơn vị "
        "này không lấy được {field}. Thống nhất các dòng DonVi của đơn vị.",
        "en": "The units registry gives \u201c{unit}\u201d the {field} \u201c{value}\u201d "
        "here but \u201c{other_value}\u201d at {other}, so {count} NhanSu rows of this unit "
        "get no {field} from it. Make the unit\u2019s DonVi rows agree.",
    },
    "category_unavailable": {
        "vi": "NhanSu không có cột {field} nên không biết Loại của các dòng trong tệp; tệp "
        "không được tính. Ghi mục \u201c{item}\u201d vào trang ThongTin (ví dụ {examples}), "
        "hoặc đặt category trong [NhanSu.defaults] của tệp --columns.",
        "en": "NhanSu has no {field} column, so the category of the file\u2019s rows is "
        "unknown; the file is not counted. Add the item \u201c{item}\u201d to the ThongTin "
        "sheet (e.g. {examples}), or set category in the --columns file\u2019s "
        "[NhanSu.defaults].",
    },
    "bad_category": {
        "vi": "\u201c{value}\u201d không phải là một Loại. Ghi một trong: {expected}.",
        "en": "\u201c{value}\u201d is not a category. Write one of: {expected}.",
    },
    "info_mismatch": {
        "vi": "Ngày số liệu {value} không thuộc năm báo cáo {report_year}; "
        "ngày số liệu được dùng. Sửa một trong hai cho khớp.",
        "en": "The reference date {value} is not in the report year {report_year}; "
        "the reference date is used. Make them agree.",
    },
    "report_years_differ": {
        "vi": "Các tệp thuộc các năm báo cáo khác nhau nên không gộp được ({years}; "
        "“+N”: N tệp nữa của năm đó). Mỗi năm được kiểm tra riêng. Tính riêng từng "
        "năm (chỉ đưa vào các tệp của một năm), hoặc dùng kpi trend để xem xu hướng.",
        "en": "The files belong to different report years and cannot be combined ({years}; "
        "“+N”: N more files of that year). Each year is checked on its own. Compute "
        "each year on its own (give only the files of one year), or use kpi trend.",
    },
    "same_data_as": {
        "vi": "{file} chứa đúng dữ liệu của {other}: có lẽ cùng một bảng tính được đưa vào hai "
        "lần dưới hai tên. Dữ liệu của {file} không được gộp thêm lần nữa. Bỏ một trong hai "
        "tệp (hoặc thay bằng tệp đúng của đơn vị) rồi chạy lại.",
        "en": "{file} holds the same data as {other}: most likely one workbook given twice "
        "under two names. The data of {file} are not added a second time. Remove one of the "
        "two files (or replace it with the unit's own) and run again.",
    },
    "as_of_today": {
        "vi": "Không có trang ThongTin và không có --as-of: lấy ngày hôm nay ({as_of}) làm ngày "
        "số liệu, nên kết quả (tuổi, năm của số liệu, đạt hay không đạt) sẽ đổi theo ngày "
        "chạy. Thêm trang ThongTin ghi Năm báo cáo hoặc Ngày số liệu, hoặc chạy với "
        "--as-of (ví dụ --as-of 31/12/2024).",
        "en": "No ThongTin sheet and no --as-of: today ({as_of}) is taken as the reference "
        "date, so the results (ages, the year of figures, met or not met) will change with "
        "the day they are run. Add a ThongTin sheet giving Năm báo cáo or Ngày số liệu, or "
        "run with --as-of (e.g. --as-of 31/12/2024).",
    },
    "as_of_differs": {
        "vi": "Các tệp có ngày số liệu khác nhau ({dates}); dùng ngày muộn nhất {as_of}.",
        "en": "The files have different reference dates ({dates}); the latest, {as_of}, is used.",
    },
    "unit_without_staff": {
        "vi": "Đơn vị \u201c{unit}\u201d có trong danh sách DonVi nhưng không có người nào "
        "trong NhanSu: đơn vị chưa gửi số liệu? Bổ sung số liệu hoặc bỏ đơn vị khỏi DonVi.",
        "en": "Unit \u201c{unit}\u201d is registered in DonVi but has nobody in NhanSu: "
        "has it not reported yet? Add its records or remove it from DonVi.",
    },
    "unit_not_registered": {
        "vi": "Đơn vị \u201c{unit}\u201d có người trong NhanSu nhưng không có trong DonVi; "
        "các chỉ tiêu dựa vào DonVi (định mức sau đại học, đối ngoại) không tính đơn vị này.",
        "en": "Unit \u201c{unit}\u201d has people in NhanSu but is not in DonVi; indicators "
        "that use DonVi (postgraduate norms, foreign affairs) leave it out.",
    },
    # Raised while computing (engine.py).
    "figure_earlier_year": {
        "vi": "Trang SoLieu không có {metric} của năm {report_year}; dùng số liệu năm {year}.",
        "en": "SoLieu gives no {metric} for {report_year}; the figure of {year} is used.",
    },
    # Two-level local government since 1 July 2025 (compute/applicability.py).
    "district_level_abolished": {
        "vi": "{count} dòng ở cấp Huyện (dòng đầu tiên ở ô này) trong số liệu ngày {as_of}, "
        "trong khi cấp huyện đã được bãi bỏ từ ngày {abolished}. Chuyển những người này "
        "về cấp Tỉnh hoặc Xã nơi họ đang công tác.",
        "en": "{count} rows at level Huyện (district; the first at this cell) in data as of "
        "{as_of}, although the district level was abolished on {abolished}. Move these "
        "people to the level (Tỉnh or Xã) where they now work.",
    },
    "indicator_level_abolished": {
        "vi": "Chỉ tiêu {indicator} chỉ áp dụng đến ngày {until} ({reason_vi}), nhưng số "
        "liệu ngày {as_of} vẫn có đối tượng nên vẫn được tính như trước. Kiểm tra lại cấp "
        "của những người được tính.",
        "en": "The indicator {indicator} applies until {until} ({reason_en}), but the data "
        "as of {as_of} still have a population for it, so it is computed as before. Check "
        "the level of the people counted.",
    },
    "figure_part_exceeds_total": {
        "vi": "{metric} năm {year} ({value}) lớn hơn {total_metric} ({total}), mà nó là một "
        "phần; chỉ tiêu dùng hai số này chưa tính được. Sửa lại một trong hai số.",
        "en": "{metric} {year} ({value}) is larger than {total_metric} ({total}), of which it "
        "is a part; the indicators that use them cannot be computed. Correct one of the two.",
    },
    "figure_part_without_total": {
        "vi": "Có {metric} (năm {year}) nhưng không có {total_metric} để tách ra nên {metric} "
        "không được dùng. Thêm dòng {total_metric} vào trang SoLieu.",
        "en": "{metric} ({year}) is given but {total_metric}, of which it is a part, is not, "
        "so {metric} is not used. Add a {total_metric} row to the SoLieu sheet.",
    },
    "figure_total_differs": {
        "vi": "{metric} năm {year} của toàn tỉnh ({value}) khác tổng các địa bàn ({total}); "
        "dòng toàn tỉnh được dùng. Kiểm tra lại cho khớp.",
        "en": "{metric} {year} for the whole province ({value}) differs from the sum of its "
        "areas ({total}); the province row is used. Make them agree.",
    },
    "unknown_milestone": {
        "vi": "Mốc \u201c{value}\u201d không có trong danh mục chỉ tiêu nên được bỏ qua. "
        "Ghi một mã mốc ({expected}) hoặc tên tiếng Việt của mốc.",
        "en": "Milestone \u201c{value}\u201d is not in the indicator catalog and is ignored. "
        "Write a milestone id ({expected}) or its Vietnamese name.",
    },
    "breakdown_without_area": {
        "vi": "Không chia theo địa bàn được cho các chỉ tiêu tính theo người: "
        "trang DonVi chưa có cột Địa bàn.",
        "en": "Person-based indicators cannot be broken down by area: DonVi has no "
        "Địa bàn (area) column.",
    },
    # Raised while reading several report years (trend.py).
    "trend_year_unknown": {
        "vi": "Không biết tệp thuộc năm báo cáo nào: không có Năm báo cáo hay Ngày số liệu "
        "trong trang ThongTin. Xem xu hướng cần biết năm của từng tệp: thêm trang ThongTin "
        "ghi Năm báo cáo (ví dụ 2025), hoặc dùng --as-of.",
        "en": "The file's report year is unknown: its ThongTin sheet gives neither Năm báo "
        "cáo nor Ngày số liệu. A trend needs the year of each file: add a ThongTin sheet "
        "giving Năm báo cáo (e.g. 2025), or use --as-of.",
    },
    "trend_figure_differs": {
        "vi": "{metric} năm {year} ở đây ({value}) khác với {other} ({used}); dùng số liệu "
        "ở {other} (ưu tiên báo cáo của chính năm đó, rồi báo cáo mới nhất). "
        "Thống nhất số liệu giữa các tệp.",
        "en": "{metric} {year} here ({value}) differs from {other} ({used}); the figure at "
        "{other} is used (the year's own report first, then the latest). "
        "Make the files agree.",
    },
    "column_absent_in_file": {
        "vi": "Tệp thiếu {count} cột mà tệp khác có: {fields}; các dòng của tệp này được "
        "coi là không báo cáo các cột đó. Nếu đơn vị có số liệu này, dùng mẫu mới "
        "(kpi template) và gửi lại.",
        "en": "This file lacks {count} column(s) that other files have: {fields}; its rows "
        "count as not reporting them. If the unit has these figures, have it use the "
        "current form (kpi template) and send the file again.",
    },
    # Leadership flags from the position text (io/roles.py).
    "positions_unmatched": {
        "vi": "{count} chức vụ khác nhau không khớp quy tắc nào của [[roles]] nên không "
        "suy ra cờ lãnh đạo ({shown} chức vụ nhiều dòng nhất, số dòng trong ngoặc): "
        "{positions}. Nếu đó là chức vụ lãnh đạo, thêm cụm từ vào [[roles]] của danh mục "
        "(--targets).",
        "en": "{count} distinct positions match no [[roles]] rule, so no leadership flag is "
        "derived from them (the {shown} with most rows, rows in brackets): {positions}. If "
        "some are leadership positions, add their phrases to the catalog's [[roles]] "
        "(--targets).",
    },
    "flag_column_blank": {
        "vi": "Cột {field} có nhưng không dòng nào được đánh dấu (cột trống) nên mọi dòng được "
        "coi là \u201ckhông\u201d, "
        "dù {count} dòng có chức vụ khớp quy tắc [[roles]] của cờ này. Điền cột, hoặc xóa "
        "cột để cờ được suy ra từ cột Chức vụ.",
        "en": "Column {field} is there but no row is marked (the column is blank), so every "
        "row counts as \u201cno\u201d, "
        "although {count} rows have a position matching this flag's [[roles]] rule. Fill "
        "the column, or remove it so that the flag is derived from Chức vụ.",
    },
    "roles_not_in_catalog": {
        "vi": "Danh mục không có [[roles]] nên không suy ra {fields} từ cột Chức vụ; các "
        "chỉ tiêu cần cờ này không có số liệu. Thêm [[roles]] vào danh mục (docs/catalog.md).",
        "en": "The catalog has no [[roles]], so {fields} are not derived from Chức vụ; the "
        "indicators that need them have no data. Add [[roles]] to the catalog "
        "(docs/catalog.md).",
    },
}
