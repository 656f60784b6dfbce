"""Thousands of hostile requests, over every route of the authorization matrix, as every role,
with valid CSRF tokens: never a 500.

Each request picks a role, a route, and hostile values for the fields the route's form shows
and for its query parameters, in one of the encodings an attacker may use (a form, a
multipart body with files where text is expected, JSON, fields left out or repeated). The
run is reproducible: the seed and the request that failed are in the assertion message.

``COORDINATION_FUZZ_REQUESTS`` sets how many requests (per database): the suite sends a
sample; ``make fuzz`` sends 10,000 on SQLite and, when configured, on PostgreSQL.
"""

from __future__ import annotations

import io
import json
import os
import random
import re
from dataclasses import dataclass
from typing import Any

from coordination.db import db
from tests.conftest import sign_in
from tests.security.test_hostile_input import HOSTILE_VALUES
from tests.test_authorization_matrix import ENTRIES, ROLES, build_world

REQUESTS = int(os.environ.get("COORDINATION_FUZZ_REQUESTS", "600"))
SEED = int(os.environ.get("COORDINATION_FUZZ_SEED", "20261127"))

FIELD = re.compile(r'<(?:input|select|textarea)[^>]*\bname="([^"]+)"', re.IGNORECASE)
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
#: Query parameters the pages read, tried on every GET.
QUERY_PARAMETERS = ["page", "forum", "when", "year", "month", "plan", "theme", "lead", "status",
                    "late", "q", "old", "new", "next", "action", "actor"]  # fmt: skip
#: Field names of buttons and hidden fields that no GET page shows.
BUTTON_FIELDS = ["confirm", "version", "status", "direction", "next", "until", "listed"]


def build_module_data() -> dict:
    return build_world()


@dataclass
class Target:
    method: str
    url: str
    fields: list[str]


def _fields_of(client, url: str) -> list[str]:
    response = client.get(url)
    if response.status_code != 200 or response.mimetype != "text/html":
        return []
    return sorted(set(FIELD.findall(response.get_data(as_text=True))) - {"csrf_token"})


def _targets(secretariat_client, world) -> list[Target]:
    targets = []
    for entry in ENTRIES:
        url = entry.resolve_url(world)
        fields = _fields_of(secretariat_client, url) if entry.method == "POST" else []
        fields = sorted(set(fields) | set(entry.resolve_data(world)) | set(BUTTON_FIELDS))
        targets.append(Target(entry.method, url, fields))
    return targets


def _hostile(rng: random.Random, ids: list[str]) -> str:
    kind = rng.random()
    if kind < 0.5:
        return rng.choice(HOSTILE_VALUES)
    if kind < 0.7:
        return rng.choice(ids)
    if kind < 0.85:
        return "".join(chr(rng.randrange(0, 0x2FFF)) for _ in range(rng.randrange(0, 40)))
    return str(rng.choice([-1, 0, 2**31, 2**63, 10**30, 1.5, "1e999"]))


def _request(rng: random.Random, target: Target, token: str, ids: list[str]) -> dict[str, Any]:
    """The arguments of ``client.open`` for one hostile request to ``target``."""
    query = {name: _hostile(rng, ids) for name in rng.sample(QUERY_PARAMETERS, rng.randrange(3))}
    base = target.url.split("?")[0]
    if target.method == "GET":
        return {"path": base, "method": "GET", "query_string": query}
    chosen = [name for name in target.fields if rng.random() < 0.8]  # some left out
    values: dict[str, Any] = {name: _hostile(rng, ids) for name in chosen}
    if rng.random() < 0.2 and chosen:  # a field repeated
        values[chosen[0]] = [_hostile(rng, ids), _hostile(rng, ids)]
    values["csrf_token"] = token
    encoding = rng.random()
    if encoding < 0.6:
        return {"path": base, "method": "POST", "data": values, "query_string": query}
    if encoding < 0.85:  # multipart, with files where text is expected
        for name in rng.sample(chosen, min(len(chosen), 2)):
            values[name] = (io.BytesIO(rng.randbytes(rng.randrange(0, 200))), "x.pdf")
        return {"path": base, "method": "POST", "data": values,
                "content_type": "multipart/form-data"}  # fmt: skip
    return {
        "path": base,
        "method": "POST",
        "data": json.dumps({name: rng.choice([None, 1, [1], {"a": "b"}]) for name in chosen}),
        "content_type": "application/json",
        "headers": {"X-CSRFToken": token},
    }


def test_hostile_requests_never_cause_a_server_error(app, module_data):
    app.config["WTF_CSRF_ENABLED"] = True  # valid tokens, as a browser sends them
    rng = random.Random(SEED)
    clients = {}
    for role in ROLES:
        client = app.test_client()
        if role != "anonymous":
            sign_in(client, module_data[role])
            with client.session_transaction() as session:
                session["authenticated_at"] = 2**31
        page = client.get("/login" if role == "anonymous" else "/account")
        clients[role] = (client, CSRF.search(page.get_data(as_text=True)).group(1))
    targets = _targets(clients["secretariat"][0], module_data)
    ids = [str(getattr(obj, "id", "")) for obj in module_data.values() if hasattr(obj, "id")]
    statuses: dict[int, int] = {}
    for number in range(REQUESTS):
        role = rng.choice(ROLES)
        client, token = clients[role]
        arguments = _request(rng, rng.choice(targets), token, ids)
        with client.open(**arguments) as response:  # closes files sent back (downloads)
            status = response.status_code
        statuses[status] = statuses.get(status, 0) + 1
        assert status < 500, f"request {number} (seed {SEED}) as {role}: {arguments!r} -> {status}"
        db.session.rollback()
    # The run reached the forms: most writes were refused for their content, some done.
    assert sum(count for status, count in statuses.items() if 400 <= status < 500) > 0
    assert sum(count for status, count in statuses.items() if status < 400) > 0
