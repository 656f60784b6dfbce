"""Reading the words of a PDF, DOCX or ODT file: what runs in the child process.

``python -I .../readers.py PATH FAMILY`` writes the words on standard output (UTF-8), at most
``MAX_CHARACTERS``; exit status 3 with the reason on standard error when the file is refused,
any other failure as Python reports it. The worker starts it with limits of time and memory
(``search.extraction``). It is run as a file, in isolated mode, so that it imports nothing of
the application (it starts faster) and only the standard library and the readers: pypdf,
python-docx and odfpy.
"""

from __future__ import annotations

import sys
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path

#: The families of ``meetings.storage`` that have a reader.
PDF = "pdf"
OOXML = "ooxml"
ODF = "odf"
#: The characters of a file that are kept for search.
MAX_CHARACTERS = 100_000
#: What an archive (DOCX, ODT) may unpack to, at most, before it is opened.
MAX_UNPACKED_BYTES = 200 * 1024 * 1024


class Unreadable(Exception):
    """The file is refused before it is read (the message says why, for the log)."""


def read_words(path: Path, family: str) -> str:
    """The words of the file at ``path`` (a ``storage`` family), at most ``MAX_CHARACTERS``."""
    if family == PDF:
        return _bounded(_pdf_pages(path))
    _check_unpacked_size(path)
    if family == OOXML:
        return _bounded(_docx_paragraphs(path))
    if family == ODF:
        return _bounded(_odt_paragraphs(path))
    raise Unreadable(f"no reader for {family}")


def _pdf_pages(path: Path) -> Iterator[str]:
    from pypdf import PdfReader

    for page in PdfReader(path).pages:
        yield page.extract_text() or ""


def _docx_paragraphs(path: Path) -> Iterator[str]:
    import docx

    document = docx.Document(str(path))
    for paragraph in document.paragraphs:
        yield paragraph.text
    for table in document.tables:
        for row in table.rows:
            yield " | ".join(cell.text for cell in row.cells)


def _odt_paragraphs(path: Path) -> Iterator[str]:
    from odf import teletype, text
    from odf.opendocument import load

    document = load(str(path))
    for element in document.getElementsByType(text.P) + document.getElementsByType(text.H):
        yield teletype.extractText(element)


def _bounded(parts: Iterable[str]) -> str:
    """The parts joined by blank lines, stopping once ``MAX_CHARACTERS`` are reached."""
    kept: list[str] = []
    size = 0
    for part in parts:
        part = " ".join(part.split())
        if not part:
            continue
        kept.append(part)
        size += len(part) + 2
        if size >= MAX_CHARACTERS:
            break
    return "\n\n".join(kept)[:MAX_CHARACTERS]


def _check_unpacked_size(path: Path) -> None:
    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise Unreadable(f"not a readable archive: {error}") from error
    if unpacked > MAX_UNPACKED_BYTES:
        raise Unreadable(f"unpacks to {unpacked} bytes")


def main() -> int:
    """``python -I readers.py PATH FAMILY``: the words on standard output."""
    path, family = Path(sys.argv[1]), sys.argv[2]
    try:
        words = read_words(path, family)
    except Unreadable as error:
        print(error, file=sys.stderr)
        return 3
    sys.stdout.buffer.write(words.encode("utf-8", "replace"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
