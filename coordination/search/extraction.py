"""The words of uploaded documents (PDF, DOCX, ODT), read in the background for search.

An upload only marks its document as waiting (``TextStatus.WAITING``): reading a file takes
time, and a hostile file (a PDF whose pages point at each other forever, a DOCX that unzips
to gigabytes) must never hang a request or the worker. The background worker (``flask outbox
deliver --loop``, the same process that sends the e-mails) reads the waiting documents a few
at a time, each in a child process of its own with limits:

- files larger than ``SEARCH_EXTRACT_MAX_BYTES`` are not opened, nor archives that would
  unpack to more than ``readers.MAX_UNPACKED_BYTES``;
- the child may use ``MEMORY_LIMIT_BYTES`` of memory and ``SEARCH_EXTRACT_SECONDS`` of time,
  and is killed past them;
- at most ``readers.MAX_CHARACTERS`` characters are kept (the start of a long report holds its
  subject; a full-text row is also bounded by PostgreSQL).

Whatever goes wrong, the document is marked ``FAILED`` and keeps being found by its name; the
next document is read. The text is written on the document's row (``extracted_text``) in its
own transaction, and the search index's session event writes the document's rows again.

The readers are maintained libraries: pypdf, python-docx and odfpy. The same file uploaded
twice (same SHA-256) is read once.
"""

from __future__ import annotations

import functools
import resource
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import undefer
from sqlalchemy.orm.exc import StaleDataError

from coordination.db import db
from coordination.meetings.models import Document, TextStatus
from coordination.meetings.storage import ALLOWED_TYPES, WORD_EXTENSIONS, extension_of, path_for
from coordination.search import readers
from coordination.search.readers import MAX_CHARACTERS

#: The family of each kind of file whose words are read (the upload checked the content).
READ_EXTENSIONS = {extension: ALLOWED_TYPES[extension][0] for extension in WORD_EXTENSIONS}
#: The memory a reading child may take (address space; a reader needs about 100 MB).
MEMORY_LIMIT_BYTES = 1024 * 1024 * 1024
#: Documents read per run of the worker: the e-mails wait no longer than that.
BATCH = 5


@dataclass(frozen=True)
class Reading:
    status: TextStatus
    text: str | None = None
    #: Why a reading failed (for the log).
    problem: str | None = None


# --- in the child process, before the reader ---------------------------------------------


def _limit_child(seconds: float) -> None:
    """Run in the child before the reader starts: its memory and processor time are capped
    (the processor limit stops a reader that loops even if the worker's timer fails)."""
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT_BYTES, MEMORY_LIMIT_BYTES))
    cpu = int(seconds) + 1
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu))


# --- in the worker ------------------------------------------------------------------------


def read_in_child(path: Path, family: str, seconds: float) -> Reading:
    """Read the file in a child process, with its limits; a failure of any kind is a reading
    ``FAILED``, never an exception."""
    command = [sys.executable, "-I", readers.__file__, str(path), family]
    try:
        done = subprocess.run(  # noqa: S603 - our own module, with arguments we made
            command,
            capture_output=True,
            timeout=seconds,
            # The worker starts no threads, so a function before exec is safe here.
            preexec_fn=functools.partial(_limit_child, seconds),
            check=False,
        )
    except subprocess.TimeoutExpired:
        return Reading(TextStatus.FAILED, problem=f"it took more than {seconds} s")
    if done.returncode != 0:
        said = done.stderr.decode("utf-8", "replace").strip().splitlines()
        return Reading(TextStatus.FAILED, problem=said[-1] if said else f"exit {done.returncode}")
    words = done.stdout.decode("utf-8", "replace")[:MAX_CHARACTERS].strip()
    return Reading(TextStatus.EXTRACTED, words) if words else Reading(TextStatus.NO_TEXT)


def read_document(document: Document) -> Reading:
    """What the document's file says, within the configured limits."""
    family = READ_EXTENSIONS.get(extension_of(document.filename))
    if family is None:
        return Reading(TextStatus.NO_TEXT)
    config = current_app.config
    if document.size_bytes > config["SEARCH_EXTRACT_MAX_BYTES"]:
        return Reading(TextStatus.FAILED, problem=f"{document.size_bytes} bytes is too large")
    path = path_for(config["UPLOAD_DIR"], document.content_hash)
    if not path.is_file():
        return Reading(TextStatus.FAILED, problem="its file is missing")
    return read_in_child(path, family, float(config["SEARCH_EXTRACT_SECONDS"]))


def _already_read(document: Document) -> Reading | None:
    """The reading of another document with the same file, if one was read."""
    twin = db.session.scalars(
        select(Document)
        .options(undefer(Document.extracted_text))
        .where(
            Document.content_hash == document.content_hash,
            Document.id != document.id,
            Document.text_status != TextStatus.WAITING,
        )
        .limit(1)
    ).first()
    return Reading(twin.text_status, twin.extracted_text) if twin else None


def read_waiting_documents(limit: int | None = None) -> int:
    """Read the words of up to ``limit`` waiting documents, oldest first, each committed on its
    own (a document deleted meanwhile is skipped). Returns how many were done."""
    limit = limit or BATCH
    waiting = db.session.scalars(
        select(Document.id)
        .where(Document.text_status == TextStatus.WAITING)
        .order_by(Document.id)
        .limit(limit)
    ).all()
    for document_id in waiting:
        document = db.session.get(Document, document_id)
        if document is None:
            continue
        reading = _already_read(document) or read_document(document)
        if reading.problem:
            current_app.logger.warning(
                "search: document %s (%s) could not be read: %s",
                document.id,
                document.filename,
                reading.problem,
            )
        document.text_status = reading.status
        document.extracted_text = reading.text
        try:
            db.session.commit()
        except StaleDataError:
            # Deleted while it was being read: nothing left to write.
            db.session.rollback()
    return len(waiting)


def read_next_documents() -> bool:
    """The worker's chore: read a batch; whether more may be waiting."""
    return read_waiting_documents() >= BATCH


def read_all_waiting_documents() -> int:
    """Read every waiting document (``flask search read-documents``)."""
    done = 0
    while count := read_waiting_documents():
        done += count
    return done
