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
    "cli.help.annotate": {
        "vi": "Ghi vào thư mục này một bản sao của mỗi tệp có lỗi hay cảnh báo, tên "
        "<tệp>.kiem-tra.xlsx: ô lỗi tô đỏ, ô cảnh báo tô vàng, mỗi ô kèm ghi chú, trang đầu liệt "
        "kê các vấn đề và cách sửa. Tệp gốc không bị sửa; thư mục được tạo nếu chưa có.",
        "en": "Write to this folder a copy of each file with an error or a warning, named "
        "<file>.kiem-tra.xlsx: error cells filled red, warning cells yellow, each with a "
        "comment, and a first sheet listing the problems and how to fix them. The input is "
        "never changed; the folder is created if missing.",
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
        "vi": "Điều kiện làm cổng thất bại, cách nhau bằng dấu phẩy: not_met, above_range, "
        "no_data, off_track (xu hướng không kịp mục tiêu, cần --history), regressed (xa mục "
        "tiêu hơn lần trước, cần --baseline).",
        "en": "Conditions that fail the gate: not_met, above_range, no_data, off_track (the "
        "trend will not reach the target; needs --history), regressed (farther from the "
        "target than the --baseline).",
    },
    "cli.help.history": {
        "vi": "Bảng tính hoặc thư mục của các năm báo cáo trước, cho off_track; lặp lại tùy "
        "chọn cho nhiều tệp.",
        "en": "Workbooks or folders of earlier report years, for off_track; repeat for several.",
    },
    "cli.help.tolerance": {
        "vi": "Với regressed: chỉ tính là lùi khi xa mục tiêu thêm hơn X (đơn vị của chỉ tiêu).",
        "en": "For regressed: fail only when farther from the target by more than X (in the "
        "indicator's unit).",
    },
    "cli.help.junit": {
        "vi": "Ghi kết quả dạng JUnit XML cho máy chủ CI.",
        "en": "Write JUnit XML for CI.",
    },
    "cli.help.indicator": {
        "vi": "Mã chỉ tiêu (xem kpi indicators).",
        "en": "Indicator ID, see kpi indicators.",
    },
    "cli.help.indicator_about": {
        "vi": "Mã một chỉ tiêu: in ý nghĩa của nó (đo gì, tử số, mẫu số, định mức, căn cứ, "
        "mục tiêu).",
        "en": "One indicator's ID: print what it means (what it measures, numerator, "
        "denominator, norms, legal source, target).",
    },
    "cli.help.columns": {
        "vi": "Tệp TOML ánh xạ tiêu đề, giá trị và giá trị mặc định của bảng tính theo mẫu "
        "riêng vào mẫu của kpi (xem docs/columns.md)",
        "en": "A TOML file mapping the headers, values and defaults of workbooks in their own "
        "layout onto kpi's (see docs/columns.md)",
    },
    "cli.help.version": {
        "vi": "In phiên bản.",
        "en": "Version.",
    },
    # Said as "Ngôn ngữ / language: vi | en."
    "cli.help.lang": {"vi": "Ngôn ngữ", "en": "language"},
    "cli.command.validate": {
        "vi": "Chỉ đọc và kiểm tra bảng tính: liệt kê mọi vấn đề kèm ô. Mã thoát 3 nếu có lỗi.",
        "en": "Only read and validate: list every issue with its cell; exit 3 on any error.",
    },
    "cli.command.compute": {
        "vi": "Tính mọi chỉ tiêu: giá trị, mục tiêu, khoảng cách, số cần thêm và đánh giá.",
        "en": "Compute every indicator: value, target, gap, shortfall and status.",
    },
    "cli.command.export": {
        "vi": "Ghi báo cáo khoảng cách ra tệp Excel: bảng tổng hợp, biểu đồ, theo nhóm, "
        "vấn đề dữ liệu.",
        "en": "Write the gap report workbook: summary, chart, breakdown, data issues, information.",
    },
    "cli.command.template": {
        "vi": "Ghi mẫu bảng tính đầu vào trống, có danh sách chọn và trang hướng dẫn.",
        "en": "Write the blank input workbook, with drop-down lists and an instructions sheet.",
    },
    "cli.command.check": {
        "vi": "Cổng kiểm tra cho CI: mã thoát 1 khi có chỉ tiêu không qua cổng, 3 khi dữ liệu lỗi.",
        "en": "The CI gate: exit 1 when an indicator fails the gate, 3 when the input has errors.",
    },
    "cli.command.indicators": {
        "vi": "Liệt kê danh mục chỉ tiêu: mã, tên, mục của kế hoạch, mục tiêu, năm; với một "
        "mã, in ý nghĩa của chỉ tiêu ấy.",
        "en": "List the indicator catalog: id, name, clause, target, year; with an ID, what "
        "that indicator means.",
    },
    "cli.command.explain": {
        "vi": "Các dòng được tính vào tử số và mẫu số của một chỉ tiêu, kèm tệp, trang, dòng, Mã.",
        "en": "The rows counted in one indicator's numerator and denominator, with file, sheet, "
        "row and ID, and the SoLieu figures used: to audit any number.",
    },
    "cli.command.trend": {
        "vi": "Xu hướng qua các năm báo cáo: dự báo đến năm mục tiêu, tỷ lệ tiến độ, xếp loại.",
        "en": "Several report years: trend, projection to the target year, on-track class.",
    },
    # The example under each command's help: a command line, the same in both languages.
    "cli.example.validate": {
        "vi": "kpi validate data/samples/ha_tinh_2024.xlsx --format json",
        "en": "kpi validate data/samples/ha_tinh_2024.xlsx --format json",
    },
    "cli.example.compute": {
        "vi": "kpi compute data/samples/ha_tinh_2024.xlsx --by level --lang en",
        "en": "kpi compute data/samples/ha_tinh_2024.xlsx --by level --lang en",
    },
    "cli.example.export": {
        "vi": "kpi export data/samples/ha_tinh_2024.xlsx -o gap_report.xlsx --by level",
        "en": "kpi export data/samples/ha_tinh_2024.xlsx -o gap_report.xlsx --by level",
    },
    "cli.example.template": {
        "vi": "kpi template -o mau_bao_cao_kpi.xlsx",
        "en": "kpi template -o mau_bao_cao_kpi.xlsx",
    },
    "cli.example.check": {
        "vi": "kpi check reports/ --fail-on not_met,no_data --junit kpi.xml",
        "en": "kpi check reports/ --fail-on not_met,no_data --junit kpi.xml",
    },
    "cli.example.indicators": {"vi": "kpi indicators --lang en", "en": "kpi indicators --lang en"},
    "cli.example.explain": {
        "vi": "kpi explain doctors_per_10k data/samples/ha_tinh_2024.xlsx --format csv",
        "en": "kpi explain doctors_per_10k data/samples/ha_tinh_2024.xlsx --format csv",
    },
    "cli.example.trend": {
        "vi": "kpi trend bao_cao_2023.xlsx bao_cao_2024.xlsx bao_cao_2025.xlsx --lang en",
        "en": "kpi trend bao_cao_2023.xlsx bao_cao_2024.xlsx bao_cao_2025.xlsx --lang en",
    },
    "usage.usage": {"vi": "Cách dùng:", "en": "Usage:"},
    "usage.hint": {
        "vi": "Xem hướng dẫn: {command} --help",
        "en": "Try '{command} --help' for help.",
    },
    "usage.error": {"vi": "Lỗi: {problem}", "en": "Error: {problem}"},
    "usage.aborted": {"vi": "Đã dừng.", "en": "Aborted."},
    "usage.missing_argument": {
        "vi": "thiếu đối số {name}: hãy cho ít nhất một bảng tính hoặc thư mục.",
        "en": "missing argument {name}: give at least one workbook or folder.",
    },
    "usage.missing_option": {"vi": "thiếu tùy chọn {name}.", "en": "missing option {name}."},
    "usage.no_such_option": {"vi": "không có tùy chọn {name}.", "en": "no such option: {name}."},
    "usage.did_you_mean": {"vi": "Có phải ý bạn là {options}?", "en": "Did you mean {options}?"},
    "usage.bad_choice": {
        "vi": "giá trị `{value}` không dùng được cho {name}; hãy chọn một trong: {allowed}.",
        "en": "`{value}` is not a value of {name}; choose one of: {allowed}.",
    },
    "usage.not_a_number": {
        "vi": "{name} cần một số, không phải `{value}` (dùng dấu chấm cho phần thập phân: 0.5).",
        "en": "{name} needs a number, not `{value}` (with a decimal point: 0.5).",
    },
    "usage.bad_value": {
        "vi": "giá trị của {name} không dùng được ({detail}).",
        "en": "invalid value for {name}: {detail}",
    },
    "usage.needs_value": {
        "vi": "tùy chọn {name} cần một giá trị ngay sau nó.",
        "en": "option {name} needs a value after it.",
    },
    "usage.extra_arguments": {
        "vi": "thừa đối số: {value}.",
        "en": "unexpected extra argument: {value}.",
    },
    "usage.no_such_command": {
        "vi": "không có lệnh `{name}`. Các lệnh: {commands}.",
        "en": "no such command `{name}`. Commands: {commands}.",
    },
    "usage.other": {"vi": "dòng lệnh không đúng ({detail}).", "en": "{detail}"},
}
