"""Input the batch cannot read keeps its own report line (issue 12): a folder that cannot be listed
is reported with the reason and fails the batch, and a file name holding a line break stays on one
report line."""

from __future__ import annotations

import os
import shutil

import pytest

from ingest.batch import ingest_paths
from regionkg_process import regionkg

SAMPLE = "004_deeb158c161dd6a1.txt"


def _unlistable_folder(parent) -> str:
    """A folder under ``parent`` that no process can list, root included: its path is longer than
    the system allows (PATH_MAX), so reading it fails with ENAMETOOLONG. Built one level at a time
    from a descriptor of the level above, since no path of it can be named whole."""
    limit = os.pathconf(parent, "PC_PATH_MAX")
    name = "d" * 200
    fd, depth = os.open(parent, os.O_RDONLY), 0
    try:
        while len(str(parent)) + depth * (len(name) + 1) <= limit + len(name):
            os.mkdir(name, dir_fd=fd)
            deeper = os.open(name, os.O_RDONLY, dir_fd=fd)
            os.close(fd)
            fd, depth = deeper, depth + 1
    finally:
        os.close(fd)
    return os.path.join(str(parent), *[name] * depth)


def test_a_folder_that_cannot_be_listed_gets_a_report_line_and_fails_the_batch(tmp_path, samples):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(samples / SAMPLE, corpus / SAMPLE)
    deep = _unlistable_folder(corpus)
    with pytest.raises(OSError):
        os.listdir(deep)
    proc = regionkg("ingest", corpus, "--store", tmp_path / "kg")
    assert proc.returncode == 1, proc.stderr  # as for any other file the batch could not take
    lines = proc.stdout.splitlines()
    assert len(lines) == 2, proc.stdout[:2000]
    assert lines[0].startswith("added") and SAMPLE in lines[0]
    assert lines[1].startswith("rejected") and "cannot list folder (File name too long)" in lines[1]
    assert "1 added, 1 rejected" in proc.stderr


def test_an_unreadable_subfolder_gets_a_report_line(tmp_path, samples):
    corpus = tmp_path / "corpus"
    (corpus / "locked").mkdir(parents=True)
    shutil.copy(samples / SAMPLE, corpus / "locked" / SAMPLE)
    (corpus / "notes.md").write_text("# notes", encoding="utf-8")
    os.chmod(corpus / "locked", 0)
    try:
        if os.geteuid() == 0 and os.access(corpus / "locked", os.R_OK):
            pytest.skip("run as root, who reads a chmod 000 folder anyway (the folder whose path is "
                        "too long above is the case root cannot read)")
        lines = list(ingest_paths([corpus], store=None))  # nothing to store: the store is not asked
    finally:
        os.chmod(corpus / "locked", 0o755)
    assert [(line.path.name, line.status) for line in lines] == [("locked", "rejected"), ("notes.md", "skipped")]
    assert "cannot list folder (Permission denied)" in lines[0].reason


def test_a_file_name_with_a_line_break_keeps_one_report_line(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "plan\nadded    forged.txt").write_bytes(b"")  # empty: rejected, no recognition needed
    (corpus / "notes\r\n.md").write_text("# notes", encoding="utf-8")  # skipped
    proc = regionkg("ingest", corpus, "--store", tmp_path / "kg")
    assert proc.returncode == 1
    lines = proc.stdout.splitlines()
    assert len(lines) == 2, proc.stdout
    assert lines[0].startswith("skipped") and "notes\\r\\n.md" in lines[0]
    assert lines[1].startswith("rejected") and "plan\\nadded    forged.txt  empty file" in lines[1]
