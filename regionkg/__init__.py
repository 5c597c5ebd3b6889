"""regionkg: a knowledge graph of Chinese regional development plans.

The packages: ``ingest`` (documents to RDF), ``ontology`` (the vocabulary), ``graph`` (store, views,
queries, export); this package holds the command-line interface.
"""

__version__ = "0.1.0"
