"""Writing output files safely: never over an input, never half-written.

Every file `kpi` writes (the gap report, the template, JUnit XML) goes through here: the
path is checked before any work is done, and the bytes go to a temporary file in the
same folder that is renamed into place only once complete.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import BinaryIO

from kpi_tritue.errors import OutputError
from kpi_tritue.i18n import Lang

LABELS: dict[str, dict[Lang, str]] = {
    "error.suffix": {
        "vi": "Không ghi được {path}: tên tệp kết quả phải có đuôi {suffixes}.",
        "en": "Cannot write {path}: the output file name must end with {suffixes}.",
    },
    "error.is_folder": {
        "vi": "Không ghi được {path}: đây là một thư mục. Ghi tên tệp, ví dụ -o bao_cao.xlsx.",
        "en": "Cannot write {path}: it is a folder. Give a file name, e.g. -o report.xlsx.",
    },
    "error.is_input": {
        "vi": "Không ghi đè {path}: đây là tệp đầu vào. Chọn tên tệp kết quả khác.",
        "en": "Will not write over {path}: it is an input file. Choose another output name.",
    },
    "error.no_folder": {
        "vi": "Không ghi được {path}: thư mục {folder} không tồn tại. Tạo thư mục trước "
        "hoặc chọn nơi khác.",
        "en": "Cannot write {path}: the folder {folder} does not exist. Create it first or "
        "choose another place.",
    },
    "error.not_writable": {
        "vi": "Không ghi được vào thư mục {folder} (không có quyền ghi). Chọn nơi khác với -o.",
        "en": "Cannot write in the folder {folder} (no permission). Choose another place with -o.",
    },
    "error.exists": {
        "vi": "Tệp {path} đã có. Dùng --force để ghi đè, hoặc chọn tên khác với -o.",
        "en": "{path} already exists. Use --force to replace it, or choose another name with -o.",
    },
    "error.write": {
        "vi": "Không ghi được {path}: {reason}. Nếu tệp đang mở trong Excel, hãy đóng lại "
        "rồi chạy lại.",
        "en": "Cannot write {path}: {reason}. If the file is open in Excel, close it and "
        "run again.",
    },
}


def output_label(key: str, lang: Lang, **params: object) -> str:
    return LABELS[key][lang].format(**params)


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def check_output(
    path: Path, inputs: Iterable[Path], lang: Lang, *, suffixes: Sequence[str] = (".xlsx",)
) -> None:
    """Refuse an output path that is an input, a folder, or in a folder that cannot be written."""
    shown = str(path)
    if path.suffix.lower() not in suffixes:
        raise OutputError(
            output_label("error.suffix", lang, path=shown, suffixes=", ".join(suffixes))
        )
    if path.is_dir():
        raise OutputError(output_label("error.is_folder", lang, path=shown))
    target = path.resolve()
    for given in inputs:
        if target == given.resolve() or _same_file(path, given):
            raise OutputError(output_label("error.is_input", lang, path=shown))
    folder = target.parent
    if not folder.is_dir():
        raise OutputError(
            output_label("error.no_folder", lang, path=shown, folder=str(path.parent))
        )
    if not os.access(folder, os.W_OK | os.X_OK):
        raise OutputError(output_label("error.not_writable", lang, folder=str(path.parent)))


def _new_file_mode(path: Path) -> int:
    """The mode the file would get if opened normally: its own, or 0o666 less the umask."""
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def write_atomically(path: Path, write: Callable[[BinaryIO], object], lang: Lang) -> None:
    """Write through `write` to a temporary file in the same folder, then rename it over `path`.

    An error or Ctrl-C on the way leaves neither a partial file nor the temporary one.
    """
    folder = path.absolute().parent
    try:
        handle, temporary_name = tempfile.mkstemp(
            prefix=f".{path.stem}.", suffix=".tmp", dir=folder
        )
    except OSError as error:
        raise OutputError(
            output_label("error.not_writable", lang, folder=str(path.parent))
        ) from error
    temporary = Path(temporary_name)
    try:
        with os.fdopen(handle, "wb") as stream:
            write(stream)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, _new_file_mode(path))
        os.replace(temporary, path)
    except BaseException as error:
        temporary.unlink(missing_ok=True)
        if isinstance(error, OSError):
            reason = error.strerror or str(error)
            raise OutputError(
                output_label("error.write", lang, path=str(path), reason=reason)
            ) from error
        raise
