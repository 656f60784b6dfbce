"""Document files: what is accepted, how names are cleaned, where bytes are kept.

Files live outside the web root in ``UPLOAD_DIR/<first two hex digits>/<sha256>``. A file is
accepted only when its extension is on the allow-list AND its first bytes are what that kind
of file starts with: an ``.exe`` renamed ``report.pdf`` is refused.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import tempfile
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from flask import Response, abort, current_app, send_file
from flask_babel import lazy_gettext as _l
from sqlalchemy import Connection, event, func, select
from sqlalchemy.orm import Session
from werkzeug.utils import secure_filename

from coordination.core.errors import ValidationError

CHUNK = 1024 * 1024
MAX_DISPLAY_NAME = 150
HASH_PATTERN = re.compile(r"^[0-9a-f]{64}$")

PDF = "pdf"
OOXML = "ooxml"
ODF = "odf"
OLE2 = "ole2"
PNG = "png"
JPEG = "jpeg"
GIF = "gif"
WEBP = "webp"

#: extension -> (family checked against the content, media type sent on download)
ALLOWED_TYPES: dict[str, tuple[str, str]] = {
    "pdf": (PDF, "application/pdf"),
    "docx": (OOXML, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "xlsx": (OOXML, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "pptx": (OOXML, "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
    "odt": (ODF, "application/vnd.oasis.opendocument.text"),
    "ods": (ODF, "application/vnd.oasis.opendocument.spreadsheet"),
    "odp": (ODF, "application/vnd.oasis.opendocument.presentation"),
    "doc": (OLE2, "application/msword"),
    "xls": (OLE2, "application/vnd.ms-excel"),
    "ppt": (OLE2, "application/vnd.ms-powerpoint"),
    "png": (PNG, "image/png"),
    "jpg": (JPEG, "image/jpeg"),
    "jpeg": (JPEG, "image/jpeg"),
    "gif": (GIF, "image/gif"),
    "webp": (WEBP, "image/webp"),
}

#: The kinds of file whose words search reads (``search.extraction``).
WORD_EXTENSIONS = ("pdf", "docx", "odt")

#: What the upload form tells people (and the ``accept`` attribute of the file input).
ACCEPT_ATTRIBUTE = ",".join(f".{extension}" for extension in ALLOWED_TYPES)
ALLOWED_EXTENSIONS_TEXT = ", ".join(sorted({ext.upper() for ext in ALLOWED_TYPES} - {"JPEG"}))


class UploadRefused(ValidationError):
    """The file was not stored; the message tells the user why."""


@dataclass(frozen=True)
class StoredFile:
    content_hash: str
    size_bytes: int
    media_type: str
    filename: str


# --- names ---------------------------------------------------------------------------------


def display_name(raw: str | None) -> str:
    """A readable, harmless file name from whatever the browser sent.

    Keeps letters of any script (``Procès-verbal été.pdf`` stays readable) but drops any path
    (``../../etc/passwd`` -> ``passwd``), control and formatting characters (NUL, newlines,
    right-to-left overrides that disguise an extension), leading dots and surplus length.
    """
    name = unicodedata.normalize("NFC", raw or "")
    name = re.split(r"[/\\]", name)[-1]
    name = "".join(
        ch for ch in name if unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Co", "Zl", "Zp")
    )
    name = re.sub(r"\s+", " ", name).strip().lstrip(".").strip()
    name = name.replace('"', "'")
    if len(name) > MAX_DISPLAY_NAME:
        stem, dot, extension = name.rpartition(".")
        if dot and 0 < len(extension) <= 10:
            name = stem[: MAX_DISPLAY_NAME - len(extension) - 1].rstrip() + "." + extension
        else:
            name = name[:MAX_DISPLAY_NAME]
    return name


def extension_of(name: str) -> str:
    """The lower-case extension, read from the ASCII-safe form of the name."""
    safe = secure_filename(name)
    stem, dot, extension = safe.rpartition(".")
    return extension.lower() if dot and stem else ""


# --- content -------------------------------------------------------------------------------


def sniff_family(head: bytes, path: Path) -> str | None:
    """The kind of file the first bytes (and for ZIP files, the archive listing) reveal."""
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith((b"GIF87a", b"GIF89a")):
        return GIF
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return OLE2
    if head.startswith(b"PK\x03\x04"):
        return _zip_family(path)
    return None


def _zip_family(path: Path) -> str | None:
    """OOXML has ``[Content_Types].xml``; ODF has a ``mimetype`` entry naming an ODF type.

    Only the archive's directory and the tiny ``mimetype`` entry are read: nothing is unpacked.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            if "[Content_Types].xml" in names:
                return OOXML
            if "mimetype" in names:
                info = archive.getinfo("mimetype")
                if info.file_size <= 200:
                    declared = archive.read("mimetype").decode("ascii", "replace").strip()
                    if declared.startswith("application/vnd.oasis.opendocument."):
                        return ODF
    except (zipfile.BadZipFile, OSError, KeyError, RuntimeError, ValueError, EOFError):
        return None
    return None


# --- storing -------------------------------------------------------------------------------


def path_for(upload_dir: str | Path, content_hash: str) -> Path:
    """Where the bytes of ``content_hash`` live.

    :raise ValueError: for anything that is not a SHA-256 in hex (never a path from outside).
    """
    if not HASH_PATTERN.match(content_hash):
        raise ValueError("not a SHA-256 hex digest")
    return Path(upload_dir) / content_hash[:2] / content_hash


def _copy_limited(stream: BinaryIO, target: BinaryIO, max_bytes: int) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    while True:
        chunk = stream.read(CHUNK)
        if not chunk:
            break
        size += len(chunk)
        if size > max_bytes:
            raise UploadRefused(
                _l(
                    "The file is larger than %(limit)s MB. Please send a smaller file.",
                    limit=max_bytes // (1024 * 1024),
                )
            )
        digest.update(chunk)
        target.write(chunk)
    return digest.hexdigest(), size


def file_response(path: Path, *, filename: str, media_type: str, content_hash: str) -> Response:
    """The stored file as a download that no browser renders or caches.

    :raise 404: when the file is missing on disk (logged: the operator must know).
    """
    if not path.is_file():
        current_app.logger.error("stored file %s (%s) is missing", path, filename)
        abort(404)
    response = send_file(
        path,
        mimetype=media_type,
        as_attachment=True,
        download_name=filename,
        conditional=True,
        etag=content_hash,
        max_age=0,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def store_file(
    stream: BinaryIO, raw_name: str | None, *, upload_dir: str | Path, max_bytes: int
) -> StoredFile:
    """Check and keep an uploaded file under its content hash; return what was stored.

    :raise UploadRefused: no name, an extension that is not allowed, an empty or too large
        file, or content that is not what the extension says.
    """
    name = display_name(raw_name)
    extension = extension_of(name)
    if not name or not extension:
        raise UploadRefused(
            _l(
                "The file needs a name with an extension. Allowed: %(types)s.",
                types=ALLOWED_EXTENSIONS_TEXT,
            )
        )
    if extension not in ALLOWED_TYPES:
        raise UploadRefused(
            _l(
                "Files of type .%(extension)s are not accepted. Allowed: %(types)s.",
                extension=extension,
                types=ALLOWED_EXTENSIONS_TEXT,
            )
        )
    family, media_type = ALLOWED_TYPES[extension]
    try:
        content_hash, size = _keep(stream, Path(upload_dir), extension, family, max_bytes)
    except OSError as error:
        # A full disk, a read-only or missing upload folder: the operator must act.
        current_app.logger.error("upload %r not stored in %s: %s", name, upload_dir, error)
        raise UploadRefused(
            _l(
                "The file could not be stored on the server: nothing was attached. Please try "
                "again later, and tell the secretariat if it happens again."
            )
        ) from error
    return StoredFile(content_hash, size, media_type, name)


def _keep(
    stream: BinaryIO, directory: Path, extension: str, family: str, max_bytes: int
) -> tuple[str, int]:
    """Write the upload next to its final place, check it, and move it there; (hash, size).

    :raise UploadRefused: an empty or too large file, or content that is not the extension's.
    :raise OSError: when the file system refuses (full, read-only, missing folder).
    """
    directory.mkdir(parents=True, exist_ok=True)
    handle, temporary_name = tempfile.mkstemp(prefix=".upload-", dir=directory)
    temporary = Path(temporary_name)
    try:
        with os.fdopen(handle, "wb") as target:
            content_hash, size = _copy_limited(stream, target, max_bytes)
        if size == 0:
            raise UploadRefused(_l("The file is empty."))
        with temporary.open("rb") as check:
            head = check.read(64)
        if sniff_family(head, temporary) != family:
            raise UploadRefused(
                _l(
                    "The content of this file is not a .%(extension)s file. Only real PDF, "
                    "Office, OpenDocument and image files are accepted.",
                    extension=extension,
                )
            )
        final = path_for(directory, content_hash)
        final.parent.mkdir(parents=True, exist_ok=True)
        if final.exists():
            temporary.unlink()
        else:
            temporary.chmod(0o640)
            os.replace(temporary, final)
    finally:
        with contextlib.suppress(OSError):
            temporary.unlink(missing_ok=True)
    return content_hash, size


# --- removing after commit -----------------------------------------------------------------

_PENDING_KEY = "coordination.files_to_remove"


def remove_after_commit(session: Session, upload_dir: str | Path, content_hash: str) -> None:
    """Remove a file once the transaction that deleted its last document has committed.

    Nothing is removed when the transaction rolls back; and a file that another document
    still points to (the same content uploaded twice) stays.
    """
    session.info.setdefault(_PENDING_KEY, set()).add((str(upload_dir), content_hash))


@event.listens_for(Session, "after_commit")
def _remove_files(session: Session) -> None:
    pending = session.info.pop(_PENDING_KEY, None)
    if not pending:
        return
    from coordination.meetings.models import Document

    # The session cannot run SQL in after_commit: ask on a connection of our own, or on the
    # one the session was handed (its commit is then that connection's, seen only there).
    bind = session.get_bind(Document.__mapper__)
    if isinstance(bind, Connection):
        _remove_unused_files(bind, pending)
        return
    with bind.connect() as connection:
        _remove_unused_files(connection, pending)


def _remove_unused_files(connection: Connection, pending: set[tuple[str, str]]) -> None:
    from coordination.meetings.models import Document

    for upload_dir, content_hash in pending:
        still_used = connection.scalar(
            select(func.count(Document.id)).where(Document.content_hash == content_hash)
        )
        if not still_used:
            path_for(upload_dir, content_hash).unlink(missing_ok=True)


@event.listens_for(Session, "after_rollback")
def _forget_files(session: Session) -> None:
    session.info.pop(_PENDING_KEY, None)
