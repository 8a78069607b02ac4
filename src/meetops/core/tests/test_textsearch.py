"""Search in Chinese: both scripts, partial words, highlighted snippets, one answer per database."""

from __future__ import annotations

from meetops.core import textsearch
from meetops.core.models import SearchDocument


def test_documents_and_queries_meet_in_simplified_lower_case():
    assert textsearch.normalise("會議紀要  ＳＡＰ升級") == "会议纪要 sap升级"
    assert textsearch.bigrams("会议纪要") == ["会议", "议纪", "纪要"]
    assert textsearch.terms("網絡 升級") == ["网络", "升级"]


def _ids(kind, q):
    return sorted(textsearch.matching(kind, q).values_list("object_id", flat=True))


def test_both_scripts_partial_words_and_every_term(db):
    textsearch.index("t", 1, ["年度档案工作会议", "网络升级方案"])
    textsearch.index("t", 2, ["會議紀要審閱", "簽到名單"])
    textsearch.index("t", 3, ["网 络", "升"])  # the characters, never together
    assert _ids("t", "會議") == [1, 2]
    assert _ids("t", "会议纪要") == [2]
    assert _ids("t", "網絡升級") == [1]
    assert _ids("t", "签到") == [2]
    assert _ids("t", "档案 网络") == [1]  # every term
    assert _ids("t", "网") == [1, 3]  # one character: no bigram, found by the text
    assert _ids("t", "络升") == [1]
    assert _ids("other", "会议") == []


def test_reindexing_replaces_and_removal_forgets(db):
    textsearch.index("t", 7, ["旧标题"])
    textsearch.index("t", 7, ["新标题"])
    assert _ids("t", "旧标题") == [] and _ids("t", "新标题") == [7]
    textsearch.remove("t", [7])
    assert _ids("t", "新标题") == [] and not SearchDocument.objects.exists()


def test_snippet_marks_the_match_and_escapes_the_rest():
    text = "<b>议程</b>：一、審議網絡升級方案；二、其他事项" + "。" * 80
    snip = textsearch.snippet("网络升级", [("标题", "无关"), ("正文", text)])
    assert snip is not None and snip.field == "正文"
    assert "&lt;b&gt;议程&lt;/b&gt;" in snip.html  # the original text, escaped
    assert "<mark>網絡升級</mark>" in snip.html  # the original script is shown
    assert "<b>" not in snip.html and snip.html.endswith("…")
    assert textsearch.snippet("不存在", [("正文", text)]) is None


def test_snippet_finds_a_match_deep_in_a_long_text():
    text = "甲" * 9000 + "会议纪要" + "乙" * 100
    snip = textsearch.snippet("會議", [("正文", text)])
    assert snip is not None and "<mark>会议</mark>" in snip.html and snip.html.startswith("…")


def _found_by_hits(kind, q):
    hits = textsearch.find(kind, q)
    assert hits is not None
    docs = SearchDocument.objects.filter(kind=kind).filter(hits.q("object_id"))
    return hits, sorted(docs.values_list("object_id", flat=True))


def test_many_matches_are_tested_row_by_row_with_the_same_answer(db, monkeypatch):
    textsearch.index("t", 1, ["年度档案工作会议", "网络升级方案"])
    textsearch.index("t", 2, ["會議紀要審閱", "簽到名單"])
    textsearch.index("t", 3, ["网 络", "升"])
    textsearch.index("t", 4, ["50%的会议_纪要"])
    textsearch.index("u", 1, ["会议"])
    queries = [
        "會議",
        "会议纪要",
        "網絡升級",
        "档案 网络",
        "会议 纪要",
        "网",
        "不存在",
        "50%",
        "_纪",
    ]
    few = {q: _found_by_hits("t", q) for q in queries}
    assert few["會議"] == (few["會議"][0], [1, 2, 4]) and few["會議"][0].ids is not None
    monkeypatch.setattr(textsearch, "FEW", 1)
    for q in queries:
        hits, found = _found_by_hits("t", q)
        assert found == few[q][1] == _ids("t", q), q
        assert (hits.ids is None) is (len(found) > 1), q  # more than FEW: by row
    assert textsearch.find("t", "  ") is None


def test_ids_reach_the_database_as_one_parameter_however_many(db, monkeypatch):
    """Up to FEW matches the page filters by their ids, passed as a single value: building and
    binding thousands of parameters cost more than the search (docs/benchmarks.md)."""
    from django.db import connection

    def parameters(count):
        for i in range(count):
            textsearch.index("t", i + 1, [f"会议纪要{i}"])
        hits = textsearch.find("t", "会议纪要")
        assert hits is not None and hits.ids is not None and len(hits.ids) == count
        sizes = []

        def record(execute, sql, params, many, context):
            sizes.append(len(params or ()))
            return execute(sql, params, many, context)

        docs = SearchDocument.objects.filter(kind="t").filter(hits.q("object_id"))
        with connection.execute_wrapper(record):
            page = list(docs.order_by("-object_id")[:2].values_list("object_id", flat=True))
            counted = docs.order_by()[:100].count()
        SearchDocument.objects.all().delete()
        return page, counted, sizes

    few = parameters(3)
    monkeypatch.setattr(textsearch, "SORTED_UP_TO", 5)  # 40 ids: the page walks its order
    many = parameters(40)
    assert few[:2] == ([3, 2], 3) and many[:2] == ([40, 39], 40)
    assert few[2] == many[2]  # as many parameters for 40 ids as for 3


def test_counting_stops_at_the_cap_but_every_page_is_reached(db, rf):
    from meetops.core.web import paginated

    for i in range(7):
        textsearch.index("t", i, [f"会议{i}"])
    items = SearchDocument.objects.order_by("object_id")
    first = paginated(rf.get("/"), items, 2, count_up_to=3)["page"]
    assert first.paginator.capped and first.paginator.count == 4 and first.has_next()
    assert paginated(rf.get("/", {"page": 2}), items, 2, count_up_to=3)["page"].has_next()
    last = paginated(rf.get("/", {"page": 4}), items, 2, count_up_to=3)["page"]
    assert [d.object_id for d in last] == [6] and not last.paginator.capped
    assert not last.has_next() and last.paginator.num_pages == 4
    exact = paginated(rf.get("/"), items, 2, count_up_to=10)["page"]
    assert not exact.paginator.capped and exact.paginator.count == 7
