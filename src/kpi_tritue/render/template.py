"""The blank input workbook (`kpi template`), built from the input contract in `schema.py`.

Every contract sheet with its canonical headers in row 1, drop-down lists for the list and
yes/no columns, number and date formats, a comment on each header, the `ThongTin` items
ready for their values, and an instructions sheet whose text comes from `contract_doc.py`.
The column list is never copied by hand: a column added to the contract appears here.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from kpi_tritue import __version__
from kpi_tritue.catalog.model import load_catalog
from kpi_tritue.contract.schema import CONTRACT, INFO, WORKFORCE, ColumnSpec, SheetSpec
from kpi_tritue.contract.schema import ValueType as T
from kpi_tritue.contract.values import FALSE_SPELLINGS, MIN_YEAR, TRUE_SPELLINGS
from kpi_tritue.errors import OutputError
from kpi_tritue.i18n import Lang
from kpi_tritue.render.contract_doc import _INTRO, _REQUIRED_SHEET, _TYPE_TEXT, _required
from kpi_tritue.render.outputs import output_label
from kpi_tritue.render.terminal import TOOL
from kpi_tritue.render.xlsx_cells import HEADER_FILL, LINE_HEIGHT, fit_row, put, save_workbook
from kpi_tritue.render.xlsx_report import DATE_FORMAT, _print_setup, check_output

DEFAULT_NAME = "mau_bao_cao_kpi.xlsx"
LISTS_SHEET = "DanhMuc"
AUTHOR = TOOL  # header comments carry the tool's name, never a person's
LAST_ROW = 1_048_576
MAX_YEAR = 2100
REQUIRED_FILL = "F8CBAD"
OPTIONAL_FILL = "DDEBF7"
TRUE_MARK = "x"

TEMPLATE_LABELS: dict[str, dict[Lang, str]] = {
    "sheet.instructions": {"vi": "Hướng dẫn", "en": "Instructions"},
    "title": {
        "vi": "Mẫu báo cáo đội ngũ trí thức (kpi)",
        "en": "Intellectual-workforce report workbook (kpi)",
    },
    "subtitle": {
        "vi": "Mẫu do {tool} {version} tạo. Kiểm tra tệp đã điền bằng: kpi validate <tệp>.",
        "en": "Written by {tool} {version}. Check a filled-in file with: kpi validate <file>.",
    },
    "how": {"vi": "Cách điền", "en": "How to fill it in"},
    "rules": {"vi": "Quy ước chung", "en": "General rules"},
    "columns": {"vi": "Các trang và các cột", "en": "Sheets and columns"},
    "col.column": {"vi": "Cột", "en": "Column"},
    "col.type": {"vi": "Kiểu", "en": "Type"},
    "col.required": {"vi": "Bắt buộc", "en": "Required"},
    "col.values": {"vi": "Giá trị được nhận", "en": "Accepted values"},
    "col.notes": {"vi": "Ghi chú", "en": "Notes"},
    "aliases": {"vi": "Tên khác: {names}", "en": "Other names: {names}"},
    "also": {"vi": "cũng nhận: {names}", "en": "also: {names}"},
    "bool": {
        "vi": "x = có; để trống = không. Cũng nhận: có = {true}; không = {false}",
        "en": "x = yes; blank = no. Also accepted: yes = {true}; no = {false}",
    },
    "date": {
        "vi": "ngày/tháng/năm (31/12/2025) hoặc ô ngày của Excel; không hiểu theo tháng/ngày",
        "en": "day/month/year (31/12/2025) or an Excel date; never read as month/day",
    },
    "year": {
        "vi": "năm, từ {low} đến năm báo cáo",
        "en": "a year, from {low} to the report year",
    },
    "range": {"vi": "số từ {low} đến {high}", "en": "a number from {low} to {high}"},
    "minimum": {"vi": "số ≥ {low}", "en": "a number ≥ {low}"},
    "whole": {"vi": "số nguyên ≥ {low}", "en": "a whole number ≥ {low}"},
    "milestones": {
        "vi": "mã mốc hoặc tên mốc trong danh mục: {names}",
        "en": "a milestone id or name of the catalog: {names}",
    },
    "info.values": {
        "vi": "Năm báo cáo: năm (2025); Ngày số liệu: ngày (31/12/2025); "
        "Đơn vị báo cáo: tên đơn vị",
        "en": "Năm báo cáo (report year): a year (2025); Ngày số liệu (data as of): a date "
        "(31/12/2025); Đơn vị báo cáo (reporting unit): its name",
    },
    "prompt.list": {
        "vi": "Chọn trong danh sách (giá trị đồng nghĩa cũng được nhận).",
        "en": "Pick from the list (synonyms are accepted too).",
    },
    "error.list": {
        "vi": "Giá trị không có trong danh sách. Được nhận: {values}",
        "en": "Not a value of the list. Accepted: {values}",
    },
    "error.bool": {
        "vi": "Ghi x nếu có, để trống nếu không.",
        "en": "Write x for yes, leave blank for no.",
    },
    "error.number": {
        "vi": "Cột này cần {what}.",
        "en": "This column needs {what}.",
    },
    "sheet.line": {
        "vi": "Trang {name} ({en}). {required} Tên khác của trang: {aliases}.",
        "en": "Sheet {name} ({en}). {required} Other names of the sheet: {aliases}.",
    },
}

_HOW: dict[Lang, tuple[str, ...]] = {
    "vi": (
        "Mỗi trang dữ liệu có tiêu đề cột ở dòng 1; điền từ dòng 2: trang NhanSu mỗi dòng "
        "một người, các trang khác mỗi dòng một mục. Không đổi tên trang và tên cột.",
        "Cột có tiêu đề màu cam là bắt buộc (Ngày sinh, Năm sinh: điền ít nhất một trong "
        "hai); trỏ chuột vào tiêu đề để xem giải thích.",
        "Cột có/không: ghi x nếu có, để trống nếu không. Nếu đơn vị không theo dõi một cột, "
        "hãy xóa hẳn cột đó: chỉ tiêu cần cột ấy sẽ là “thiếu số liệu”, không phải 0 %.",
        "Ô có danh sách chọn: bấm mũi tên để chọn. Cách viết đồng nghĩa (Cấp tỉnh, QLNN, "
        "CKI…) vẫn được nhận dù Excel có hỏi lại.",
        "Trang ThongTin: điền Năm báo cáo, Ngày số liệu và Đơn vị báo cáo vào cột Giá trị. "
        "Trang SoLieu: mỗi dòng một số liệu (Dân số, Số lớp…), chọn Chỉ tiêu trong danh sách.",
        "Họ và tên chỉ dùng trong đơn vị: kpi không bao giờ in, xuất hay nêu họ tên.",
    ),
    "en": (
        "Each data sheet has its column headers in row 1; fill in from row 2: one person a "
        "row in NhanSu, one item a row elsewhere. Do not rename the sheets or the columns.",
        "Orange headers are required columns (Ngày sinh, Năm sinh: at least one of the two); "
        "hover over a header for its explanation.",
        "Yes/no columns: write x for yes, leave blank for no. If a unit does not record a "
        "column, delete the whole column: indicators that need it then show “no data”, "
        "not 0 %.",
        "Cells with a drop-down list: click the arrow to pick a value. Synonyms (Cấp tỉnh, "
        "QLNN, CKI…) are accepted even if Excel asks again.",
        "ThongTin sheet: fill in Năm báo cáo (report year), Ngày số liệu (data as of) and Đơn "
        "vị báo cáo (reporting unit) in the Giá trị column. SoLieu sheet: one figure a row "
        "(population, classes…), its Chỉ tiêu picked from the list.",
        "Full names stay in the unit: kpi never prints, exports or quotes a name.",
    ),
}

_NUMBER_FORMATS: dict[T, str] = {
    T.TEXT: "@",
    T.BOOL: "@",
    T.DATE: DATE_FORMAT,
    T.YEAR: "0",
    T.INT: "0",
    T.NUMBER: "General",
    T.ENUM: "@",
}
_BASE_WIDTHS: dict[T, float] = {
    T.TEXT: 18.0,
    T.BOOL: 12.0,
    T.DATE: 13.0,
    T.YEAR: 11.0,
    T.INT: 11.0,
    T.NUMBER: 14.0,
    T.ENUM: 16.0,
}
_WIDE_TEXT = {"unit": 36.0, "full_name": 26.0, "profession": 26.0, "milestone": 50.0, "note": 40.0}


def template_label(key: str, lang: Lang, **params: object) -> str:
    template = TEMPLATE_LABELS[key][lang]
    return template.format(**params) if params else template


def _words(words: Sequence[str]) -> str:
    return ", ".join(words)


def _number(value: float) -> str:
    return f"{value:g}"


class _Lists:
    """The hidden sheet that holds the drop-down lists (some labels contain commas)."""

    def __init__(self, workbook: Workbook) -> None:
        self.sheet = workbook.create_sheet(LISTS_SHEET)
        self.sheet.sheet_state = "hidden"
        self.ranges: dict[str, str] = {}

    def range(self, name: str, values: Sequence[str]) -> str:
        if name not in self.ranges:
            column = len(self.ranges) + 1
            put(self.sheet, 1, column, name, bold=True)
            for row, value in enumerate(values, start=2):
                put(self.sheet, row, column, value)
            letter = get_column_letter(column)
            self.sheet.column_dimensions[letter].width = max(len(v) for v in values) + 2
            self.ranges[name] = f"{LISTS_SHEET}!${letter}$2:${letter}${len(values) + 1}"
        return self.ranges[name]


def _accepted(column: ColumnSpec, lang: Lang, milestones: Sequence[str]) -> str:
    """The accepted values of a column, as plain text."""
    match column.type:
        case T.ENUM:
            assert column.enum is not None
            values = []
            for value in column.enum.values:
                shown = value.vi if lang == "vi" else f"{value.vi} = {value.en}"
                if value.synonyms:
                    shown += f" ({template_label('also', lang, names=_words(value.synonyms))})"
                values.append(shown)
            return "; ".join(values)
        case T.BOOL:
            return template_label(
                "bool", lang, true=_words(TRUE_SPELLINGS), false=_words(FALSE_SPELLINGS)
            )
        case T.DATE:
            return template_label("date", lang)
        case T.YEAR:
            return template_label("year", lang, low=MIN_YEAR)
        case T.INT | T.NUMBER:
            low = _number(column.minimum if column.minimum is not None else 0)
            if column.maximum is not None:
                return template_label("range", lang, low=low, high=_number(column.maximum))
            return template_label("whole" if column.type is T.INT else "minimum", lang, low=low)
        case T.TEXT:
            if column.key == "milestone":
                return template_label("milestones", lang, names="; ".join(milestones))
            return ""


def _notes(column: ColumnSpec, lang: Lang) -> str:
    notes = []
    if column.aliases:
        notes.append(template_label("aliases", lang, names=_words(column.aliases)))
    note = column.note_vi if lang == "vi" else column.note_en
    if note:
        notes.append(note)
    return "; ".join(notes)


def _comment(sheet: SheetSpec, column: ColumnSpec, lang: Lang, milestones: Sequence[str]) -> str:
    parts = [f"{column.header} ({column.en})" if lang == "en" else column.header]
    kind = _TYPE_TEXT[column.type][lang]
    required = _required(sheet, column, lang)
    parts.append(f"{template_label('col.type', lang)}: {kind}")
    if required:
        parts.append(f"{template_label('col.required', lang)}: {required}")
    if sheet.key == INFO.key and column.key == "value":
        parts.append(template_label("info.values", lang))
    else:
        accepted = _accepted(column, lang, milestones)
        if accepted:
            parts.append(accepted)
    notes = _notes(column, lang)
    if notes:
        parts.append(notes)
    return "\n".join(parts)


def _validation(
    column: ColumnSpec, lists: _Lists, lang: Lang, milestones: Sequence[str]
) -> DataValidation | None:
    """The drop-down or number check of a column, or None."""
    title = column.header[:32]
    if column.type is T.ENUM:
        assert column.enum is not None
        labels = [value.vi for value in column.enum.values]
        return DataValidation(
            type="list",
            formula1=lists.range(column.enum.name, labels),
            allow_blank=True,
            showErrorMessage=True,
            errorStyle="warning",
            errorTitle=title,
            error=template_label("error.list", lang, values=_words(labels))[:255],
            showInputMessage=True,
            promptTitle=title,
            prompt=template_label("prompt.list", lang),
        )
    if column.type is T.BOOL:
        return DataValidation(
            type="list",
            formula1=f'"{TRUE_MARK}"',
            allow_blank=True,
            showErrorMessage=True,
            errorStyle="warning",
            errorTitle=title,
            error=template_label("error.bool", lang),
        )
    if column.key == "milestone" and milestones:
        return DataValidation(
            type="list",
            formula1=lists.range("milestone", milestones),
            allow_blank=True,
            showErrorMessage=True,
            errorStyle="warning",
            errorTitle=title,
            error=template_label("milestones", lang, names="; ".join(milestones))[:255],
        )
    if column.type in (T.YEAR, T.INT, T.NUMBER):
        low: float = column.minimum if column.minimum is not None else 0
        high: float | None = column.maximum
        if column.type is T.YEAR:
            low, high = MIN_YEAR, MAX_YEAR
        what = _accepted(column, lang, milestones)
        return DataValidation(
            type="decimal" if column.type is T.NUMBER else "whole",
            operator="between" if high is not None else "greaterThanOrEqual",
            formula1=_number(low),
            formula2=None if high is None else _number(high),
            allow_blank=True,
            showErrorMessage=True,
            errorStyle="stop",
            errorTitle=title,
            error=template_label("error.number", lang, what=what),
        )
    return None


def _data_sheet(
    workbook: Workbook,
    spec: SheetSpec,
    lists: _Lists,
    lang: Lang,
    milestones: Sequence[str],
) -> None:
    sheet = workbook.create_sheet(spec.name)
    for index, column in enumerate(spec.columns, start=1):
        letter = get_column_letter(index)
        needed = column.required or any(column.key in group for group in spec.one_of)
        cell = put(
            sheet,
            1,
            index,
            column.header,
            bold=True,
            fill=REQUIRED_FILL if needed else OPTIONAL_FILL,
            wrap=True,
            horizontal="center",
            border=True,
        )
        cell.alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")
        note = _comment(spec, column, lang, milestones)
        lines = sum(1 + len(line) // 40 for line in note.split("\n"))
        cell.comment = Comment(note, AUTHOR, height=min(20 * lines + 20, 400), width=320)
        width = _WIDE_TEXT.get(column.key, _BASE_WIDTHS[column.type])
        dimension = sheet.column_dimensions[letter]
        dimension.width = max(width, min(len(column.header) * 0.55 + 4, 24.0))
        dimension.number_format = _NUMBER_FORMATS[column.type]
        validation = _validation(column, lists, lang, milestones)
        if validation is not None:
            validation.add(f"{letter}2:{letter}{LAST_ROW}")
            sheet.add_data_validation(validation)
    sheet.row_dimensions[1].height = LINE_HEIGHT * 3 + 6
    sheet.freeze_panes = "B2" if spec.key == WORKFORCE.key else "A2"
    if spec.key == INFO.key:
        _info_rows(sheet, spec)
    _print_setup(
        sheet,
        title_rows="1:1",
        last_column=len(spec.columns),
        last_row=2 if spec.key != INFO.key else 4,
        footer=spec.name,
        lang=lang,
    )


def _info_rows(sheet: Worksheet, spec: SheetSpec) -> None:
    """The three items, each value cell formatted for what it holds."""
    item = spec.column("item")
    assert item.enum is not None
    formats = {"report_year": "0", "as_of": DATE_FORMAT, "reporting_unit": "@"}
    for row, value in enumerate(item.enum.values, start=2):
        put(sheet, row, 1, value.vi, border=True)
        put(sheet, row, 2, None, number_format=formats.get(value.code, "@"), border=True)
    sheet.column_dimensions["A"].width = 22
    sheet.column_dimensions["B"].width = 36
    year = DataValidation(
        type="whole",
        operator="between",
        formula1=str(MIN_YEAR),
        formula2=str(MAX_YEAR),
        allow_blank=True,
        showErrorMessage=True,
    )
    for row, value in enumerate(item.enum.values, start=2):
        if value.code == "report_year":
            year.add(f"B{row}")
    sheet.add_data_validation(year)


def _intro_rules(lang: Lang) -> list[str]:
    """The general rules of docs/input-format.md: its bullets, as plain sentences."""
    intro = _INTRO[lang].format(true=_words(TRUE_SPELLINGS), false=_words(FALSE_SPELLINGS))
    rules: list[str] = []
    for line in intro.splitlines():
        if line.startswith("- "):
            rules.append(line[2:].strip())
        elif line.startswith("  ") and rules:
            rules[-1] += " " + line.strip()
    return [rule.replace("`", "") for rule in rules]


_INSTRUCTION_WIDTHS = (30.0, 12.0, 14.0, 62.0, 44.0)


def _instructions(
    sheet: Worksheet, lang: Lang, milestones: Sequence[str], sheets: Sequence[SheetSpec]
) -> None:
    sheet.title = template_label("sheet.instructions", lang)
    for index, width in enumerate(_INSTRUCTION_WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    text_width = sum(_INSTRUCTION_WIDTHS)
    put(sheet, 1, 1, template_label("title", lang), bold=True, size=14, colour=HEADER_FILL)
    put(
        sheet,
        2,
        1,
        template_label("subtitle", lang, tool=TOOL, version=__version__),
        italic=True,
        colour="595959",
    )
    row = 4
    for heading, bullets in (
        ("how", _HOW[lang]),
        ("rules", tuple(_intro_rules(lang))),
    ):
        put(sheet, row, 1, template_label(heading, lang), bold=True, size=12, colour=HEADER_FILL)
        row += 1
        for bullet in bullets:
            put(sheet, row, 1, f"• {bullet}", wrap=True)
            sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=5)
            fit_row(sheet, row, [(bullet, text_width)])
            row += 1
        row += 1
    put(sheet, row, 1, template_label("columns", lang), bold=True, size=12, colour=HEADER_FILL)
    row += 1
    headers = ("col.column", "col.type", "col.required", "col.values", "col.notes")
    for spec in sheets:
        required = _REQUIRED_SHEET[lang][0 if spec.key == WORKFORCE.key else 1]
        line = template_label(
            "sheet.line",
            lang,
            name=spec.name,
            en=spec.en,
            required=required,
            aliases=_words((*spec.aliases, spec.key)),
        )
        row += 1
        put(sheet, row, 1, line, bold=True, wrap=True)
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=5)
        fit_row(sheet, row, [(line, text_width)])
        row += 1
        for index, key in enumerate(headers, start=1):
            put(
                sheet,
                row,
                index,
                template_label(key, lang),
                bold=True,
                colour="FFFFFF",
                fill=HEADER_FILL,
                border=True,
            )
        for column in spec.columns:
            row += 1
            name = column.header if lang == "vi" else f"{column.header} ({column.en})"
            if spec.key == INFO.key and column.key == "value":
                accepted = template_label("info.values", lang)
            else:
                accepted = _accepted(column, lang, milestones)
            notes = _notes(column, lang)
            needed = column.required or any(column.key in group for group in spec.one_of)
            put(
                sheet,
                row,
                1,
                name,
                bold=needed,
                fill=REQUIRED_FILL if needed else None,
                wrap=True,
                border=True,
            )
            put(sheet, row, 2, _TYPE_TEXT[column.type][lang], border=True)
            put(sheet, row, 3, _required(spec, column, lang), border=True)
            put(sheet, row, 4, accepted, wrap=True, border=True)
            put(sheet, row, 5, notes, wrap=True, border=True)
            fit_row(
                sheet,
                row,
                [
                    (name, _INSTRUCTION_WIDTHS[0]),
                    (accepted, _INSTRUCTION_WIDTHS[3]),
                    (notes, _INSTRUCTION_WIDTHS[4]),
                ],
            )
        row += 1
    _print_setup(
        sheet,
        title_rows=None,
        last_column=5,
        last_row=row,
        footer=template_label("title", lang),
        lang=lang,
    )
    sheet.page_setup.orientation = "portrait"


def build_template(lang: Lang) -> Workbook:
    """The blank input workbook, not yet saved."""
    catalog = load_catalog()
    milestones = [m.name_vi for m in catalog.milestones]
    workbook = Workbook()
    instructions = workbook.active
    assert instructions is not None
    lists = _Lists(workbook)
    for spec in CONTRACT.sheets:
        _data_sheet(workbook, spec, lists, lang, milestones)
    _instructions(instructions, lang, milestones, CONTRACT.sheets)
    # The lists last, out of the way; the instructions first and open.
    workbook.move_sheet(lists.sheet, offset=len(workbook.sheetnames) - 1)
    workbook.active = 0
    properties = workbook.properties
    properties.title = template_label("title", lang)
    properties.creator = f"{TOOL} {__version__}"
    properties.lastModifiedBy = None
    properties.language = lang
    return workbook


def write_template(path: Path, lang: Lang, *, force: bool = False) -> None:
    """Write the blank input workbook to `path`, atomically; an existing file only if `force`.

    Raises `OutputError` when the file exists (without `force`) or cannot be written.
    """
    check_output(path, (), lang)
    if path.exists() and not force:
        raise OutputError(output_label("exists", lang, path=str(path)))
    save_workbook(build_template(lang), path, lang)
