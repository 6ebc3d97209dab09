"""The sentences and labels of `kpi trend`'s table, and the notes the trend raises.

`trend.note.<code>` words the trend's own notes (the engine's are in `note.py`).
"""

from __future__ import annotations

from kpi_tritue.i18n.lang import Lang

TEXT: dict[str, dict[Lang, str]] = {
    "trend.title": {
        "vi": "Xu hướng và tiến độ các chỉ tiêu đến năm {year}",
        "en": "Trends and progress on the targets to {year}",
    },
    "trend.col.indicator": {"vi": "Chỉ tiêu", "en": "Indicator"},
    "trend.col.trend": {"vi": "Xu hướng", "en": "Trend"},
    "trend.col.target": {"vi": "Mục tiêu", "en": "Target"},
    "trend.col.projection": {"vi": "Dự báo", "en": "Projected"},
    "trend.col.ratio": {"vi": "Tỷ lệ r", "en": "Ratio r"},
    "trend.col.class": {"vi": "Đánh giá", "en": "Class"},
    "trend.col.pace": {"vi": "Cần mỗi năm", "en": "Needed a year"},
    "trend.people": {"vi": "{n} người", "en": "{n} people"},
    "trend.person": {"vi": "{n} người", "en": "{n} person"},
    "trend.class.achieved": {"vi": "Đã đạt", "en": "Achieved"},
    "trend.class.above_range": {"vi": "Vượt khoảng", "en": "Above range"},
    "trend.class.on_track": {"vi": "Đúng tiến độ", "en": "On track"},
    "trend.class.needs_acceleration": {"vi": "Cần đẩy nhanh", "en": "Needs acceleration"},
    "trend.class.stagnating_or_regressing": {
        "vi": "Chững lại hoặc đi lùi",
        "en": "Stagnating or regressing",
    },
    "trend.class.insufficient_data": {"vi": "Chưa đủ số liệu", "en": "Insufficient data"},
    "trend.class.tracked": {"vi": "Theo dõi", "en": "Tracked"},
    "trend.class.ended": {"vi": "Không áp dụng từ {year}", "en": "Not applicable from {year}"},
    "trend.above_since": {"vi": "{years} năm, từ {since}", "en": "{years} yr, since {since}"},
    "trend.years": {"vi": "Năm báo cáo: {years}.", "en": "Report years: {years}."},
    "trend.year_item": {
        "vi": "{year} (số liệu {as_of}: {files})",
        "en": "{year} (as of {as_of}: {files})",
    },
    "trend.figures_only": {"vi": "chỉ trang SoLieu", "en": "SoLieu figures only"},
    "trend.method": {
        "vi": "r = (dự báo năm mục tiêu − giá trị năm đầu) ÷ (mục tiêu − giá trị năm đầu), "
        "dự báo theo đường thẳng bình phương tối thiểu qua các năm. Đúng tiến độ: "
        "r ≥ {on_track}; cần đẩy nhanh: {needs} ≤ r < {on_track}; thấp hơn: chững lại "
        "hoặc đi lùi (phương pháp Biểu đồ tiến độ SDG của Thống kê Liên Hợp Quốc).",
        "en": "r = (projected value in the target year − first value) ÷ (target − first "
        "value), projected along the least-squares line through the years. On track: "
        "r ≥ {on_track}; needs acceleration: {needs} ≤ r < {on_track}; below: stagnating "
        "or regressing (UN Statistics Division, SDG Progress Chart).",
    },
    "trend.small": {
        "vi": "† mẫu số dưới {n} người: tỷ lệ dao động nhiều, đọc thận trọng "
        "(khoảng tin cậy 95 % Wilson có trong JSON, trường ci95).",
        "en": "† denominator under {n} people: the share swings widely; read with care "
        "(95 % Wilson intervals in the JSON, field ci95).",
    },
    "trend.summary": {
        "vi": "{achieved} đã đạt, {on_track} đúng tiến độ, {needs} cần đẩy nhanh, "
        "{stagnating} chững lại hoặc đi lùi, {above} vượt khoảng, {insufficient} chưa đủ "
        "số liệu.",
        "en": "{achieved} achieved, {on_track} on track, {needs} need acceleration, "
        "{stagnating} stagnating or regressing, {above} above range, {insufficient} with "
        "insufficient data.",
    },
    "trend.by": {"vi": "Chia theo {by}.", "en": "Broken down by {by}."},
    # Notes raised by the trend (the engine's own notes are worded in `note.py`).
    "trend.note.trend_figures_only_year": {
        "vi": "Năm {year} chỉ có số liệu trong trang SoLieu, không có báo cáo của năm đó.",
        "en": "Only SoLieu figures are given for {year}, no report of that year.",
    },
    "trend.note.trend_earlier_figures": {
        "vi": "Trang SoLieu thiếu số liệu năm {year} của chỉ tiêu này; số liệu năm trước "
        "({metrics}) không được lặp lại trong xu hướng.",
        "en": "SoLieu lacks figures of {year} for this indicator; the earlier ones "
        "({metrics}) are not repeated in the trend.",
    },
    "trend.note.trend_level_abolished": {
        "vi": "Năm {year} không còn ai ở cấp {levels} (cấp huyện kết thúc hoạt động từ "
        "01/07/2025): chỉ tiêu không còn đối tượng để tính, không phải giảm về 0.",
        "en": "Nobody is at level {levels} in {year} (the district level was abolished on "
        "1 July 2025): the indicator has no population left, which is not a fall to 0.",
    },
    "trend.note.trend_level_absent": {
        "vi": "NhanSu năm {year} không có ai ở cấp {levels}: chỉ tiêu không có đối tượng "
        "để tính (không phải 0 %).",
        "en": "NhanSu for {year} has nobody at level {levels}: there is no one to take a "
        "share of (which is not 0 %).",
    },
    "trend.note.trend_population_ended": {
        "vi": "Năm {year} không còn ai thuộc đối tượng của chỉ tiêu (năm {last_year} có "
        "{count}): không có giá trị, không phải giảm về 0.",
        "en": "Nobody is in the indicator's population in {year} ({count} in {last_year}): "
        "no value, which is not a fall to 0.",
    },
}
