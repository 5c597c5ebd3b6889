"""regionkg's Streamlit app: overview, graph explorer, comparison, timeline, evidence, documents, export, query.

It only presents: every answer comes from a ``graph/`` function the ``regionkg`` command calls too
(``graph.compare.overlap``, ``graph.gaps``, ``graph.similarity``, ``graph.rankings``,
``graph.evidence.explain`` …), and documents are ingested by ``ingest.batch.ingest_paths``. Run with
``make run`` (or ``streamlit run app.py``); the store is ``$REGIONKG_STORE`` (a directory, or a SPARQL
endpoint URL: see ``graph.endpoint``) or ``data/store`` beside this file. The store is opened
read-only and cached with the networkx view, both keyed on the store's files (on a server: its
fingerprint), so a change made by ``regionkg ingest`` shows on the next interaction; an upload
closes the cached handle, takes the store's write lock, ingests, closes it and clears the caches.

Text from documents reaches the page escaped: tables and widgets show it as text, and the HTML this
app writes (sentences, the graph) escapes it first (``graph.visual``).
"""

from __future__ import annotations

import html
import os
import re
import sys
import tempfile
import time
from pathlib import Path

import streamlit as st

ROOT = Path(__file__).resolve().parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from graph.compare import overlap  # noqa: E402
from graph.downloads import DOWNLOADS, export_bytes  # noqa: E402
from graph.evidence import UnknownEntity, explain  # noqa: E402
from graph.explore import NODE_TYPES, facets, links, node_evidence, overlap_nodes, select  # noqa: E402
from graph.gaps import gaps, peers  # noqa: E402
from graph.overview import matrix  # noqa: E402
from graph.rankings import contested  # noqa: E402
from graph.regions import plan_years, region_names, select_regions  # noqa: E402
from graph.similarity import nearest, similarity_matrix  # noqa: E402
from graph.sparql import EXAMPLES, QueryStopped, RefusedQuery, run as run_query  # noqa: E402
from graph.store import Store, StoreError, is_endpoint, open_store as open_location, own_files  # noqa: E402
from graph.targets import indicator_names, target_regions, targets as target_table  # noqa: E402
from graph.timeline import TIMELINE_TYPES, by_year, row_evidence, timeline  # noqa: E402
from ingest.read import SUPPORTED_SUFFIXES  # noqa: E402
from graph.views import cached_view  # noqa: E402
from graph.visual import STYLE, heat_map, highlight, html_table, legend, to_html  # noqa: E402

STORE = os.environ.get("REGIONKG_STORE") or ROOT / "data" / "store"
if not is_endpoint(STORE):
    STORE = Path(STORE) if Path(STORE).is_absolute() else ROOT / STORE

VIEWS = ["Overview", "Graph explorer", "Compare", "Timeline", "Targets", "Evidence", "Documents", "Export", "Query"]
ENTITY_TYPES = [t for t in NODE_TYPES if t != "other"]
LEVELS = {"stated": "as stated", "broad": "broad (rolled up the industry scheme)"}
KEEP = "page"  # widgets keep their values while their view is not shown
ANY = ""  # the "any"/"none chosen" option of a select box (not None, which Streamlit shows as unset)

st.set_page_config(page_title="regionkg", layout="wide")


# -- the store and the cached view ----------------------------------------------------------------


def _stamp(location) -> tuple:
    """The store's files (name, size, mtime), or a server's fingerprint: it changes when anything
    writes to the store (not when a reader brings the aggregate or the kept view up to date)."""
    if is_endpoint(location):
        return (server(str(location)).fingerprint(),)
    return tuple(sorted((p.name, p.stat().st_size, p.stat().st_mtime_ns) for p in own_files(location)))


@st.cache_resource(max_entries=1, show_spinner=False)
def server(url: str):
    """The SPARQL server's store, read-only; credentials from the environment (graph.endpoint)."""
    return open_location(url, read_only=True)


def busy(error: Exception) -> bool:
    """Whether an error of the store says another process is writing it (files moving under us)."""
    return isinstance(error, (OSError, RuntimeError)) and any(
        word in str(error) for word in ("IO error", "Corruption", "No such file", "lock"))


@st.cache_resource(max_entries=1, show_spinner=False)
def open_store(path: str, stamp: tuple, attempts: int = 5) -> Store:
    """The store, read-only (no write lock, so ``regionkg ingest`` can run beside the app).

    While another process writes, RocksDB may delete a file between our reading its list of files
    and opening it: try again a few times before saying so.
    """
    if is_endpoint(path):
        return server(path)
    for attempt in range(attempts):
        try:
            return Store(path, read_only=True)
        except (StoreError, RuntimeError, OSError) as e:
            if attempt == attempts - 1 or not busy(e):
                raise StoreError(f"cannot read the store at {path}: {e}") from e
            time.sleep(0.2 * (attempt + 1))
    raise AssertionError("unreachable")  # pragma: no cover


@st.cache_resource(max_entries=1, show_spinner="Reading the graph …")
def load_graph(path: str, stamp: tuple) -> dict:
    """The networkx view of the store and its counts, built once per store content."""
    kg = open_store(path, stamp)
    return {"G": cached_view(kg), "stats": kg.stats(), "documents": kg.documents(),
            "fingerprint": kg.fingerprint()}


def release_store() -> None:
    """Forget the cached store handle and every view, page and file cached from the store."""
    for entry in (open_store, load_graph, graph_page, download_data, target_answer):
        entry.clear()
    cached_view.cache_clear()


@st.cache_data(max_entries=32, show_spinner=False)
def graph_page(_G, fingerprint: str, nodes: tuple, start, height: int) -> str:
    """The pyvis page of the nodes (vis-network inlined), rendered once per content and choice."""
    return to_html(_G.subgraph(nodes), height=f"{height}px", start=start)


@st.cache_data(max_entries=64, show_spinner=False)
def download_data(_G, _kg, fingerprint: str, nodes: tuple, fmt: str) -> bytes:
    return export_bytes(_G, nodes, fmt, store=_kg)


# -- small presentation helpers -----------------------------------------------------------------


def esc(text) -> str:
    """Text for HTML this app writes."""
    return html.escape(str(text))


_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|~<>$:&])")


def md(text) -> str:
    """Text for Streamlit's Markdown (alerts, captions, progress): every Markdown character escaped."""
    return _MARKDOWN.sub(r"\\\1", str(text))


def label(G, node) -> str:
    return G.nodes[node].get("label", node) if node in G else str(node).rsplit("/", 1)[-1]


def type_name(t: str) -> str:
    return STYLE.get(t, STYLE["other"])[2]


def node_choice(G, node) -> str:
    if node is None:
        return "—"
    attrs = G.nodes[node]
    return f"{attrs.get('label', node)} · {type_name(attrs.get('type', 'other'))}"


def region_choice(G, names: dict, node) -> str:
    aliases = G.nodes[node].get("aliases", [])[:2]
    return names[node] + (f" ({'、'.join(aliases)})" if aliases else "")


def table_rows(rows: list[dict], columns: list[str]) -> list[dict]:
    """Rows for ``st.dataframe``: a dict cell becomes a column per key, a list is joined."""
    out = []
    for row in rows:
        flat = {}
        for col in columns:
            value = row.get(col)
            if isinstance(value, dict):
                for k, v in value.items():
                    flat[f"{col} · {k}"] = "、".join(map(str, v)) if isinstance(v, list) else v
            elif isinstance(value, (list, tuple)):
                flat[col] = "、".join(map(str, value))
            else:
                flat[col] = value
        out.append(flat)
    return out


def evidence_html(facts, G, titles: dict) -> str:
    """Facts grouped by document: each sentence with its mention marked, the fact and the rule."""
    blocks, current = [], None
    for e in facts:
        if e.document != current:
            if current is not None:
                blocks.append("</ol></div>")
            current = e.document
            title = titles.get(e.document, "")
            blocks.append('<div style="margin:0.6em 0 0.2em 0"><div style="font-weight:600">'
                          f'{esc(e.document)}{" · " + esc(title) if title else ""}</div><ol>')
        role = f" · {esc(e.role)}" if e.role else ""
        blocks.append(
            f'<li style="margin-bottom:0.4em"><div>{highlight(e.sentence, e.start - e.sentence_start, e.end - e.sentence_start)}</div>'
            f'<div style="color:#666;font-size:0.85em">{esc(label(G, e.subject))} —{esc(e.predicate)}→ '
            f'{esc(label(G, e.object))}{role} · mention “{esc(e.mention)}” at {e.start}–{e.end}'
            f' · {esc(e.rule)} {e.confidence:.2f}</div></li>')
    if current is not None:
        blocks.append("</ol></div>")
    return "".join(blocks) or "<p>No sentence states this.</p>"


def fact_rows(facts, G) -> list[dict]:
    return [{"subject": label(G, e.subject), "relation": e.predicate, "object": label(G, e.object),
             "mention": e.mention, "role": e.role or "", "document": e.document, "start": e.start, "end": e.end,
             "sentence": e.sentence, "rule": e.rule, "confidence": e.confidence} for e in facts]


def plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def csv_text(rows: list[dict]) -> str:
    import csv
    import io

    out = io.StringIO()
    if rows:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return out.getvalue()


# -- the explorer's choices (read by the explorer and by the export view) ---------------------


def explorer_choices() -> dict:
    s = st.session_state

    def chosen(key):
        value = s.get(key, ANY)
        return None if value in (ANY, None) else value

    return {"types": s.get("x_types", ENTITY_TYPES), "province": chosen("x_province"), "city": chosen("x_city"),
            "zone_type": chosen("x_zone_type"), "year": chosen("x_year"), "industry": chosen("x_industry"),
            "start": chosen("x_start"), "depth": s.get("x_depth", 1), "max_nodes": s.get("x_max", 200)}


def explorer_selection(G, level: str):
    choices = explorer_choices()
    for key in ("start", "industry"):
        if choices[key] is not None and choices[key] not in G:
            choices[key] = None  # a node of a graph that changed since
    return select(G, level=level, **choices)


# -- views -------------------------------------------------------------------------------------


def overview(data: dict, level: str) -> None:
    G, stats = data["G"], data["stats"]
    keys = ["documents", "regions", "industries", "zones", "projects", "institutions", "talent_programmes"]
    for col, key in zip(st.columns(len(keys)), keys):
        col.metric(key.replace("_", " "), f"{stats.get(key, 0):,}")
    st.caption(f"{stats['facts']:,} facts with evidence · {stats['sentences']:,} sentences · "
               f"{stats['triples']:,} triples")

    st.subheader("Which regions target which industries")
    top = st.slider("Industries shown (those the most regions target)", 5, 80, 25, key="ov_top",
                    persist_state=KEEP)
    m = matrix(G, level=level, top=top)
    if not m.rows:
        st.info("No region targets an industry yet.")
    else:
        st.html(heat_map(m.meta["industries"], [(row["region"], row["evidence"]) for row in m.rows]))
        st.caption(f"Level: {LEVELS[level]}. Colour and number: the facts stating that the region targets "
                   f"the industry. {len(m.rows)} regions; "
                   + (f"{m.meta['left_out']} more industries not shown." if m.meta["left_out"] else "every industry shown."))
        st.download_button("Matrix as CSV", m.to_csv(), file_name=f"regionkg-matrix-{level}.csv", mime="text/csv",
                           key="dl_matrix", on_click="ignore")

    st.subheader("Most contested industries (产业同构)")
    c = contested(G, level=level, top=15)
    if not c.rows:
        st.info("No industry is the lead industry of two or more regions.")
    else:
        st.caption(f"Industries two or more of the {c.meta['compared']} regions lead with (主导, 重点, 支柱 …).")
        st.html(html_table(c.rows, c.columns))


def explorer(data: dict, level: str, kg) -> None:
    G = data["G"]
    f = facets(G, level)
    cols = st.columns([3, 2])
    cols[0].multiselect("Entity types", f["types"], default=[t for t in ENTITY_TYPES if t in f["types"]],
                        format_func=type_name, key="x_types", persist_state=KEEP)
    industries = dict(f["industry"])
    cols[1].selectbox("Regions that target the industry", [ANY, *industries],
                      format_func=lambda v: "any industry" if v == ANY else industries[v],
                      key="x_industry", persist_state=KEEP)
    cols = st.columns(4)
    for col, key, name in ((cols[0], "province", "Province"), (cols[1], "city", "City"),
                           (cols[2], "zone_type", "Zone type"), (cols[3], "year", "Plan year")):
        col.selectbox(name, [ANY, *f[key]], format_func=lambda v: "any" if v == ANY else str(v),
                      key=f"x_{key}", persist_state=KEEP)
    choices = explorer_choices()
    try:
        scope = select(G, level=level, **{**choices, "start": None, "max_nodes": max(1, G.number_of_nodes())})
    except ValueError as e:
        st.warning(md(e))
        return
    candidates = sorted(scope.graph, key=lambda n: (label(G, n), n))
    cols = st.columns([4, 1, 2])
    cols[0].selectbox("Start from a node (and show its neighbourhood)", [ANY, *candidates],
                      format_func=lambda n: "— every node the filters keep —" if n == ANY else node_choice(G, n),
                      key="x_start", persist_state=KEEP)
    cols[1].slider("Depth", 1, 4, 1, key="x_depth", persist_state=KEEP,
                   disabled=st.session_state.get("x_start", ANY) == ANY)
    cols[2].slider("At most this many nodes", 10, 600, 200, step=10, key="x_max", persist_state=KEEP)

    sel = explorer_selection(G, level)
    H = sel.graph
    if sel.notice:
        st.warning(md(sel.notice) + " Raise the limit, filter, or start from a node to see them.", icon="✂️")
    st.caption(f"{H.number_of_nodes():,} nodes and {H.number_of_edges():,} links shown "
               f"(of {G.number_of_nodes():,} and {G.number_of_edges():,}).")
    left, right = st.columns([3, 2])
    with left:
        st.html(legend([t for t in NODE_TYPES if t in {H.nodes[n].get('type', 'other') for n in H}] or ENTITY_TYPES))
        if H.number_of_nodes():
            st.iframe(graph_page(G, data["fingerprint"], tuple(sorted(H)), sel.start, 620), height=640)
        else:
            st.info("No node matches these filters.")
    with right:
        shown = sorted(H, key=lambda n: (NODE_TYPES.index(H.nodes[n].get("type", "other"))
                                         if H.nodes[n].get("type", "other") in NODE_TYPES else 99, label(G, n), n))
        node = st.selectbox("Details of a node shown", [ANY, *shown], format_func=lambda n: "—" if n == ANY else node_choice(G, n),
                            key="x_node", persist_state=KEEP)
        if node != ANY:
            node_details(G, kg, node, set(H), data)


def node_details(G, kg, node: str, shown: set, data: dict) -> None:
    attrs = G.nodes[node]
    facts = {"IRI": node, "type": type_name(attrs.get("type", "other")), "kind": attrs.get("kind")}
    for key in ("aliases", "province", "city", "zone_type", "years"):
        if attrs.get(key):
            facts[key.replace("_", " ")] = "、".join(map(str, attrs[key])) if isinstance(attrs[key], list) else attrs[key]
    st.html(html_table([{"": k, "value": v} for k, v in facts.items()], ["", "value"]))
    rows = links(G, node)
    st.caption(f"{len(rows)} links ({sum(1 for r in rows if r['other'] in shown)} drawn)")
    st.html(html_table([{"relation": r["relation"] + (" →" if r["direction"] == "out" else " ←"), "node": r["label"],
                         "type": r["type"], "evidence": r["evidence"], "roles": r["roles"],
                         "drawn": "yes" if r["other"] in shown else "no"} for r in rows],
                       ["relation", "node", "type", "evidence", "roles", "drawn"]))
    found = node_evidence(kg, G, node)
    if found:
        titles = {d["file"]: d["title"] for d in data["documents"]}
        st.html(evidence_html(found, G, titles))
    else:
        st.caption("No sentence states a link of this node (it comes from the vocabulary or reference data).")
    st.button("Open in the Evidence view", key="x_to_evidence", on_click=_open_evidence, args=(attrs.get("label", node),))


def _open_evidence(name: str) -> None:
    st.session_state["ev_name"] = name
    st.session_state["ev_link"] = ANY
    st.session_state["view"] = "Evidence"


def compare(data: dict, level: str, kg) -> None:
    G = data["G"]
    regions = select_regions(G)
    names = region_names(G, regions)
    chosen = st.multiselect("Regions to compare (two or more)", regions, format_func=lambda r: region_choice(G, names, r),
                            key="cmp_regions", persist_state=KEEP, placeholder="e.g. 宁波国家高新区 and 淄博市")
    measure = st.radio("Similarity", ["jaccard", "weighted_jaccard"], horizontal=True, key="cmp_measure",
                       persist_state=KEEP, format_func=lambda m: {"jaccard": "Jaccard (shared industries)",
                                                                  "weighted_jaccard": "weighted Jaccard (evidence counts)"}[m])
    if len(chosen) < 2:
        st.info("Pick two or more regions. The comparison runs the same functions as "
                "`regionkg compare`, `regionkg gaps` and `regionkg similar`.")
        return
    common = sorted(set.intersection(*(set(plan_years(G, r)) for r in chosen)))
    if st.session_state.get("cmp_year", ANY) not in (ANY, *common):
        st.session_state["cmp_year"] = ANY  # a year of regions picked before
    year = st.selectbox("Plan year (the years all of them have a plan of)", [ANY, *common], key="cmp_year",
                        persist_state=KEEP, format_func=lambda y: "all years" if y == ANY else str(y))
    year = None if year == ANY else year
    t = overlap(G, chosen, level=level, year=year)
    cols = st.columns(3)
    cols[0].metric("shared industries", len(t.rows))
    cols[1].metric("Jaccard", f"{t.meta['jaccard']:.3f}")
    cols[2].metric("weighted Jaccard", f"{t.meta['weighted_jaccard']:.3f}")
    shared = "、".join(row["industry"] for row in t.rows) or "none"
    st.html(f"<p><b>Shared industries</b> ({esc(LEVELS[level])}): {esc(shared)}</p>")
    if t.rows:
        st.dataframe(table_rows(t.rows, t.columns), hide_index=True, key="cmp_overlap")
    for key, rows in t.meta["shared"].items():
        if rows:
            st.html(f"<p><b>Shared {esc(key.replace('_', ' '))}</b>: {esc('、'.join(r['name'] for r in rows))}</p>")

    st.subheader("The overlap, drawn")
    everything = st.checkbox("Also draw the industries only one of them targets", key="cmp_all", persist_state=KEEP)
    nodes = set(t.nodes) if everything else overlap_nodes(G, chosen, t, level=level)
    st.html(legend(["region", "industry", "project", "institution", "talent_programme"]))
    st.iframe(graph_page(G, data["fingerprint"], tuple(sorted(nodes)), None, 460), height=480)

    st.subheader("Gaps: what the others target and this region does not")
    if year is not None:
        st.caption("Gaps and nearest regions are over every plan year.")
    cols = st.columns([3, 1])
    against = cols[0].radio("Peers", ["picked", "plans", "province"], horizontal=True, key="cmp_against",
                            persist_state=KEEP, format_func=lambda v: {"picked": "the other regions picked",
                                                                       "plans": "every region with a plan",
                                                                       "province": "regions of the same province"}[v])
    min_peers = cols[1].number_input("At least this many peers", 1, 50, 1, key="cmp_min_peers", persist_state=KEEP)
    for r, col in zip(chosen, st.columns(len(chosen))):
        with col:
            st.html(f"<p><b>{esc(names[r])}</b></p>")
            try:
                group = ([p for p in chosen if p != r] if against == "picked"
                         else peers(G, r) if against == "plans" else peers(G, r, same=["province"]))
                g = gaps(G, r, group, min_peers=int(min_peers), level=level)
            except ValueError as e:
                st.caption(md(e))
                continue
            st.caption(f"{plural(len(g.rows), 'industry').replace('industrys', 'industries')} that at least "
                       f"{int(min_peers)} of its {plural(len(g.meta['peers']), 'peer')} target")
            st.dataframe([{"industry": row["industry"], "peers": row["peers"],
                           "who": "、".join(row["evidence"])} for row in g.rows], hide_index=True, key=f"cmp_gaps_{r}")

    st.subheader("How alike they are, and their nearest regions")
    sim = similarity_matrix(G, chosen, level=level, measure=measure)
    st.dataframe(table_rows(sim.rows, sim.columns), hide_index=True, key="cmp_similarity")
    for r, col in zip(chosen, st.columns(len(chosen))):
        with col:
            near = nearest(G, r, top=5, level=level, measure=measure)
            st.html(f"<p>Nearest to <b>{esc(names[r])}</b></p>")
            st.dataframe([{"region": row["region"], measure: round(row[measure], 3), "shared": row["shared"],
                           "industries": "、".join(row["overlap"][:6])} for row in near.rows],
                         hide_index=True, key=f"cmp_nearest_{r}")


def timeline_view(data: dict, level: str, kg) -> None:
    G = data["G"]
    regions = select_regions(G)
    names = region_names(G, regions)
    region = st.selectbox("Region", [ANY, *regions], key="tl_region", persist_state=KEEP,
                          format_func=lambda r: "—" if r == ANY else
                          f"{region_choice(G, names, r)} · {'、'.join(map(str, plan_years(G, r))) or 'no plan year'}")
    if region == ANY or region not in G:
        st.info("Pick a region to see its plans year by year: what each targets, and what was added, kept and "
                "dropped from one plan to the next. This is `regionkg timeline`.")
        return
    types = st.multiselect("Follow", list(TIMELINE_TYPES), default=list(TIMELINE_TYPES), key="tl_types",
                           persist_state=KEEP, format_func=lambda t: t.replace("_", " "))
    try:
        t = timeline(G, region, level=level, types=types or None)
    except ValueError as e:
        st.warning(md(e))
        return
    years = t.meta["years"]
    st.subheader(f"Industries of {md(names[region])} by plan year")
    m = by_year(t, "industry")
    if m.rows:
        with st.container(height=min(480, 60 + 22 * len(m.rows))):  # a long matrix scrolls
            st.html(heat_map(m.meta["years"], [(row["name"], row["evidence"]) for row in m.rows]))
        periods = "".join(f" {y} begins a plan for {p}." for y, p in t.meta.get("periods", {}).items())
        st.caption(f"Level: {LEVELS[level]}. Number: the facts of that year's plans stating the industry; "
                   f"{len(m.rows)} industries, in the order they first appear.{periods}")
    else:
        st.info("Its plans target no industry.")
    st.subheader("What changed from plan to plan")
    st.dataframe([{"year": y, "since": years[k], "type": ty.replace("_", " "), **counts}
                  for k, y in enumerate(years[1:]) for ty, counts in t.meta["changes"][y].items()],
                 hide_index=True, key="tl_summary")
    if st.session_state.get("tl_year") not in years:
        st.session_state["tl_year"] = years[-1]
    year = st.selectbox("Plan year", years, key="tl_year", persist_state=KEEP,
                        on_change=lambda: st.session_state.update(tl_row=ANY),
                        format_func=lambda y: str(y) if y == years[0] else f"{y} (against {years[years.index(y) - 1]})")
    rows = [row for row in t if row["year"] == year]
    st.dataframe(table_rows(rows, t.columns), hide_index=True, key="tl_changes")
    st.download_button("The timeline as CSV", t.to_csv(), file_name="regionkg-timeline.csv", mime="text/csv",
                       key="dl_timeline", on_click="ignore")
    if st.session_state.get("tl_row", ANY) not in (ANY, *range(len(rows))):
        st.session_state["tl_row"] = ANY
    k = st.selectbox("The sentences of a row", [ANY, *range(len(rows))], key="tl_row", persist_state=KEEP,
                     format_func=lambda k: "—" if k == ANY else
                     f"{rows[k]['status']} · {rows[k]['name']} · {rows[k]['type'].replace('_', ' ')}")
    if k != ANY:
        row = rows[k]
        when = row["previous_year"] if row["status"] == "dropped" else row["year"]
        st.caption(f"What the plans of {when} state" + (" (dropped since)." if row["status"] == "dropped" else "."))
        titles = {d["file"]: d["title"] for d in data["documents"]}
        st.html(evidence_html(row_evidence(kg, t, row), G, titles))


def evidence(data: dict, kg) -> None:
    G = data["G"]
    name = st.text_input("A node's name or alias: a region, industry, project, institution or talent programme",
                         key="ev_name", persist_state=KEEP, placeholder="集成电路, 淄博, 宁波新材料联合研究院 …")
    if not (name or "").strip():
        st.info("Type a name to see every sentence that states it, with the document it is in. "
                "This is `regionkg explain`.")
        return
    try:
        nodes, facts = explain(kg, name)
    except (UnknownEntity, ValueError) as e:
        st.warning(md(e))
        return
    for n in nodes:
        st.html(f"<p><b>{esc(n['label'])}</b> · {esc(', '.join(n['classes']))} · "
                f"<code>{esc(n['iri'])}</code></p>")
    if not facts:
        st.info("No fact states this node: it is in the vocabulary only.")
        return
    pairs: dict[tuple, int] = {}
    for e in facts:
        pairs[(e.subject, e.predicate, e.object)] = pairs.get((e.subject, e.predicate, e.object), 0) + 1
    keys = sorted(pairs, key=lambda k: (-pairs[k], label(G, k[0]), k[1], label(G, k[2])))
    choice = st.selectbox("Link", [ANY, *[" ".join(k) for k in keys]], key="ev_link", persist_state=KEEP,
                          format_func=lambda v: f"every link ({len(pairs)})" if v == ANY else _link_name(G, v, pairs))
    if choice != ANY:
        facts = [e for e in facts if " ".join((e.subject, e.predicate, e.object)) == choice]
    documents = sorted({e.document for e in facts})
    subjects = sorted({label(G, e.subject) for e in facts})
    st.html(f"<p>{plural(len(facts), 'fact')} in {plural(len(documents), 'document')}, "
            f"about {esc('、'.join(subjects))}.</p>")
    titles = {d["file"]: d["title"] for d in data["documents"]}
    st.html(evidence_html(facts, G, titles))
    rows = fact_rows(facts, G)
    st.download_button("These facts as CSV", csv_text(rows), file_name="regionkg-evidence.csv", mime="text/csv",
                       key="dl_evidence", on_click="ignore")
    st.html(html_table(rows, ["subject", "relation", "object", "mention", "role", "document"]))


def _link_name(G, key: str, pairs: dict) -> str:
    s, p, o = key.split(" ")
    return f"{label(G, s)} —{p}→ {label(G, o)} ({pairs[(s, p, o)]})"


@st.cache_data(max_entries=64, show_spinner=False)
def target_answer(_kg, fingerprint: str, region, indicator, year, kind):
    """The answer of ``graph.targets.targets`` (rows and meta), cached per store content and choice."""
    t = target_table(_kg, region, indicator, year, kind=kind)
    return {"rows": t.rows, "columns": t.columns, "csv": t.to_csv()}


def target_evidence_html(rows: list[dict]) -> str:
    """Each target's sentence with the span that states it marked, and its document."""
    items = []
    for r in rows:
        at = r["sentence"].find(r["text"])
        sentence = (highlight(r["sentence"], at, at + len(r["text"])) if at >= 0 else esc(r["sentence"]))
        value = "masked" if r["masked"] else f"{r['value']}" + (f"–{r['value_max']}" if r["value_max"] is not None else "")
        reported = (f" · reported {esc(r['reported'])} in {esc(r['reported_in'])}" if r.get("reported") is not None else "")
        items.append(f'<li style="margin-bottom:0.4em"><div>{sentence}</div><div style="color:#666;font-size:0.85em">'
                     f'{esc(r["region"])} · {esc(r["kind"])} · {esc(r["indicator"])} {esc(value)}{esc(r["unit"] or "")}'
                     f' {esc(r["comparator"] or "")} · {esc(r["year"] or "")}{reported} · {esc(r["document"])}</div></li>')
    return "<ol>" + "".join(items) + "</ol>" if items else "<p>No target.</p>"


def targets_view(data: dict, kg) -> None:
    regions = target_regions(kg)
    if not regions:
        st.info("No document in the graph states a target or a result.")
        return
    mode = st.radio("Show", ["region", "indicator"], horizontal=True, key="tg_mode", persist_state=KEEP,
                    format_func=lambda v: {"region": "a region's targets", "indicator": "one indicator across regions"}[v])
    years = [ANY, *range(2100, 1948, -1)]
    if mode == "region":
        cols = st.columns([3, 1, 1])
        region = cols[0].selectbox("Region", list(regions), format_func=regions.get, key="tg_region", persist_state=KEEP)
        year = cols[1].selectbox("Year", years[:1] + [y for y in years[1:] if 2000 <= y <= 2040],
                                 format_func=lambda v: "any" if v == ANY else str(v), key="tg_year", persist_state=KEEP)
        kind = cols[2].selectbox("Kind", [ANY, "target", "result"], format_func=lambda v: "both" if v == ANY else v,
                                 key="tg_kind", persist_state=KEEP)
        answer = target_answer(kg, data["fingerprint"], region, None, None if year == ANY else year,
                               None if kind == ANY else kind)
        rows = answer["rows"]
        st.caption(f"{plural(len(rows), 'number')} that plans of {md(regions[region])} state "
                   "(`regionkg targets`); a target shows the result a later document reports for it.")
    else:
        names = indicator_names(kg)
        cols = st.columns([3, 1, 1])
        indicator = cols[0].selectbox("Indicator", names, key="tg_indicator", persist_state=KEEP)
        year = cols[1].selectbox("Year", years[:1] + [y for y in years[1:] if 2000 <= y <= 2040],
                                 format_func=lambda v: "any" if v == ANY else str(v), key="tg_iyear", persist_state=KEEP)
        kind = cols[2].selectbox("Kind", ["target", "result"], key="tg_ikind", persist_state=KEEP)
        answer = target_answer(kg, data["fingerprint"], None, indicator, None if year == ANY else year, kind)
        rows = answer["rows"]
        chart = [{"region": f"{r['region']} · {r['year']}", "value": r["value"]} for r in rows if r["value"] is not None]
        units = sorted({r["unit"] or "" for r in rows if r["value"] is not None})
        if chart:
            st.bar_chart(chart, x="region", y="value", horizontal=True, sort="-value",
                         y_label=f"{indicator} ({'、'.join(units)})" if units else indicator, x_label="")
        st.caption(f"{plural(len(rows), 'region')} ranked by value (`regionkg targets --indicator`).")
    if not rows:
        st.info("No target or result matches.")
        return
    st.dataframe([{c: r.get(c) for c in answer["columns"]} for r in rows], hide_index=True, key="tg_table")
    st.download_button("These targets as CSV", answer["csv"], file_name="regionkg-targets.csv", mime="text/csv",
                       key="dl_targets", on_click="ignore")
    st.subheader("Evidence")
    st.html(target_evidence_html(rows))


def documents(data: dict, kg) -> None:
    report = st.session_state.get("ingest_report")
    if report:
        done = {s: sum(1 for r in report["rows"] if r["status"] == s) for s in ("added", "replaced", "unchanged", "rejected", "skipped")}
        summary = ", ".join(f"{n} {s}" for s, n in done.items() if n)
        (st.error if done["rejected"] else st.success)(f"Ingested {len(report['rows'])} files: {summary}.")
        for r in report["rows"]:
            if r["status"] == "rejected":
                st.error(f"Rejected {md(r['file'])}: {md(r['reason'])}")
        st.dataframe(report["rows"], hide_index=True, key="doc_report")
    if st.session_state.get("ingest_error"):
        st.error(md(st.session_state["ingest_error"]))

    n = st.session_state.setdefault("upload_round", 0)
    files = st.file_uploader("Add plan documents (.txt, .html, .pdf with a text layer, .docx)",
                             type=[s.lstrip(".") for s in SUPPORTED_SUFFIXES],
                             accept_multiple_files=True, key=f"upload_{n}", max_upload_size=50)
    if files and st.button(f"Ingest {len(files)} file{'s' if len(files) > 1 else ''}", type="primary", key="ingest"):
        ingest_uploads(files, kg)
        st.session_state["upload_round"] = n + 1
        st.rerun()

    st.subheader(f"{len(data['documents'])} documents in the graph")
    st.dataframe(data["documents"], hide_index=True, key="doc_table",
                 column_order=["file", "subject", "year", "title", "iri"])
    st.caption(f"Store: `{STORE}`")


def ingest_uploads(files, reader) -> None:
    """Write the uploads to a temporary folder, close the read-only handle ``reader``, take the
    store's write lock, ingest, close the store and clear the caches."""
    from ingest.batch import ingest_paths
    from ingest.extract import default_pipeline

    st.session_state["ingest_report"] = None
    st.session_state["ingest_error"] = None
    progress = st.progress(0.0, text="Loading the recogniser (once per server) …")
    nlp = default_pipeline()
    rows = []
    with tempfile.TemporaryDirectory(prefix="regionkg-upload-") as tmp:
        paths = []
        for k, f in enumerate(files):
            folder = Path(tmp) / f"{k:04d}"
            folder.mkdir()
            name = Path(f.name.replace("\\", "/")).name.strip() or "upload.txt"
            path = folder / name
            path.write_bytes(f.getvalue())
            paths.append(path)
        reader.close()
        release_store()
        try:
            kg = open_location(STORE)
        except StoreError as e:
            locked = "lock" in str(e).lower()
            st.session_state["ingest_error"] = (
                "The store is locked by another process (probably `regionkg ingest`): "
                "nothing was ingested; try again when it has finished." if locked else f"Nothing was ingested: {e}")
            return
        try:
            def on_file(path, done=[0]):  # noqa: B006 - a counter for this call
                progress.progress(done[0] / len(paths), text=f"Reading {md(path.name)} ({done[0] + 1} of {len(paths)}) …")
                done[0] += 1

            for line in ingest_paths(paths, kg, nlp=nlp, on_file=on_file):
                rows.append({"file": line.path.name, "status": line.status, "subject": line.subject,
                             "facts": line.facts, "reason": line.reason})
            progress.progress(1.0, text="Done.")
        finally:
            kg.close()
            release_store()
    st.session_state["ingest_report"] = {"rows": rows}


def export(data: dict, level: str, kg) -> None:
    G = data["G"]
    options = ["explorer"]
    chosen = [r for r in st.session_state.get("cmp_regions", []) if r in G]
    if len(chosen) >= 2:
        options.append("comparison")
    what = st.radio("What to export", options, horizontal=True, key="exp_source", persist_state=KEEP,
                    format_func=lambda v: {"explorer": "the graph explorer's selection",
                                           "comparison": "the comparison (its regions and industries)"}[v])
    if what == "comparison":
        nodes = overlap(G, chosen, level=level).nodes
        st.caption(f"The comparison of {len(chosen)} regions: {len(nodes)} nodes.")
    else:
        sel = explorer_selection(G, level)
        nodes = set(sel.graph)
        st.caption(f"The graph explorer's selection: {sel.graph.number_of_nodes()} nodes and "
                   f"{sel.graph.number_of_edges()} links." + (f" {sel.notice}" if sel.notice else ""))
    if not nodes:
        st.info("Nothing to export: the selection is empty.")
        return
    st.markdown("Turtle, JSON-LD and N-Triples hold the nodes' names and types, the links among them and every "
                "fact between two of them with its sentence and document (`regionkg load FILE` reads them back); "
                "GraphML, GEXF and the two CSV tables open in Gephi.")
    fmt = st.radio("Format", list(DOWNLOADS), horizontal=True, key="exp_format", persist_state=KEEP,
                   format_func=lambda f: DOWNLOADS[f][0])
    name, suffix, mime = DOWNLOADS[fmt]
    stem = fmt.split(".")[0] if fmt.endswith(".csv") else "subgraph"
    payload = download_data(G, kg, data["fingerprint"], tuple(sorted(nodes)), fmt)
    st.download_button(f"Download {name}", payload, file_name=f"regionkg-{stem}{suffix}", mime=mime,
                       key="dl_export", on_click="ignore", type="primary", icon=":material/download:")
    st.caption(f"regionkg-{stem}{suffix} · {len(payload):,} bytes")


def query(kg) -> None:
    def use_example():
        title = st.session_state.get("q_example")
        if title:
            st.session_state["q_text"] = EXAMPLES[title]

    st.selectbox("Start from an example", [ANY, *EXAMPLES], format_func=lambda v: "—" if v == ANY else v,
                 key="q_example", on_change=use_example, persist_state=KEEP)
    text = st.text_area("SPARQL (read-only: SELECT, ASK, CONSTRUCT, DESCRIBE)", key="q_text", height=220,
                        persist_state=KEEP, placeholder="SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 10")
    cols = st.columns([1, 4], vertical_alignment="bottom")
    limit = cols[0].number_input("Rows", 1, 10000, 1000, key="q_limit", persist_state=KEEP)
    if cols[1].button("Run", type="primary", key="q_run"):
        # In a process of its own, bounded in time and memory (graph.sparql.run): a query that runs
        # for ever, takes all memory or crashes the engine ends in a one-line message, not here.
        with st.spinner("Running the query …"):
            try:
                st.session_state["q_answer"] = (text, run_query(kg, text or "", limit=int(limit)))
            except RefusedQuery as e:
                st.session_state["q_answer"] = (text, e)
    answer = st.session_state.get("q_answer")
    if not answer:
        st.caption("Prefixes rkg:, skos:, prov:, dcterms:, rdf:, rdfs: … are known. Updates, SERVICE and FROM are refused. "
                   "A query runs in a process of its own and is stopped past its time or memory.")
        return
    asked, result = answer
    if asked != text:
        st.caption("The answer below is of the query as it was when you ran it.")
    if isinstance(result, QueryStopped):
        st.error(f"Stopped: {md(result)}")
        return
    if isinstance(result, RefusedQuery):
        st.error(f"Refused: {md(result)}")
        return
    if result.form == "ASK":
        st.success(f"ASK: {'true' if result.boolean else 'false'}")
        return
    st.caption(f"{result.form}: {len(result.rows)} rows" + (f" (the first {len(result.rows)}; there are more)"
                                                            if result.truncated else ""))
    st.dataframe(result.rows, hide_index=True, key="q_table", column_order=result.columns)
    st.download_button("Rows as CSV", csv_text(result.rows), file_name="regionkg-query.csv", mime="text/csv",
                       key="dl_query", on_click="ignore")
    if result.graph is not None:
        st.download_button("Triples as Turtle", result.graph.serialize(format="turtle"), file_name="regionkg-query.ttl",
                           mime="text/turtle", key="dl_query_ttl", on_click="ignore")


# -- the page ----------------------------------------------------------------------------------

st.title("regionkg · 区域发展规划知识图谱")

if not is_endpoint(STORE) and (not STORE.is_dir() or not any(STORE.iterdir())):
    st.error(f"No graph at `{STORE}`. Build it with: `regionkg ingest data/samples --store {STORE}`")
    st.stop()

try:
    stamp = _stamp(STORE)
    kg = open_store(str(STORE), stamp)
    data = load_graph(str(STORE), stamp)
except StoreError as e:
    st.error(md(e))
    st.stop()

with st.sidebar:
    level = st.radio("Industries", list(LEVELS), format_func=LEVELS.get, key="level")
    st.caption("At the broad level, industries count as the top concepts of the industry scheme "
               "(集成电路 counts as 新一代信息技术产业).")
    st.caption(f"{data['stats']['documents']} documents · {data['stats']['facts']:,} facts · store `{STORE}`")

VIEW_FUNCTIONS = {
    "Overview": lambda: overview(data, level),
    "Graph explorer": lambda: explorer(data, level, kg),
    "Compare": lambda: compare(data, level, kg),
    "Timeline": lambda: timeline_view(data, level, kg),
    "Evidence": lambda: evidence(data, kg),
    "Targets": lambda: targets_view(data, kg),
    "Documents": lambda: documents(data, kg),
    "Export": lambda: export(data, level, kg),
    "Query": lambda: query(kg),
}

# Only the open tab runs (lazy tabs); the tab is in the URL (?view=Compare), so a view can be linked.
tabs = st.tabs(VIEWS, key="view", bind="query-params")
for tab, name in zip(tabs, VIEWS):
    if not tab.open:
        continue
    with tab:
        try:
            VIEW_FUNCTIONS[name]()
        except (OSError, RuntimeError) as e:
            if not busy(e):
                raise
            release_store()
            st.warning("The store changed while this view read it (another process is writing to it). "
                       "Reload in a moment.")

# While the reader looks at another view, draw the explorer's graph once (cached for every session),
# so that opening the explorer only has to show it. Not on a session's first run, which should end
# as soon as the overview is shown. Errors are the explorer's to report when it opens.
if st.session_state.get("_ran") and not tabs[VIEWS.index("Graph explorer")].open:
    try:
        warm = explorer_selection(data["G"], level)
        if warm.graph.number_of_nodes():
            graph_page(data["G"], data["fingerprint"], tuple(sorted(warm.graph)), warm.start, 620)
    except (ValueError, RuntimeError, OSError):
        pass
st.session_state["_ran"] = True
