"""The words of `docs/indicators.md` and `kpi indicators ID` (`render/indicator_doc.py`)."""

from __future__ import annotations

from kpi_tritue.i18n.lang import Lang

TEXT: dict[str, dict[Lang, str]] = {
    "about.title": {"vi": "Các chỉ tiêu", "en": "The indicators"},
    "about.generated": {
        "vi": "Tệp này được sinh từ danh mục chỉ tiêu `{catalog}` "
        "(`src/kpi_tritue/catalog/ha_tinh_2030.toml`); đừng sửa tay, hãy sửa danh mục rồi "
        "chạy `python scripts/make_docs.py`. Cùng nội dung cho một chỉ tiêu: "
        "`kpi indicators MÃ`.",
        "en": "Generated from the indicator catalog `{catalog}` "
        "(`src/kpi_tritue/catalog/ha_tinh_2030.toml`); do not edit it by hand: edit the "
        "catalog and run `python scripts/make_docs.py`. The same for one indicator: "
        "`kpi indicators ID`.",
    },
    "about.language": {"vi": "Tiếng Việt", "en": "English"},
    "about.contents": {"vi": "Danh sách", "en": "Contents"},
    "about.measures": {"vi": "Đo gì", "en": "What it measures"},
    "about.numerator": {"vi": "Tử số", "en": "Numerator"},
    "about.denominator": {"vi": "Mẫu số", "en": "Denominator"},
    "about.value": {"vi": "Giá trị", "en": "Value"},
    "about.value.per_10k": {
        "vi": "tử số × 10.000 ÷ mẫu số",
        "en": "numerator × 10,000 ÷ denominator",
    },
    "about.value.percent": {
        "vi": "tử số × 100 ÷ mẫu số (%)",
        "en": "numerator × 100 ÷ denominator (%)",
    },
    "about.value.count": {"vi": "số đếm được báo cáo", "en": "the figure reported"},
    "about.value.milestone": {
        "vi": "1 khi `MocCongViec` ghi `Hoàn thành`, 0 khi chưa",
        "en": "1 when `MocCongViec` says `Hoàn thành` (done), else 0",
    },
    "about.value.unit_norm": {
        "vi": "số đơn vị đạt × 100 ÷ số đơn vị được xét (%)",
        "en": "units meeting it × 100 ÷ units considered (%)",
    },
    "about.norms": {"vi": "Định mức", "en": "Norms"},
    "about.norm": {"vi": "{value} {what} (`{name}`)", "en": "{value} {what} (`{name}`)"},
    "about.norm.nursery_group": {
        "vi": "giáo viên/nhóm trẻ",
        "en": "teachers per nursery group",
    },
    "about.norm.kindergarten_class": {
        "vi": "giáo viên/lớp mẫu giáo",
        "en": "teachers per kindergarten class",
    },
    "about.norm.primary_class": {
        "vi": "giáo viên/lớp tiểu học",
        "en": "teachers per primary class",
    },
    "about.norm.lower_secondary_class": {
        "vi": "giáo viên/lớp THCS",
        "en": "teachers per lower-secondary class",
    },
    "about.norm.upper_secondary_class": {
        "vi": "giáo viên/lớp THPT",
        "en": "teachers per upper-secondary class",
    },
    "about.norm.other": {"vi": "(hệ số)", "en": "(weight)"},
    "about.basis": {"vi": "Căn cứ", "en": "Legal source"},
    "about.clause": {"vi": "Điều khoản", "en": "Clause"},
    "about.clause.value": {"vi": "mục {clause}, {plan}", "en": "clause {clause}, {plan}"},
    "about.target": {"vi": "Mục tiêu", "en": "Target"},
    "about.target.by": {"vi": "{bounds} đến năm {year}", "en": "{bounds} by {year}"},
    "about.field": {"vi": "Nhóm", "en": "Field"},
    "about.applies_until": {"vi": "Áp dụng đến", "en": "Applies until"},
    "about.applies_until.value": {
        "vi": "{date} ({reason}); sau đó, khi không còn đối tượng, chỉ tiêu là “không áp dụng”",
        "en": "{date} ({reason}); after it, with no population, it is “not applicable”",
    },
}
