from django.urls import path

from meetops.venues import manage_views, views

urlpatterns = [
    path("rooms/", views.room_list, name="venues_room_list"),
    path("rooms/<int:pk>/", views.room_detail, name="venues_room_detail"),
    path("rooms/<int:pk>/door", views.room_door, name="venues_room_door"),
    path("rooms/<int:pk>/edit", manage_views.room_edit, name="venues_room_edit"),
    path("rooms/<int:pk>/photos", manage_views.photo_add, name="venues_photo_add"),
    path("rooms/<int:pk>/photos/<int:photo_pk>", manage_views.photo_file, name="venues_photo"),
    path(
        "rooms/<int:pk>/photos/<int:photo_pk>/delete",
        manage_views.photo_delete,
        name="venues_photo_delete",
    ),
    path("rooms/<int:pk>/blackouts", manage_views.blackout_add, name="venues_blackout_add"),
    path(
        "rooms/<int:pk>/blackouts/<int:blackout_pk>/delete",
        manage_views.blackout_delete,
        name="venues_blackout_delete",
    ),
    path("venues/external/", manage_views.external_venues, name="venues_external_venues"),
    path("venues/external/new", manage_views.external_venue_edit, name="venues_external_new"),
    path(
        "venues/external/<int:pk>/edit",
        manage_views.external_venue_edit,
        name="venues_external_edit",
    ),
    path("venues/waitlist", manage_views.my_waitlist, name="venues_waitlist"),
    path(
        "venues/waitlist/<int:pk>/withdraw",
        manage_views.waitlist_withdraw,
        name="venues_waitlist_withdraw",
    ),
    path("venues/buildings/<int:pk>/grid", views.building_grid, name="venues_grid"),
    path("venues/buildings/<int:pk>/book", views.grid_book, name="venues_grid_book"),
    path("venues/bookings/<int:pk>/check-in", views.booking_check_in, name="venues_check_in"),
    path(
        "venues/bookings/<int:pk>/<slug:action>", views.booking_action, name="venues_booking_action"
    ),
    path("venues/approvals", views.approvals, name="venues_approvals"),
    path("venues/occupancy", views.occupancy, name="venues_occupancy"),
    path("venues/rooms.xlsx", views.rooms_export, name="venues_rooms_export"),
    path("venues/rooms/import", views.rooms_import, name="venues_rooms_import"),
    path("venues/find-a-time", views.find_a_time, name="venues_find_a_time"),
]
