"""Meetings use suppliers and rate them afterwards: one rating per meeting and supplier, changed
only by its author; the averages and the expiry marks are what a person chooses by next time."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone, translation

from meetops.core.errors import DomainError, PermissionDenied, ValidationFailed
from meetops.core.models import AuditEntry
from meetops.partners import services
from meetops.partners.models import Engagement, Rating
from meetops.partners.selectors import get_supplier_for_user, supplier_choices
from meetops.partners.tests.conftest import set_stage

pytestmark = pytest.mark.django_db

SCORES = {"quality": 4, "punctuality": 5, "price": 3}


def test_the_organiser_rates_a_supplier_the_held_meeting_used(held, supplier, used, organiser):
    rating = services.rate_supplier(
        held, supplier=supplier, actor=organiser, comment="准时到场", **SCORES
    )
    assert (rating.quality, rating.punctuality, rating.price) == (4, 5, 3)
    entry = AuditEntry.objects.get(action="partners.rating.given")
    assert entry.data == {"meeting": held.pk, "supplier": supplier.pk}
    assert AuditEntry.objects.filter(action="partners.supplier.linked", object_id=str(held.pk))


def test_one_rating_per_meeting_and_supplier(held, supplier, used, organiser, make_user):
    from meetops.meetings.services import add_participant

    co_organiser = make_user("co", roles=("organiser",))
    add_participant(held, actor=organiser, user=co_organiser, role="organiser")
    services.rate_supplier(held, supplier=supplier, actor=organiser, **SCORES)
    with pytest.raises(DomainError) as refused:
        services.rate_supplier(held, supplier=supplier, actor=co_organiser, **SCORES)
    assert refused.value.code == "already_rated"
    assert Rating.objects.count() == 1


def test_only_its_author_changes_a_rating(held, supplier, used, organiser, admin_user):
    rating = services.rate_supplier(held, supplier=supplier, actor=organiser, **SCORES)
    with pytest.raises(PermissionDenied):
        services.update_rating(rating, actor=admin_user, quality=1)
    services.update_rating(rating, actor=organiser, quality=2, comment="音质一般")
    rating.refresh_from_db()
    assert (rating.quality, rating.punctuality, rating.comment) == (2, 5, "音质一般")
    assert AuditEntry.objects.get(action="partners.rating.changed").changes == {
        "quality": [4, 2],
        "comment": ["", "音质一般"],
    }


@pytest.mark.parametrize("stage", ["preparing", "in_progress", "closed", "cancelled"])
def test_ratings_wait_for_the_meeting_and_stop_when_it_is_closed(
    held, supplier, used, organiser, stage
):
    set_stage(held, stage)
    with pytest.raises(DomainError) as refused:
        services.rate_supplier(held, supplier=supplier, actor=organiser, **SCORES)
    assert refused.value.code == "not_rateable"


def test_a_supplier_the_meeting_did_not_use_cannot_be_rated(held, add_supplier, organiser):
    other = add_supplier("未使用的公司")
    with pytest.raises(DomainError) as refused:
        services.rate_supplier(held, supplier=other, actor=organiser, **SCORES)
    assert refused.value.code == "supplier_not_used"


def test_scores_are_one_to_five(held, supplier, used, organiser):
    with pytest.raises(ValidationFailed) as refused:
        services.rate_supplier(
            held, supplier=supplier, actor=organiser, quality=6, punctuality=0, price=3
        )
    assert refused.value.details["fields"] == ["quality", "punctuality"]


def test_a_participant_who_does_not_manage_the_meeting_cannot_rate(
    held, supplier, used, organiser, member
):
    from meetops.meetings.services import add_participant

    add_participant(held, actor=organiser, user=member, role="participant")
    with pytest.raises(PermissionDenied):
        services.rate_supplier(held, supplier=supplier, actor=member, **SCORES)


def test_linking_stops_once_the_meeting_is_frozen(make_meeting, supplier, organiser):
    meeting = set_stage(make_meeting(), "closed")
    with pytest.raises(PermissionDenied):
        services.link_supplier(meeting, supplier=supplier, supplied="茶歇", actor=organiser)
    assert not Engagement.objects.exists()


def test_a_rated_link_cannot_be_removed(held, supplier, used, organiser):
    services.rate_supplier(held, supplier=supplier, actor=organiser, **SCORES)
    with pytest.raises(DomainError) as refused:
        services.unlink_supplier(used, actor=organiser)
    assert refused.value.code == "already_rated"


def test_averages_and_marks_show_in_the_choices(
    held, supplier, used, organiser, make_meeting, add_supplier, add_contract
):
    services.rate_supplier(held, supplier=supplier, actor=organiser, **SCORES)
    second = set_stage(make_meeting(title="第二次会议"), "following_up")
    services.link_supplier(second, supplier=supplier, supplied="同传", actor=organiser)
    services.rate_supplier(
        second, supplier=supplier, actor=organiser, quality=2, punctuality=3, price=3
    )
    lapsed = add_supplier("过期饭店", kind="venue")
    add_contract(lapsed, timezone.localdate() - timedelta(days=1))
    standing = get_supplier_for_user(organiser, supplier.pk)
    assert standing.rating_count == 2
    assert (standing.avg_quality, standing.avg_punctuality, standing.avg_price) == (3, 4, 3)
    assert round(standing.avg_overall, 2) == 3.33
    with translation.override("en"):
        labels = dict(supplier_choices())
    assert "★ 3.3 (2)" in labels[supplier.pk] and "expired" not in labels[supplier.pk]
    assert "contract expired" in labels[lapsed.pk] and "not rated yet" in labels[lapsed.pk]
