"""Hostile input against every form: never a 500; refused input gets a 4xx and a message.

For every write route of the authorization matrix, the secretariat (who may use every form)
posts random and hostile values for each field the form shows: very long strings, NUL and
control characters, wrong types, markup, other objects' ids. Hypothesis drives the values.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coordination.db import db
from tests.conftest import sign_in
from tests.test_authorization_matrix import ENTRIES, build_world

HOSTILE_VALUES = [
    "",
    " ",
    "x" * 10_000,
    "\x00",
    "abc\x00def",
    "\r\n\t",
    "\x1b[31m",
    "<script>alert(1)</script>",
    "'; DROP TABLE users; --",
    "../../../../etc/passwd",
    "-1",
    "0",
    "2147483648",
    "99999999999999999999999",
    "1e309",
    "NaN",
    "true",
    "[]",
    "{}",
    "2026-02-30",
    "31/12/2026",
    "9999-12-31",
    "0001-01-01",
    "https://evil.example/",
    "javascript:alert(1)",
    '=HYPERLINK("http://evil")',
    "\u03a9\u2248\u00e7\u221a\u222b\u02dc\u00b5\u2264\u2265\u00f7",
    "\u202eevil",
    "😀" * 50,
]

FIELD = re.compile(r'<(?:input|select|textarea)[^>]*\bname="([^"]+)"', re.IGNORECASE)
MESSAGE_MARKERS = ("error-summary", "flash-error", "field-error", "<h1>")

WRITE_ENTRIES = [
    entry
    for entry in ENTRIES
    if entry.method in {"POST", "PUT", "PATCH", "DELETE"} and entry.endpoint != "auth.logout"
]


def form_fields(client, url: str) -> list[str]:
    """The names of the fields the form page shows (GET on the same URL, if any)."""
    response = client.get(url)
    if response.status_code != 200:
        return []
    names = FIELD.findall(response.data.decode())
    return sorted({name for name in names if name not in {"csrf_token", "language", "next"}})


def test_the_fuzzer_sees_the_form_fields(app):
    """Guard against a fuzzer that silently posts nothing useful."""
    world = build_world()
    db.session.commit()
    client = sign_in(app.test_client(), world["secretariat"])
    with client.session_transaction() as session:
        session["authenticated_at"] = 2**31
    assert {"email", "full_name", "role", "agency", "password"} <= set(
        form_fields(client, "/admin/users/new")
    )


@pytest.mark.parametrize("entry", WRITE_ENTRIES, ids=lambda entry: entry.key)
def test_hostile_values_never_cause_a_server_error(app, entry):
    world = build_world()
    db.session.commit()
    client = sign_in(app.test_client(), world["secretariat"])
    with client.session_transaction() as session:
        session["authenticated_at"] = 2**31
    url = entry.resolve_url(world)
    fields = form_fields(client, url) or list(entry.resolve_data(world)) or ["value"]
    other_ids = [str(getattr(obj, "id", "")) for obj in world.values() if hasattr(obj, "id")]

    @settings(
        max_examples=15,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(
        st.fixed_dictionaries(
            {
                name: st.one_of(
                    st.sampled_from(HOSTILE_VALUES),
                    st.sampled_from(other_ids),
                    st.text(max_size=300),
                )
                for name in fields
            }
        )
    )
    def post(values: dict[str, str]) -> None:
        with client.open(url, method=entry.method, data=values) as response:
            assert response.status_code < 500, (url, values)
            if 400 <= response.status_code < 500 and response.mimetype == "text/html":
                body = response.data.decode()
                assert any(marker in body for marker in MESSAGE_MARKERS), (url, values)
        db.session.rollback()

    post()
