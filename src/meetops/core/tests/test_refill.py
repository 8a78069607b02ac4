"""core.refill puts a refused form's input back into the page, and only into that form."""

from __future__ import annotations

from meetops.core.refill import fill_page

PAGE = """<main>
<form method="post" action="/x/1/reject/"><textarea name="note" rows="2">
</textarea><select name="level"><option value="low" selected>Low</option><option value="high">High</option></select>
<input type="checkbox" name="tags" value="a"><input type="checkbox" name="tags" value="b" checked>
<input name="code" maxlength="6"></form>
<form method="post" action="/x/1/approve/"><textarea name="note">
</textarea></form>
</main>"""


def _kept(**values: list[str]) -> dict:
    return {"action": "/x/1/reject/", "back": "/x/1/", "values": values, "errors": {}}


def test_only_the_form_that_posted_is_filled() -> None:
    kept = _kept(note=["太贵 & 太晚"], level=["high"], tags=["a"], code=["12a"])
    kept["errors"] = {"code": "Enter a number."}
    page = fill_page(PAGE, kept)
    reject, approve = page.split("/approve/")
    assert "太贵 &amp; 太晚</textarea>" in reject
    assert '<option value="high" selected>' in reject and '"low" selected' not in reject
    assert 'value="a" checked>' in reject and 'value="b">' in reject
    assert '<input name="code" maxlength="6" value="12a" aria-invalid="true">' in reject
    assert '<ul class="errorlist" data-field="code"><li>Enter a number.</li></ul>' in reject
    assert "太贵" not in approve


def test_a_page_without_the_form_is_left_as_it_was() -> None:
    kept = _kept(note=["x"])
    kept["action"] = "/elsewhere/"
    assert fill_page(PAGE, kept) == PAGE
