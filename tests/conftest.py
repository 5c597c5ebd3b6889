"""Shared fixtures: the sample corpus, the gold files, and a store built once from the samples."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "data" / "samples"
GOLD = Path(__file__).resolve().parent / "data" / "gold"


@pytest.fixture(scope="session")
def samples() -> Path:
    return SAMPLES


@pytest.fixture(scope="session")
def gold_dir() -> Path:
    return GOLD


@pytest.fixture(scope="session")
def sample_store_path(tmp_path_factory) -> Path:
    """A store holding the five sample documents, ingested once per test session."""
    from graph.store import Store
    from ingest.batch import ingest_paths

    path = tmp_path_factory.mktemp("store") / "kg"
    with Store(path) as store:
        lines = list(ingest_paths([SAMPLES], store))
    assert [line.status for line in lines] == ["added"] * 5, [str(line) for line in lines]
    return path


#: The five reports of 驻马店市 (2010–2026) and one of 海拉尔区 (2016), to compare in one plan year.
ZHUMADIAN = sorted((Path(__file__).resolve().parent / "data" / "real" / "local").glob("0?_zhumadian_*_zfgzbg.txt"))
HAILAER_2016 = Path(__file__).resolve().parent / "data" / "real" / "local" / "23_hailaer_2016_zfgzbg.txt"


@pytest.fixture(scope="session")
def zhumadian_store_path(tmp_path_factory) -> Path:
    """A store holding 驻马店市's five government work reports and 海拉尔区's of 2016, ingested once per
    test session (about 30 s)."""
    from graph.store import Store
    from ingest.batch import ingest_paths

    assert len(ZHUMADIAN) == 5, ZHUMADIAN
    path = tmp_path_factory.mktemp("zhumadian") / "kg"
    with Store(path) as store:
        lines = list(ingest_paths([*ZHUMADIAN, HAILAER_2016], store))
    assert [line.status for line in lines] == ["added"] * 6, [str(line) for line in lines]
    return path


@pytest.fixture()
def sample_store(sample_store_path):
    """The sample store, opened for one test (read and written through rdflib)."""
    from graph.store import Store

    with Store(sample_store_path) as store:
        yield store


@pytest.fixture()
def store_copy(sample_store_path, tmp_path):
    """A private copy of the sample store that a test may change."""
    from graph.store import Store

    path = tmp_path / "kg"
    shutil.copytree(sample_store_path, path)
    with Store(path) as store:
        yield store


@pytest.fixture(scope="session")
def virtuoso(tmp_path_factory):
    """A real Virtuoso open-source server of our own (tests/virtuoso.py), started once per session on
    free loopback ports, with a user that may update over SPARQL; stopped at the end of the session.

    Skipped, with the reason, only where the Debian package virtuoso-opensource is not installed
    (scripts/ensure-virtuoso, run by `make test`, installs it); a server that is installed but does
    not start is an error.
    """
    from virtuoso import VirtuosoServer, VirtuosoUnavailable, find_binaries

    try:
        find_binaries()
    except VirtuosoUnavailable as reason:
        pytest.skip(str(reason))
    with VirtuosoServer(tmp_path_factory.mktemp("virtuoso")) as server:
        yield server
