from django.urls import path

from meetops.risks import views

urlpatterns = [
    path("<int:pk>/risks/", views.register, name="risk_register"),
    path("<int:pk>/risks/starters/", views.add_starters, name="risk_starters"),
    path("<int:pk>/risks/<int:risk_id>/edit/", views.edit_risk, name="risk_edit"),
    path(
        "<int:pk>/risks/<int:risk_id>/coordination/",
        views.coordination,
        name="risk_coordination",
    ),
    path("<int:pk>/emergency-plan/", views.plan, name="emergency_plan"),
    path("<int:pk>/emergency-plan/<str:action>/", views.plan_action, name="emergency_plan_action"),
    path("<int:pk>/emergency-plan-print/", views.plan_print, name="emergency_plan_print"),
    path("<int:pk>/readiness/", views.readiness, name="readiness"),
    path("<int:pk>/readiness/items/", views.readiness_add_item, name="readiness_add_item"),
    path(
        "<int:pk>/readiness/items/<slug:code>/check/", views.readiness_check, name="readiness_check"
    ),
    path("<int:pk>/readiness/sign/", views.readiness_sign, name="readiness_sign"),
    path("<int:pk>/risk-events/", views.events, name="risk_events"),
    path("<int:pk>/drills/", views.drills, name="risk_drills"),
    path("risks/", views.overview, name="risk_overview"),
]
