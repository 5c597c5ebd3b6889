"""Ingest at scale: a synthetic corpus of plan-like documents through ``regionkg ingest``, against jieba.

For each corpus size (1,000 and 10,000 documents by default) it writes a seeded, reproducible corpus
(``benchmarks/synthetic_plans.py``: the sample plans' sentence shapes recombined, with regions,
industries and name heads varied; the corpus's SHA-256 is printed), then measures in the same run:

- **the floor**: bare jieba segmentation (``jieba.lcut``, as spaCy's ``zh`` tokenizer calls it) of
  every document's text, in this process, after jieba's dictionary is loaded (the load is timed
  apart and not counted); reading the files is not counted either;
- **regionkg ingest** of the corpus folder into a new store, as the command line runs it (a
  subprocess, ``python -m regionkg ingest DIR --store S --jobs N``) with 1 job and with 2 jobs (if
  this ``regionkg`` has ``--jobs``; otherwise 1 job only, and it says so): wall clock, characters
  and documents per second, with and without the fixed start-up cost (the median wall clock of
  the same command on two tiny documents, so that two workers start, into a fresh store, with the
  same jobs); peak memory of the process tree, polled every 0.2 s (the sum of the resident sets of
  the command and all its descendants at the worst moment, and the sum of their proportional sets,
  which count shared pages once), and the largest single process's own high-water mark (the
  kernel's ``ru_maxrss`` from ``wait4``); the report lines' statuses (a corpus that is rejected
  would measure nothing), facts, and how often the subject region read is the one the generator
  wrote;
- **the store on disk** (allocated bytes, as ``du`` counts them) against the corpus's UTF-8 bytes, as
  the ingest leaves it (with RocksDB's write-ahead log) and once reopened for writing (log dropped);
- **queries on the result**, in a subprocess of their own whose memory is measured too: the
  one-off networkx view build (``cached_view``), then ``compare`` (``graph.compare.overlap`` of two
  regions) and ``gaps`` (``graph.gaps.gaps`` against every other region, ``--min-peers 1`` as the
  command's default) for 20 random regions or pairs, against the same queries on the sample graph
  (the five real samples, ingested in the same run). The process is stopped if it holds more than
  ``--max-query-gb`` (8 GB by default), so that a view too big for the machine says so instead of
  exhausting its memory.

It prints one table per size and the ratios against the targets (ingest throughput per process at
least half of bare jieba's; 2 jobs at least 1.7 times 1 job; peak memory under 2 GB at 10,000
documents), with "meets" or "misses" beside each, and the machine (cores, load average before each
measurement). The exit code is 0 whatever the figures; 1 only if the benchmark itself could not run
(an ingest that failed outright). ``--profile K`` also runs one job's ingest of K documents under
cProfile and says where the time goes (recognition, RDF building, store writes …).

Each ingest row also gives the documents per second over the first and over the last tenth of the
documents: equal if a document costs the same whatever the store holds, lower at the end if each
document costs more as the store grows. ``--max-minutes M`` stops an ingest run after M minutes
(SIGTERM to its process group; what was written stays, as after any interrupted ingest) and
reports the figures of the documents it did, so that a size too big for the time at hand still
says something.

Usage::

    python benchmarks/ingest.py [--sizes 1000,10000] [--seed 7] [--samples 20] [--profile 100]
                                [--max-minutes M] [--max-query-gb G] [--workdir DIR] [--keep]
                                [--json PATH]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import pstats
import random
import re
import shutil
import signal
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

from synthetic_plans import PlanCorpus  # noqa: E402

GB = 1024 ** 3
MB = 1024 ** 2
JIEBA_RATIO_TARGET = 0.5
JOBS_RATIO_TARGET = 1.7
MEMORY_TARGET = 2 * GB
MEMORY_TARGET_SIZE = 10_000
POLL_S = 0.2
REGIONKG = [sys.executable, "-m", "regionkg"]
LINE_RE = re.compile(r"^(added|replaced|unchanged|rejected|skipped)\s+(\S.*?)\s{2}(.*)$")


# -- the machine ----------------------------------------------------------------------------------


def load() -> float:
    return os.getloadavg()[0]


def machine() -> dict:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = 0
    try:
        mem = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1)) * 1024
    except (OSError, AttributeError):
        pass
    versions = {}
    for name in ("jieba", "spacy", "pyoxigraph", "rdflib", "networkx"):
        try:
            from importlib.metadata import version

            versions[name] = version(name)
        except Exception:  # noqa: BLE001 - a missing package is just not listed
            pass
    git = {}

    def run(*a):
        return subprocess.run(["git", *a], cwd=ROOT, capture_output=True, text=True).stdout.strip()

    try:
        git["commit"] = run("rev-parse", "--short", "HEAD")
        git["changed"] = sorted({line[3:] for line in run("status", "--porcelain").splitlines()
                                 if not line[3:].startswith("benchmarks/")})
    except OSError:
        pass
    return {"cpus": os.cpu_count(), "cpu_model": model, "memory_bytes": mem,
            "python": platform.python_version(), "load_average": list(os.getloadavg()), "versions": versions,
            "git": git}


# -- running a command and watching its process tree ---------------------------------------------


def _pss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def _count_lines(path: Path) -> int:
    try:
        with open(path, "rb") as f:
            return sum(chunk.count(b"\n") for chunk in iter(lambda: f.read(1 << 20), b""))
    except OSError:
        return 0


def run_watched(cmd: list[str], stdout: Path, stderr: Path, env: dict | None = None,
                max_s: float | None = None, max_rss: int | None = None) -> dict:
    """Run ``cmd`` to its end (or stop it after ``max_s`` seconds, or once its process tree holds
    more than ``max_rss`` bytes); wall clock, exit code, the memory of its process tree and its
    progress (report lines written) over time.

    ``tree_rss``: the largest sum of the resident sets of the process and all its descendants seen
    at one poll (every 0.2 s); ``tree_pss``: the same with proportional sets (shared pages counted
    once; read every fifth poll, as reading them costs more); ``largest``: the kernel's high-water
    mark of the largest single process of the tree (``ru_maxrss`` of ``wait4``, exact, not
    polled); ``processes``: the most alive at once; ``progress``: (seconds, lines) every second;
    ``stopped``: why it was stopped ("time" or "memory": its process group was sent SIGTERM, and
    SIGKILL 10 s later if it had not ended), or None.
    """
    import psutil

    started = time.perf_counter()
    with open(stdout, "wb") as out, open(stderr, "wb") as err:
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, stdin=subprocess.DEVNULL, env=env, cwd=ROOT,
                                start_new_session=True)
    top = psutil.Process(proc.pid)
    tree_rss = tree_pss = procs = 0
    progress, polls, stopped, stopped_at = [(0.0, 0)], 0, None, 0.0
    try:
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            elapsed = time.perf_counter() - started
            if stopped and elapsed - stopped_at > 10:
                os.killpg(proc.pid, signal.SIGKILL)
            if max_s is not None and elapsed > max_s and not stopped:
                stopped, stopped_at = "time", elapsed
                os.killpg(proc.pid, signal.SIGTERM)  # the command's own group: it and its workers
            try:
                tree = [top] + top.children(recursive=True)
            except psutil.NoSuchProcess:
                tree = []
            rss = pss = 0
            for p in tree:
                try:
                    rss += p.memory_info().rss
                    if polls % 5 == 0:
                        pss += _pss(p.pid)
                except psutil.NoSuchProcess:
                    pass
            tree_rss, procs = max(tree_rss, rss), max(procs, len(tree))
            tree_pss = max(tree_pss, pss)
            if max_rss is not None and rss > max_rss and not stopped:
                stopped, stopped_at = "memory", elapsed
                os.killpg(proc.pid, signal.SIGTERM)
            if polls % 5 == 0:
                progress.append((elapsed, _count_lines(stdout)))
            polls += 1
            time.sleep(POLL_S)
    except BaseException:  # the benchmark itself interrupted: end the command and its workers too
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait()
        raise
    wall = time.perf_counter() - started
    progress.append((wall, _count_lines(stdout)))
    proc.returncode = os.waitstatus_to_exitcode(status)
    return {"wall_s": wall, "returncode": proc.returncode, "tree_rss": tree_rss, "tree_pss": tree_pss,
            "largest": usage.ru_maxrss * 1024, "processes": procs, "progress": progress, "stopped": stopped}


def rate_by_tenth(progress: list[tuple[float, int]], total: int) -> tuple[float, float] | None:
    """Documents per second over the first tenth of ``total`` documents (timed from the first
    report line, so that start-up is not in it) and over the last tenth."""
    if total < 20 or len(progress) < 3:
        return None

    def when(n):  # the first poll at which at least n lines were written
        return next((t for t, lines in progress if lines >= n), None)

    tenth = total // 10
    t0, t1, t9, t10 = when(1), when(tenth + 1), when(total - tenth), when(total)
    if None in (t0, t1, t9, t10) or t1 <= t0 or t10 <= t9:
        return None
    return tenth / (t1 - t0), tenth / (t10 - t9)


def has_jobs_option() -> bool:
    help_text = subprocess.run(REGIONKG + ["ingest", "--help"], capture_output=True, text=True, cwd=ROOT,
                               env=dict(os.environ, COLUMNS="200", NO_COLOR="1")).stdout
    return "--jobs" in help_text


def ingest_command(folder: Path, store: Path, jobs: int | None) -> list[str]:
    return REGIONKG + ["ingest", str(folder), "--store", str(store)] + ([] if jobs is None else ["--jobs", str(jobs)])


def parse_report(stdout: Path, stderr: Path) -> dict:
    """Statuses, facts and subjects of the report lines; the command's own summary line."""
    statuses: dict[str, int] = {}
    facts, subjects, reasons = 0, {}, {}
    for line in stdout.read_text(encoding="utf-8", errors="replace").splitlines():
        m = LINE_RE.match(line)
        if not m:
            continue
        status, path, detail = m.groups()
        statuses[status] = statuses.get(status, 0) + 1
        if status in ("added", "replaced"):
            fm = re.search(r"^(.*): (\d+) facts", detail)
            if fm:
                subjects[Path(path).name] = fm.group(1)
                facts += int(fm.group(2))
        elif status == "rejected":
            reasons[detail] = reasons.get(detail, 0) + 1
    summary = ""
    inside_s = None
    for line in stderr.read_text(encoding="utf-8", errors="replace").splitlines():
        m = re.search(r" in ([\d.]+) s \(", line)
        if m:
            summary, inside_s = line.strip(), float(m.group(1))
    return {"statuses": statuses, "facts": facts, "subjects": subjects, "rejected_reasons": reasons,
            "summary": summary, "inside_s": inside_s}


def disk_usage(path: Path) -> tuple[int, int, int]:
    """(allocated bytes, as ``du`` counts them; apparent bytes; allocated bytes of RocksDB's
    write-ahead logs, ``NNNNNN.log``) of every file under ``path``."""
    allocated = apparent = wal = 0
    for root, _, files in os.walk(path):
        for name in files:
            try:
                st = os.lstat(os.path.join(root, name))
            except OSError:
                continue
            allocated += st.st_blocks * 512
            apparent += st.st_size
            if re.fullmatch(r"\d+\.log", name):
                wal += st.st_blocks * 512
    return allocated, apparent, wal


def settled_size(store_path: Path) -> int:
    """The store's allocated bytes after it is opened for writing and closed again (RocksDB then
    flushes and drops the write-ahead log that the ingest left behind)."""
    from graph.store import Store

    Store(store_path).close()
    return disk_usage(store_path)[0]


# -- the measurements -----------------------------------------------------------------------------


def jieba_floor(files: list[Path]) -> dict:
    """Bare jieba over every file's text: a fresh tokenizer, its dictionary load timed apart."""
    import jieba

    jieba.setLogLevel(60)
    tokenizer = jieba.Tokenizer()
    started = time.perf_counter()
    tokenizer.initialize()
    load_s = time.perf_counter() - started
    chars = tokens = 0
    spent = 0.0
    for path in files:
        text = path.read_text(encoding="utf-8")
        started = time.perf_counter()
        words = tokenizer.lcut(text)
        spent += time.perf_counter() - started
        chars += len(text)
        tokens += len(words)
    return {"load_s": load_s, "seconds": spent, "chars": chars, "tokens": tokens, "chars_per_s": chars / spent}


def startup(tiny: Path, work: Path, jobs: int | None, runs: int = 3) -> dict:
    """The fixed cost: ``regionkg ingest`` of two tiny documents (so that two workers start) into a
    fresh store, median of ``runs``; and the size of such a store (the vocabulary, RocksDB's files)."""
    walls, size = [], 0
    for k in range(runs):
        store = work / f"store-startup-{jobs}-{k}"
        r = run_watched(ingest_command(tiny, store, jobs), work / "startup.out", work / "startup.err")
        if r["returncode"] != 0:
            raise SystemExit(f"regionkg ingest of a tiny document failed ({r['returncode']}):\n"
                             + (work / "startup.err").read_text()[-2000:])
        walls.append(r["wall_s"])
        size = settled_size(store)
        shutil.rmtree(store, ignore_errors=True)
    return {"median_s": statistics.median(walls), "runs_s": walls, "store_bytes": size}


def ingest_run(folder: Path, store: Path, jobs: int | None, work: Path, tag: str,
               max_s: float | None = None) -> dict:
    """``regionkg ingest folder`` watched; for a run stopped at ``max_s``, the figures of the
    documents it reported (``docs``, ``chars``)."""
    out, err = work / f"{tag}.out", work / f"{tag}.err"
    load_before = load()
    cmd = ingest_command(folder, store, jobs)
    r = run_watched(cmd, out, err, env=dict(os.environ, PYTHONUNBUFFERED="1"), max_s=max_s)
    r.update(parse_report(out, err))
    r["load_before"] = load_before
    r["command"] = " ".join(["regionkg"] + cmd[len(REGIONKG):])
    r["store_bytes"], r["store_apparent_bytes"], r["store_wal_bytes"] = disk_usage(store)
    if r["returncode"] not in (0, 1) and not r["stopped"]:  # 1: a file was rejected, as the report says
        raise SystemExit(f"{r['command']} failed with exit code {r['returncode']}:\n{err.read_text()[-3000:]}")
    files = sorted(folder.glob("*.txt"))
    r["docs"] = sum(r["statuses"].values())
    done = files[:r["docs"]] if r["stopped"] else []
    r["chars"] = sum(len(p.read_text(encoding="utf-8")) for p in done) if r["stopped"] else None
    r["bytes"] = sum(p.stat().st_size for p in done) if r["stopped"] else None
    r["rate_by_tenth"] = rate_by_tenth(r["progress"], r["docs"] if r["stopped"] else len(files))
    return r


def query_latency(store_path: Path, samples: int, seed: int, min_peers: int) -> dict:
    """One-off view build, then compare and gaps for ``samples`` random pairs / regions (ms)."""
    from graph.compare import overlap
    from graph.gaps import gaps
    from graph.regions import select_regions
    from graph.store import Store
    from graph.views import cached_view, region_industry_view

    with Store(store_path, read_only=True) as kg:
        started = time.perf_counter()
        G = cached_view(kg)
        view_s = time.perf_counter() - started
        started = time.perf_counter()
        cached_view(kg)
        cached_ms = (time.perf_counter() - started) * 1000
    started = time.perf_counter()
    region_industry_view(G, "stated")
    ri_s = time.perf_counter() - started
    regions = select_regions(G)
    rng = random.Random(seed)
    pairs = [tuple(rng.sample(regions, 2)) for _ in range(samples)]
    singles = [rng.choice(regions) for _ in range(samples)]
    compare_ms, gaps_ms = [], []
    for a, b in pairs:
        started = time.perf_counter()
        overlap(G, [a, b])
        compare_ms.append((time.perf_counter() - started) * 1000)
    for r in singles:
        started = time.perf_counter()
        gaps(G, r, min_peers=min_peers)
        gaps_ms.append((time.perf_counter() - started) * 1000)
    out = {"regions": len(regions), "nodes": G.number_of_nodes(), "edges": G.number_of_edges(),
           "view_s": view_s, "view_cached_ms": cached_ms, "region_industry_s": ri_s,
           "compare_ms": compare_ms, "gaps_ms": gaps_ms}
    cached_view.cache_clear()
    return out


def watched_queries(store_path: Path, args, work: Path, tag: str) -> dict:
    """:func:`query_latency` in a watched subprocess (its memory measured, and capped at
    ``--max-query-gb``: a view too big for the machine is stopped, not left to exhaust it)."""
    out = work / f"{tag}.json"
    cmd = [sys.executable, str(Path(__file__).resolve()), "--query-store", str(store_path), "--query-out", str(out),
           "--samples", str(args.samples), "--seed", str(args.seed + 1), "--min-peers", str(args.min_peers)]
    r = run_watched(cmd, work / f"{tag}.stdout", work / f"{tag}.stderr", max_rss=int(args.max_query_gb * GB))
    q = json.loads(out.read_text()) if r["returncode"] == 0 and out.exists() else {}
    q.update({"process_wall_s": r["wall_s"], "peak_rss": r["tree_rss"], "largest": r["largest"],
              "stopped": r["stopped"], "returncode": r["returncode"]})
    if not r["stopped"] and r["returncode"] != 0:
        q["error"] = (work / f"{tag}.stderr").read_text(errors="replace")[-2000:]
    return q


# -- where the time goes -------------------------------------------------------------------------

#: Parts of an ingest, each the cumulative time of the functions named (file name, function name).
#: Indented parts are inside the part above them.
PARTS = [
    ("pipeline build (spaCy, taught jieba, vocabularies), once", [("recognise/config.py", "build_pipeline")]),
    ("reading files (decode, hash)", [("read.py", "read_source"), ("batch.py", "_file_sha256")]),
    ("cleaning (boilerplate marked)", [("clean.py", "clean")]),
    ("subject region and year", [("subject/region.py", "find_subject"), ("subject/year.py", "find_year")]),
    ("recognition: the spaCy pipeline over the text", [("extract.py", "_recognise")]),
    ("  of it: jieba segmentation (every call)", [("jieba/__init__.py", "cut")]),
    ("facts from mentions, aliases merged", [("extract.py", "_facts"), ("extract.py", "_merge_aliases")]),
    ("RDF building (ingest.rdf.to_rdf)", [("rdf.py", "to_rdf")]),
    ("N-Triples serialisation (rdflib)", [("rdflib/graph.py", "serialize")]),
    ("store look-ups (has_document, find_documents)", [("store.py", "has_document"), ("store.py", "find_documents")]),
    ("store writes (Oxigraph load, one transaction a document)",
     [("store.py", "add_ntriples"), ("store.py", "add_document")]),
]


def profile_ingest(corpus: PlanCorpus, k: int, work: Path) -> dict:
    """One job's ``regionkg ingest`` of ``k`` documents under cProfile; cumulative time per part."""
    import io

    folder = work / f"profile-{k}"
    shutil.rmtree(folder, ignore_errors=True)
    corpus.write(k, folder)
    store, prof = work / "store-profile", work / "ingest.prof"
    shutil.rmtree(store, ignore_errors=True)
    cmd = [sys.executable, "-m", "cProfile", "-o", str(prof), "-m", "regionkg", "ingest", str(folder),
           "--store", str(store)]
    started = time.perf_counter()
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    wall = time.perf_counter() - started
    if done.returncode not in (0, 1) or not prof.exists():
        return {"error": done.stderr[-2000:]}
    raw = pstats.Stats(str(prof)).stats  # (file, line, function) -> (cc, nc, tt, ct, callers)
    total = max(v[3] for v in raw.values())

    def cumulative(names):
        return sum(ct for (file, _, func), (_, _, _, ct, _) in raw.items()
                   if any(file.endswith(f) and func == fn for f, fn in names))

    batch = cumulative([("batch.py", "ingest_paths")])
    parts = [("start-up before the first document (imports, store open)", total - batch)]
    parts += [(label, cumulative(names)) for label, names in PARTS]
    top_level = sum(t for label, t in parts if not label.startswith(" "))
    parts.append(("other (imports at the first document, report lines …)", total - top_level))
    buffer = io.StringIO()
    pstats.Stats(str(prof), stream=buffer).sort_stats("cumulative").print_stats(30)
    shutil.rmtree(store, ignore_errors=True)
    shutil.rmtree(folder, ignore_errors=True)
    return {"documents": k, "wall_s": wall, "profiled_total_s": total, "batch_s": batch, "parts": parts,
            "top": buffer.getvalue(),
            "command": f"python -m cProfile -o ingest.prof -m regionkg ingest <{k} documents> --store S"}


# -- the report ------------------------------------------------------------------------------------


def verdict(ok: bool) -> str:
    return "meets" if ok else "misses"


def fmt_mb(b: int) -> str:
    return f"{b / MB:,.0f}"


def print_size(n: int, info: dict, floor: dict, runs: dict, start: dict, samples_run: dict, queries: dict,
               samples_queries: dict, about: list[dict], workers_note: str) -> dict:
    chars, docs = info["chars"], info["documents"]
    print(f"\n=== {n:,} documents: {chars:,} characters (median {info['chars_median']:,}, "
          f"{info['chars_min']:,}–{info['chars_max']:,} a document), {info['bytes'] / MB:,.1f} MB UTF-8; "
          f"corpus sha256 {info['sha256'][:16]}…; written in {info['generate_s']:.1f} s")
    print(f"{'':30}{'documents':>10}{'wall s':>9}{'chars/s':>10}{'docs/s':>8}{'chars/s':>10}"
          f"{'docs/s, first':>15}{'last':>6}{'load':>6}")
    print(f"{'':30}{'':>10}{'':>9}{'':>10}{'':>8}{'w/o start-up':>10}{'tenth of docs':>15}{'tenth':>6}")
    print(f"{'bare jieba (jieba.lcut)':30}{docs:10,}{floor['seconds']:9.1f}{floor['chars_per_s']:10,.0f}"
          f"{docs / floor['seconds']:8.1f}{'':10}{'':15}{'':6}{floor['load_before']:6.2f}")
    figures = {}
    for jobs, r in runs.items():
        s = start[jobs]["median_s"]
        r_chars, r_docs = (r["chars"], r["docs"]) if r["stopped"] else (chars, docs)
        net = max(r["wall_s"] - s, 1e-9)
        r["chars_per_s"] = r_chars / r["wall_s"]
        r["docs_per_s"] = r_docs / r["wall_s"]
        r["chars_per_s_net"] = r_chars / net
        r["startup_s"] = s
        label = f"regionkg ingest --jobs {jobs}" if jobs else "regionkg ingest (no --jobs)"
        tenths = r["rate_by_tenth"]
        first, last = (f"{tenths[0]:15.1f}", f"{tenths[1]:6.1f}") if tenths else (f"{'':15}", f"{'':6}")
        print(f"{label:30}{r_docs:10,}{r['wall_s']:9.1f}{r['chars_per_s']:10,.0f}{r['docs_per_s']:8.1f}"
              f"{r['chars_per_s_net']:10,.0f}{first}{last}{r['load_before']:6.2f}"
              + (f"  stopped at {r['wall_s'] / 60:.0f} min (--max-minutes)" if r["stopped"] else ""))
    print(f"{'peak memory, MB':30}{'tree RSS':>10}{'tree PSS':>10}{'largest':>9}{'processes':>11}")
    for jobs, r in runs.items():
        label = f"regionkg ingest --jobs {jobs}" if jobs else "regionkg ingest (no --jobs)"
        print(f"{label:30}{fmt_mb(r['tree_rss']):>10}{fmt_mb(r['tree_pss']):>10}{fmt_mb(r['largest']):>9}"
              f"{r['processes']:11d}")
    if workers_note:
        print(workers_note)
    print("start-up (median of 3, two tiny documents, fresh store): "
          + ", ".join(f"{'--jobs ' + str(j) if j else 'no --jobs'} {v['median_s']:.2f} s" for j, v in start.items())
          + f"; jieba's dictionary load {floor['load_s']:.2f} s (not counted in its figure)")

    # What ingest made of it.
    one = runs[next(iter(runs))]
    one_docs, one_chars, one_bytes = (one["docs"], one["chars"], one["bytes"]) if one["stopped"] else \
        (docs, chars, info["bytes"])
    statuses = ", ".join(f"{v:,} {k}" for k, v in one["statuses"].items())
    as_written = sum(1 for a in about if one["subjects"].get(a["file"]) == a["subject"])
    density = one["facts"] / one_chars * 1000
    sample_density = samples_run["facts"] / samples_run["chars"] * 1000
    print(f"report lines ({'--jobs ' + str(next(iter(runs))) if next(iter(runs)) else 'ingest'}): {statuses}; "
          f"{one['facts']:,} facts ({density:.1f} per 1,000 characters; the 5 samples {sample_density:.1f}); "
          f"subject region as generated in {as_written:,} of {one_docs:,}")
    for jobs, r in runs.items():
        if r is not one and (r["statuses"] != one["statuses"] or r["facts"] != one["facts"]):
            print(f"  note: --jobs {jobs} reported {r['statuses']} and {r['facts']:,} facts")
        for reason, count in sorted(r["rejected_reasons"].items(), key=lambda x: -x[1])[:5]:
            print(f"  --jobs {jobs} rejected {count}×: {reason}")
        if sum(r["statuses"].get(k, 0) for k in ("added", "replaced")) < 0.9 * r["docs"]:
            print(f"  WARNING: --jobs {jobs} did not add most documents: its figures measure rejections, not ingest")
    after, settled = one["store_bytes"], one["store_settled_bytes"]
    base = start[next(iter(start))]["store_bytes"]
    print(f"store on disk as the ingest leaves it: {after / MB:,.0f} MB ({after / one_bytes:.1f}× the "
          f"documents' UTF-8 bytes), of which {one['store_wal_bytes'] / MB:,.0f} MB RocksDB write-ahead log; once "
          f"reopened for writing (log flushed and dropped): {settled / MB:,.0f} MB, {settled / one_bytes:.1f}× the "
          f"documents, {(settled - base) / one_docs / 1024:,.0f} KB a document above an almost empty store "
          f"({base / MB:,.0f} MB: the vocabulary); the sample store {samples_run['store_settled_bytes'] / MB:,.0f} MB")

    # Queries on the result, against the sample graph.
    if "view_s" not in queries:
        why = (f"stopped: its memory passed the --max-query-gb cap ({queries['peak_rss'] / GB:.1f} GB) after "
               f"{queries['process_wall_s']:.0f} s" if queries.get("stopped") == "memory" else
               f"failed (exit code {queries.get('returncode')}): {queries.get('error', '')[-300:]}")
        print(f"queries on the {one_docs:,}-document store: the query process (networkx view build, then compare "
              f"and gaps) {why}; no latency measured")
    else:
        print(f"queries on the {one_docs:,}-document store ({queries['regions']:,} regions; view "
              f"{queries['nodes']:,} nodes, {queries['edges']:,} edges): one-off view build {queries['view_s']:.1f} s "
              f"(then {queries['view_cached_ms']:.0f} ms from the cache), "
              f"region–industry graph {queries['region_industry_s']:.2f} s; the query process's peak "
              f"{queries['peak_rss'] / MB:,.0f} MB [sample graph: view {samples_queries['view_s']:.2f} s, "
              f"peak {samples_queries['peak_rss'] / MB:,.0f} MB]")
        print(f"{'':34}{'ms median':>10}{'max':>9}{'sample graph median':>21}{'max':>9}{'ratio':>8}")
        for name, key in (("compare (overlap of 2 regions)", "compare_ms"), ("gaps (all peers, k=1)", "gaps_ms")):
            m, mx = statistics.median(queries[key]), max(queries[key])
            sm, smx = statistics.median(samples_queries[key]), max(samples_queries[key])
            print(f"{name:34}{m:10.2f}{mx:9.2f}{sm:21.2f}{smx:9.2f}{m / sm:7.1f}x")

    # Ratios against the targets.
    print("ratios:")
    j1 = runs.get(1) or runs.get(None)
    ratio_net = j1["chars_per_s_net"] / floor["chars_per_s"]
    ratio_gross = j1["chars_per_s"] / floor["chars_per_s"]
    print(f"  ingest 1 job ÷ bare jieba (chars/s, start-up excluded)   {ratio_net:6.2f}   "
          f"target ≥ {JIEBA_RATIO_TARGET}  {verdict(ratio_net >= JIEBA_RATIO_TARGET)}   "
          f"(with start-up {ratio_gross:.2f})")
    ratio_jobs = None
    if 2 in runs:
        per_process = runs[2]["chars_per_s_net"] / 2 / floor["chars_per_s"]
        print(f"  ingest 2 jobs per process ÷ bare jieba                    {per_process:6.2f}   "
              f"(the same target read per process) {verdict(per_process >= JIEBA_RATIO_TARGET)}")
        ratio_jobs = runs[2]["chars_per_s_net"] / runs[1]["chars_per_s_net"]
        ratio_jobs_gross = runs[1]["wall_s"] / runs[2]["wall_s"]
        print(f"  2 jobs ÷ 1 job (chars/s, start-up excluded)               {ratio_jobs:6.2f}×  "
              f"target ≥ {JOBS_RATIO_TARGET}×  {verdict(ratio_jobs >= JOBS_RATIO_TARGET)}   "
              f"(with start-up {ratio_jobs_gross:.2f}×)")
    else:
        print("  2 jobs ÷ 1 job: not measured — this regionkg ingest has no --jobs option")
    peak = max(r["tree_rss"] for r in runs.values())
    which = max(runs, key=lambda j: runs[j]["tree_rss"])
    notes = [] if n >= MEMORY_TARGET_SIZE else [f"the target is for {MEMORY_TARGET_SIZE:,} documents"]
    partial = runs[which]["stopped"]
    if partial:  # a stopped run's peak is a floor of the whole run's
        notes.append(f"the run was stopped after {runs[which]['docs']:,} documents: its peak so far")
    ok = peak < MEMORY_TARGET
    print(f"  peak memory, process tree RSS sum (--jobs {which})          {peak / GB:6.2f} GB target < 2 GB  "
          f"{verdict(ok)}{' so far' if ok and partial else ''}" + (f"   ({'; '.join(notes)})" if notes else ""))
    figures.update({"jieba_ratio": ratio_net, "jieba_ratio_with_startup": ratio_gross, "jobs_ratio": ratio_jobs,
                    "peak_tree_rss": peak, "subjects_as_written": as_written, "facts_per_1000_chars": density,
                    "sample_facts_per_1000_chars": sample_density})
    return figures


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000", help="corpus sizes, comma-separated (default 1000,10000)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--samples", type=int, default=20, help="region pairs (and regions) timed per query")
    parser.add_argument("--min-peers", type=int, default=1, help="k of the gaps query (the command's default, 1)")
    parser.add_argument("--profile", type=int, default=0, metavar="K",
                        help="also profile one job's ingest of K documents with cProfile")
    parser.add_argument("--max-minutes", type=float, default=0, metavar="M",
                        help="stop an ingest run after M minutes and report the documents it did (default: no limit)")
    parser.add_argument("--max-query-gb", type=float, default=8.0, metavar="G",
                        help="stop the query process (view build, compare, gaps) above G GB (default 8)")
    parser.add_argument("--query-store", type=Path, help=argparse.SUPPRESS)  # the query subprocess
    parser.add_argument("--query-out", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--workdir", type=Path, help="write corpora and stores here (default: a temporary folder)")
    parser.add_argument("--keep", action="store_true", help="keep the corpora and stores")
    parser.add_argument("--json", type=Path, help="write the figures to this file")
    args = parser.parse_args(argv)
    if args.query_store:
        figures = query_latency(args.query_store, args.samples, args.seed, args.min_peers)
        args.query_out.write_text(json.dumps(figures) + "\n")
        return 0
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    sys.stdout.reconfigure(line_buffering=True)  # a long run's log shows each line as it comes
    # A terminated benchmark still writes its figures so far and removes its work folder.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))

    began = time.perf_counter()
    info_machine = machine()
    print(f"machine: {info_machine['cpus']} CPUs ({info_machine['cpu_model'] or 'unknown model'}), "
          f"{info_machine['memory_bytes'] / GB:.0f} GB memory, Python {info_machine['python']}; "
          f"load average {' '.join(f'{x:.2f}' for x in info_machine['load_average'])} at the start; "
          + ", ".join(f"{k} {v}" for k, v in info_machine["versions"].items()))
    git = info_machine["git"]
    if git:
        print(f"regionkg at commit {git.get('commit', '?')}"
              + (f", with uncommitted changes to {', '.join(git['changed'])} (measured as they stood)"
                 if git.get("changed") else ", no uncommitted changes outside benchmarks/"))

    if args.workdir:
        args.workdir.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix="ingest-bench-", dir=args.workdir))
    else:
        work = Path(tempfile.mkdtemp(prefix="regionkg-ingest-bench-"))
    print(f"work folder: {work}{' (kept)' if args.keep else ' (removed at the end)'}")
    result = {"machine": info_machine, "seed": args.seed, "sizes": {}, "work": str(work)}
    try:
        return _run(args, sizes, work, result, began)
    finally:
        if save(args, result):
            print(f"\nfigures written to {args.json}")
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


def save(args, result: dict) -> bool:
    if args.json:
        args.json.write_text(json.dumps(result, ensure_ascii=False, indent=2, default=str) + "\n", encoding="utf-8")
    return bool(args.json)


def _run(args, sizes, work: Path, result: dict, began: float) -> int:
    started = time.perf_counter()
    corpus = PlanCorpus(args.seed)
    slots = corpus.slot_counts()
    print(f"generator: {len(corpus.shapes):,} sentence shapes from data/samples, slots "
          + ", ".join(f"{v} {k}" for k, v in slots.items()) + f"; ready in {time.perf_counter() - started:.1f} s")

    jobs_available = has_jobs_option()
    job_list = [1, 2] if jobs_available else [None]
    workers_note = "" if jobs_available else \
        "  2 jobs: not available (regionkg ingest --help shows no --jobs option); measured 1 process only"
    print("regionkg ingest --jobs: " + ("available, measuring 1 and 2 jobs" if jobs_available
                                        else "NOT available in this regionkg; measuring one process only"))

    # The fixed start-up cost, and the sample corpus as the real-text reference.
    tiny = work / "tiny"
    tiny.mkdir()
    for i in (0, 1):  # a title, a date and one sentence of documents 0 and 1
        _, text, _ = corpus.document(i)
        lines = text.split("\n")
        (tiny / f"tiny-{i}.txt").write_text("\n".join(lines[:4]) + lines[4][:120] + "\n", encoding="utf-8")
    start = {j: startup(tiny, work, j) for j in job_list}
    print("start-up: " + ", ".join(f"{'--jobs ' + str(j) if j else 'ingest'} {v['median_s']:.2f} s "
                                   f"(runs {', '.join(f'{x:.2f}' for x in v['runs_s'])})" for j, v in start.items()))
    samples_store = work / "store-samples"
    samples_run = ingest_run(ROOT / "data" / "samples", samples_store, job_list[0], work, "samples")
    samples_run["chars"] = sum(len(p.read_text(encoding="utf-8-sig"))
                               for p in sorted((ROOT / "data" / "samples").glob("*.txt")))
    samples_queries = watched_queries(samples_store, args, work, "queries-samples")
    samples_run["store_settled_bytes"] = settled_size(samples_store)
    print(f"sample corpus (5 real documents, {samples_run['chars']:,} characters): {samples_run['summary']}; "
          f"wall {samples_run['wall_s']:.1f} s")
    result["startup"] = start
    result["samples"] = {k: v for k, v in samples_run.items() if k != "subjects"}
    result["samples"]["queries"] = samples_queries

    for n in sizes:
        t0 = time.perf_counter()
        folder = work / f"corpus-{n}"
        started = time.perf_counter()
        info = corpus.write(n, folder, manifest=work / f"corpus-{n}.json")
        info["generate_s"] = time.perf_counter() - started
        files = sorted(folder.glob("*.txt"))
        info["bytes"] = sum(p.stat().st_size for p in files)
        about = info.pop("about")
        print(f"\n[{n:,}] corpus written ({info['generate_s']:.1f} s, sha256 {info['sha256']}); measuring …",
              flush=True)

        load_before = load()
        floor = jieba_floor(files)
        floor["load_before"] = load_before
        print(f"[{n:,}] bare jieba: {floor['seconds']:.1f} s, {floor['chars_per_s']:,.0f} chars/s", flush=True)
        runs = {}
        for j in job_list:
            store = work / f"store-{n}-j{j or 1}"
            runs[j] = ingest_run(folder, store, j, work, f"ingest-{n}-j{j or 1}",
                                 max_s=args.max_minutes * 60 if args.max_minutes else None)
            print(f"[{n:,}] {runs[j]['command']}: {runs[j]['wall_s']:.1f} s wall; {runs[j]['summary']}", flush=True)
        result["sizes"][str(n)] = {  # kept now, in case what follows fails
            "corpus": info, "jieba": floor,
            "ingest": {str(j or 1): {k: v for k, v in r.items() if k != "subjects"} for j, r in runs.items()}}
        save(args, result)
        queries = watched_queries(work / f"store-{n}-j{job_list[0] or 1}", args, work, f"queries-{n}")
        for j in job_list:
            runs[j]["store_settled_bytes"] = settled_size(work / f"store-{n}-j{j or 1}")
        figures = print_size(n, info, floor, runs, start, samples_run, queries, samples_queries, about, workers_note)
        took = time.perf_counter() - t0
        print(f"(this size took {took / 60:.1f} min to measure; load average now {load():.2f})", flush=True)
        result["sizes"][str(n)] = {
            "corpus": info, "jieba": floor, "queries": queries, "figures": figures, "minutes": took / 60,
            "ingest": {str(j or 1): {k: v for k, v in r.items() if k != "subjects"} for j, r in runs.items()},
        }
        save(args, result)
        if not args.keep:
            for j in job_list:
                shutil.rmtree(work / f"store-{n}-j{j or 1}", ignore_errors=True)
            shutil.rmtree(folder, ignore_errors=True)

    if args.profile:
        print(f"\n=== where one job's time goes: cProfile of regionkg ingest on {args.profile} documents", flush=True)
        prof = profile_ingest(corpus, args.profile, work)
        result["profile"] = {k: v for k, v in prof.items() if k != "top"}
        if "error" in prof:
            print("profile failed:\n" + prof["error"])
        else:
            total = prof["profiled_total_s"]
            print(f"{prof['command']}: {total:.1f} s under the profiler ({prof['wall_s']:.1f} s wall), "
                  f"{prof['batch_s']:.1f} s in ingest_paths")
            for label, seconds in prof["parts"]:
                print(f"  {label:58}{seconds:8.2f} s {seconds / total:6.1%}")
            print("top cumulative:")
            print("\n".join(prof["top"].splitlines()[:45]))

    result["load_average_end"] = list(os.getloadavg())
    print(f"\nmeasured in {(time.perf_counter() - began) / 60:.1f} min; load average at the end "
          + " ".join(f"{x:.2f}" for x in os.getloadavg()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
