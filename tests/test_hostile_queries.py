"""Hostile queries in the read-only SPARQL box: each ends in a clear one-line message within its
bounds, the calling process stays up, and the next ordinary query answers (``graph.sparql.run``).

Real queries on the real sample store, run in real child processes (``graph.sandbox``); the limits
are set small here so that the suite can afford them. The app's Query view is checked the same way
in ``tests/test_app.py``.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from graph.sparql import QueryStopped, RefusedQuery, run, run_here
from graph.store import Store

#: Every triple of the sample store (about 14,000) with every other, and with every other again.
CROSS_JOIN_COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
#: About 190 million rows, to be sorted: all of them are held at once.
CROSS_JOIN_ORDER = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?c ?f"
#: A FILTER of 10,000 ``||`` terms (149 KB): it segfaulted pyoxigraph, taking the app's server with it.
HUGE_FILTER = "SELECT * WHERE { ?s ?p ?o FILTER(" + " || ".join(f'?o = "{i}"' for i in range(10_000)) + ") }"
#: A group nested 40 deep: rdflib's parser raised RecursionError (a 991-line traceback in the app).
NESTED_40 = "SELECT * WHERE " + "{ " * 40 + "?s ?p ?o" + " }" * 40
ORDINARY = 'SELECT ?n WHERE { ?r skos:prefLabel "淄博市"@zh ; rkg:divisionCode ?n }'

#: Seconds a child needs to start and open the store on a busy 2-core machine, at most.
STARTUP = 20


@pytest.fixture()
def kg(sample_store_path):
    with Store(sample_store_path, read_only=True) as store:
        yield store


def _sandboxes() -> list[int]:
    """The query processes (``python -m graph.sandbox``) this process started that still exist."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        if ppid == os.getpid() and b"graph.sandbox" in cmdline:
            found.append(int(entry.name))
    return found


def _answers_next(kg) -> None:
    assert run(kg, ORDINARY, timeout=30).rows == [{"n": "370300"}]
    assert not _sandboxes()


def _stopped(kg, query: str, **bounds) -> tuple[str, float]:
    start = time.monotonic()
    with pytest.raises(RefusedQuery) as caught:
        run(kg, query, **bounds)
    message = str(caught.value)
    assert "\n" not in message and "Traceback" not in message, message
    return message, time.monotonic() - start


def test_a_query_that_never_ends_is_stopped_and_the_next_answers(kg):
    message, took = _stopped(kg, CROSS_JOIN_COUNT, timeout=2)
    assert message == "the query ran past 2 s and was stopped"
    assert 2 <= took < 2 + STARTUP, took
    _answers_next(kg)


def test_a_query_that_takes_all_memory_is_stopped_and_the_next_answers(kg):
    message, took = _stopped(kg, CROSS_JOIN_ORDER, timeout=120, memory_mb=500)
    assert message == "the query needed more than 500 MB and was stopped"
    assert took < 60, took
    _answers_next(kg)


def test_a_filter_of_10000_terms_is_refused_before_it_runs(kg):
    message, took = _stopped(kg, HUGE_FILTER)
    assert message == "the query is too long: 148,922 characters (at most 20,000)"
    assert took < 1, took
    _answers_next(kg)


def test_a_filter_of_10000_terms_let_through_is_stopped_and_the_next_answers(kg):
    """With the length bound raised, the parser and the engine get it: the child bears it."""
    message, took = _stopped(kg, HUGE_FILTER, max_chars=200_000, timeout=3)
    assert isinstance(message, str) and message.startswith("the query"), message
    assert took < 3 + STARTUP, took
    _answers_next(kg)


def test_a_query_nested_40_deep_is_refused_in_one_line(kg):
    message, took = _stopped(kg, NESTED_40)
    assert message == "the query is nested too deeply: 40 levels of brackets (at most 20)"
    assert took < 1, took
    _answers_next(kg)


def test_a_query_nested_deeper_than_the_parser_goes_is_refused_in_one_line(kg):
    """With the depth bound raised, rdflib's parser recurses too deep in the child: refused, no traceback."""
    message, _ = _stopped(kg, NESTED_40, max_depth=100)
    assert message == "the query is nested too deeply for the parser"
    _answers_next(kg)


def test_what_is_stopped_is_a_query_stopped_and_what_is_refused_is_not(kg):
    with pytest.raises(QueryStopped):
        run(kg, CROSS_JOIN_COUNT, timeout=1)
    for text in (NESTED_40, "DROP ALL", "SELECT ?x WHERE { ?x }"):
        with pytest.raises(RefusedQuery) as caught:
            run(kg, text)
        assert not isinstance(caught.value, QueryStopped), text


def test_a_bounded_query_answers_as_one_run_here(kg):
    for text in (ORDINARY, 'ASK { ?i skos:prefLabel "新材料产业"@zh }',
                 'CONSTRUCT { ?r ?p ?o } WHERE { ?r skos:prefLabel "淄博市"@zh ; ?p ?o }'):
        bounded, here = run(kg, text, limit=5), run_here(kg, text, limit=5)
        assert (bounded.form, bounded.columns, bounded.rows, bounded.truncated, bounded.boolean) == \
               (here.form, here.columns, here.rows, here.truncated, here.boolean)
        assert (bounded.graph is None) == (here.graph is None)
        if here.graph is not None:
            assert set(bounded.graph) == set(here.graph)


@pytest.mark.parametrize("bounds, named", [
    ({"timeout": 0}, "timeout"), ({"timeout": float("inf")}, "timeout"), ({"memory_mb": 0}, "memory_mb"),
    ({"memory_mb": 1000.5}, "memory_mb"), ({"memory_mb": 100}, "memory_mb"), ({"limit": 0}, "limit"), ({"max_chars": 0}, "max_chars"),
    ({"max_depth": "3"}, "max_depth"),
])
def test_a_bad_bound_is_refused_early_by_name(kg, bounds, named):
    with pytest.raises(ValueError, match=named):
        run(kg, ORDINARY, **bounds)
    assert not _sandboxes()


def test_bounds_come_from_the_environment(kg, monkeypatch):
    monkeypatch.setenv("REGIONKG_QUERY_TIMEOUT", "1.5")
    message, _ = _stopped(kg, CROSS_JOIN_COUNT)
    assert message == "the query ran past 1.5 s and was stopped"
    monkeypatch.setenv("REGIONKG_QUERY_MEMORY_MB", "lots")
    with pytest.raises(ValueError, match=r"\$REGIONKG_QUERY_MEMORY_MB must be a whole number, at least 256, got 'lots'"):
        run(kg, ORDINARY)
