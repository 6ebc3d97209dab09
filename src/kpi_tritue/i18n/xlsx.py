"""The gap report workbook's own labels (`render/xlsx_report.py`), and its trend sheet's
(`render/xlsx_trend.py`, keys `xlsx.trend.`); the labels it shares with the terminal table
are `report.` keys."""

from __future__ import annotations

from kpi_tritue.i18n.lang import Lang

TEXT: dict[str, dict[Lang, str]] = {
    "xlsx.sheet.summary": {"vi": "Tổng hợp", "en": "Summary"},
    "xlsx.sheet.chart": {"vi": "Biểu đồ", "en": "Chart"},
    "xlsx.sheet.breakdown": {"vi": "Theo {by}", "en": "By {by}"},
    "xlsx.sheet.issues": {"vi": "Vấn đề dữ liệu", "en": "Data issues"},
    "xlsx.issues.title": {
        "vi": "Các vấn đề của dữ liệu đầu vào",
        "en": "Problems found in the input data",
    },
    "xlsx.sheet.info": {"vi": "Thông tin", "en": "Information"},
    "xlsx.col.note": {"vi": "Ghi chú", "en": "Note"},
    "xlsx.col.ci95": {"vi": "Khoảng tin cậy 95 %", "en": "95 % interval"},
    "xlsx.col.id": {"vi": "Mã chỉ tiêu", "en": "Indicator id"},
    "xlsx.col.code": {"vi": "Mã", "en": "Code"},
    "xlsx.col.file": {"vi": "Tệp", "en": "File"},
    "xlsx.col.sheet": {"vi": "Trang", "en": "Sheet"},
    "xlsx.col.row": {"vi": "Dòng", "en": "Row"},
    "xlsx.col.column": {"vi": "Cột", "en": "Column"},
    "xlsx.col.cell": {"vi": "Ô", "en": "Cell"},
    "xlsx.col.item": {"vi": "Mục", "en": "Item"},
    "xlsx.col.content": {"vi": "Nội dung", "en": "Value"},
    "xlsx.col.sha256": {"vi": "SHA-256", "en": "SHA-256"},
    "xlsx.col.target_min": {"vi": "Mục tiêu (mức tối thiểu)", "en": "Target (lower bound)"},
    "xlsx.row.target": {"vi": "Mục tiêu", "en": "Target"},
    "xlsx.row.province": {"vi": "Toàn tỉnh", "en": "Whole province"},
    "xlsx.chart.title": {
        "vi": "Hiện nay so với mục tiêu (%)",
        "en": "Value against target (%)",
    },
    "xlsx.chart.value": {"vi": "Hiện nay", "en": "Value"},
    "xlsx.chart.target": {"vi": "Mục tiêu", "en": "Target"},
    "xlsx.chart.note": {
        "vi": "Với mục tiêu là một khoảng (ví dụ 15–20 %), cột mục tiêu là mức tối thiểu.",
        "en": "For a target band (such as 15–20 %), the target bar is its lower bound.",
    },
    "xlsx.breakdown.title": {"vi": "Các chỉ tiêu theo {by}", "en": "Indicators by {by}"},
    "xlsx.sources.many": {
        "vi": "Nguồn: {count} tệp (xem trang {sheet}).",
        "en": "Sources: {count} files (see the {sheet} sheet).",
    },
    "xlsx.info.title": {"vi": "Thông tin về báo cáo", "en": "About this report"},
    "xlsx.info.tool": {"vi": "Công cụ", "en": "Tool"},
    "xlsx.info.run_time": {"vi": "Thời điểm chạy", "en": "Run at"},
    "xlsx.info.as_of": {"vi": "Ngày số liệu", "en": "Data as of"},
    "xlsx.info.as_of_source": {"vi": "Ngày số liệu lấy theo", "en": "Reference date from"},
    "xlsx.info.report_year": {"vi": "Năm báo cáo", "en": "Report year"},
    "xlsx.info.catalog": {"vi": "Danh mục chỉ tiêu", "en": "Indicator catalog"},
    "xlsx.info.target_year": {"vi": "Năm mục tiêu", "en": "Target year"},
    "xlsx.info.by": {"vi": "Chia theo nhóm", "en": "Breakdown"},
    "xlsx.info.skipped": {
        "vi": "Số dòng có lỗi đã bỏ qua (--skip-invalid)",
        "en": "Rows with errors left out (--skip-invalid)",
    },
    "xlsx.info.errors": {"vi": "Số lỗi", "en": "Errors"},
    "xlsx.info.warnings": {"vi": "Số cảnh báo", "en": "Warnings"},
    "xlsx.info.infos": {"vi": "Số thông tin", "en": "Info"},
    "xlsx.info.sources": {"vi": "Tệp nguồn", "en": "Source files"},
    "xlsx.info.derived": {
        "vi": "Cột NhanSu được suy ra (không đọc từ tệp)",
        "en": "NhanSu columns derived (not read from the file)",
    },
    "xlsx.col.derived": {"vi": "Cột và nguồn", "en": "Column and source"},
    "xlsx.derived.line": {"vi": "{column}: lấy từ {source}", "en": "{column}: taken from {source}"},
    "xlsx.derived.DonVi": {
        "vi": "danh mục đơn vị (trang DonVi) theo đơn vị của từng dòng",
        "en": "the units registry (the DonVi sheet), by each row\u2019s unit",
    },
    "xlsx.derived.ThongTin": {
        "vi": "mục Loại trong trang ThongTin của tệp",
        "en": "the Loại item of the file\u2019s ThongTin sheet",
    },
    "xlsx.derived.defaults": {
        "vi": "[NhanSu.defaults] của tệp --columns",
        "en": "the --columns file\u2019s [NhanSu.defaults]",
    },
    "xlsx.derived.position": {
        "vi": "Chức vụ, theo các quy tắc [[roles]] của danh mục chỉ tiêu",
        "en": "the position (Chức vụ), by the catalog\u2019s [[roles]] rules",
    },
    "xlsx.derived.birth_columns": {
        "vi": "cột ngày sinh Nam / Nữ",
        "en": "the Nam / Nữ birth-date columns",
    },
    "xlsx.info.percent": {
        "vi": "Tỷ lệ ghi theo đơn vị phần trăm (81,8 nghĩa là 81,8 %); khoảng cách của tỷ lệ "
        "tính bằng điểm phần trăm.",
        "en": "Percentages are stored in percent units (81.8 means 81.8 %); the gap of a "
        "percentage is in percentage points.",
    },
    "xlsx.none": {"vi": "—", "en": "—"},
    "xlsx.footer.page": {"vi": "Trang &P/&N", "en": "Page &P of &N"},
    "xlsx.written": {"vi": "Đã ghi {path}", "en": "Wrote {path}"},
    # The trend sheet.
    "xlsx.trend.sheet": {"vi": "Xu hướng", "en": "Trend"},
    "xlsx.trend.charts": {"vi": "Biểu đồ xu hướng", "en": "Trend charts"},
    "xlsx.trend.title": {
        "vi": "Xu hướng các chỉ tiêu qua các năm",
        "en": "Indicators over the years",
    },
    "xlsx.trend.id": {"vi": "Mã", "en": "ID"},
    "xlsx.trend.name": {"vi": "Chỉ tiêu", "en": "Indicator"},
    "xlsx.trend.target": {"vi": "Mục tiêu", "en": "Target"},
    "xlsx.trend.projection": {"vi": "Dự báo năm mục tiêu", "en": "Projection"},
    "xlsx.trend.ratio": {"vi": "Tỷ lệ tiến độ", "en": "Progress ratio"},
    "xlsx.trend.class": {"vi": "Xếp loại", "en": "Class"},
    "xlsx.trend.series": {"vi": "Giá trị", "en": "Value"},
}
