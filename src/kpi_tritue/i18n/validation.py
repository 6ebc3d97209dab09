"""pydantic's messages about a `--targets` catalog or a `--baseline` file, in Vietnamese.

Keyed by pydantic's error type (`validation.<type>`); the English is pydantic's own
wording, which `i18n.validation_message` takes from the error itself, so that the English
stays exactly what pydantic says and the Vietnamese says the same.
"""

from __future__ import annotations

from kpi_tritue.i18n.lang import Lang

TEXT: dict[str, dict[Lang, str]] = {
    "validation.missing": {"vi": "thiếu, đây là trường bắt buộc", "en": "Field required"},
    "validation.extra_forbidden": {
        "vi": "không có trường này (có thể gõ sai tên)",
        "en": "Extra inputs are not permitted",
    },
    "validation.float_type": {"vi": "phải là một số", "en": "Input should be a valid number"},
    "validation.float_parsing": {
        "vi": "phải là một số",
        "en": "Input should be a valid number, unable to parse string as a number",
    },
    "validation.finite_number": {
        "vi": "phải là một số hữu hạn (không phải vô cực hay NaN)",
        "en": "Input should be a finite number",
    },
    "validation.int_type": {"vi": "phải là một số nguyên", "en": "Input should be a valid integer"},
    "validation.int_parsing": {
        "vi": "phải là một số nguyên",
        "en": "Input should be a valid integer, unable to parse string as an integer",
    },
    "validation.int_from_float": {
        "vi": "phải là một số nguyên, không có phần thập phân",
        "en": "Input should be a valid integer, got a number with a fractional part",
    },
    "validation.bool_type": {
        "vi": "phải là true hoặc false",
        "en": "Input should be a valid boolean",
    },
    "validation.string_type": {"vi": "phải là văn bản", "en": "Input should be a valid string"},
    "validation.string_too_short": {
        "vi": "không được để trống",
        "en": "String should have at least {min_length} character",
    },
    "validation.string_pattern_mismatch": {
        "vi": "không đúng dạng {pattern}",
        "en": "String should match pattern '{pattern}'",
    },
    "validation.list_type": {"vi": "phải là một danh sách", "en": "Input should be a valid list"},
    "validation.too_short": {
        "vi": "phải có ít nhất {min_length} phần tử",
        "en": "List should have at least {min_length} item after validation",
    },
    "validation.dict_type": {
        "vi": "phải là một bảng (các cặp tên = giá trị)",
        "en": "Input should be a valid dictionary",
    },
    "validation.model_type": {
        "vi": "phải là một bảng (các cặp tên = giá trị)",
        "en": "Input should be a valid dictionary or instance of the model",
    },
    "validation.date_type": {
        "vi": "phải là một ngày dạng yyyy-mm-dd",
        "en": "Input should be a valid date",
    },
    "validation.date_parsing": {
        "vi": "phải là một ngày dạng yyyy-mm-dd",
        "en": "Input should be a valid date in the format YYYY-MM-DD",
    },
    "validation.date_from_datetime_parsing": {
        "vi": "phải là một ngày dạng yyyy-mm-dd",
        "en": "Input should be a valid date or datetime",
    },
    "validation.literal_error": {
        "vi": "phải là một trong các giá trị {expected}",
        "en": "Input should be {expected}",
    },
    "validation.greater_than": {
        "vi": "phải lớn hơn {gt}",
        "en": "Input should be greater than {gt}",
    },
    "validation.greater_than_equal": {
        "vi": "phải lớn hơn hoặc bằng {ge}",
        "en": "Input should be greater than or equal to {ge}",
    },
    "validation.less_than": {"vi": "phải nhỏ hơn {lt}", "en": "Input should be less than {lt}"},
    "validation.less_than_equal": {
        "vi": "phải nhỏ hơn hoặc bằng {le}",
        "en": "Input should be less than or equal to {le}",
    },
}
