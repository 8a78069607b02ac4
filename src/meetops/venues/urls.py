from django.urls import path

from meetops.venues import views

urlpatterns = [
    path("rooms/", views.room_list, name="venues_room_list"),
    path("rooms/<int:pk>/", views.room_detail, name="venues_room_detail"),
    path("rooms/<int:pk>/door", views.room_door, name="venues_room_door"),
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
