"""The store and the command line when things go wrong (issue 12): a store missing its CURRENT file,
a store with an overwritten block, a reader beside a writer.

Every case runs the installed ``regionkg`` script in its own process, on a real Oxigraph store, as a
user does: what is checked is the exit code, what the user reads on stderr, and the files on disk.
"""

from __future__ import annotations

import shutil
import time

import pytest

from regionkg_process import data_files, error_lines, regionkg, start

#: Read commands, each as a user types it (after ``regionkg``).
READ_COMMANDS = [
    ("stats",), ("export", "--format", "nt"), ("validate",), ("compare", "宁波国家高新区", "淄博市"),
    ("profile", "淄博市"), ("gaps", "淄博市"), ("explain", "新材料"),
]

#: A bound on a command's memory for the damaged-store cases (Oxigraph can run away on a read error).
BOUNDED = {"REGIONKG_MEMORY_LIMIT_MB": "1500"}


def _copy(sample_store_path, tmp_path, name="kg"):
    path = tmp_path / name
    shutil.copytree(sample_store_path, path)
    return path


def _one_clear_line(proc, *words):
    """The process failed with exactly one line on stderr, no traceback, naming ``words``."""
    lines = error_lines(proc)
    assert proc.returncode != 0, proc.stdout[-2000:]
    assert "Traceback" not in proc.stderr, proc.stderr[-3000:]
    assert len(lines) == 1, proc.stderr[-3000:]
    for word in words:
        assert word in lines[0], lines[0]
    return lines[0]


# -- a store missing its CURRENT file --------------------------------------------------------------


def test_stats_twice_on_a_store_missing_its_current_file_keeps_every_data_file(sample_store_path, tmp_path):
    store = _copy(sample_store_path, tmp_path)
    (store / "CURRENT").unlink()
    before = data_files(store)
    for _ in range(2):  # the second run used to open it as a new empty store and delete the old files
        proc = regionkg("stats", "--store", store)
        _one_clear_line(proc, "CURRENT", str(store))
        assert proc.stdout == ""  # no counts of an empty store
        assert data_files(store) == before


@pytest.mark.parametrize("command", READ_COMMANDS, ids=lambda c: c[0])
def test_every_read_command_refuses_a_store_missing_its_current_file(sample_store_path, tmp_path, command):
    store = _copy(sample_store_path, tmp_path)
    (store / "CURRENT").unlink()
    before = data_files(store)
    _one_clear_line(regionkg(*command, "--store", store), "CURRENT")
    assert data_files(store) == before


def test_ingest_never_creates_a_store_over_the_files_of_one_missing_its_current_file(
        sample_store_path, tmp_path, samples):
    store = _copy(sample_store_path, tmp_path)
    (store / "CURRENT").unlink()
    before = data_files(store)
    _one_clear_line(regionkg("ingest", samples / "004_deeb158c161dd6a1.txt", "--store", store), "CURRENT")
    assert data_files(store) == before
    assert not (store / "CURRENT").exists()


def test_ingest_creates_a_store_only_in_an_absent_or_empty_directory(tmp_path, samples):
    from graph.store import Store, StoreError

    empty = tmp_path / "empty"
    empty.mkdir()
    with Store(empty) as kg, Store(tmp_path / "absent") as kg2:
        assert kg.stats()["documents"] == kg2.stats()["documents"] == 0
    other = tmp_path / "papers"
    other.mkdir()
    (other / "notes.txt").write_text("not a store", encoding="utf-8")
    with pytest.raises(StoreError, match="not a regionkg store"):
        Store(other)
    assert sorted(p.name for p in other.iterdir()) == ["notes.txt"]


# -- a store with an overwritten block -------------------------------------------------------------


def _tables(store) -> list:
    """The store's table files that hold data blocks (the small ones hold only properties)."""
    return sorted((p for p in store.glob("*.sst") if p.stat().st_size > 16_384),
                  key=lambda p: p.stat().st_size, reverse=True)


def _overwrite_a_block(table) -> None:
    data = bytearray(table.read_bytes())
    at = len(data) // 3
    data[at:at + 64] = b"\xff" * 64
    table.write_bytes(bytes(data))


@pytest.fixture(scope="module")
def damaged_stores(sample_store_path, tmp_path_factory):
    """One copy of the sample store per table file, each with one block of that file overwritten."""
    root = tmp_path_factory.mktemp("damaged")
    stores = []
    for i, table in enumerate(_tables(sample_store_path)):
        store = root / f"kg{i}"
        shutil.copytree(sample_store_path, store)
        _overwrite_a_block(store / table.name)
        stores.append(store)
    assert len(stores) >= 6  # one per index Oxigraph keeps (spog, posg, ospg, gspo, gpos, gosp) and its strings
    return stores


def test_stats_says_in_one_line_that_a_store_with_an_overwritten_block_is_damaged(damaged_stores):
    for store in damaged_stores:  # whichever index the block belongs to
        proc = regionkg("stats", "--store", store, env=BOUNDED)
        _one_clear_line(proc, "damaged", str(store))
        assert "documents" not in proc.stdout


@pytest.mark.parametrize("command", READ_COMMANDS[1:], ids=lambda c: c[0])
def test_every_read_command_on_a_damaged_store_ends_in_one_line_and_no_traceback(damaged_stores, command):
    for store in damaged_stores:
        proc = regionkg(*command, "--store", store, env=BOUNDED)
        if proc.returncode == 0:  # this command does not read the damaged block: its answer is whole
            continue
        _one_clear_line(proc, str(store))


@pytest.mark.parametrize("fmt,parser", [("ttl", "turtle"), ("nt", "nt"), ("trig", "trig")])
def test_export_of_a_damaged_store_writes_a_whole_file_or_none(sample_store_path, damaged_stores, tmp_path,
                                                               fmt, parser):
    from rdflib import Dataset

    def triples(path):
        ds = Dataset()
        ds.parse(path, format=parser)
        return len(ds)

    whole = tmp_path / f"whole.{fmt}"
    assert regionkg("export", "--format", fmt, "--out", whole, "--store", sample_store_path).returncode == 0
    out = tmp_path / "exports"
    out.mkdir()
    failed = 0
    for store in damaged_stores:
        proc = regionkg("export", "--format", fmt, "--out", out / f"kg.{fmt}", "--store", store, env=BOUNDED)
        if proc.returncode == 0:  # the blocks it reads (one index and the strings) are sound
            assert triples(out / f"kg.{fmt}") == triples(whole)
            (out / f"kg.{fmt}").unlink()
            continue
        failed += 1
        _one_clear_line(proc, "damaged")
        assert list(out.iterdir()) == []  # neither the file nor a temporary one
    assert failed  # a damaged block in what an export reads ends it


def test_an_export_replaces_an_older_file_only_when_it_is_whole(sample_store_path, damaged_stores, tmp_path):
    out = tmp_path / "kg.ttl"
    assert regionkg("export", "--out", out, "--store", sample_store_path).returncode == 0
    whole = out.read_bytes()
    failed = 0
    for store in damaged_stores:
        proc = regionkg("export", "--out", out, "--store", store, env=BOUNDED)
        failed += proc.returncode != 0
        assert out.read_bytes() == whole  # the old file, or the same triples written again
        assert sorted(p.name for p in tmp_path.iterdir()) == ["kg.ttl"]
    assert failed


# -- reading beside a writer -----------------------------------------------------------------------


def _corpus(samples, folder, copies: int):
    """``copies`` versions of each sample, each with its own bytes and file name."""
    folder.mkdir()
    for i in range(copies):
        for path in sorted(samples.glob("*.txt")):
            text = path.read_text(encoding="utf-8")
            (folder / f"v{i:02d}_{path.name}").write_text(f"{text}\n（第{i + 1}稿）\n", encoding="utf-8")
    return folder


def test_stats_and_export_answer_while_an_ingest_writes(samples, tmp_path):
    store, out = tmp_path / "kg", tmp_path / "kg.nt"
    readers = {"stats": ("stats", "--store", store),
               "export": ("export", "--format", "nt", "--out", out, "--store", store)}
    beside = dict.fromkeys(readers, 0)  # answers given while the writer was still writing
    writer = start("ingest", _corpus(samples, tmp_path / "corpus", 8), "--store", store)
    try:
        first = writer.stdout.readline()  # one document is written: the store exists, its writer holds the lock
        assert first.startswith("added"), first + writer.stderr.read()
        while writer.poll() is None and not all(beside.values()):
            for name, command in readers.items():
                proc = regionkg(*command)
                still_writing = writer.poll() is None
                assert proc.returncode == 0, proc.stderr
                beside[name] += still_writing
        assert "documents" in proc.stdout or out.stat().st_size > 0
        assert all(beside.values()), f"the ingest ended before each reader ran beside it: {beside}"
    finally:
        if writer.poll() is None:
            writer.kill()
        writer.communicate(timeout=60)
