"""The problems of a catalog file (`--targets`) found beyond its structure: names checked
against the input contract, references between its tables. Pydantic's own messages (a
missing key, a wrong type) stay pydantic's English."""

from __future__ import annotations

from kpi_tritue.i18n.lang import Lang

TEXT: dict[str, dict[Lang, str]] = {
    "catalog.duplicate_id": {
        "vi": "mã `{id}` bị trùng (đã có ở mục thứ {number} của [[{table}]])",
        "en": "duplicate id `{id}` (also number {number} of [[{table}]])",
    },
    "catalog.unknown_milestone": {
        "vi": "không có mốc `{id}`; các mốc của danh mục: {known}",
        "en": "unknown milestone `{id}`; the catalog's milestones are: {known}",
    },
    "catalog.unknown_milestone_none": {
        "vi": "không có mốc `{id}`; danh mục chưa có mốc nào",
        "en": "unknown milestone `{id}`; the catalog's milestones are: none",
    },
    "catalog.unknown_figure": {
        "vi": "không có số liệu SoLieu `{figure}`; các số liệu có: {known}",
        "en": "unknown SoLieu figure `{figure}`; known: {known}",
    },
    "catalog.weight": {
        "vi": "`{weight}` không phải là số, cũng không phải định mức trong [norms] ({norms})",
        "en": "`{weight}` is neither a number nor a norm of [norms] ({norms})",
    },
    "catalog.weight_no_norms": {
        "vi": "`{weight}` không phải là số, cũng không phải định mức trong [norms] "
        "(chưa có định mức nào)",
        "en": "`{weight}` is neither a number nor a norm of [norms] (none defined)",
    },
    "catalog.subset": {
        "vi": "`subset` là tử số có mẫu số là một phép đếm (`sheet` = ...) của cùng chỉ tiêu",
        "en": "`subset` is a numerator whose denominator is a count (`sheet` = ...) of the "
        "same indicator",
    },
    "catalog.norm_column": {
        "vi": "`{norm}` không phải cột số của DonVi ({columns})",
        "en": "`{norm}` is not a number column of DonVi ({columns})",
    },
    "catalog.unknown_column": {
        "vi": "không có cột `{column}` trong trang {sheet}; các cột có: {known}",
        "en": "unknown column `{column}` of sheet {sheet}; known: {known}",
    },
    "catalog.operator": {
        "vi": "`{operator}` không dùng được với `{column}` ({type}); dùng {allowed}",
        "en": "`{operator}` does not apply to `{column}` ({type}); use {allowed}",
    },
    "catalog.operator_none": {
        "vi": "`{operator}` không dùng được với `{column}` ({type}); cột này không lọc được",
        "en": "`{operator}` does not apply to `{column}` ({type}); use no operator",
    },
    "catalog.unknown_value": {
        "vi": "cột `{column}` không nhận giá trị `{value}` (chỉ nhận một trong {codes})",
        "en": "unknown value `{value}` (one of {codes}) for column `{column}`",
    },
    "catalog.not_text": {
        "vi": "`{value}` không phải văn bản ở cột `{column}`",
        "en": "`{value}` is not text for column `{column}`",
    },
    "catalog.not_operand": {
        "vi": "`{value}` không phải số, cũng không phải report_year ± N ở cột `{column}`",
        "en": "`{value}` is neither a number nor report_year ± N for column `{column}`",
    },
    "catalog.measure_kind": {
        "vi": "một phép đo cần một trong các khóa sheet, figure, sum hoặc subset",
        "en": "a measure needs one of the keys sheet, figure, sum or subset",
    },
    "catalog.not_toml": {
        "vi": "không phải TOML hợp lệ: {error}",
        "en": "not valid TOML: {error}",
    },
    "catalog.invalid": {
        "vi": "Danh mục chỉ tiêu không hợp lệ: {path}",
        "en": "Invalid indicator catalog: {path}",
    },
}
