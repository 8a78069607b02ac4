from django.urls import path

from meetops.invitations import public_views, views, views_groups, views_replies

app_name = "invitations"

urlpatterns = [
    path("meetings/<int:pk>/people/", views.participants, name="participants"),
    path("meetings/<int:pk>/people/add/", views.add_people, name="add_people"),
    path("meetings/<int:pk>/people/guest/", views.add_guest, name="add_guest"),
    path("meetings/<int:pk>/people/import/", views.import_people, name="import"),
    path("meetings/<int:pk>/people/export.xlsx", views.export_people, name="export"),
    path("meetings/<int:pk>/people/<int:participant_id>/", views.edit_participant, name="edit"),
    path(
        "meetings/<int:pk>/people/<int:participant_id>/remove/",
        views.remove_participant,
        name="remove",
    ),
    path(
        "meetings/<int:pk>/people/<int:participant_id>/substitute/",
        views.decide_substitute,
        name="substitute",
    ),
    path("meetings/<int:pk>/people/send/", views.send, name="send"),
    path("meetings/<int:pk>/people/handout/", views.handout, name="handout"),
    path("meetings/<int:pk>/staffing/", views.staffing, name="staffing"),
    path("meetings/<int:pk>/staffing/save/", views.staffing_save, name="staffing_save"),
    path("meetings/<int:pk>/rsvp/", views.rsvp_dashboard, name="rsvp"),
    path("meetings/<int:pk>/rsvp/deadline/", views.set_deadline, name="deadline"),
    path("meetings/<int:pk>/rsvp/remind/", views.remind, name="remind"),
    path("meetings/<int:pk>/rsvp/registration/", views.registration_settings, name="registration"),
    path("invitations/templates/", views.templates, name="templates"),
    path("calendar/", views.my_calendar, name="my_calendar"),
    path("invitations/replies/", views_replies.calendar_replies, name="calendar_replies"),
    path("groups/", views_groups.group_list, name="groups"),
    path("groups/<int:pk>/", views_groups.group_detail, name="group"),
    path("groups/<int:pk>/rename/", views_groups.group_rename, name="group_rename"),
    path("groups/<int:pk>/members/", views_groups.group_add_members, name="group_add"),
    path("groups/<int:pk>/members/remove/", views_groups.group_remove_member, name="group_remove"),
    path("groups/<int:pk>/delete/", views_groups.group_delete, name="group_delete"),
    # Without login: the personal link, the public page, feeds.
    path("rsvp/<str:token>", public_views.rsvp, name="rsvp_page"),
    path("rsvp/<str:token>/qr.svg", public_views.rsvp_qr, name="rsvp_qr"),
    path("events/<int:pk>/", public_views.event, name="event"),
    path("events/<int:pk>/qr.svg", public_views.event_qr, name="event_qr"),
    path("calendar/user/<str:token>.ics", public_views.user_feed, name="user_feed"),
    path("calendar/meeting/<str:token>.ics", public_views.meeting_feed, name="meeting_feed"),
]
