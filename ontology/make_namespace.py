"""Generate ``ontology/namespace.py`` from ``ontology/regionkg.ttl``: ``python -m ontology.make_namespace``.

``tests/test_ontology.py`` checks that the committed module equals what this writes, so the Turtle
file stays the single source of truth for the ``rkg:`` terms.
"""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph, URIRef

__all__ = ["terms", "render", "main"]

NS = "https://w3id.org/regionkg/ontology#"
_HERE = Path(__file__).resolve().parent


def terms(path: Path = _HERE / "regionkg.ttl") -> list[str]:
    """The local names of every ``rkg:`` term that regionkg.ttl defines (is the subject of)."""
    graph = Graph().parse(path, format="turtle")
    return sorted({str(s)[len(NS):] for s in graph.subjects() if isinstance(s, URIRef) and str(s).startswith(NS)})


def render(names: list[str]) -> str:
    """The source of the namespace module for ``names``."""
    lines = [
        '"""The ``rkg:`` namespace, as a closed :class:`rdflib.namespace.DefinedNamespace`.',
        "",
        "Generated from ``ontology/regionkg.ttl`` by ``python -m ontology.make_namespace``; do not edit.",
        "A misspelt term (``RKG.targetIndustry``) raises instead of minting a new IRI.",
        '"""',
        "",
        "from rdflib.namespace import DefinedNamespace, Namespace",
        "from rdflib.term import URIRef",
        "",
        '__all__ = ["RKG"]',
        "",
        "",
        "class RKG(DefinedNamespace):",
        '    """Terms of the regionkg ontology (https://w3id.org/regionkg/ontology#)."""',
        "",
        "    _fail = True",
        f'    _NS = Namespace("{NS}")',
        "",
    ]
    lines += [f"    {name}: URIRef" for name in names]
    return "\n".join(lines) + "\n"


def main() -> None:
    (_HERE / "namespace.py").write_text(render(terms()), encoding="utf-8")


if __name__ == "__main__":
    main()
