"""The aggregate of a store: what the comparison views need, kept small, current and on disk.

The networkx view (:func:`graph.views.to_networkx`) needs, of all the triples of a store, only the
links between regions and what they plan (with how many facts state each, in which plan year, in
which role), the names and classes of the nodes, the regions' plan years, zone types and division
chains, and the industry hierarchy. Asking the store for them is one aggregate SPARQL query over
every reified statement: 16 s at 1,000 documents, and it grows with the store.

:class:`Aggregate` keeps those rows instead, **per named graph**, in a SQLite file beside the
embedded store's own files (``regionkg-aggregate.sqlite`` in the store's directory): written by the
store whenever it writes or removes a graph (so a new document costs its own rows, not a rebuild),
checked against the store's graphs before it is read, and brought up to date from the store's own
triples where it lags (a store written before the aggregate existed, or a write interrupted between
the store and the aggregate). It holds nothing that is not derived from the store: deleting the file
loses nothing.

:func:`summarise` reads one graph's N-Triples into its rows; :meth:`Aggregate.view_rows` joins the
rows of the graphs a store holds into the rows :func:`graph.views.to_networkx` builds the view from,
the same rows its SPARQL queries give.

Examples
--------
>>> rows = summarise(b'<https://w3id.org/regionkg/region/a> '
...                  b'<https://w3id.org/regionkg/ontology#targetsIndustry> <urn:x:i> .\\n')
>>> rows["links"]
[('https://w3id.org/regionkg/region/a', 'https://w3id.org/regionkg/ontology#targetsIndustry', 'urn:x:i', None, None, '')]
"""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from collections import defaultdict
from pathlib import Path

from ontology import BASE, IND, RKG, class_types

__all__ = ["Aggregate", "summarise", "graph_key", "FILE_NAME", "KEY_QUERY"]

#: The aggregate's file in the embedded store's directory.
FILE_NAME = "regionkg-aggregate.sqlite"

_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_SKOS = "http://www.w3.org/2004/02/skos/core#"
_SCHEMA = "https://schema.org/"
_TYPE, _SUBJECT, _PREDICATE, _OBJECT = _RDF + "type", _RDF + "subject", _RDF + "predicate", _RDF + "object"
_PREF, _ALT, _NOTATION = _SKOS + "prefLabel", _SKOS + "altLabel", _SKOS + "notation"
_BROADER, _IN_SCHEME = _SKOS + "broader", _SKOS + "inScheme"
_TOP_OF, _HAS_TOP = _SKOS + "topConceptOf", _SKOS + "hasTopConcept"
_SCHEME = str(IND) + "scheme"
_VOCAB_HASH = BASE + "graph/vocabulary#hash"

#: The relations the view keeps (the keys of :data:`graph.views.RELATIONS`).
_RELATIONS = frozenset(str(p) for p in (
    RKG.targetsIndustry, RKG.hostsProject, RKG.hostsInstitution, RKG.runsTalentProgramme, RKG.hasPart,
    RKG.partOf, RKG.locatedIn, RKG.inIndustry))

#: A graph's key: what changes when the same graph name is written with other content by regionkg
#: (a document extracted again by another extractor version; a new vocabulary). One query for all.
KEY_QUERY = f"""SELECT ?g ?v WHERE {{ GRAPH ?g {{
  {{ ?d <{RKG.extractorVersion}> ?v }} UNION {{ <{_VOCAB_HASH}> <{RKG.contentHash}> ?v }} }} }}"""

_TABLES = {
    # a plain relation triple (year, n NULL), or the facts of one plan year stating it (n, role IRIs)
    "links": "s TEXT, p TEXT, o TEXT, year INTEGER, n INTEGER, roles TEXT",
    "types": "x TEXT, class TEXT",
    "labels": "x TEXT, label TEXT, lang TEXT",
    "aliases": "x TEXT, alias TEXT, lang TEXT",
    "documents": "d TEXT, region TEXT, year INTEGER, period TEXT",
    "zone_types": "r TEXT, ztype TEXT",
    "broader": "c TEXT, b TEXT",
    "tops": "c TEXT",
    "notations": "x TEXT, notation TEXT",
    "counts": "what TEXT, n INTEGER",
}


#: The version of the rows: a hash of this module, so that rows summarised by other code are read
#: again from the store (:meth:`Aggregate.sync`) rather than trusted.
_VERSION = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16]


def graph_key(values) -> str:
    """The key of a graph from its :data:`KEY_QUERY` values (order does not matter).

    >>> graph_key(["v2", "v1"]), graph_key([])
    ('v1 v2', '')
    """
    return " ".join(sorted(set(values)))


def _term(t) -> str:
    return t.value


def summarise(data: bytes) -> dict[str, list[tuple]]:
    """The aggregate rows of one named graph, from its N-Triples.

    Returns a dict: table name → rows (see ``_TABLES``), plus ``"key"`` → ``[(graph key,)]``.
    Facts (``rdf:Statement`` with ``rdf:subject``/``predicate``/``object``) are counted per plan
    year of the document that states them (``rkg:statedIn``/``rkg:planYear`` in the same graph),
    with their roles' IRIs; ``counts`` holds the graph's triples, facts and sentences.

    >>> nt = b'''<urn:x:f> <http://www.w3.org/1999/02/22-rdf-syntax-ns#subject> <urn:x:r> .
    ... <urn:x:f> <http://www.w3.org/1999/02/22-rdf-syntax-ns#predicate> <https://w3id.org/regionkg/ontology#hostsProject> .
    ... <urn:x:f> <http://www.w3.org/1999/02/22-rdf-syntax-ns#object> <urn:x:p> .
    ... <urn:x:f> <https://w3id.org/regionkg/ontology#statedIn> <urn:x:d> .
    ... <urn:x:d> <https://w3id.org/regionkg/ontology#planYear> "2024"^^<http://www.w3.org/2001/XMLSchema#integer> .
    ... '''
    >>> summarise(nt)["links"]
    [('urn:x:r', 'https://w3id.org/regionkg/ontology#hostsProject', 'urn:x:p', 2024, 1, '')]
    """
    import pyoxigraph

    try:
        quads = list(pyoxigraph.parse(data, format=pyoxigraph.RdfFormat.N_TRIPLES))
    except SyntaxError as e:
        raise ValueError(f"not N-Triples: {e}") from e
    classes = {str(c) for c in class_types()} | {str(RKG.ZoneType)}
    rows: dict[str, list] = {name: [] for name in _TABLES}
    facts: dict[str, dict] = defaultdict(dict)
    stated: dict[str, str] = {}
    year_of: dict[str, int] = {}
    subject_of: dict[str, list] = defaultdict(list)
    period_of: dict[str, str] = {}
    in_scheme, broader = set(), []
    keys = []
    triples = statements = sentences = 0
    statement, sentence, plan_document = _RDF + "Statement", str(RKG.Sentence), str(RKG.PlanDocument)
    documents = 0
    plan_year, subject_region, stated_in = str(RKG.planYear), str(RKG.subjectRegion), str(RKG.statedIn)
    role, zone_type, coverage = str(RKG.role), str(RKG.zoneType), _SCHEMA + "temporalCoverage"
    version, content_hash = str(RKG.extractorVersion), str(RKG.contentHash)
    for q in quads:
        triples += 1
        s, p, o = q.subject.value, q.predicate.value, q.object
        if p in _RELATIONS:
            rows["links"].append((s, p, o.value, None, None, ""))
        elif p == _TYPE:
            if o.value in classes:
                rows["types"].append((s, o.value))
            statements += o.value == statement
            sentences += o.value == sentence
            documents += o.value == plan_document
        elif p == _PREF or p == _ALT:
            if isinstance(o, pyoxigraph.Literal):
                rows["labels" if p == _PREF else "aliases"].append((s, o.value, o.language or ""))
        elif p in (_SUBJECT, _PREDICATE, _OBJECT):
            facts[s][p] = o.value
        elif p == role:
            facts[s]["role"] = o.value
        elif p == stated_in:
            stated[s] = o.value
        elif p == plan_year:
            try:
                year_of[s] = int(o.value)
            except ValueError:
                pass
        elif p == subject_region:
            subject_of[s].append(o.value)
        elif p == coverage:
            period_of[s] = o.value
        elif p == zone_type:
            rows["zone_types"].append((s, o.value))
        elif p == _IN_SCHEME and o.value == _SCHEME:
            in_scheme.add(s)
        elif p == _BROADER:
            broader.append((s, o.value))
        elif p == _TOP_OF and o.value == _SCHEME:
            rows["tops"].append((s,))
        elif p == _HAS_TOP and s == _SCHEME:
            rows["tops"].append((o.value,))
        elif p == _NOTATION:
            rows["notations"].append((s, o.value))
        elif p == version or (p == content_hash and s == _VOCAB_HASH):
            keys.append(o.value)
    rows["broader"] = [(c, b) for c, b in broader if c in in_scheme]
    grouped: dict[tuple, list] = {}
    for fact, parts in facts.items():
        if not (_SUBJECT in parts and _PREDICATE in parts and _OBJECT in parts):
            continue
        if parts[_PREDICATE] not in _RELATIONS:
            continue
        year = year_of.get(stated.get(fact))
        entry = grouped.setdefault((parts[_SUBJECT], parts[_PREDICATE], parts[_OBJECT], year), [0, set()])
        entry[0] += 1
        if "role" in parts:
            entry[1].add(parts["role"])
    rows["links"] += [(s, p, o, y, n, ",".join(sorted(r))) for (s, p, o, y), (n, r) in grouped.items()]
    for d, regions in subject_of.items():
        rows["documents"] += [(d, r, year_of.get(d), period_of.get(d)) for r in regions]
    rows["counts"] = [("triples", triples), ("facts", statements), ("sentences", sentences),
                      ("documents", documents)]
    rows["key"] = [(graph_key(keys),)]
    return rows


class Aggregate:
    """The aggregate rows of each named graph of one store, in a SQLite file (see the module).

    Parameters
    ----------
    path : str or Path
        The SQLite file; made if missing.

    Examples
    --------
    >>> import tempfile, os
    >>> agg = Aggregate(os.path.join(tempfile.mkdtemp(), "a.sqlite"))
    >>> agg.begin(["urn:g"]); agg.keys()
    {'urn:g': None}
    >>> agg.put("urn:g", summarise(b"")); agg.keys()
    {'urn:g': ''}
    >>> agg.remove("urn:g"); agg.keys()
    {}
    """

    def __init__(self, path):
        self.path = Path(path)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(str(self.path), check_same_thread=False, timeout=30, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                self._db.execute("CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT)")
                found = self._db.execute("SELECT value FROM meta WHERE name = 'version'").fetchone()
                if found is None or found[0] != _VERSION:  # rows of another summariser: read again
                    for name in ("graphs", *_TABLES):
                        self._db.execute(f"DROP TABLE IF EXISTS {name}")
                    self._db.execute("INSERT OR REPLACE INTO meta VALUES ('version', ?)", (_VERSION,))
                self._db.execute("CREATE TABLE IF NOT EXISTS graphs (g TEXT PRIMARY KEY, key TEXT, stamp INTEGER)")
                for name, columns in _TABLES.items():
                    self._db.execute(f"CREATE TABLE IF NOT EXISTS {name} (g TEXT NOT NULL, {columns})")
                    self._db.execute(f"CREATE INDEX IF NOT EXISTS {name}_g ON {name} (g)")
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def keys(self) -> dict[str, str | None]:
        """Graph name → its key, or None where a write began and did not end (pending)."""
        with self._lock:
            return dict(self._db.execute("SELECT g, key FROM graphs"))

    def stamps(self, graphs=None) -> dict[str, int]:
        """Graph name → the number of the write that gave it its rows (of ``graphs``, if given):
        a view built from the rows of graphs with these stamps is the view of those graphs, even
        where a graph was written again under its name with the same key."""
        with self._lock:
            found = dict(self._db.execute("SELECT g, stamp FROM graphs WHERE key IS NOT NULL"))
        return found if graphs is None else {str(g): found[str(g)] for g in graphs if str(g) in found}

    def begin(self, names) -> None:
        """Mark graphs as being written or removed: their rows are dropped and they count as pending
        until :meth:`put` (or :meth:`remove`) ends the write; a crash in between leaves them pending."""
        self._change(names, None)

    def put(self, name: str, rows: dict) -> None:
        """Store the rows of graph ``name`` (from :func:`summarise`), replacing any it had."""
        self._change([name], rows)

    def remove(self, name: str) -> None:
        """Forget graph ``name``."""
        self._change([name], False)

    def _change(self, names, rows) -> None:
        with self._lock:
            db = self._db
            db.execute("BEGIN IMMEDIATE")
            try:
                for name in dict.fromkeys(str(n) for n in names):
                    for table in _TABLES:
                        db.execute(f"DELETE FROM {table} WHERE g = ?", (name,))
                    if rows is False:
                        db.execute("DELETE FROM graphs WHERE g = ?", (name,))
                        continue
                    key = None if rows is None else rows["key"][0][0]
                    stamp = None
                    if rows:
                        db.execute("INSERT OR IGNORE INTO meta VALUES ('writes', '0')")
                        db.execute("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE name = 'writes'")
                        stamp = int(db.execute("SELECT value FROM meta WHERE name = 'writes'").fetchone()[0])
                    db.execute("INSERT OR REPLACE INTO graphs VALUES (?, ?, ?)", (name, key, stamp))
                    for table in _TABLES if rows else ():
                        width = _TABLES[table].count(",") + 2
                        marks = ", ".join("?" * width)
                        db.executemany(f"INSERT INTO {table} VALUES ({marks})",
                                       [(name, *row) for row in rows.get(table, ())])
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise

    def sync(self, store, keys: dict[str, str] | None = None) -> int:
        """Bring the aggregate up to the graphs ``store`` holds; returns the graphs summarised again.

        ``keys``: the store's graph keys (:meth:`graph.store.StoreBase.graph_keys`) if already read. A graph the store
        holds and the aggregate lacks, holds pending, or holds with another key is read from the
        store and summarised; a graph the store no longer holds is forgotten.
        """
        keys = store.graph_keys() if keys is None else keys
        mine = self.keys()
        for name in set(mine) - set(keys):
            self.remove(name)
        stale = [g for g, k in keys.items() if mine.get(g, "\0") != k]
        for name in stale:
            rows = summarise(store.graph_ntriples(name))
            self.put(name, rows)
        return len(stale)

    # -- reading ------------------------------------------------------------------------------

    def view_rows(self, graphs, touching=None) -> dict[str, list]:
        """The rows of the view, joined over ``graphs`` (names of graphs of the store): the shapes
        :func:`graph.views.to_networkx` reads from its SPARQL queries (see ``_aggregate_rows`` there).

        ``touching``: only the rows of the links and nodes that these graphs (some of ``graphs``)
        name, joined over all of ``graphs``: what a view built before they were added must update
        (the industry hierarchy, zone types and notations come whole; they are small). Its
        ``"touched"`` entry lists those nodes.
        """
        with self._lock:
            db = self._db
            db.execute("BEGIN")
            try:
                self._current(db, "current", graphs)
                queries = _VIEW_QUERIES
                if touching is not None:
                    self._current(db, "adding", touching)
                    db.execute("DROP TABLE IF EXISTS temp.touched_links")
                    db.execute("DROP TABLE IF EXISTS temp.touched_nodes")
                    db.execute("""CREATE TEMP TABLE touched_links AS SELECT DISTINCT s, p, o
                                  FROM links JOIN adding USING (g)""")
                    db.execute("CREATE INDEX temp.touched_links_spo ON touched_links (s, p, o)")
                    db.execute("""CREATE TEMP TABLE touched_nodes AS
                        SELECT s AS x FROM touched_links UNION SELECT o FROM touched_links
                        UNION SELECT x FROM types JOIN adding USING (g) UNION SELECT x FROM labels JOIN adding USING (g)
                        UNION SELECT x FROM aliases JOIN adding USING (g)
                        UNION SELECT region FROM documents JOIN adding USING (g)
                        UNION SELECT r FROM zone_types JOIN adding USING (g)
                        UNION SELECT ztype FROM zone_types JOIN current USING (g)
                        UNION SELECT c FROM broader JOIN current USING (g) UNION SELECT b FROM broader JOIN current USING (g)
                        UNION SELECT c FROM tops JOIN current USING (g)
                        UNION SELECT x FROM types JOIN current USING (g) WHERE class = ?""", (str(RKG.ZoneType),))
                    db.execute("CREATE INDEX temp.touched_nodes_x ON touched_nodes (x)")
                    queries = _TOUCHED_QUERIES
                out = {name: db.execute(query).fetchall() for name, query in queries.items()}
            finally:
                db.execute("COMMIT")
        return out

    @staticmethod
    def _current(db, table, graphs) -> None:
        db.execute(f"CREATE TEMP TABLE IF NOT EXISTS {table} (g TEXT PRIMARY KEY)")
        db.execute(f"DELETE FROM {table}")
        db.executemany(f"INSERT OR IGNORE INTO {table} VALUES (?)", [(str(g),) for g in graphs])

    def stats(self, graphs) -> dict[str, int]:
        """The counts of :meth:`graph.store.StoreBase.stats` over ``graphs``: documents, facts,
        sentences and triples of regionkg's graphs but the vocabulary, and the distinct nodes of
        each kind they hold."""
        facts = [g for g in map(str, graphs) if g.startswith(BASE) and g != BASE + "graph/vocabulary"]
        with self._lock:
            db = self._db
            db.execute("BEGIN")
            try:
                self._current(db, "current", facts)
                sums = dict(db.execute("SELECT what, SUM(n) FROM counts JOIN current USING (g) GROUP BY what"))
                classes = dict(db.execute("""SELECT class, COUNT(DISTINCT x) FROM types JOIN current USING (g)
                                             GROUP BY class"""))
                self._class_types(db)
                by_type = dict(db.execute("""SELECT t, COUNT(DISTINCT x) FROM types JOIN current USING (g)
                                             JOIN temp.class_type USING (class) GROUP BY t"""))
                industries = db.execute("""SELECT COUNT(DISTINCT o) FROM links JOIN current USING (g)
                                           WHERE p = ? AND n IS NULL""", (str(RKG.targetsIndustry),)).fetchone()[0]
            finally:
                db.execute("COMMIT")
        counts = {what: int(sums.get(what) or 0) for what in ("documents", "facts", "sentences")}
        counts.update(zones=classes.get(str(RKG.Zone), 0), projects=classes.get(str(RKG.Project), 0),
                      talent_programmes=classes.get(str(RKG.TalentProgramme), 0),
                      regions=by_type.get("region", 0), institutions=by_type.get("institution", 0),
                      industries=industries, triples=int(sums.get("triples") or 0))
        return counts

    @staticmethod
    def _class_types(db) -> None:
        """A temporary table: class IRI → its top class (region, institution …), for the counts."""
        db.execute("CREATE TEMP TABLE IF NOT EXISTS class_type (class TEXT PRIMARY KEY, t TEXT)")
        db.execute("DELETE FROM class_type")
        rows = [(str(c), "region" if t == "zone" else t) for c, (t, _) in class_types().items()]
        db.executemany("INSERT OR REPLACE INTO class_type VALUES (?, ?)", rows)


# Each query gives the rows of the SPARQL query of graph/views.py with the same name; {links},
# {nodes} and {regions} are where an update (``touching``) keeps only what the added graphs touch.
_QUERIES = {
    # s, p, o, year, facts, role IRIs (comma-joined): one row per plan year with facts, or one row
    # with year and facts NULL for a link no fact states; links without a plain triple are none.
    "edges": """
        WITH plain AS (SELECT DISTINCT s, p, o FROM links JOIN current USING (g){links} WHERE n IS NULL),
             stated AS (SELECT s, p, o, year, SUM(n) AS n, GROUP_CONCAT(roles) AS roles
                        FROM links JOIN current USING (g){links} WHERE n IS NOT NULL GROUP BY s, p, o, year)
        SELECT plain.s, plain.p, plain.o, stated.year, stated.n, stated.roles
        FROM plain LEFT JOIN stated ON stated.s = plain.s AND stated.p = plain.p AND stated.o = plain.o""",
    "nodes": "SELECT DISTINCT x, class FROM types JOIN current USING (g){nodes}",
    "labels": "SELECT x, MIN(label) FROM labels JOIN current USING (g){nodes} WHERE lang IN ('zh', '') GROUP BY x",
    "aliases": "SELECT DISTINCT x, alias, lang FROM aliases JOIN current USING (g){nodes}",
    "documents": "SELECT DISTINCT d, region, year, period FROM documents JOIN current USING (g){regions}",
    # Small, and read whole by an update too.
    "zone_types": "SELECT DISTINCT r, ztype FROM zone_types JOIN current USING (g)",
    "broader": "SELECT DISTINCT c, b FROM broader JOIN current USING (g)",
    "tops": "SELECT DISTINCT c FROM tops JOIN current USING (g)",
    "notations": "SELECT DISTINCT x, notation FROM notations JOIN current USING (g)",
}
_VIEW_QUERIES = {name: q.format(links="", nodes="", regions="") for name, q in _QUERIES.items()}
_TOUCHED_QUERIES = {
    **{name: q.format(links=" JOIN touched_links USING (s, p, o)", nodes=" JOIN touched_nodes USING (x)",
                      regions=" JOIN touched_nodes ON touched_nodes.x = documents.region")
       for name, q in _QUERIES.items()},
    "touched": "SELECT x FROM touched_nodes",
}
