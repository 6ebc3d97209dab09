"""The messages of the failures the use cases raise (`kpi_tritue.errors`), by key."""

from __future__ import annotations

from kpi_tritue.i18n.lang import Lang

TEXT: dict[str, dict[Lang, str]] = {
    "errors.as_of": {
        "vi": "--as-of: \u201c{value}\u201d không phải là ngày. Ghi dd/mm/yyyy, ví dụ 31/12/2025.",
        "en": "--as-of: \u201c{value}\u201d is not a date. Write dd/mm/yyyy, e.g. 31/12/2025.",
    },
    "errors.unknown_indicator": {
        "vi": "Không có chỉ tiêu \u201c{indicator}\u201d trong danh mục. Các mã chỉ tiêu của "
        "danh mục: {known}. Xem tên của từng chỉ tiêu với kpi indicators.",
        "en": "No indicator \u201c{indicator}\u201d in the catalog. The catalog's indicator "
        "ids: {known}. See the name of each with kpi indicators.",
    },
}
