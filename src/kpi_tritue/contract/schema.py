"""The input contract as data: sheets, columns, value types and category values.

This mirrors `spec/input-format.md`. Names are matched after `normalize.fold`, so each
label below also stands for its upper-case, unaccented and decomposed spellings.
"""

from __future__ import annotations

from enum import StrEnum
from functools import cached_property

from pydantic import BaseModel, ConfigDict, Field, model_validator

from kpi_tritue.contract.normalize import fold
from kpi_tritue.contract.sheet_names import (
    WORKFORCE_ALIASES,
    WORKFORCE_EN,
    WORKFORCE_KEY,
    WORKFORCE_NAME,
)


class ValueType(StrEnum):
    TEXT = "text"
    BOOL = "bool"
    DATE = "date"
    YEAR = "year"
    INT = "int"
    NUMBER = "number"
    ENUM = "enum"


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class EnumValue(_Frozen):
    """One category value: its code in the frames, its labels and the synonyms people write."""

    code: str
    vi: str
    en: str
    synonyms: tuple[str, ...] = ()


class EnumSpec(_Frozen):
    name: str
    values: tuple[EnumValue, ...]

    @cached_property
    def lookup(self) -> dict[str, str]:
        """Folded spelling → code, for every label, synonym and code."""
        table: dict[str, str] = {}
        for value in self.values:
            for spelling in (value.code, value.vi, value.en, *value.synonyms):
                table[fold(spelling)] = value.code
        return table

    def label(self, code: str, lang: str) -> str:
        for value in self.values:
            if value.code == code:
                return value.vi if lang == "vi" else value.en
        return code

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(value.code for value in self.values)

    def choices(self, lang: str) -> str:
        """The canonical labels, for a message that says what is accepted."""
        return ", ".join(value.vi if lang == "vi" else value.en for value in self.values)


class ColumnSpec(_Frozen):
    key: str
    header: str
    en: str
    type: ValueType
    required: bool = False
    aliases: tuple[str, ...] = ()
    enum: EnumSpec | None = None
    minimum: float | None = None
    maximum: float | None = None
    note_vi: str = ""
    note_en: str = ""
    # A date that may lie after the reference date (a decision taking effect later).
    future_allowed: bool = False
    # A required column whose header a sheet may lack: its values then come from
    # elsewhere (the units registry, ThongTin, the mapping's defaults; or, for `Mã`, the
    # name and birth date identify a person). Official-lists.md, section 1.
    may_be_absent: bool = False
    # A `--columns` mapping's `[<sheet>.values.<key>]`: a workbook's value (folded) → the
    # value read in its place, checked against this column when the mapping was read.
    value_map: tuple[tuple[str, str], ...] = ()

    @model_validator(mode="after")
    def _enum_has_values(self) -> ColumnSpec:
        if (self.type is ValueType.ENUM) != (self.enum is not None):
            raise ValueError(f"column {self.key}: an enum column needs its values, and only it")
        return self

    @cached_property
    def spellings(self) -> frozenset[str]:
        return frozenset(fold(name) for name in (self.header, self.key, self.en, *self.aliases))

    def label(self, lang: str) -> str:
        return self.header if lang == "vi" else self.en


class SheetSpec(_Frozen):
    key: str
    name: str
    en: str
    aliases: tuple[str, ...] = ()
    columns: tuple[ColumnSpec, ...]
    # Groups of columns of which at least one must be present (birth date or year).
    one_of: tuple[tuple[str, ...], ...] = ()
    # Keys that identify a row; a repeated key is a duplicate.
    row_key: tuple[str, ...] = ()
    # A `--columns` mapping's `[<sheet>.headers]`: a workbook's header → a column's key.
    # They beat the built-in names: a mapped header that is another column's alias names
    # the mapped column.
    mapped_headers: tuple[tuple[str, str], ...] = ()

    @cached_property
    def spellings(self) -> frozenset[str]:
        return frozenset(fold(name) for name in (self.name, self.key, self.en, *self.aliases))

    @cached_property
    def header_lookup(self) -> dict[str, ColumnSpec]:
        lookup = {spelling: column for column in self.columns for spelling in column.spellings}
        lookup.update((fold(header), self.column(key)) for header, key in self.mapped_headers)
        return lookup

    @cached_property
    def required_columns(self) -> tuple[ColumnSpec, ...]:
        return tuple(column for column in self.columns if column.required)

    @cached_property
    def header_required_columns(self) -> tuple[ColumnSpec, ...]:
        """The required columns whose header a sheet must have to be read at all."""
        return tuple(column for column in self.required_columns if not column.may_be_absent)

    def column(self, key: str) -> ColumnSpec:
        for column in self.columns:
            if column.key == key:
                return column
        raise KeyError(key)

    def label(self, lang: str) -> str:
        return self.name if lang == "vi" else self.en


def _enum(
    name: str, *values: tuple[str, str, str] | tuple[str, str, str, tuple[str, ...]]
) -> EnumSpec:
    built = []
    for value in values:
        code, vi, en = value[0], value[1], value[2]
        synonyms = value[3] if len(value) == 4 else ()
        built.append(EnumValue(code=code, vi=vi, en=en, synonyms=synonyms))
    return EnumSpec(name=name, values=tuple(built))


LEVEL = _enum(
    "level",
    ("province", "Tỉnh", "Province", ("Cấp tỉnh",)),
    ("district", "Huyện", "District", ("Cấp huyện",)),
    ("commune", "Xã", "Commune", ("Cấp xã", "Phường", "Thị trấn", "Đặc khu")),
)
SECTOR = _enum(
    "sector",
    ("health", "Y tế", "Health"),
    ("education", "Giáo dục", "Education", ("Giáo dục và đào tạo", "GD&ĐT", "GDĐT")),
    ("state_management", "Quản lý nhà nước", "State management", ("QLNN",)),
    ("science", "Khoa học và công nghệ", "Science and technology", ("KH&CN", "KHCN")),
    ("culture", "Văn hóa", "Culture"),
    ("other", "Khác", "Other"),
)
CATEGORY = _enum(
    "category",
    ("cadre", "Cán bộ", "Cadre"),
    ("civil_servant", "Công chức", "Civil servant"),
    ("public_employee", "Viên chức", "Public employee"),
    ("worker", "Người lao động", "Contract worker", ("Hợp đồng lao động", "Lao động hợp đồng")),
)
SEX = _enum("sex", ("male", "Nam", "Male"), ("female", "Nữ", "Female"))
QUALIFICATION = _enum(
    "qualification",
    ("untrained", "Chưa qua đào tạo", "Untrained"),
    ("elementary", "Sơ cấp", "Elementary"),
    ("intermediate", "Trung cấp", "Intermediate"),
    ("college", "Cao đẳng", "College"),
    ("bachelor", "Đại học", "Bachelor"),
    ("master", "Thạc sĩ", "Master", ("Thạc sỹ", "ThS")),
    ("specialist_1", "Chuyên khoa I", "Specialist level I", ("CKI", "CK I", "CK1")),
    ("resident", "Bác sĩ nội trú", "Resident doctor", ("BSNT", "Bác sỹ nội trú")),
    ("specialist_2", "Chuyên khoa II", "Specialist level II", ("CKII", "CK II", "CK2")),
    ("doctorate", "Tiến sĩ", "Doctorate", ("Tiến sỹ", "TS", "PhD")),
)
POSTGRADUATE = frozenset({"master", "specialist_1", "resident", "specialist_2", "doctorate"})
SCHOOL_LEVEL = _enum(
    "school_level",
    ("preschool", "Mầm non", "Preschool", ("Mẫu giáo", "Nhà trẻ")),
    ("primary", "Tiểu học", "Primary"),
    ("lower_secondary", "THCS", "Lower secondary", ("Trung học cơ sở",)),
    ("upper_secondary", "THPT", "Upper secondary", ("Trung học phổ thông",)),
)
STATUS = _enum(
    "status",
    ("active", "Đang công tác", "Active"),
    ("resigned", "Đã nghỉ việc", "Resigned", ("Nghỉ việc",)),
    ("retired", "Nghỉ hưu", "Retired", ("Đã nghỉ hưu",)),
    ("transferred", "Chuyển công tác", "Transferred", ("Đã chuyển công tác",)),
)
MILESTONE_STATE = _enum(
    "milestone_state",
    ("not_started", "Chưa thực hiện", "Not started"),
    ("in_progress", "Đang thực hiện", "In progress"),
    ("done", "Hoàn thành", "Done", ("Đã hoàn thành",)),
)
METRIC = _enum(
    "metric",
    ("population", "Dân số", "Population"),
    ("labour_force", "Lực lượng lao động", "Labour force"),
    ("certified_labour", "Lao động có bằng cấp, chứng chỉ", "Labour with degrees or certificates"),
    ("private_doctors", "Bác sĩ ngoài công lập", "Doctors outside the public sector"),
    ("nursery_groups", "Số nhóm trẻ mầm non", "Nursery groups"),
    ("kindergarten_classes", "Số lớp mẫu giáo", "Kindergarten classes"),
    ("primary_classes", "Số lớp tiểu học", "Primary classes"),
    ("lower_secondary_classes", "Số lớp THCS", "Lower-secondary classes"),
    # Parts of the two above (Thông tư 20/2023/TT-BGDĐT; official-lists.md, section 5).
    (
        "primary_classes_one_session",
        "Số lớp tiểu học học 1 buổi/ngày",
        "Primary classes studying one session a day",
    ),
    (
        "lower_secondary_boarding_classes",
        "Số lớp THCS trường dân tộc nội trú, bán trú, khuyết tật",
        "Lower-secondary classes in boarding or disability schools",
    ),
    ("upper_secondary_classes", "Số lớp THPT", "Upper-secondary classes"),
    ("new_recruits", "Tuyển dụng mới", "New recruits"),
    ("talents_recruited", "Nhân tài được thu hút", "Talents recruited"),
    ("patents", "Bằng sáng chế", "Patents"),
    ("scientific_works", "Công trình khoa học", "Scientific works"),
)
INFO_ITEM = _enum(
    "info_item",
    ("report_year", "Năm báo cáo", "Report year"),
    ("as_of", "Ngày số liệu", "Data as of"),
    ("reporting_unit", "Đơn vị báo cáo", "Reporting unit"),
    # The category of every row of a list kept per category (official-lists.md, section 1).
    ("category", "Loại", "Category", ("Loại cán bộ", "Đối tượng")),
)

T = ValueType


def _col(key: str, header: str, en: str, type_: ValueType, **extra: object) -> ColumnSpec:
    return ColumnSpec.model_validate(
        {"key": key, "header": header, "en": en, "type": type_, **extra}
    )


WORKFORCE = SheetSpec(
    key=WORKFORCE_KEY,
    name=WORKFORCE_NAME,
    en=WORKFORCE_EN,
    aliases=WORKFORCE_ALIASES,
    columns=(
        _col(
            "id",
            "Mã",
            "ID",
            T.TEXT,
            required=True,
            may_be_absent=True,
            aliases=("Mã số", "Mã CBCCVC"),
            note_vi="duy nhất trong mọi tệp",
            note_en="unique over all input files",
        ),
        _col(
            "full_name",
            "Họ và tên",
            "Full name",
            T.TEXT,
            aliases=("Họ tên",),
            note_vi="không bao giờ được in, xuất hay nêu trong thông báo",
            note_en="never printed, exported or put in a message",
        ),
        _col(
            "unit",
            "Đơn vị",
            "Unit",
            T.TEXT,
            required=True,
            aliases=(
                "Cơ quan, đơn vị đang làm việc",
                "Cơ quan, đơn vị công tác",
                "Đơn vị công tác",
            ),
        ),
        _col("level", "Cấp", "Level", T.ENUM, required=True, may_be_absent=True, enum=LEVEL),
        _col(
            "sector", "Lĩnh vực", "Sector", T.ENUM, required=True, may_be_absent=True, enum=SECTOR
        ),
        _col(
            "category", "Loại", "Category", T.ENUM, required=True, may_be_absent=True, enum=CATEGORY
        ),
        _col(
            "birth_date",
            "Ngày sinh",
            "Birth date",
            T.DATE,
            aliases=("Ngày tháng năm sinh", "Ngày, tháng, năm sinh"),
        ),
        _col("birth_year", "Năm sinh", "Birth year", T.YEAR),
        _col("sex", "Giới tính", "Sex", T.ENUM, enum=SEX),
        _col(
            "qualification",
            "Trình độ chuyên môn",
            "Qualification",
            T.ENUM,
            required=True,
            enum=QUALIFICATION,
            aliases=("Trình độ chuyên môn cao nhất", "Trình độ đào tạo"),
        ),
        _col(
            "position",
            "Chức vụ",
            "Position",
            T.TEXT,
            aliases=("Chức vụ hoặc chức danh công tác", "Chức vụ, chức danh", "Chức vụ hiện tại"),
            note_vi="cờ lãnh đạo suy ra từ đây khi thiếu cột cờ",
            note_en="the leadership flags are derived from it where their columns are absent",
        ),
        _col(
            "profession",
            "Chức danh nghề nghiệp",
            "Professional title",
            T.TEXT,
            note_vi="bác sĩ: bắt đầu bằng \u201cBác sĩ\u201d; giáo viên: \u201cGiáo viên\u201d; "
            "giảng viên: \u201cGiảng viên\u201d",
            note_en="a doctor's title starts with \u201cBác sĩ\u201d, a teacher's with "
            "\u201cGiáo viên\u201d, a lecturer's with \u201cGiảng viên\u201d",
        ),
        _col(
            "school_level",
            "Cấp học",
            "School level",
            T.ENUM,
            enum=SCHOOL_LEVEL,
            note_vi="bắt buộc với giáo viên",
            note_en="required for teachers",
        ),
        _col("is_manager", "Lãnh đạo quản lý", "Manager", T.BOOL),
        _col("is_key_leader", "Lãnh đạo chủ chốt", "Key leader", T.BOOL),
        _col("is_standing_committee", "Ủy viên ban thường vụ", "Standing committee", T.BOOL),
        _col(
            "meets_training_standard",
            "Đạt chuẩn trình độ đào tạo",
            "Meets training standard",
            T.BOOL,
        ),
        _col("fits_job_position", "Phù hợp vị trí việc làm", "Fits job position", T.BOOL),
        _col(
            "standardized",
            "Chuẩn hóa LLCT, chuyên môn, nghiệp vụ",
            "Standardized",
            T.BOOL,
            aliases=("Đạt chuẩn hóa",),
        ),
        _col("foreign_language", "Giao tiếp ngoại ngữ", "Foreign language", T.BOOL),
        _col("international", "Làm việc môi trường quốc tế", "International", T.BOOL),
        _col("talent", "Nhân tài", "Talent", T.BOOL),
        _col("recruited_year", "Năm tuyển dụng", "Recruited year", T.YEAR),
        _col(
            "attracted_year",
            "Năm thu hút",
            "Attracted year",
            T.YEAR,
            note_vi="để trống = Năm tuyển dụng",
            note_en="blank = the recruited year",
        ),
        _col(
            "status",
            "Trạng thái",
            "Status",
            T.ENUM,
            enum=STATUS,
            note_vi="để trống = Đang công tác",
            note_en="blank = Đang công tác (active)",
        ),
    ),
    one_of=(("birth_date", "birth_year"), ("id", "full_name")),
    row_key=("id",),
)

UNITS = SheetSpec(
    key="units",
    name="DonVi",
    en="Units",
    aliases=("Đơn vị",),
    columns=(
        _col("unit", "Đơn vị", "Unit", T.TEXT, required=True),
        _col("level", "Cấp", "Level", T.ENUM, enum=LEVEL),
        _col("sector", "Lĩnh vực", "Sector", T.ENUM, enum=SECTOR),
        _col("foreign_affairs", "Đối ngoại", "Foreign affairs", T.BOOL),
        _col(
            "postgrad_norm",
            "Định mức sau đại học (%)",
            "Postgraduate norm (%)",
            T.NUMBER,
            minimum=0,
            maximum=100,
            aliases=("Định mức sau đại học",),
        ),
        _col("area", "Địa bàn", "Area", T.TEXT),
    ),
    row_key=("unit",),
)

FIGURES = SheetSpec(
    key="figures",
    name="SoLieu",
    en="Figures",
    aliases=("Số liệu", "headcount"),
    columns=(
        _col("metric", "Chỉ tiêu", "Metric", T.ENUM, required=True, enum=METRIC),
        _col("value", "Giá trị", "Value", T.NUMBER, required=True, minimum=0),
        _col(
            "year",
            "Năm",
            "Year",
            T.YEAR,
            note_vi="để trống = năm báo cáo",
            note_en="blank = the report year",
        ),
        _col(
            "area",
            "Địa bàn",
            "Area",
            T.TEXT,
            note_vi="để trống = toàn tỉnh",
            note_en="blank = the whole province",
        ),
    ),
    row_key=("metric", "year", "area"),
)

SPECIALIST_TEAMS = SheetSpec(
    key="specialist_teams",
    name="KipChuyenSau",
    en="Specialist teams",
    aliases=("Kíp chuyên sâu",),
    columns=(
        _col("specialty", "Chuyên khoa", "Specialty", T.TEXT, required=True),
        _col("teams", "Số kíp", "Teams", T.INT, required=True, minimum=0),
    ),
    row_key=("specialty",),
)

MILESTONES = SheetSpec(
    key="milestones",
    name="MocCongViec",
    en="Milestones",
    aliases=("Mốc công việc",),
    columns=(
        _col("milestone", "Mã mốc", "Milestone", T.TEXT, required=True),
        _col("state", "Trạng thái", "State", T.ENUM, required=True, enum=MILESTONE_STATE),
        _col("note", "Ghi chú", "Note", T.TEXT),
    ),
    row_key=("milestone",),
)

INFO = SheetSpec(
    key="info",
    name="ThongTin",
    en="Info",
    aliases=("Thông tin",),
    columns=(
        _col("item", "Mục", "Item", T.ENUM, required=True, enum=INFO_ITEM),
        # A blank value is an item not filled in yet (a fresh template), not an error.
        _col("value", "Giá trị", "Value", T.TEXT),
    ),
    row_key=("item",),
)

# Old units mapped onto the units that replaced them (the 2025 reform: districts abolished,
# communes merged), so that per-unit trends compare like with like (`kpi trend`).
UNIT_CHANGES = SheetSpec(
    key="unit_changes",
    name="ChuyenDoiDonVi",
    en="Unit changes",
    aliases=("Chuyển đổi đơn vị", "Sắp xếp đơn vị"),
    columns=(
        _col(
            "old_unit",
            "Đơn vị cũ",
            "Old unit",
            T.TEXT,
            required=True,
            aliases=("Tên đơn vị cũ", "Đơn vị trước sắp xếp"),
            note_vi="tên như trong NhanSu của các năm trước",
            note_en="the name used in NhanSu in earlier years",
        ),
        _col(
            "new_unit",
            "Đơn vị mới",
            "New unit",
            T.TEXT,
            required=True,
            aliases=("Tên đơn vị mới", "Đơn vị sau sắp xếp"),
        ),
        _col(
            "effective_date",
            "Ngày hiệu lực",
            "Effective date",
            T.DATE,
            required=True,
            future_allowed=True,
            aliases=("Ngày có hiệu lực", "Hiệu lực từ ngày"),
            note_vi="số liệu có ngày trước ngày này được tính vào đơn vị mới",
            note_en="figures dated before it count under the new unit",
        ),
    ),
    row_key=("old_unit", "effective_date"),
)

# Read in this order: `ThongTin` first, since the report year bounds every year column.
SHEETS: tuple[SheetSpec, ...] = (
    INFO,
    WORKFORCE,
    UNITS,
    FIGURES,
    SPECIALIST_TEAMS,
    MILESTONES,
    UNIT_CHANGES,
)


class Contract(_Frozen):
    sheets: tuple[SheetSpec, ...] = Field(default=SHEETS)
    # A value for a column a workbook lacks altogether: sheet key → column key → the value
    # as a workbook would write it (`--columns`' `[NhanSu.defaults]`, official-lists.md §3).
    defaults: dict[str, dict[str, str]] = Field(default_factory=dict)

    def match_sheet(self, name: str) -> SheetSpec | None:
        folded = fold(name)
        for sheet in self.sheets:
            if folded in sheet.spellings:
                return sheet
        return None


CONTRACT = Contract()
