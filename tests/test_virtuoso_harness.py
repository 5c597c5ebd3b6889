"""The Virtuoso test server itself (tests/virtuoso.py): it answers, it takes authenticated updates
from a plain standard-library client, it refuses anonymous ones, and it listens on loopback only."""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.parse
import urllib.request
import uuid

import pytest


def query(url: str, sparql: str, opener=None) -> dict:
    request = urllib.request.Request(
        url,
        data=urllib.parse.urlencode({"query": sparql}).encode(),
        headers={"Accept": "application/sparql-results+json"},
    )
    with (opener or urllib.request.build_opener()).open(request, timeout=30) as response:
        assert response.headers.get_content_type() == "application/sparql-results+json"
        return json.load(response)


def update(url: str, sparql: str, opener=None) -> int:
    request = urllib.request.Request(url, data=urllib.parse.urlencode({"update": sparql}).encode())
    with (opener or urllib.request.build_opener()).open(request, timeout=30) as response:
        response.read()
        return response.status


def digest_opener(server, password: str | None = None):
    """What our client does: urllib's HTTPDigestAuthHandler (Virtuoso's /sparql-auth offers Digest only)."""
    passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
    passwords.add_password(None, server.base_url + "/", server.user, password or server.password)
    return urllib.request.build_opener(urllib.request.HTTPDigestAuthHandler(passwords))


def test_answers_ask(virtuoso):
    assert query(virtuoso.query_url, "ASK { }")["boolean"] is True
    assert query(virtuoso.update_url, "ASK { }", digest_opener(virtuoso))["boolean"] is True


def test_authenticated_insert_is_visible_to_anonymous_select(virtuoso):
    graph = f"urn:regionkg:test:{uuid.uuid4()}"
    opener = digest_opener(virtuoso)
    assert update(
        virtuoso.update_url,
        f'INSERT DATA {{ GRAPH <{graph}> {{ <urn:x:zone> <http://www.w3.org/2000/01/rdf-schema#label> "苏州工业园区"@zh }} }}',
        opener,
    ) == 200
    try:
        rows = query(virtuoso.query_url, f"SELECT ?s ?o WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
        assert rows["results"]["bindings"] == [
            {
                "s": {"type": "uri", "value": "urn:x:zone"},
                "o": {"type": "literal", "xml:lang": "zh", "value": "苏州工业园区"},
            }
        ]
    finally:
        update(virtuoso.update_url, f"DROP SILENT GRAPH <{graph}>", opener)
    assert query(virtuoso.query_url, f"ASK {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")["boolean"] is False


def test_updates_without_the_right_credentials_are_refused(virtuoso):
    graph = f"urn:regionkg:test:{uuid.uuid4()}"
    insert = f'INSERT DATA {{ GRAPH <{graph}> {{ <urn:x:a> <urn:x:b> "c" }} }}'
    # no credentials, and a wrong password: 401 with a Digest challenge
    with pytest.raises(urllib.error.HTTPError) as refused:
        update(virtuoso.update_url, insert)
    assert refused.value.code == 401
    assert refused.value.headers["WWW-Authenticate"].startswith("Digest ")
    refused.value.close()
    with pytest.raises(urllib.error.HTTPError) as refused:
        update(virtuoso.update_url, insert, digest_opener(virtuoso, password="not-" + virtuoso.password))
    assert refused.value.code == 401
    refused.value.close()
    # the anonymous query endpoint refuses updates too (Virtuoso says so with a 500: SR186 SECURITY)
    with pytest.raises(urllib.error.HTTPError) as refused:
        update(virtuoso.query_url, insert)
    assert refused.value.code in (401, 403, 500)
    assert "SR186" in refused.value.read().decode("utf-8", "replace")
    refused.value.close()
    assert query(virtuoso.query_url, f"ASK {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")["boolean"] is False


def listening_addresses(pid: int) -> set[tuple[str, int]]:
    """(address, port) of every TCP socket that process `pid` listens on, read from /proc."""
    inodes = set()
    for fd in os.listdir(f"/proc/{pid}/fd"):
        try:
            target = os.readlink(f"/proc/{pid}/fd/{fd}")
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[len("socket:[") : -1])
    found = set()
    for table in ("tcp", "tcp6"):
        with open(f"/proc/{pid}/net/{table}") as lines:
            next(lines)
            for line in lines:
                fields = line.split()
                local, state, inode = fields[1], fields[3], fields[9]
                if state != "0A" or inode not in inodes:  # 0A: LISTEN
                    continue
                address, port = local.split(":")
                if table == "tcp":
                    address = ".".join(str(b) for b in reversed(bytes.fromhex(address)))
                found.add((address, int(port, 16)))
    return found


def test_listens_on_loopback_only(virtuoso):
    assert listening_addresses(virtuoso.process.pid) == {
        ("127.0.0.1", virtuoso.sql_port),
        ("127.0.0.1", virtuoso.http_port),
    }
