"""The indicator results' labels and sentences: the terminal table, Markdown and the
workbook's summary (`render/report.py`, `render/xlsx_report.py`, `render/gate.py`)."""

from __future__ import annotations

from kpi_tritue.i18n.lang import Lang

TEXT: dict[str, dict[Lang, str]] = {
    "report.field.health": {"vi": "Y tế", "en": "Health"},
    "report.field.education": {"vi": "Giáo dục", "en": "Education"},
    "report.field.cadres": {
        "vi": "Cán bộ, công chức, viên chức",
        "en": "Cadres and civil servants",
    },
    "report.field.talent": {"vi": "Nhân tài", "en": "Talent"},
    "report.field.science": {"vi": "Khoa học, lao động", "en": "Science and labour"},
    "report.field.milestones": {"vi": "Mốc công việc", "en": "Milestones"},
    "report.status.met": {"vi": "Đạt", "en": "Met"},
    "report.status.not_met": {"vi": "Chưa đạt", "en": "Not met"},
    "report.status.above_range": {"vi": "Vượt khoảng", "en": "Above range"},
    "report.status.no_data": {"vi": "Thiếu số liệu", "en": "No data"},
    "report.status.tracked": {"vi": "Theo dõi", "en": "Tracked"},
    "report.status.not_applicable": {"vi": "Không áp dụng", "en": "Not applicable"},
    "report.col.clause": {"vi": "Mục", "en": "Clause"},
    "report.col.indicator": {"vi": "Chỉ tiêu", "en": "Indicator"},
    "report.col.value": {"vi": "Hiện nay", "en": "Value"},
    "report.col.target": {"vi": "Mục tiêu", "en": "Target"},
    "report.col.gap": {"vi": "Khoảng cách", "en": "Gap"},
    "report.col.shortfall": {"vi": "Cần thêm", "en": "Shortfall"},
    "report.col.status": {"vi": "Đánh giá", "en": "Status"},
    "report.col.group": {"vi": "Nhóm", "en": "Group"},
    "report.col.delta": {"vi": "Thay đổi", "en": "Change"},
    "report.baseline": {
        "vi": "So với: {path} (ngày số liệu {as_of}).",
        "en": "Compared with: {path} (data as of {as_of}).",
    },
    "report.title": {
        "vi": "Tiến độ các chỉ tiêu đến năm {year}",
        "en": "Progress on the targets to {year}",
    },
    "report.by": {"vi": "theo {by}", "en": "by {by}"},
    "report.by.unit": {"vi": "đơn vị", "en": "unit"},
    "report.by.level": {"vi": "cấp", "en": "level"},
    "report.by.sector": {"vi": "lĩnh vực", "en": "sector"},
    "report.by.area": {"vi": "địa bàn", "en": "area"},
    "report.group.outside_areas": {
        "vi": "Ngoài các địa bàn (đơn vị tuyến tỉnh)",
        "en": "No area (provincial units)",
    },
    "report.sources": {"vi": "Nguồn: {files}", "en": "Sources: {files}"},
    "report.small": {
        "vi": "* Mẫu số dưới 30 người: con số dễ dao động, cần đọc thận trọng.",
        "en": "* Fewer than 30 people in the denominator: read with care.",
    },
    "report.completeness": {
        "vi": "Đơn vị đã gửi số liệu: {reporting}/{registered} ({rate}).",
        "en": "Units reporting: {reporting}/{registered} ({rate}).",
    },
    "report.skipped": {
        "vi": "Đã bỏ qua {count} dòng có lỗi (--skip-invalid).",
        "en": "{count} row(s) with errors left out (--skip-invalid).",
    },
    "report.summary": {
        "vi": "{met}/{total} chỉ tiêu đạt; {not_met} chưa đạt; {above_range} vượt khoảng mục "
        "tiêu; {no_data} thiếu số liệu.",
        "en": "{met}/{total} indicators met; {not_met} not met; {above_range} above range; "
        "{no_data} without data.",
    },
    # The same, when some indicators no longer apply (official-lists.md, section 4).
    "report.summary_not_applicable": {
        "vi": "{met}/{total} chỉ tiêu đạt; {not_met} chưa đạt; {above_range} vượt khoảng mục "
        "tiêu; {no_data} thiếu số liệu; {not_applicable} không áp dụng.",
        "en": "{met}/{total} indicators met; {not_met} not met; {above_range} above range; "
        "{no_data} without data; {not_applicable} not applicable.",
    },
}
