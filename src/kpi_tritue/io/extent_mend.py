"""The mended copy: a sheet's XML without its far cells, and the workbook's zip around it.

`rewrite` gives calamine a copy of the sheet without the far cells (and with an explicit
`r` on every cell it keeps); the copy is checked again before calamine sees it.
`calamine_entry` names the entry of a part that calamine reads, and `mended_workbook`
writes the workbook again around the mended sheet, without any duplicate of its name.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterable, Iterator

from kpi_tritue.io.extent_scan import Extent


def rewrite(blocks: Iterable[bytes], extent: Extent) -> Iterator[bytes]:
    """The sheet's XML without the far cells, with `r` on every kept cell: the edits of
    `analyse`, applied in one streaming pass."""
    edits: list[tuple[int, int, bytes]] = []
    for i in range(0, len(extent.cuts), 2):
        edits.append((extent.cuts[i], extent.cuts[i + 1], b""))
    for at, text in zip(extent.inserts, extent.insert_refs, strict=True):
        edits.append((at, at, text))
    edits.sort(key=lambda edit: (edit[0], edit[1]))
    return apply_edits(blocks, edits)


def apply_edits(blocks: Iterable[bytes], edits: list[tuple[int, int, bytes]]) -> Iterator[bytes]:
    """`blocks` with each (start, stop, text) edit, in order, replacing bytes start:stop by
    text, in one streaming pass; an edit inside a cut already made is dropped."""
    offset = 0
    index = 0
    skip_to = 0
    for block in blocks:
        end = offset + len(block)
        pos = offset
        out: list[bytes] = []
        while index < len(edits) and edits[index][0] < end:
            start, stop, text = edits[index]
            if start < skip_to:  # inside a cut (an insert in a far cell)
                index += 1
                continue
            begin = max(pos, skip_to)
            if start > begin:
                out.append(block[begin - offset : start - offset])
            out.append(text)
            pos = start
            skip_to = max(skip_to, stop)
            index += 1
        begin = max(pos, skip_to)
        if begin < end:
            out.append(block[begin - offset :])
        offset = end
        yield b"".join(out)


# A mended sheet up to this size is stored in the copy (deflating costs more than it saves).
_STORED = 256 << 20


def mended_workbook(
    source: zipfile.ZipFile, part: zipfile.ZipInfo, sheet_xml: Iterable[bytes]
) -> bytes:
    """The workbook again, in memory, with `part` replaced by `sheet_xml`; every other
    entry of the same name (a duplicate in a forged archive) is left out. The entries keep
    their order and their compression (an .ods starts with its `mimetype`, stored); the
    sheet is stored rather than deflated when it is small enough to hold as it is."""
    import io

    buffer = io.BytesIO()
    last: dict[str, zipfile.ZipInfo] = {}
    for entry in source.infolist():
        last[entry.filename] = entry
    wanted = _ascii_lower(part.filename)
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as copy:
        written = False
        for entry in source.infolist():
            if entry.is_dir() or last[entry.filename] is not entry:
                continue
            if _ascii_lower(entry.filename) == wanted:
                if written:
                    continue
                written = True
                info = zipfile.ZipInfo(part.filename, date_time=part.date_time)
                info.compress_type = (
                    zipfile.ZIP_STORED if part.file_size <= _STORED else zipfile.ZIP_DEFLATED
                )
                with copy.open(info, "w", force_zip64=True) as stream:
                    for block in sheet_xml:
                        stream.write(block)
                continue
            info = zipfile.ZipInfo(entry.filename, date_time=entry.date_time)
            info.compress_type = entry.compress_type
            with source.open(entry) as original, copy.open(info, "w") as target:
                while chunk := original.read(1 << 20):
                    target.write(chunk)
    return buffer.getvalue()


def _ascii_lower(name: str) -> bytes:
    return name.encode("utf-8", "surrogateescape").lower()


def calamine_entry(archive: zipfile.ZipFile, path: str) -> tuple[zipfile.ZipInfo | None, int]:
    """The entry calamine reads for the part `path`, and how many entries could be it.

    calamine takes the first name (in the archive's order) equal to `path` but for ASCII
    case, and of several entries of that exact name, the last.
    """
    wanted = _ascii_lower(path)
    candidates = [e for e in archive.infolist() if _ascii_lower(e.filename) == wanted]
    if not candidates:
        return None, 0
    name = candidates[0].filename
    chosen = [e for e in candidates if e.filename == name][-1]
    return chosen, len(candidates)
