"""Chinese full-text search benchmark: the meeting list and the archive at 10,000 and 100,000 documents.

    .venv/bin/python bench/search.py                 # temp SQLite; PostgreSQL too if
                                                     # BENCH_DATABASE_URL / DATABASE_URL is one,
                                                     # else a throwaway cluster (bench/run.py)
    .venv/bin/python bench/search.py --sizes 2000,20000   # other sizes (--size N: one)
    .venv/bin/python bench/search.py --quick          # a smoke run: 60 documents, SQLite

Generates N meetings (title, place, goals, description: sentences of office Chinese, some in
Traditional script) and N archived documents (title, file name, ~300 characters of extracted
text) with their search index rows, then times the search as the pages run it, in-process:
the count (up to 1000, then "more than 1000"), the first page of 20 and its highlighted snippets, for a mix of queries (a common
two-character word, rarer phrases, a Traditional query over Simplified text, two terms, a
miss), reported as p50/p95 per kind of query (Simplified and Traditional queries apart) and
over all of them. The data grows from the first size to the second in the same database, so the growth
is measured on one index. Figures (p50/p95, ms) go to docs/benchmarks.md (## Search).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlparse

HERE = Path(__file__).resolve().parent
# By kind, so a slow kind is not hidden in the mix. Most generated text is Simplified (a
# fifth of the subjects are Traditional): a Traditional query must find Simplified text
# through the normalisation (ADR 0018), and the reverse.
QUERY_KINDS: dict[str, list[str]] = {
    "common word": ["会议", "會議"],
    "Simplified phrase": ["网络升级", "应急演练", "会议纪要"],
    "Traditional phrase": ["網絡升級", "檔案管理", "紀要"],
    "two terms": ["预算 审批", "預算 審批"],
    "miss": ["不存在的词语"],
}
QUERIES = [q for qs in QUERY_KINDS.values() for q in qs]
RUNS = 15
QUICK_SIZES = "60"
QUICK_RUNS = 2
TARGET_MS = 100

SUBJECTS = [
    "年度档案管理工作",
    "网络升级改造",
    "安全生产检查",
    "财务预算审批",
    "人事招聘计划",
    "信息化建设推进",
    "应急演练总结",
    "教学质量评估",
    "科研项目申报",
    "后勤保障协调",
    "党建工作部署",
    "疫情防控常态化",
    "合同审查",
    "采购招标评审",
    "数据中心迁移",
    "會議紀要審閱",
    "網絡安全檢查",
    "檔案數字化",
    "學術委員會",
    "財務決算報告",
]
KINDS = ["会议", "专题会", "办公会", "协调会", "推进会", "座谈会", "评审会", "工作会议"]
PLACES = ["信息中心二楼报告厅", "行政楼三楼会议室", "图书馆报告厅", "第一会议室", "線上會議"]
SENTENCES = [
    "请各部门负责人准时参加。",
    "会议听取了有关工作情况的汇报。",
    "会议研究部署了下一阶段的重点任务。",
    "与会人员围绕方案进行了充分讨论。",
    "会后请于三个工作日内报送书面意见。",
    "会议要求各单位加强协作配合。",
    "形成会议纪要并印发各单位。",
    "请做好会场布置和签到工作。",
    "相关材料已上传至系统。",
    "會議強調要壓實責任、狠抓落實。",
    "請各單位按時報送材料。",
    "进一步完善预算管理制度。",
    "确保网络升级期间业务不中断。",
    "开展应急演练并总结经验。",
    "推进档案数字化和规范化管理。",
]


def child() -> None:
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    sizes = [int(x) for x in os.environ["SEARCH_BENCH_SIZES"].split(",")]
    runs = int(os.environ.get("SEARCH_BENCH_RUNS", RUNS))
    print("RESULT" + json.dumps(measure(sizes, runs=runs)))


def measure(sizes: list[int], *, runs: int = RUNS) -> list[dict[str, object]]:
    """Grow a migrated database to each size in turn and time both pages' search at each.

    Runs in the Django process it is called from (the benchmark's child, or a smoke test)."""
    # Django must be set up before these are imported: the child sets it up first.
    from django.db import connection
    from django.utils import timezone

    from meetops.core.models import SearchDocument
    from meetops.core.textsearch import COUNT_UP_TO, bigrams, normalise, with_snippets
    from meetops.core.web import CountingUpTo
    from meetops.meetings import search as meeting_index
    from meetops.meetings.models import Meeting, MeetingKind
    from meetops.meetings.selectors import search_meetings
    from meetops.people.models import Role, RoleAssignment, User
    from meetops.records import search as archive_index
    from meetops.records.models import Category, Document, DocumentVersion, Dossier, RetentionRule
    from meetops.records.selectors import search_documents

    rng = random.Random(13)
    # Normalised once per sentence: a document's normalised text is the join of its parts'.
    norm = {s: normalise(s) for s in SUBJECTS + KINDS + PLACES + SENTENCES}
    norm.update({s + k: norm[s] + norm[k] for s in SUBJECTS for k in KINDS})
    admin = User.objects.create(username="bench-search-admin", is_superuser=True, is_staff=True)
    RoleAssignment.objects.create(user=admin, role=Role.ADMIN)
    kind = MeetingKind.objects.first()
    category = Category.objects.first()
    retention = RetentionRule.objects.first()
    start0 = timezone.now() - timedelta(days=3000)

    def words(n: int) -> list[str]:
        return [rng.choice(SENTENCES) for _ in range(n)]

    def add(count: int, offset: int) -> None:
        for first in range(offset, offset + count, 2000):
            n = min(2000, offset + count - first)
            specs = []
            for i in range(first, first + n):
                subject, k = rng.choice(SUBJECTS), rng.choice(KINDS)
                goals, desc = words(2), words(4)
                specs.append((i, subject + k, rng.choice(PLACES), goals, desc))
            meetings = Meeting.objects.bulk_create(
                [
                    Meeting(
                        title=title,
                        kind=kind,
                        location=place,
                        goals="".join(goals),
                        description="".join(desc),
                        start=start0 + timedelta(hours=i),
                        end=start0 + timedelta(hours=i + 1),
                        created_by=admin,
                        stage="concluded",
                    )
                    for i, title, place, goals, desc in specs
                ]
            )
            docs_text = []
            for m, (_i, title, place, goals, desc) in zip(meetings, specs, strict=True):
                parts = [title, place, "".join(goals), "".join(desc)]
                text = " ".join(
                    [
                        norm[title],
                        norm[place],
                        "".join(norm[g] for g in goals),
                        "".join(norm[d] for d in desc),
                    ]
                )
                docs_text.append((m.pk, text, parts))
            SearchDocument.objects.bulk_create(
                [
                    SearchDocument(
                        kind=meeting_index.KIND, object_id=pk, text=t, grams=" ".join(bigrams(t))
                    )
                    for pk, t, _parts in docs_text
                ]
            )
            # One archived document per meeting: the minutes, with ~300 characters of text.
            dossiers = Dossier.objects.bulk_create(
                [
                    Dossier(
                        meeting=m,
                        archive_number=f"2026-B-{m.pk:07d}",
                        year=2026,
                        title=m.title,
                        retention=retention,
                        filed_by=admin,
                    )
                    for m in meetings
                ]
            )
            documents = Document.objects.bulk_create(
                [
                    Document(
                        dossier=d, category=category, seq=1, title="会议纪要", source="minutes"
                    )
                    for d in dossiers
                ]
            )
            bodies = [words(14) for _ in documents]
            versions = DocumentVersion.objects.bulk_create(
                [
                    DocumentVersion(
                        document=doc,
                        number=1,
                        file_name=f"{doc.dossier.title}_会议纪要.pdf",
                        media_type="application/pdf",
                        size=1000,
                        sha256="0" * 64,
                        text="".join(body),
                        created_by=admin,
                    )
                    for doc, body in zip(documents, bodies, strict=True)
                ]
            )
            for doc, version in zip(documents, versions, strict=True):
                doc.current = version
            Document.objects.bulk_update(documents, ["current"])
            rows = []
            for doc, body in zip(documents, bodies, strict=True):
                title = doc.dossier.title
                t = " ".join(
                    [
                        norm["会议"] + "纪要",
                        norm[title],
                        norm[title] + "_会议纪要.pdf",
                        "".join(norm[s] for s in body),
                    ]
                )
                rows.append(
                    SearchDocument(
                        kind=archive_index.KIND,
                        object_id=doc.pk,
                        text=t,
                        grams=" ".join(bigrams(t)),
                    )
                )
            SearchDocument.objects.bulk_create(rows)

    def percentiles(samples: list[float]) -> dict[str, float]:
        samples = sorted(samples)
        return {
            "p50": round(statistics.median(samples), 1),
            # Nearest rank: never below the median, whatever the number of samples.
            "p95": round(samples[math.ceil(len(samples) * 0.95) - 1], 1),
            "max": round(samples[-1], 1),
        }

    def timed(fn) -> dict[str, object]:  # type: ignore[no-untyped-def]
        by_kind: dict[str, list[float]] = {}
        for kind_name, queries in QUERY_KINDS.items():
            for q in queries:
                fn(q)  # warm up
                for _ in range(runs):
                    t = time.perf_counter()
                    fn(q)
                    by_kind.setdefault(kind_name, []).append((time.perf_counter() - t) * 1000)
        every = [x for samples in by_kind.values() for x in samples]
        return {
            **percentiles(every),
            "kinds": {name: percentiles(samples) for name, samples in by_kind.items()},
        }

    def meeting_page(q: str) -> None:
        # As the page runs it: the count (up to COUNT_UP_TO: "more than 1000"), the first page of 20.
        page = CountingUpTo(search_meetings(admin, q=q), 20, up_to=COUNT_UP_TO).get_page(1)
        with_snippets(list(page.object_list), q, meeting_index.snippet_fields)

    def archive_page(q: str) -> None:
        page = CountingUpTo(search_documents(admin, q=q), 20, up_to=COUNT_UP_TO).get_page(1)
        with_snippets(list(page.object_list), q, archive_index.snippet_fields)

    results = []
    done = 0
    for size in sizes:
        t0 = time.perf_counter()
        add(size - done, done)
        done = size
        if connection.vendor == "postgresql":
            with connection.cursor() as cur:
                cur.execute("ANALYZE")
        setup = time.perf_counter() - t0
        hits = {q: search_meetings(admin, q=q).count() for q in QUERIES}
        archive_hits = {q: search_documents(admin, q=q).count() for q in QUERIES}
        results.append(
            {
                "database": connection.vendor,
                "size": size,
                "setup_seconds": round(setup, 1),
                "meetings": timed(meeting_page),
                "archive": timed(archive_page),
                "hits": hits,
                "archive_hits": archive_hits,
            }
        )
    return results


def run(
    database_url: str, data_dir: str, sizes: str, runs: int = RUNS, *, keep: bool = True
) -> list[dict[str, object]]:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "MEETOPS_DATA_DIR": data_dir,
        "MEETOPS_DEBUG": "1",
        "MEETOPS_LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "meetops.config.settings",
        "SEARCH_BENCH_CHILD": "1",
        "SEARCH_BENCH_SIZES": sizes,
        "SEARCH_BENCH_RUNS": str(runs),
    }
    done = subprocess.run(
        [sys.executable, __file__], env=env, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        sys.exit(done.stderr[-4000:])
    results = json.loads(done.stdout.split("RESULT", 1)[1])
    # Each database's figures are kept as soon as they exist: a 100,000-document run is long.
    # A smoke run (--quick) keeps nothing, so it never replaces a full run's figures.
    if keep:
        out = HERE / "results"
        out.mkdir(exist_ok=True)
        vendor = results[0]["database"] if results else "none"
        (out / f"search-{vendor}.json").write_text(
            json.dumps(results, ensure_ascii=False, indent=1)
        )
    print(json.dumps(results, ensure_ascii=False), flush=True)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000", help="documents, growing: 10000,100000")
    parser.add_argument("--size", type=int, help="one size only (instead of --sizes)")
    parser.add_argument("--runs", type=int, default=RUNS, help="timed runs per query")
    parser.add_argument(
        "--quick",
        action="store_true",
        help=f"a smoke run: {QUICK_SIZES} documents, {QUICK_RUNS} runs, SQLite only",
    )
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args()
    sizes = str(args.size) if args.size else args.sizes
    if args.quick:
        sizes, args.runs, args.no_postgres = QUICK_SIZES, QUICK_RUNS, True
    sys.path.insert(0, str(HERE))
    from run import machine, private_postgres

    results: list[dict[str, object]] = []
    with tempfile.TemporaryDirectory(prefix="search-bench-") as tmp:
        results += run(
            f"sqlite:///{Path(tmp) / 'bench.sqlite3'}", tmp, sizes, args.runs, keep=not args.quick
        )
        url = os.environ.get("BENCH_DATABASE_URL") or os.environ.get("DATABASE_URL", "")
        if not args.no_postgres:
            if url.startswith("postgres"):
                results += _on_postgres(url, tmp, sizes, args.runs)
            else:
                with private_postgres() as private:
                    if private:
                        results += run(private, tmp, sizes, args.runs)
    info = machine()
    load = Path("/proc/loadavg").read_text().split()[:3] if Path("/proc/loadavg").exists() else []
    print(f"\nSearch benchmark, {date.today()}, {info}, load average {' '.join(load)}\n")
    print("| database | documents | meeting list p50 / p95 | archive p50 / p95 | target p95 |")
    print("|---|---|---|---|---|")
    for r in results:
        m, a = r["meetings"], r["archive"]
        print(
            f"| {r['database']} | {r['size']:,} | {m['p50']} / {m['p95']} ms "  # type: ignore[index]
            f"| {a['p50']} / {a['p95']} ms | < {TARGET_MS} ms |"  # type: ignore[index]
        )
    print(table_by_kind(results))
    print(
        "\nhits per query at each size:",
        json.dumps([r["hits"] for r in results], ensure_ascii=False),
    )
    if not args.quick:
        out = HERE / "results"
        out.mkdir(exist_ok=True)
        (out / "search.json").write_text(json.dumps(results, ensure_ascii=False, indent=1))


def table_by_kind(results: list[dict[str, object]]) -> str:
    """p50 / p95 per kind of query, per database and size: the table docs/benchmarks.md shows."""
    lines = [
        "\n| database | documents | query kind | meeting list p50 / p95 | archive p50 / p95 |",
        "|---|---|---|---|---|",
    ]
    for r in results:
        meetings, archive = r["meetings"], r["archive"]
        for name in QUERY_KINDS:
            m = meetings["kinds"][name]  # type: ignore[index]
            a = archive["kinds"][name]  # type: ignore[index]
            lines.append(
                f"| {r['database']} | {r['size']:,} | {name} "
                f"| {m['p50']} / {m['p95']} ms | {a['p50']} / {a['p95']} ms |"
            )
    return "\n".join(lines)


def _on_postgres(url: str, tmp: str, sizes: str, runs: int) -> list[dict[str, object]]:
    import psycopg

    name = f"{urlparse(url).path.lstrip('/') or 'meetops'}_bench_search"
    admin_url = urlparse(url)._replace(path="/postgres").geturl()
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        return run(urlparse(url)._replace(path=f"/{name}").geturl(), tmp, sizes, runs)
    finally:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    if os.environ.get("SEARCH_BENCH_CHILD"):
        sys.path.insert(0, str(HERE.parent / "src"))
        child()
    else:
        main()
