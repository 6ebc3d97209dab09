"""The help of `kpi` and its options (`cli.py`), which Typer shows as "vi (en)": both
languages at once, since the help is written before `--lang` is read."""

from __future__ import annotations

from kpi_tritue.i18n.lang import Lang

TEXT: dict[str, dict[Lang, str]] = {
    "cli.help.app": {
        "vi": "Tính các chỉ tiêu của Kế hoạch phát triển đội ngũ trí thức tỉnh Hà Tĩnh đến 2030.",
        "en": "Indicator calculator for Hà Tĩnh's intellectual-workforce plan to 2030.",
    },
    "cli.help.files": {
        "vi": "Bảng tính (.xlsx, .xlsm, .xls, .ods) hoặc thư mục chứa bảng tính.",
        "en": "Workbooks or folders of workbooks.",
    },
    "cli.help.as_of": {
        "vi": "Ngày số liệu (dd/mm/yyyy hoặc yyyy-mm-dd); mặc định lấy từ trang ThongTin.",
        "en": "Reference date; defaults to the ThongTin sheet.",
    },
    "cli.help.debug": {
        "vi": "Hiện chi tiết lỗi nội bộ.",
        "en": "Show tracebacks.",
    },
    "cli.help.targets": {
        "vi": "Danh mục chỉ tiêu khác (TOML), xem docs/catalog.md.",
        "en": "Another indicator catalog, see docs/catalog.md.",
    },
    "cli.help.by": {
        "vi": "Tính thêm theo nhóm: unit | level | sector | area.",
        "en": "Also per group.",
    },
    "cli.help.baseline": {
        "vi": "Kết quả JSON lần trước (kpi compute --format json) để so sánh.",
        "en": "A previous JSON result to compare with.",
    },
    "cli.help.skip_invalid": {
        "vi": "Bỏ qua các dòng có lỗi thay vì dừng lại.",
        "en": "Leave rows with errors out.",
    },
    "cli.help.xlsx": {
        "vi": "Ghi thêm báo cáo Excel vào tệp này (như kpi export).",
        "en": "Also write the Excel report, as kpi export does.",
    },
    "cli.help.export_output": {
        "vi": "Tệp Excel kết quả (.xlsx).",
        "en": "The .xlsx file to write.",
    },
    "cli.help.template_output": {
        "vi": "Tệp mẫu sẽ ghi.",
        "en": "The file to write.",
    },
    "cli.help.force": {
        "vi": "Ghi đè tệp đã có.",
        "en": "Replace an existing file.",
    },
    "cli.help.fail_on": {
        "vi": "Trạng thái làm cổng thất bại, cách nhau bằng dấu phẩy: not_met, above_range, "
        "no_data.",
        "en": "Statuses that fail the gate.",
    },
    "cli.help.junit": {
        "vi": "Ghi kết quả dạng JUnit XML cho máy chủ CI.",
        "en": "Write JUnit XML for CI.",
    },
    "cli.help.indicator": {
        "vi": "Mã chỉ tiêu (xem kpi indicators).",
        "en": "Indicator ID, see kpi indicators.",
    },
    "cli.help.version": {
        "vi": "In phiên bản.",
        "en": "Version.",
    },
    # Said as "Ngôn ngữ / language: vi | en."
    "cli.help.lang": {"vi": "Ngôn ngữ", "en": "language"},
}
