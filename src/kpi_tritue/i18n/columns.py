"""What `--columns` says about a mapping file that cannot be used (`contract/mapping.py`),
and the option's help."""

from __future__ import annotations

from kpi_tritue.i18n.lang import Lang

TEXT: dict[str, dict[Lang, str]] = {
    "columns.invalid": {
        "vi": "Không dùng được tệp --columns {path}:",
        "en": "The --columns file {path} cannot be used:",
    },
    "columns.not_toml": {
        "vi": "không phải TOML hợp lệ ({error})",
        "en": "not valid TOML ({error})",
    },
    "columns.unknown_sheet": {
        "vi": "không có trang `{name}` trong mẫu; các trang: {known}",
        "en": "the contract has no sheet `{name}`; its sheets: {known}",
    },
    "columns.sheet_twice": {
        "vi": "trang này đã được ánh xạ ở `{other}` (cùng một trang, hai tên)",
        "en": "this sheet is mapped already as `{other}` (one sheet, two names)",
    },
    "columns.unknown_key": {
        "vi": "`{column}` không phải cột của trang {sheet}; các cột: {known}",
        "en": "`{column}` is not a column of sheet {sheet}; its columns: {known}",
    },
    "columns.empty_header": {
        "vi": "tiêu đề trống",
        "en": "the header is empty",
    },
    "columns.empty_value": {
        "vi": "giá trị trống; ô trống không ánh xạ được",
        "en": "the value is empty; a blank cell cannot be mapped",
    },
    "columns.row_number_as_id": {
        "vi": "`{header}` là số thứ tự dòng, không phải mã người: không ánh xạ vào id. "
        "Bỏ dòng này; không có cột Mã thì người được nhận diện bằng tên, ngày sinh và giới tính",
        "en": "`{header}` numbers the rows, it is no person's ID: do not map it to id. "
        "Remove this line; without a Mã column a person is identified by name, birth date "
        "and sex",
    },
    "columns.header_twice": {
        "vi": "tiêu đề này (viết `{other}`) đã được ánh xạ vào `{column}`",
        "en": "this header (written `{other}`) is mapped to `{column}` already",
    },
    "columns.default_identifies": {
        "vi": "`{column}` nhận diện từng dòng nên không thể có một giá trị chung cho cả tệp",
        "en": "`{column}` identifies each row, so it cannot have one value for a whole file",
    },
    "columns.not_scalar": {
        "vi": "phải là văn bản, một số, true/false hoặc một ngày",
        "en": "must be text, a number, true/false or a date",
    },
    "columns.bad_text": {
        "vi": "`{value}` không dùng được cho cột văn bản `{column}`: cần một đoạn văn bản",
        "en": "`{value}` cannot be used for the text column `{column}`: it needs text",
    },
    "columns.bad_value": {
        "vi": "`{value}` không phải giá trị của cột `{column}`: cần {expected}",
        "en": "`{value}` is not a value of column `{column}`: it needs {expected}",
    },
    "columns.expect.enum": {
        "vi": "một trong các giá trị {choices}",
        "en": "one of {choices}",
    },
    "columns.expect.bool": {
        "vi": "true/false (hoặc có/không, x)",
        "en": "true/false (or có/không, x)",
    },
    "columns.expect.int": {
        "vi": "một số nguyên",
        "en": "a whole number",
    },
    "columns.expect.number": {
        "vi": "một số",
        "en": "a number",
    },
    "columns.expect.range": {
        "vi": " từ {low} đến {high}",
        "en": " from {low} to {high}",
    },
    "columns.expect.year": {
        "vi": "một năm (ví dụ 2025)",
        "en": "a year (e.g. 2025)",
    },
    "columns.expect.date": {
        "vi": "một ngày (2025-12-31 hoặc 31/12/2025)",
        "en": "a date (2025-12-31 or 31/12/2025)",
    },
}
