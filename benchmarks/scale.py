"""Scale of the comparisons: 1,000, 10,000 and 50,000 plan documents in one table.

For each size it writes a seeded synthetic corpus into a new embedded store, one document graph at
a time as ingest writes them (``benchmarks/compare.py``'s generator: real GB/T 2260 divisions,
industry profiles per province, projects, institutions, talent programmes, sub-zones, each fact
reified with its sentence; up to 3,000 regions, each with a run of yearly plans so that the corpus
holds that many documents), then measures, each in a fresh process whose peak memory is read from
the kernel (``ru_maxrss`` of ``wait4``):

- **write**: documents per second over the first and the last tenth (is a document dearer in a
  bigger store?), the store on disk per document once settled (RocksDB's log dropped), and the
  aggregate and the kept view files (``graph/aggregate.py``, ``graph/viewfile.py``);
- **view built**: the networkx view built from the aggregate, as the first reader after an old
  ingest would (``kept_view`` without a kept file); at 1,000 documents also from the triples by the
  SPARQL queries (the way before the aggregate, and a server store's way), for the ratio;
- **view loaded**: a new process loading the kept view from disk (what every command does);
- **view updated**: ten documents more, then the kept view brought up to date (``refresh``), as
  ``regionkg ingest`` does at its end, against building it anew;
- **queries** on the view: ``profile``, ``compare`` (stated, broad), ``gaps`` against every peer,
  ``similar`` (nearest 10), the industry ranking and the contested industries: median and max over
  20 regions (or pairs), after the first (which builds the derived region–industry graphs);
- **command line**: ``regionkg compare A B``, ``gaps A``, ``similar A``, ``industries --contested``
  wall clock, start-up included (median of 3), against ``regionkg --help`` in the same run.

Targets (issue 13) are printed beside the figures, met or missed; the exit code is 0 whatever the
figures (1 only if the benchmark itself could not run).

Usage::

    python benchmarks/scale.py [--sizes 1000,10000] [--seed 7] [--samples 20] [--workdir DIR] [--keep]
                               [--reuse] [--json PATH] [--table JSON]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
for p in (ROOT, ROOT / "benchmarks"):
    if str(p) not in sys.path:
        sys.path.insert(0, str(p))

MB = 1024 ** 2
QUERY_MS = (100.0, 500.0)  # median, max
CLI_S, VIEW_READY_S, VIEW_GB, STORE_KB = 2.0, 10.0, 1.0, 100.0


def run_child(args: list[str], timeout: float = 7200) -> tuple[dict, int]:
    """Run this script as a child with ``args``; its JSON answer and its peak resident memory (bytes)."""
    out = Path(tempfile.mkstemp(suffix=".json")[1])
    proc = subprocess.Popen([sys.executable, __file__, *args, "--child-out", str(out)], cwd=ROOT)
    _, status, usage = os.wait4(proc.pid, 0)
    if status != 0:
        raise RuntimeError(f"benchmark step {args[0]} failed (status {status})")
    try:
        return json.loads(out.read_text()), usage.ru_maxrss * 1024
    finally:
        out.unlink(missing_ok=True)


def wall(cmd: list[str], runs: int = 3) -> float:
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=600)
        times.append(time.perf_counter() - began)
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(cmd[2:5])} failed: {done.stderr.strip()[-300:]}")
    return statistics.median(times)


def du(path: Path) -> int:
    return sum(f.stat().st_blocks * 512 for f in path.rglob("*") if f.is_file())


# -- steps, each in its own process ------------------------------------------------------------


def step_write(store_path: Path, documents: int, seed: int, more: bool = False) -> dict:
    """Write the corpus's documents into the store; ``more``: documents of new names (``more<seed>-…``
    rather than ``bench-…``), as a later ingest adds, for the view's update."""
    from compare import Corpus

    from graph.store import Store

    with Store(store_path) as store:
        corpus = Corpus(store, 3000, seed, n_documents=documents)
        stamps, began, written = [], time.perf_counter(), 0
        for g in corpus.documents():
            if more:
                new = f"more{seed}-"  # new names: not documents written again
                data = g.serialize(format="nt", encoding="utf-8").replace(b"bench-", new.encode())
                store.add_ntriples(str(g.identifier).replace("bench-", new), data)
            else:
                store.add_document(g)
            written += 1
            stamps.append(time.perf_counter() - began)
        regions = len(corpus.regions)
    tenth = max(1, written // 10)
    return {"seconds": stamps[-1] if stamps else 0.0, "documents": written, "regions": regions,
            "first_tenth": tenth / stamps[tenth - 1] if stamps else 0.0,
            "last_tenth": tenth / (stamps[-1] - stamps[-tenth - 1]) if len(stamps) > tenth else 0.0}


def step_view(store_path: Path, how: str) -> dict:
    from graph import viewfile
    from graph.store import Store
    from graph.views import _assemble, _sparql_rows, kept_view

    with Store(store_path) as store:
        if how == "built":
            (store.path / viewfile.FILE_NAME).unlink(missing_ok=True)
        began = time.perf_counter()
        G = _assemble(_sparql_rows(store)) if how == "sparql" else kept_view(store)
        seconds = time.perf_counter() - began
    return {"seconds": seconds, "nodes": G.number_of_nodes(), "edges": G.number_of_edges()}


def step_queries(store_path: Path, samples: int, seed: int) -> dict:
    from graph.compare import overlap
    from graph.gaps import gaps
    from graph.profile import profile
    from graph.rankings import contested, industry_ranking
    from graph.regions import region_names
    from graph.similarity import nearest
    from graph.store import Store
    from graph.views import cached_view

    with Store(store_path, read_only=True) as store:
        began = time.perf_counter()
        G = cached_view(store)
        load_s = time.perf_counter() - began
    regions = sorted(n for n, a in G.nodes(data=True) if a.get("type") == "region" and a.get("subject"))
    rng = random.Random(seed)
    sample = rng.sample(regions, min(samples, len(regions)))
    pairs = [tuple(rng.sample(regions, 2)) for _ in range(samples)]
    queries = {
        "profile": [lambda r=r: profile(G, r) for r in sample],
        "compare": [lambda a=a, b=b: overlap(G, [a, b]) for a, b in pairs],
        "compare --level broad": [lambda a=a, b=b: overlap(G, [a, b], level="broad") for a, b in pairs],
        "gaps (all peers)": [lambda r=r: gaps(G, r) for r in sample],
        "similar (nearest 10)": [lambda r=r: nearest(G, r, top=10) for r in sample],
        "industry ranking": [lambda: industry_ranking(G)] * 5,
        "contested industries": [lambda: contested(G)] * 5,
    }
    out = {"load_s": load_s}
    for name, calls in queries.items():
        began = time.perf_counter()
        calls[0]()  # the first builds what the query derives from the view, once per view
        first = time.perf_counter() - began
        times = []
        for call in calls:
            began = time.perf_counter()
            call()
            times.append((time.perf_counter() - began) * 1000)
        out[name] = {"first_ms": first * 1000, "median_ms": statistics.median(times), "max_ms": max(times)}
    names = region_names(G, regions)
    unique = [n for n in regions if list(names.values()).count(names[n]) == 1 and names[n] == G.nodes[n]["label"]]
    out["cli_regions"] = [G.nodes[n]["label"] for n in rng.sample(unique, 2)]
    return out


# -- one size ------------------------------------------------------------------------------------


def measure(size: int, args, work: Path) -> dict:
    store = work / f"kg-{size}"
    result: dict = {"size": size}
    if args.reuse and (store / "CURRENT").is_file():  # a store kept by an earlier run (--keep)
        print(f"\n[{size:,} documents] the store kept in {store} …", flush=True)
        result["write"] = {"regions": None, "first_tenth": None, "last_tenth": None}
    else:
        shutil.rmtree(store, ignore_errors=True)
        print(f"\n[{size:,} documents] writing the store …", flush=True)
        result["write"], result["write_peak"] = run_child(["write", str(store), str(size), str(args.seed)])
    from graph.store import Store

    with Store(store):  # reopened for writing: RocksDB's log is flushed and dropped
        pass
    agg = store / "regionkg-aggregate.sqlite"
    result["store_bytes"] = du(store) - (agg.stat().st_blocks * 512 if agg.exists() else 0)
    result["aggregate_bytes"] = agg.stat().st_size if agg.exists() else 0
    print("  the view built from the aggregate …", flush=True)
    result["view_built"], result["view_built_peak"] = run_child(["view", str(store), "built"])
    result["view_bytes"] = (store / "regionkg-view.bin").stat().st_size
    if size <= args.sparql_up_to:
        print("  the view built from the triples (SPARQL) …", flush=True)
        result["view_sparql"], result["view_sparql_peak"] = run_child(["view", str(store), "sparql"])
    print("  queries …", flush=True)
    result["queries"], result["queries_peak"] = run_child(["queries", str(store), str(args.samples), str(args.seed)])
    print("  ten documents more, the view updated …", flush=True)
    # New names each run (the seed of the run and the time): added documents, not ones written again.
    result["write_more"], _ = run_child(["write", str(store), "10", str(args.seed + 1 + int(time.time()) % 100_000), "more"])
    result["view_updated"], result["view_updated_peak"] = run_child(["view", str(store), "kept"])
    print("  the command line …", flush=True)
    a, b = result["queries"]["cli_regions"]
    cli = [sys.executable, "-m", "regionkg"]
    s = ["--store", str(store)]
    result["cli"] = {
        "regionkg --help (start-up)": wall(cli + ["--help"]),
        "regionkg compare A B": wall(cli + ["compare", a, b] + s),
        "regionkg gaps A": wall(cli + ["gaps", a] + s),
        "regionkg similar A": wall(cli + ["similar", a] + s),
        "regionkg industries --contested": wall(cli + ["industries", "--contested"] + s),
    }
    if not args.keep:
        shutil.rmtree(store, ignore_errors=True)
    return result


def verdict(ok: bool) -> str:
    return "met" if ok else "MISSED"


def print_table(results: list[dict]) -> None:
    sizes = [r["size"] for r in results]
    head = f"{'':44}" + "".join(f"{s:>16,}" for s in sizes)
    print("\n" + head + "   target")
    line = lambda name, values, target="": print(f"{name:44}" + "".join(f"{v:>16}" for v in values) + f"   {target}")  # noqa: E731
    base = results[0]
    line("regions / documents", [f"{r['write']['regions'] or '?'}/{r['size']:,}" if r['write']['regions'] is None
                                 else f"{r['write']['regions']:,}/{r['size']:,}" for r in results])
    line("write docs/s, first → last tenth", ["(kept store)" if r['write']['first_tenth'] is None else
                                              f"{r['write']['first_tenth']:.0f} → {r['write']['last_tenth']:.0f}"
                                              for r in results])
    line("store KB / document (settled)", [f"{r['store_bytes'] / 1024 / r['size']:.0f}" for r in results],
         f"≤ {STORE_KB:.0f}: " + verdict(all(r['store_bytes'] / 1024 / r['size'] <= STORE_KB for r in results)))
    line("aggregate KB / document", [f"{r['aggregate_bytes'] / 1024 / r['size']:.1f}" for r in results])
    line("kept view file MB", [f"{r['view_bytes'] / MB:.0f}" for r in results])
    line("view: nodes / links", [f"{r['view_built']['nodes'] // 1000}k/{r['view_built']['edges'] // 1000}k" for r in results])
    if "view_sparql" in base:
        line("view built from triples (SPARQL) s", [f"{r['view_sparql']['seconds']:.1f}" if "view_sparql" in r else "-" for r in results])
    line("view built from the aggregate s", [f"{r['view_built']['seconds']:.1f}" for r in results])
    line("  peak memory MB", [f"{r['view_built_peak'] / MB:.0f}" for r in results],
         f"≤ {VIEW_GB:.0f} GB: " + verdict(all(r['view_built_peak'] <= VIEW_GB * 1024 * MB for r in results)))
    line("view updated after 10 more documents s", [f"{r['view_updated']['seconds']:.2f}" for r in results],
         f"≤ {VIEW_READY_S:.0f} s: " + verdict(all(r['view_updated']['seconds'] <= VIEW_READY_S for r in results)))
    line("view loaded from disk (new process) s", [f"{r['queries']['load_s']:.2f}" for r in results])
    line("  queries process peak MB", [f"{r['queries_peak'] / MB:.0f}" for r in results])
    for name in ("profile", "compare", "compare --level broad", "gaps (all peers)", "similar (nearest 10)",
                 "industry ranking", "contested industries"):
        ok = all(r["queries"][name]["median_ms"] < QUERY_MS[0] and r["queries"][name]["max_ms"] < QUERY_MS[1]
                 for r in results)
        line(f"{name} ms median / max", [f"{r['queries'][name]['median_ms']:.1f} / {r['queries'][name]['max_ms']:.0f}"
                                         for r in results], f"< {QUERY_MS[0]:.0f} / {QUERY_MS[1]:.0f}: {verdict(ok)}")
        line("  × the smallest size (median)", [f"{r['queries'][name]['median_ms'] / max(base['queries'][name]['median_ms'], 1e-6):.1f}×"
                                               for r in results])
    for name in base["cli"]:
        target = "" if "start-up" in name else f"< {CLI_S:.0f} s: " + verdict(all(r["cli"][name] < CLI_S for r in results))
        line(f"{name} s", [f"{r['cli'][name]:.2f} ({r['cli'][name] / r['cli']['regionkg --help (start-up)']:.1f}×)"
                           for r in results], target)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000", help="corpus sizes in documents (default 1000,10000)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--samples", type=int, default=20)
    parser.add_argument("--sparql-up-to", type=int, default=1000,
                        help="also build the view by SPARQL up to this size (default 1000; it takes minutes above)")
    parser.add_argument("--workdir", type=Path, help="write the stores here (default: a temporary folder)")
    parser.add_argument("--keep", action="store_true", help="keep the stores")
    parser.add_argument("--reuse", action="store_true",
                        help="measure the stores an earlier --keep run left in --workdir instead of writing them")
    parser.add_argument("--json", type=Path, help="write the figures to this file")
    parser.add_argument("--table", type=Path, metavar="JSON", help="print the table of figures saved by --json")
    parser.add_argument("--child-out", type=Path, help=argparse.SUPPRESS)
    args, rest = parser.parse_known_args(argv)
    if args.child_out is not None:  # one step, in its own process
        step, *params = rest
        answer = {"write": lambda p, n, s, more="": step_write(Path(p), int(n), int(s), more == "more"),
                  "view": lambda p, how: step_view(Path(p), how),
                  "queries": lambda p, n, s: step_queries(Path(p), int(n), int(s))}[step](*params)
        args.child_out.write_text(json.dumps(answer))
        return 0
    if args.table is not None:
        print_table(json.loads(args.table.read_text()))
        return 0
    sizes = [int(s) for s in args.sizes.split(",")]
    work = args.workdir or Path(tempfile.mkdtemp(prefix="regionkg-scale-"))
    work.mkdir(parents=True, exist_ok=True)
    print(f"machine: {os.cpu_count()} cores, load {os.getloadavg()[0]:.2f}; sizes {sizes}; seed {args.seed}")
    results = []
    try:
        for size in sizes:
            results.append(measure(size, args, work))
            print_table(results)
            if args.json:
                args.json.write_text(json.dumps(results, indent=1))
    except RuntimeError as e:
        print(f"benchmark could not run: {e}", file=sys.stderr)
        return 1
    finally:
        if not args.keep and args.workdir is None:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
