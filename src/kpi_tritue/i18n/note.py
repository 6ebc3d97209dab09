"""What a result's note says (`render/notes.py`), keyed `note.<code>`: what is missing,
what was used."""

from __future__ import annotations

from kpi_tritue.i18n.lang import Lang

TEXT: dict[str, dict[Lang, str]] = {
    "note.missing_sheet": {
        "vi": "Không có trang {sheet} nên chưa tính được. Thêm trang {sheet} vào bảng tính.",
        "en": "There is no {sheet} sheet, so this cannot be computed. Add a {sheet} sheet.",
    },
    "note.missing_column": {
        "vi": "Trang {sheet} không có cột {column} (coi là chưa báo cáo, không phải 0 %). "
        "Thêm cột này để tính chỉ tiêu.",
        "en": "The {sheet} sheet has no {column} column (not reported, which is not 0 %). "
        "Add the column to compute this indicator.",
    },
    "note.missing_figure": {
        "vi": "Trang SoLieu không có chỉ tiêu {metric} của năm {year} hay năm nào trước đó.",
        "en": "The SoLieu sheet gives no {metric} for {year} or any earlier year.",
    },
    "note.missing_figure_year": {
        "vi": "Trang SoLieu không có chỉ tiêu {metric} của năm {year}.",
        "en": "The SoLieu sheet gives no {metric} for {year}.",
    },
    "note.outside_areas": {
        "vi": "{count} người được tính ở tử số thuộc các đơn vị không gắn với địa bàn nào (ví "
        "dụ bệnh viện, sở tuyến tỉnh): họ được tính vào toàn tỉnh nhưng không vào địa bàn "
        "nào, nên các địa bàn cộng lại không bằng toàn tỉnh.",
        "en": "{count} people of the numerator belong to units with no area (a provincial "
        "hospital or department, say): they count for the province but for no area, so the "
        "areas do not add up to the province.",
    },
    "note.missing_area_figure": {
        "vi": "Trang SoLieu không có chỉ tiêu {metric} của địa bàn {area} (năm {year} "
        "hay trước đó).",
        "en": "The SoLieu sheet gives no {metric} for the area {area} ({year} or earlier).",
    },
    "note.missing_milestone": {
        "vi": "Trang MocCongViec không có dòng cho mốc {milestone}.",
        "en": "The MocCongViec sheet has no row for the milestone {milestone}.",
    },
    "note.not_applicable": {
        "vi": "Không áp dụng: chỉ tiêu chỉ áp dụng đến ngày {until} ({reason_vi}) và không "
        "còn đối tượng để tính, không phải giảm về 0.",
        "en": "Not applicable: the indicator applies until {until} ({reason_en}) and has no "
        "population left, which is not a fall to 0.",
    },
    "note.zero_denominator": {
        "vi": "Mẫu số bằng 0: không có đối tượng nào để tính tỷ lệ.",
        "en": "The denominator is 0: there is no one and nothing to take a share of.",
    },
    "note.no_units_with_norm": {
        "vi": "Không có đơn vị nào (thuộc các lĩnh vực của chỉ tiêu) vừa có định mức "
        "trong trang DonVi vừa có người đang công tác.",
        "en": "No unit (of the indicator's sectors) has both a norm in DonVi and active staff.",
    },
    "note.figure_earlier_year": {
        "vi": "Dùng số liệu của năm trước: {metrics}.",
        "en": "Figures of an earlier year used: {metrics}.",
    },
    "note.override_figures": {
        "vi": "Tính từ trang SoLieu năm {year}: {metrics}.",
        "en": "Computed from the SoLieu figures of {year}: {metrics}.",
    },
    # Joins the columns of which one is missing (a note code has no dot: no clash).
    "note.join.or": {"vi": " hoặc ", "en": " or "},
}
