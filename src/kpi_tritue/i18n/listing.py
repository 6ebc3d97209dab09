"""The column headings of `kpi indicators` (`catalog/listing.py`)."""

from __future__ import annotations

from kpi_tritue.i18n.lang import Lang

TEXT: dict[str, dict[Lang, str]] = {
    "listing.col.id": {"vi": "Mã", "en": "ID"},
    "listing.col.name": {"vi": "Chỉ tiêu", "en": "Indicator"},
    "listing.col.clause": {"vi": "Mục", "en": "Clause"},
    "listing.col.target": {"vi": "Mục tiêu", "en": "Target"},
    "listing.col.year": {"vi": "Năm", "en": "Year"},
}
