"""The issue-13 benchmarks run (bench/search.py, bench/documents.py), at a tiny size.

Never timed: the figures are the lead's, measured at full size on a quiet machine and
reported in docs/benchmarks.md. These tests only keep the scripts working as the code they
measure changes, and check what the figures would be about (a Traditional query finds the
Simplified text; the 纪要 rendered is the length asked for)."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench"


def bench_module(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"bench_{name}", BENCH / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.django_db
def test_search_benchmark_reports_every_query_kind() -> None:
    search = bench_module("search")
    (first, second) = search.measure([20, 40], runs=1)
    assert (first["size"], second["size"]) == (20, 40)
    for result in (first, second):
        for page in ("meetings", "archive"):
            assert set(result[page]["kinds"]) == set(search.QUERY_KINDS)
            assert all(k["p50"] <= k["p95"] <= k["max"] for k in result[page]["kinds"].values())
    hits, archive = second["hits"], second["archive_hits"]
    # Both scripts find the same documents, in the meeting list and in the archive.
    assert hits["會議"] == hits["会议"] > 0 and archive["會議"] == archive["会议"] == 40
    assert hits["預算 審批"] == hits["预算 审批"]
    assert hits["不存在的词语"] == 0
    table = search.table_by_kind([first, second])
    assert "| Traditional phrase |" in table and "| 40 |" in table


@pytest.mark.skipif(not shutil.which("fc-list"), reason="fontconfig is not installed")
def test_documents_benchmark_renders_both_formats() -> None:
    documents = bench_module("documents")
    pages, items, figures = documents.measure(pages=1, runs=1)
    assert pages >= 1 and items >= 1
    assert set(figures) == {"PDF (WeasyPrint)", "DOCX (python-docx)"}
    assert "| PDF (WeasyPrint) |" in documents.table(figures)


def test_quick_options_are_offered() -> None:
    for name in ("search", "documents"):
        done = subprocess.run(
            [sys.executable, str(BENCH / f"{name}.py"), "--help"],
            capture_output=True,
            text=True,
            check=True,
        )
        assert "--quick" in done.stdout and "--size" in done.stdout
