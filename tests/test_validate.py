"""`regionkg validate` checks one document graph at a time (issue 12): its memory is bounded by the
largest document, not the store, and a failure names its document."""

from __future__ import annotations

import tracemalloc

import pytest

from graph.store import Store
from graph.validate import validate
from regionkg_process import regionkg

BROKEN = "broken_plan.txt"


def _copy_of(kg: Store, doc: dict, digest: str, *, file: str | None = None, drop: str = "") -> str:
    """Store a copy of ``doc``'s graph as another document (its hash prefix ``digest``, 16 hex
    digits); ``drop`` removes the lines holding that text. Returns the copy's IRI."""
    old = doc["iri"].rsplit("/", 1)[-1]
    text = kg.graph_ntriples(doc["iri"]).decode("utf-8").replace(old, digest)
    if file is not None:
        text = text.replace(f'"{doc["file"]}"', f'"{file}"')
    lines = [line for line in text.splitlines() if not (drop and drop in line)]
    iri = doc["iri"].replace(old, digest)
    kg.add_ntriples(iri, ("\n".join(lines) + "\n").encode("utf-8"))
    return iri


@pytest.fixture()
def store_with_a_broken_document(store_copy):
    """The sample store and a sixth document whose graph says no subject region."""
    doc = next(d for d in store_copy.documents() if d["file"].startswith("004_"))
    _copy_of(store_copy, doc, "f" * 16, file=BROKEN, drop="#subjectRegion>")
    return store_copy


def test_validate_names_each_document_that_fails_and_passes_the_others(store_with_a_broken_document):
    kg = store_with_a_broken_document
    path = kg.path
    kg.close()
    proc = regionkg("validate", "--store", path)
    assert proc.returncode == 1, proc.stderr
    lines = proc.stdout.splitlines()
    failing = [line for line in lines if line.startswith("fails")]
    assert len(failing) == 1 and BROKEN in failing[0], proc.stdout
    assert "a plan document has exactly one subject region" in proc.stdout
    assert sum(line.startswith("conforms  ") for line in lines) == 5
    assert lines[-1].startswith("1 of 6 documents do not conform")


def test_validate_reports_per_document_from_python(store_with_a_broken_document):
    from graph.validate import validate_documents

    reports = list(validate_documents(store_with_a_broken_document))
    assert len(reports) == 6
    assert [r.file for r in reports if not r.conforms] == [BROKEN]
    assert all(r.violations == 0 and r.focus_nodes > 0 for r in reports if r.conforms)
    whole = validate(store_with_a_broken_document)
    assert not whole.conforms and whole.violations == sum(r.violations for r in reports)
    assert BROKEN in whole.text


def _peak_bytes(kg) -> int:
    tracemalloc.start()
    try:
        validate(kg)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_validate_holds_one_document_graph_at_a_time(sample_store_path, tmp_path):
    """Six copies of the largest sample document take the memory of one: nothing builds the union."""
    with Store(sample_store_path, read_only=True) as source:
        docs = source.documents()
        largest = max(docs, key=lambda d: len(source.graph_ntriples(d["iri"])))
        graph = source.graph_ntriples(largest["iri"])
    one, six = Store(tmp_path / "one"), Store(tmp_path / "six")
    try:
        one.add_ntriples(largest["iri"], graph)
        six.add_ntriples(largest["iri"], graph)
        for i in range(6):
            _copy_of(six, largest, f"{i:016x}")
        six.remove_graph(largest["iri"])
        assert len(six.documents()) == 6
        validate(one)  # the ontology and shapes, read once and cached, are not what is measured
        alone, many = _peak_bytes(one), _peak_bytes(six)
    finally:
        one.close(), six.close()
    assert many < 1.5 * alone, (alone, many)  # the union of six would take about six times as much
