from django.urls import path

from meetops.seating import views

urlpatterns = [
    path("meetings/<int:pk>/seating/", views.plans, name="seating"),
    path("meetings/<int:pk>/seating/door/", views.door_list, name="seating_door"),
    path("meetings/<int:pk>/seating/door.pdf", views.door_pdf, name="seating_door_pdf"),
    path("meetings/<int:pk>/seating/<int:plan_id>/", views.plan, name="seating_plan"),
    path("meetings/<int:pk>/seating/<int:plan_id>/click/", views.click, name="seating_click"),
    path("meetings/<int:pk>/seating/<int:plan_id>/auto/", views.auto, name="seating_auto"),
    path("meetings/<int:pk>/seating/<int:plan_id>/layout/", views.layout, name="seating_layout"),
    path(
        "meetings/<int:pk>/seating/<int:plan_id>/precedence/",
        views.precedence,
        name="seating_precedence",
    ),
    path("meetings/<int:pk>/seating/<int:plan_id>/delete/", views.delete, name="seating_delete"),
    path("meetings/<int:pk>/seating/<int:plan_id>/chart/", views.chart, name="seating_chart"),
    path(
        "meetings/<int:pk>/seating/<int:plan_id>/chart.pdf",
        views.chart_pdf,
        name="seating_chart_pdf",
    ),
    path(
        "meetings/<int:pk>/seating/<int:plan_id>/cards.pdf",
        views.cards_pdf,
        name="seating_cards_pdf",
    ),
]
