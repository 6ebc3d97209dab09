"""The annotated copies' own words (`kpi validate --annotate`, `render/annotate.py`), and
where an issue's message splits into what is wrong and how to fix it (`i18n.issue_parts`)."""

from __future__ import annotations

from kpi_tritue.i18n.lang import Lang

TEXT: dict[str, dict[Lang, str]] = {
    "annotate.sheet": {"vi": "Kết quả kiểm tra", "en": "Validation results"},
    "annotate.title": {
        "vi": "Kết quả kiểm tra tệp {file}",
        "en": "Validation results of {file}",
    },
    "annotate.summary": {
        "vi": "Lỗi: {errors}, cảnh báo: {warnings}, thông tin: {infos}. Ô có lỗi được tô đỏ, ô có "
        "cảnh báo tô vàng, mỗi ô có ghi chú nói vấn đề; bấm vào địa chỉ ô ở cột \u201cÔ\u201d để "
        "tới ô đó. Sửa rồi gửi lại tệp gốc (không gửi bản này).",
        "en": "Errors: {errors}, warnings: {warnings}, notes: {infos}. Cells with an error are "
        "filled red, cells with a warning yellow, each with a comment saying what is wrong; "
        "click an address in the \u201cCell\u201d column to go to that cell. Correct the "
        "original file and send it again (not this copy).",
    },
    "annotate.col.problem": {"vi": "Vấn đề", "en": "Problem"},
    "annotate.col.fix": {"vi": "Cách sửa", "en": "How to fix"},
    "annotate.row": {"vi": "dòng {row}", "en": "row {row}"},
    "annotate.fix.cell": {
        "vi": "Sửa ô {cell} theo vấn đề nêu bên trái.",
        "en": "Correct cell {cell} as the problem says.",
    },
    "annotate.fix.other": {
        "vi": "Sửa theo vấn đề nêu bên trái.",
        "en": "Correct it as the problem says.",
    },
    "annotate.fix.info": {
        "vi": "Không cần sửa: chỉ để biết.",
        "en": "Nothing to correct: for information.",
    },
    "annotate.comment.more": {
        "vi": "… và {count} vấn đề khác ở ô này (xem trang \u201c{sheet}\u201d).",
        "en": "… and {count} more problems in this cell (see the sheet \u201c{sheet}\u201d).",
    },
    "annotate.written": {
        "vi": "Đã ghi {count} bản sao có đánh dấu vào thư mục {folder}:",
        "en": "Wrote {count} annotated copies to the folder {folder}:",
    },
    "annotate.written_one": {"vi": "  {file} → {path}", "en": "  {file} → {path}"},
    "annotate.none": {
        "vi": "Không tệp nào có lỗi hay cảnh báo: không ghi bản sao nào vào {folder}.",
        "en": "No file has an error or a warning: no copy written to {folder}.",
    },
    "annotate.none_written": {
        "vi": "Không ghi bản sao nào vào {folder}.",
        "en": "No copy written to {folder}.",
    },
    "annotate.unopened": {
        "vi": "Không có bản sao của {file}: không mở được tệp (lỗi của tệp ở trên), nên "
        "không có ô nào để đánh dấu. Đề nghị đơn vị gửi lại tệp.",
        "en": "No copy of {file}: the file could not be opened (its error is above), so "
        "there is no cell to mark. Ask the unit to send the file again.",
    },
    "annotate.uncopied": {
        "vi": "Không có bản sao của {file}: kpi đọc được tệp nhưng không chép được để đánh dấu, "
        "vì trong tệp có phần mà chương trình bảng tính không mở được ({detail}). Các lỗi của "
        "tệp vẫn có ở trên. Đề nghị đơn vị mở tệp bằng Excel, lưu lại rồi gửi lại.",
        "en": "No copy of {file}: kpi read the file but cannot copy it to mark its cells, as "
        "part of it is something a spreadsheet program cannot open ({detail}). Its issues "
        "are above. Ask the unit to open it in Excel, save it again and resend it.",
    },
    "annotate.changed": {
        "vi": "Không ghi bản sao của {file}: tệp đã thay đổi từ lúc được đọc. Chạy lại lệnh để "
        "kiểm tra bản mới.",
        "en": "No copy of {file} was written: the file changed after it was read. Run the "
        "command again to check the new version.",
    },
}


def first_sentence_end(template: str) -> int | None:
    """Where the template's first sentence ends (after its `.`), outside any placeholder."""
    depth = 0
    for index, char in enumerate(template):
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
        elif (
            char == "."
            and depth == 0
            and template[index + 1 : index + 2] == " "
            and template[index - 1 : index] != "."
        ):
            return index + 1
    return None
