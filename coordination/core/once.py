"""Forms are done once: the same submission sent again within a minute (a double click, a
browser resending after a slow answer) gets the first one's answer instead of doing it again.

The key is who sent what to which address; the record is written in the transaction of the
work, so a refused submission leaves none and may be sent again. Two copies arriving at the
same moment meet at the table's primary key: the second waits for the first, then follows it.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

from flask import request
from flask_login import current_user
from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError
from werkzeug.datastructures import FileStorage

from coordination.core.models import FormSubmission
from coordination.core.time import utcnow
from coordination.db import db

#: Within this, an identical submission is the same one sent again.
WINDOW = timedelta(minutes=1)
#: Records older than this are removed as new ones come.
KEPT = timedelta(days=1)


def submission_key() -> str:
    """Who (the signed-in user or none) sent which fields (files by content) to which URL."""
    digest = hashlib.sha256()
    user = getattr(current_user, "id", None) if current_user.is_authenticated else None
    digest.update(f"{user}\0{request.method}\0{request.full_path}\0".encode())
    for name, value in sorted(request.form.items(multi=True)):
        if name != "csrf_token":
            digest.update(f"{name}={value}\0".encode("utf-8", "surrogateescape"))
    for name, storage in sorted(request.files.items(multi=True), key=lambda item: item[0]):
        digest.update(f"{name}:{storage.filename}:".encode("utf-8", "surrogateescape"))
        _digest_file(digest, storage)
    return digest.hexdigest()


def _digest_file(digest, storage: FileStorage) -> None:
    stream = storage.stream
    position = stream.tell()
    for chunk in iter(lambda: stream.read(1 << 16), b""):
        digest.update(chunk)
    stream.seek(position)


def earlier_answer(key: str, now: datetime | None = None) -> str | None:
    """Where the same submission led, if it was made within the window; otherwise claim the
    key for this one (in the current transaction) and return None."""
    now = now or utcnow()
    db.session.execute(
        delete(FormSubmission).where(FormSubmission.created_at < now - KEPT),
        execution_options={"synchronize_session": False},
    )
    try:
        with db.session.begin_nested():
            db.session.add(FormSubmission(key=key, created_at=now))
        return None
    except IntegrityError:
        pass
    earlier = db.session.get(FormSubmission, key, populate_existing=True)
    if earlier is not None and earlier.created_at > now - WINDOW and earlier.redirect_to:
        return earlier.redirect_to
    if earlier is not None:  # an old record of the same content: this is a new submission
        earlier.created_at, earlier.redirect_to = now, None
    return None


def remember_answer(key: str, target: str) -> None:
    """Record where this submission led (before the transaction commits)."""
    record = db.session.get(FormSubmission, key)
    if record is not None:
        record.redirect_to = target[:2000]
