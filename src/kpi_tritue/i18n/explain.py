"""The words of `kpi explain`: the catalog's filters as sentences, and the table's labels."""

from __future__ import annotations

from kpi_tritue.i18n.lang import Lang

TEXT: dict[str, dict[Lang, str]] = {
    # The catalog's filters as sentences (compute/explain.py).
    "explain.or": {"vi": " hoặc ", "en": " or "},
    "explain.yes": {"vi": "có", "en": "yes"},
    "explain.no": {"vi": "không", "en": "no"},
    "explain.prefix": {"vi": "bắt đầu bằng", "en": "starts with"},
    "explain.every_row": {"vi": "mọi dòng", "en": "every row"},
    "explain.report_year": {"vi": "năm báo cáo", "en": "report year"},
    "explain.default": {"vi": "không có thì {value}", "en": "{value} when absent"},
    "explain.year_only": {"vi": "chỉ số liệu năm {year}", "en": "{year} only"},
    "explain.units_of": {"vi": "Đơn vị trong {sheet}", "en": "Units of {sheet}"},
    "explain.has_norm": {"vi": "có {norm}", "en": "with a {norm}"},
    "explain.people": {
        "vi": "có người ({where}) trong {sheet}",
        "en": "with people ({where}) in {sheet}",
    },
    "explain.meets": {
        "vi": "tỷ lệ % người có {qualifying} ≥ {norm}",
        "en": "the share (%) of them with {qualifying} ≥ the {norm}",
    },
    "explain.milestone_state": {
        "vi": "{sheet}: {name} — {state}",
        "en": "{sheet}: {name} — {state}",
    },
    # Columns the engine derives, named as a filter reads them.
    "explain.derived.age": {"vi": "Tuổi", "en": "Age"},
    "explain.derived.postgraduate": {"vi": "Trình độ sau đại học", "en": "Postgraduate"},
    "explain.derived.leader": {
        "vi": "Lãnh đạo quản lý hoặc Lãnh đạo chủ chốt",
        "en": "Manager or key leader",
    },
    "explain.derived.profession_key": {
        "vi": "Chức danh nghề nghiệp",
        "en": "Professional title",
    },
    # Columns filled from another when blank (workbook.py): said so, or the count looks wrong.
    "explain.fallback.attracted_year": {
        "vi": "Năm thu hút (trống thì Năm tuyển dụng)",
        "en": "Attracted year (blank: recruited year)",
    },
    # The table, its header lines and columns (render/explain.py).
    "explain.title": {"vi": "Giải trình chỉ tiêu {id}", "en": "Explaining indicator {id}"},
    "explain.clause": {"vi": "mục {clause}", "en": "clause {clause}"},
    "explain.as_of": {
        "vi": "Ngày số liệu {as_of} (năm báo cáo {year}); nguồn: {files}.",
        "en": "Data as of {as_of} (report year {year}); sources: {files}.",
    },
    "explain.value": {
        "vi": "Giá trị: {value} · Mục tiêu: {target} · Đánh giá: {status}",
        "en": "Value: {value} · Target: {target} · Status: {status}",
    },
    "explain.amounts": {
        "vi": "Tử số: {numerator} · Mẫu số: {denominator}",
        "en": "Numerator: {numerator} · Denominator: {denominator}",
    },
    "explain.numerator": {"vi": "Tử số", "en": "Numerator"},
    "explain.condition": {"vi": "Điều kiện", "en": "Condition"},
    "explain.denominator": {"vi": "Mẫu số", "en": "Denominator"},
    "explain.note": {"vi": "Ghi chú: {note}", "en": "Note: {note}"},
    "explain.override": {
        "vi": "Tính từ số liệu của trang SoLieu (bảng dưới) thay cho việc đếm các dòng NhanSu.",
        "en": "Computed from the SoLieu figures below instead of counting NhanSu rows.",
    },
    "explain.counted": {
        "vi": "Số dòng được đếm: {numerator} ở tử số, {denominator} ở mẫu số.",
        "en": "Rows counted: {numerator} in the numerator, {denominator} in the denominator.",
    },
    "explain.rows": {"vi": "Các dòng được đếm", "en": "Rows counted"},
    "explain.no_rows": {"vi": "Không có dòng nào được đếm.", "en": "No row is counted."},
    "explain.more": {
        "vi": "… và {count} dòng nữa: xem đủ với --format csv.",
        "en": "… and {count} more rows: see them all with --format csv.",
    },
    "explain.figures": {"vi": "Số liệu SoLieu được dùng", "en": "SoLieu figures used"},
    "explain.units": {"vi": "Các đơn vị so với định mức", "en": "Units against their norm"},
    "explain.milestone": {
        "vi": "Trạng thái đọc ở {place}: {state}.",
        "en": "State read at {place}: {state}.",
    },
    "explain.col.file": {"vi": "Tệp", "en": "File"},
    "explain.col.sheet": {"vi": "Trang", "en": "Sheet"},
    "explain.col.row": {"vi": "Dòng", "en": "Row"},
    "explain.col.id": {"vi": "Mã", "en": "ID"},
    "explain.col.specialty": {"vi": "Chuyên khoa", "en": "Specialty"},
    "explain.col.unit": {"vi": "Đơn vị", "en": "Unit"},
    "explain.col.counted_in": {"vi": "Tính vào", "en": "Counted in"},
    "explain.col.metric": {"vi": "Chỉ tiêu", "en": "Metric"},
    "explain.col.year": {"vi": "Năm", "en": "Year"},
    "explain.col.area": {"vi": "Địa bàn", "en": "Area"},
    "explain.col.value": {"vi": "Giá trị", "en": "Value"},
    "explain.col.weight": {"vi": "Hệ số", "en": "Weight"},
    "explain.col.where": {"vi": "Vị trí", "en": "Where"},
    "explain.col.people": {"vi": "Số người", "en": "People"},
    "explain.col.qualifying": {"vi": "Đạt yêu cầu", "en": "Qualifying"},
    "explain.col.share": {"vi": "Tỷ lệ %", "en": "Share %"},
    "explain.col.norm": {"vi": "Định mức %", "en": "Norm %"},
    "explain.col.meets": {"vi": "Đạt định mức", "en": "Meets"},
    "explain.counted_in.numerator+denominator": {
        "vi": "tử số + mẫu số",
        "en": "numerator + denominator",
    },
    "explain.counted_in.numerator": {"vi": "tử số", "en": "numerator"},
    "explain.counted_in.denominator": {"vi": "mẫu số", "en": "denominator"},
    "explain.province": {"vi": "toàn tỉnh", "en": "whole province"},
    "explain.earlier": {"vi": "{year} (năm trước)", "en": "{year} (earlier year)"},
    "explain.absent": {"vi": "không có: dùng mặc định", "en": "absent: default used"},
    "explain.row": {"vi": "dòng {row}", "en": "row {row}"},
    # Rows counted through a leadership flag derived from the position (io/roles.py).
    "explain.roles": {
        "vi": "Cờ lãnh đạo của các dòng có cột Quy tắc được suy ra từ Chức vụ theo [[roles]] "
        "của danh mục (tệp không có cột cờ đó).",
        "en": "The leadership flags of the rows with a Rule were derived from Chức vụ by the "
        "catalog's [[roles]] (their file has no column for that flag).",
    },
    "explain.col.position": {"vi": "Chức vụ", "en": "Position"},
    "explain.col.role": {"vi": "Quy tắc", "en": "Rule"},
    "explain.role": {"vi": "{flag} ← \u201c{phrase}\u201d", "en": "{flag} ← \u201c{phrase}\u201d"},
}
