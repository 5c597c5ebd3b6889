"""regionkg's Streamlit app: the graph's counts and a view of it. It only presents; the logic is in
``graph/``. Run with ``make run`` (or ``streamlit run app.py``); the store is ``$REGIONKG_STORE`` or
``data/store`` beside this file."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import streamlit as st
import streamlit.components.v1 as components

ROOT = Path(__file__).resolve().parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from graph.store import Store, StoreError  # noqa: E402
from graph.views import to_networkx  # noqa: E402
from graph.visual import STYLE, cap, to_html  # noqa: E402

STORE = Path(os.environ.get("REGIONKG_STORE") or ROOT / "data" / "store")
if not STORE.is_absolute():
    STORE = ROOT / STORE

st.set_page_config(page_title="regionkg", layout="wide")
st.title("regionkg · 区域发展规划知识图谱")


@st.cache_resource
def open_store(path: str, mtime: float) -> dict:
    """Read what the app shows once per store change (``mtime`` invalidates the cache).

    Read-only: the app never takes the store's write lock (so ``regionkg ingest`` can run beside it)
    and opening it changes no file (so ``mtime`` only moves when the graph does).
    """
    try:
        with Store(path, read_only=True) as store:
            return {"stats": store.stats(), "documents": store.documents(),
                    "graph": to_networkx(store)}
    except StoreError as e:
        return {"error": str(e)}


def _mtime(path: Path) -> float:
    return max((p.stat().st_mtime for p in path.glob("*")), default=0.0) if path.is_dir() else 0.0


if not STORE.is_dir() or not any(STORE.iterdir()):
    st.error(f"No graph at {STORE}. Build it with: regionkg ingest data/samples --store {STORE}")
    st.stop()

data = open_store(str(STORE), _mtime(STORE))
if "error" in data:
    st.error(data["error"])
    st.stop()

stats = data["stats"]
cols = st.columns(7)
for col, key in zip(cols, ["documents", "regions", "industries", "zones", "projects",
                           "institutions", "talent_programmes"]):
    col.metric(key.replace("_", " "), f"{stats.get(key, 0):,}")
st.caption(f"{stats['facts']:,} facts with evidence · {stats['triples']:,} triples · store {STORE}")

with st.expander("Documents", expanded=False):
    st.dataframe(data["documents"], use_container_width=True, hide_index=True)

G = data["graph"]
max_nodes = st.slider("Most connected nodes to draw", 20, 600, 200, step=20, key="max_nodes")
shown, left_out = cap(G, max_nodes)
if left_out:
    st.info(f"Showing {shown.number_of_nodes()} of {G.number_of_nodes()} nodes; "
            f"{left_out} less connected nodes are left out. Raise the limit to see them.")
st.markdown(" · ".join(f"<span style='color:{c}'>●</span> {label}" for c, _, label in STYLE.values()),
            unsafe_allow_html=True)
components.html(to_html(shown, height="640px"), height=660, scrolling=False)
