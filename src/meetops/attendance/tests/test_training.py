"""P9.4: training records, read from sign-ins at training meetings."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from meetops.attendance import services
from meetops.meetings.services import add_participant

pytestmark = pytest.mark.django_db


def test_who_was_trained_and_who_was_not(
    client, desk_meeting, organiser, make_user, member, django_assert_max_num_queries
):
    trained = make_user("trained", roles=("organiser",))
    untrained = make_user("untrained", roles=("staff",))
    course = desk_meeting(0, kind="training", title="会务工作培训")
    part = add_participant(course, actor=organiser, user=trained)
    add_participant(course, actor=organiser, user=untrained)  # invited, never came
    services.sign_in(course, participant=part, actor=organiser)
    other = desk_meeting(0, title="普通例会")  # not a training
    services.sign_in(
        other, participant=add_participant(other, actor=organiser, user=untrained), actor=organiser
    )

    client.force_login(organiser)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("attendance:training"))
    overview = response.context["overview"]
    assert [m.title for m in overview.trainings] == ["会务工作培训"]
    # On the list: the organiser and the two invited; one came.
    assert (overview.trainings[0].attended, overview.trainings[0].invited) == (1, 3)
    untrained_names = {p.username for p in overview.untrained}
    assert "untrained" in untrained_names and "trained" not in untrained_names
    assert organiser.username in untrained_names  # organisers are expected to train too

    client.force_login(trained)  # an organiser: sees the overview and their own record
    page = client.get(reverse("attendance:training")).content.decode()
    assert "会务工作培训" in page

    client.force_login(member)  # everyone else: only their own record
    response = client.get(reverse("attendance:training"))
    assert response.context["overview"] is None


def test_the_page_does_not_cost_a_query_per_person(
    client, desk_meeting, organiser, make_user, django_assert_max_num_queries
):
    client.force_login(organiser)
    with django_assert_max_num_queries(12) as baseline:
        client.get(reverse("attendance:training"))
    course = desk_meeting(0, kind="training", title="培训", starts_in=timedelta(minutes=10))
    for i in range(5):
        person = make_user(f"staff{i}", roles=("staff",))
        services.sign_in(
            course,
            participant=add_participant(course, actor=organiser, user=person),
            actor=organiser,
        )
    with django_assert_max_num_queries(len(baseline.captured_queries)):
        client.get(reverse("attendance:training"))
