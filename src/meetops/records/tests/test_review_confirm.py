"""Issue 16 finding 17(e): the yearly review finally files every complete dossier of the year,
so it asks first, naming how many; a count that changed meanwhile is asked again."""

from __future__ import annotations

import pytest

from meetops.core.errors import DomainError
from meetops.records import services
from meetops.records.models import Category, Dossier, DossierStatus, YearReview

pytestmark = pytest.mark.django_db


@pytest.fixture
def complete(concluded, organiser):
    """The filed dossier, complete (no category is required any longer)."""
    for category in Category.objects.all():
        category.required_for.clear()
    dossier, _added = services.file_meeting(concluded, actor=organiser)
    return dossier


def test_the_review_asks_naming_the_count_before_filing(client, complete, archivist):
    client.force_login(archivist)
    year = complete.year
    page = client.get("/archive/review/", {"year": year}).content.decode()
    assert 'id="review-form"' in page
    asked = client.post("/archive/review/", {"year": year, "note": "已检查"})
    text = asked.content.decode()
    assert asked.status_code == 200 and 'id="review-confirm"' in text
    title = text.split('id="review-confirm-title">')[1].split("</h2>")[0]
    assert "1" in title and str(year) in title
    assert "已检查" in text.split('id="review-confirm"')[1]  # the note is kept
    assert Dossier.objects.get(pk=complete.pk).status == DossierStatus.FILED
    assert not YearReview.objects.exists()
    done = client.post(
        "/archive/review/", {"year": year, "note": "已检查", "confirm": "1", "expected": "1"}
    )
    assert done.status_code == 302
    assert Dossier.objects.get(pk=complete.pk).status == DossierStatus.FINAL
    assert YearReview.objects.get(year=year).complete == 1


def test_a_count_changed_since_confirming_files_nothing_and_asks_again(client, complete, archivist):
    client.force_login(archivist)
    response = client.post(
        "/archive/review/",
        {"year": complete.year, "note": "", "confirm": "1", "expected": "2"},
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert 'id="review-confirm"' in text and 'name="expected" value="1"' in text
    assert Dossier.objects.get(pk=complete.pk).status == DossierStatus.FILED
    assert not YearReview.objects.exists()


def test_a_post_without_the_confirmed_count_files_nothing(client, complete, archivist):
    """A form that says "confirm" but not what it confirms (an old page, a hand-made request)
    is asked again, naming the count; the service itself refuses a count that is not today's."""
    client.force_login(archivist)
    response = client.post("/archive/review/", {"year": complete.year, "confirm": "1"})
    assert response.status_code == 200 and 'id="review-confirm"' in response.content.decode()
    assert Dossier.objects.get(pk=complete.pk).status == DossierStatus.FILED
    with pytest.raises(DomainError) as refused:
        services.record_year_review(complete.year, actor=archivist, expected=0)
    assert refused.value.code == "review_changed" and refused.value.details == {"count": 1}
    assert "1" in str(refused.value.message)
    assert Dossier.objects.get(pk=complete.pk).status == DossierStatus.FILED
    assert not YearReview.objects.exists()
