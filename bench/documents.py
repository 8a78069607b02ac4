"""Rendering a 10-page 纪要: time and peak memory, PDF (WeasyPrint) and DOCX (python-docx).

    .venv/bin/python bench/documents.py [--pages 10] [--runs 5]
    .venv/bin/python bench/documents.py --quick      # a smoke run: 1 page, 1 run each

Builds one page description (documents/page.py) of a 纪要 with as many agenda items as
make the PDF `--pages` pages long (the count is read back from the PDF), then renders it
`--runs` times to each format in this process. Prints a Markdown table: the first (cold)
run, the median and the slowest of the others, the Python heap's peak during one render
(tracemalloc) and the process's peak resident size (ru_maxrss) after all runs. No
database: the renderers' cost only, which is what grows with the document.
"""

from __future__ import annotations

import argparse
import io
import os
import platform
import resource
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from datetime import date


def _setup() -> None:
    data_dir = tempfile.mkdtemp(prefix="meetops-bench-")
    os.environ.update(
        {
            "MEETOPS_DEBUG": "1",
            "MEETOPS_DATA_DIR": data_dir,
            "MEETOPS_LOG_LEVEL": "WARNING",
            "DJANGO_SETTINGS_MODULE": "meetops.config.settings",
        }
    )
    import django

    django.setup()


def _minutes(items: int):  # -> OfficialDocument
    from meetops.documents import page

    doc = page.OfficialDocument(kind="minutes", language="zh-hans", title="年度档案工作会议纪要")
    doc.blocks = [
        page.Mark("某某市信息中心会议纪要"),
        page.NumberLine("第12期"),
        page.IssuerLine("某某市信息中心", page.chinese_date(date(2026, 10, 28))),
        page.RedRule(),
        page.Title("年度档案工作会议纪要"),
        page.Paragraph(
            "2026年10月28日，张明在信息中心二楼报告厅主持召开年度档案工作会议。"
            "现将会议议定事项纪要如下："
        ),
    ]
    for n in range(1, items + 1):
        doc.blocks += [
            page.Paragraph(f"关于第{n}项议题", level=1, number=page.heading_number(1, n)),
            page.Paragraph(
                "办公室介绍了档案数字化方案的进度、经费和人员安排，信息中心补充了技术路线，"
                "与会同志结合各自分工提出了意见和建议。"
            ),
            page.Paragraph("（一）", level=2, number="", tail="同意按方案推进，年底前完成。"),
        ]
    doc.blocks += [
        page.Labelled("出席：", "、".join(["张明", "李华", "王芳", "赵强", "刘洋", "陈静"] * 3)),
        page.Labelled("请假：", "孙磊（出差）"),
        page.Labelled("记录：", "冯雪"),
        page.Imprint("抄送：", "市档案局，各部门。", "某某市信息中心", "2026年10月28日印发"),
    ]
    return doc


def _pages(content: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(content)).pages)


def _measure(render: Callable[[], bytes], runs: int) -> dict[str, float]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        render()
        times.append((time.perf_counter() - started) * 1000)
    tracemalloc.start()
    render()
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rest = times[1:] or times
    return {
        "cold": times[0],
        "median": statistics.median(rest),
        "max": max(rest),
        "heap_mib": peak / 2**20,
    }


def measure(pages: int, runs: int) -> tuple[int, int, dict[str, dict[str, float]]]:
    """(pages rendered, agenda items, figures per format) for a 纪要 at least `pages` long.

    Runs in the process it is called from, Django set up (by `main`, or by a smoke test)."""
    # Django must be set up before the renderers are imported.
    from meetops.documents import pdf, word

    items = 1 if pages <= 1 else 4
    doc = _minutes(items)
    while _pages(pdf.render_pdf(doc)) < pages:
        items += 3
        doc = _minutes(items)
    figures = {
        "PDF (WeasyPrint)": _measure(lambda: pdf.render_pdf(doc), runs),
        "DOCX (python-docx)": _measure(lambda: word.render_docx(doc), runs),
    }
    return _pages(pdf.render_pdf(doc)), items, figures


def table(figures: dict[str, dict[str, float]]) -> str:
    lines = [
        "| format | cold ms | median ms | max ms | Python heap peak MiB |",
        "|---|---|---|---|---|",
    ]
    for name, f in figures.items():
        lines.append(
            f"| {name} | {f['cold']:.0f} | {f['median']:.0f} | {f['max']:.0f} | "
            f"{f['heap_mib']:.1f} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", "--size", type=int, default=10, help="the 纪要's length")
    parser.add_argument("--runs", type=int, default=5, help="renders per format")
    parser.add_argument("--quick", action="store_true", help="a smoke run: 1 page, 1 run")
    args = parser.parse_args()
    if args.quick:
        args.pages, args.runs = 1, 1
    _setup()
    pages, items, figures = measure(args.pages, args.runs)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"\n{date.today()} · {platform.python_implementation()} {platform.python_version()} · "
        f"{os.cpu_count()} CPUs · load average {', '.join(f'{x:.1f}' for x in os.getloadavg())}"
    )
    print(f"\n纪要 of {pages} pages ({items} agenda items), {args.runs} runs each\n")
    print(table(figures))
    print(f"\nprocess peak resident size after all runs: {rss:.0f} MiB")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
