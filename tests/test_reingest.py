"""After regionkg's extraction changed, ingesting the same documents again brings their facts up to
date; with the same extractor it adds nothing."""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph, Literal

from graph.store import Store
from ingest.batch import ingest_paths
from ingest.version import extractor_version

SAMPLE = sorted((Path(__file__).resolve().parents[1] / "data" / "samples").glob("*.txt"))[0]
RKG = "https://w3id.org/regionkg/ontology#"


def _versions(store) -> set[str]:
    return {str(row[0]) for row in store.query(f"SELECT ?v WHERE {{ ?d <{RKG}extractorVersion> ?v }}")}


def test_a_document_extracted_by_an_older_extractor_is_extracted_again(tmp_path):
    with Store(tmp_path / "kg") as store:
        [first] = ingest_paths([SAMPLE], store)
        assert first.status == "added", str(first)
        assert _versions(store) == {extractor_version()}
        facts = store.stats()["facts"]
        [again] = ingest_paths([SAMPLE], store)
        assert again.status == "unchanged", str(again)

        # The store as an older regionkg left it: the same document graph, another extractor's version.
        [doc] = store.documents()
        graph = Graph()
        for s, p, o in store.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{doc['iri']}> {{ ?s ?p ?o }} }}"):
            graph.add((s, p, Literal("0123456789abcdef") if str(p) == RKG + "extractorVersion" else o))
        store.add_ntriples(doc["iri"], graph.serialize(format="nt", encoding="utf-8"))
        assert _versions(store) == {"0123456789abcdef"}

        [stale] = ingest_paths([SAMPLE], store)
        assert stale.status == "replaced", str(stale)
        assert "another version of the extractor" in stale.reason
        assert _versions(store) == {extractor_version()}
        assert len(store.documents()) == 1
        assert store.stats()["facts"] == facts
        [settled] = ingest_paths([SAMPLE], store)
        assert settled.status == "unchanged", str(settled)
