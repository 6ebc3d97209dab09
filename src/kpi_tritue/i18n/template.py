"""The blank input workbook's words (`render/template.py`): its instructions sheet, the
comments on the headers and the messages of its drop-down lists."""

from __future__ import annotations

from kpi_tritue.i18n.lang import Lang

TEXT: dict[str, dict[Lang, str]] = {
    "template.sheet.instructions": {"vi": "Hướng dẫn", "en": "Instructions"},
    "template.title": {
        "vi": "Mẫu báo cáo đội ngũ trí thức (kpi)",
        "en": "Intellectual-workforce report workbook (kpi)",
    },
    "template.subtitle": {
        "vi": "Mẫu do {tool} {version} tạo. Kiểm tra tệp đã điền bằng: kpi validate <tệp>.",
        "en": "Written by {tool} {version}. Check a filled-in file with: kpi validate <file>.",
    },
    "template.how": {"vi": "Cách điền", "en": "How to fill it in"},
    "template.rules": {"vi": "Quy ước chung", "en": "General rules"},
    "template.columns": {"vi": "Các trang và các cột", "en": "Sheets and columns"},
    "template.col.column": {"vi": "Cột", "en": "Column"},
    "template.col.type": {"vi": "Kiểu", "en": "Type"},
    "template.col.required": {"vi": "Bắt buộc", "en": "Required"},
    "template.col.values": {"vi": "Giá trị được nhận", "en": "Accepted values"},
    "template.col.notes": {"vi": "Ghi chú", "en": "Notes"},
    "template.aliases": {"vi": "Tên khác: {names}", "en": "Other names: {names}"},
    "template.also": {"vi": "cũng nhận: {names}", "en": "also: {names}"},
    "template.bool": {
        "vi": "x = có; để trống = không. Cũng nhận: có = {true}; không = {false}",
        "en": "x = yes; blank = no. Also accepted: yes = {true}; no = {false}",
    },
    "template.date": {
        "vi": "ngày/tháng/năm (31/12/2025) hoặc ô ngày của Excel; không hiểu theo tháng/ngày",
        "en": "day/month/year (31/12/2025) or an Excel date; never read as month/day",
    },
    "template.year": {
        "vi": "năm, từ {low} đến năm báo cáo",
        "en": "a year, from {low} to the report year",
    },
    "template.range": {"vi": "số từ {low} đến {high}", "en": "a number from {low} to {high}"},
    "template.minimum": {"vi": "số ≥ {low}", "en": "a number ≥ {low}"},
    "template.whole": {"vi": "số nguyên ≥ {low}", "en": "a whole number ≥ {low}"},
    "template.milestones": {
        "vi": "mã mốc hoặc tên mốc trong danh mục: {names}",
        "en": "a milestone id or name of the catalog: {names}",
    },
    "template.info.values": {
        "vi": "Năm báo cáo: năm (2025); Ngày số liệu: ngày (31/12/2025); "
        "Đơn vị báo cáo: tên đơn vị",
        "en": "Năm báo cáo (report year): a year (2025); Ngày số liệu (data as of): a date "
        "(31/12/2025); Đơn vị báo cáo (reporting unit): its name",
    },
    "template.prompt.list": {
        "vi": "Chọn trong danh sách (giá trị đồng nghĩa cũng được nhận).",
        "en": "Pick from the list (synonyms are accepted too).",
    },
    "template.error.list": {
        "vi": "Giá trị không có trong danh sách. Được nhận: {values}",
        "en": "Not a value of the list. Accepted: {values}",
    },
    "template.error.bool": {
        "vi": "Ghi x nếu có, để trống nếu không.",
        "en": "Write x for yes, leave blank for no.",
    },
    "template.error.number": {
        "vi": "Cột này cần {what}.",
        "en": "This column needs {what}.",
    },
    "template.sheet.line": {
        "vi": "Trang {name} ({en}). {required} Tên khác của trang: {aliases}.",
        "en": "Sheet {name} ({en}). {required} Other names of the sheet: {aliases}.",
    },
    # "How to fill it in": one bullet each, in this order.
    "template.how.1": {
        "vi": "Mỗi trang dữ liệu có tiêu đề cột ở dòng 1; điền từ dòng 2: trang NhanSu mỗi dòng "
        "một người, các trang khác mỗi dòng một mục. Không đổi tên trang và tên cột.",
        "en": "Each data sheet has its column headers in row 1; fill in from row 2: one person a "
        "row in NhanSu, one item a row elsewhere. Do not rename the sheets or the columns.",
    },
    "template.how.2": {
        "vi": "Cột có tiêu đề màu cam là bắt buộc (Ngày sinh, Năm sinh: điền ít nhất một trong "
        "hai); trỏ chuột vào tiêu đề để xem giải thích.",
        "en": "Orange headers are required columns (Ngày sinh, Năm sinh: at least one of the "
        "two); hover over a header for its explanation.",
    },
    "template.how.3": {
        "vi": "Cột có/không: ghi x nếu có, để trống nếu không. Nếu đơn vị không theo dõi một cột, "
        "hãy xóa hẳn cột đó: chỉ tiêu cần cột ấy sẽ là “thiếu số liệu”, không phải 0 %.",
        "en": "Yes/no columns: write x for yes, leave blank for no. If a unit does not record a "
        "column, delete the whole column: indicators that need it then show “no data”, "
        "not 0 %.",
    },
    "template.how.4": {
        "vi": "Ô có danh sách chọn: bấm mũi tên để chọn. Cách viết đồng nghĩa (Cấp tỉnh, QLNN, "
        "CKI…) vẫn được nhận dù Excel có hỏi lại.",
        "en": "Cells with a drop-down list: click the arrow to pick a value. Synonyms (Cấp tỉnh, "
        "QLNN, CKI…) are accepted even if Excel asks again.",
    },
    "template.how.5": {
        "vi": "Trang ThongTin: điền Năm báo cáo, Ngày số liệu và Đơn vị báo cáo vào cột Giá trị. "
        "Trang SoLieu: mỗi dòng một số liệu (Dân số, Số lớp…), chọn Chỉ tiêu trong danh sách.",
        "en": "ThongTin sheet: fill in Năm báo cáo (report year), Ngày số liệu (data as of) and "
        "Đơn vị báo cáo (reporting unit) in the Giá trị column. SoLieu sheet: one figure a "
        "row (population, classes…), its Chỉ tiêu picked from the list.",
    },
    "template.how.6": {
        "vi": "Họ và tên chỉ dùng trong đơn vị: kpi không bao giờ in, xuất hay nêu họ tên.",
        "en": "Full names stay in the unit: kpi never prints, exports or quotes a name.",
    },
    "template.how.7": {
        "vi": "Không cần chép lại danh sách đang có: danh sách theo mẫu của Bộ Nội vụ (ngày sinh "
        "tách hai cột Nam, Nữ; không có cột Mã; chức vụ, trình độ ghi bằng chữ) cũng được đọc "
        "nguyên như vậy, xem docs/input-format.md.",
        "en": "No need to retype an existing list: a list in the Ministry of Home Affairs' "
        "layout (birth date split into Nam and Nữ columns, no Mã column, position and "
        "qualification as text) is read as it is, see docs/input-format.md.",
    },
}
