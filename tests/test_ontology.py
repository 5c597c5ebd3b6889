"""The ontology files are the single source of truth, and the Python side agrees with them."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import OWL, RDF, RDFS, Graph, URIRef

from ontology import ONTOLOGY_DIR, RKG, load
from ontology.make_namespace import render, terms


def test_the_namespace_module_is_generated_from_regionkg_ttl():
    committed = (ONTOLOGY_DIR / "namespace.py").read_text(encoding="utf-8")
    assert committed == render(terms()), "run: python -m ontology.make_namespace"


def test_a_misspelt_term_is_an_error_not_a_new_iri():
    with pytest.raises(AttributeError):
        RKG.targetIndustry  # noqa: B018


@pytest.mark.parametrize("name", ["regionkg", "industries", "zones", "lexicon", "shapes"])
def test_every_ontology_file_parses(name):
    assert len(load(name)) > 20


def test_every_class_and_property_has_chinese_and_english_labels():
    g = load("regionkg")
    for kind in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty):
        for term in g.subjects(RDF.type, kind):
            langs = {label.language for label in g.objects(term, RDFS.label)}
            assert {"zh", "en"} <= langs, term


def test_every_rkg_term_the_code_uses_is_defined(tmp_path):
    """Scan the Python sources for RKG.<term> and check each is in regionkg.ttl."""
    import re

    defined = set(terms())
    root = Path(__file__).resolve().parent.parent
    used = set()
    for path in list(root.glob("*.py")) + list(root.glob("*/*.py")):
        if ".venv" in path.parts or "tests" in path.parts:
            continue
        used |= set(re.findall(r"(?<!`)\bRKG\.([A-Za-z]\w*)", path.read_text(encoding="utf-8")))
    used -= {"_NS"}
    assert used and used <= defined, sorted(used - defined)


def test_the_shapes_require_evidence_on_every_fact():
    from rdflib.namespace import PROV, SH

    shapes = load("shapes")
    paths = set(shapes.objects(None, SH.path))
    assert PROV.wasDerivedFrom in paths and RKG.statedIn in paths
