from django.urls import path

from meetops.risks import views
from meetops.risks.security import views as security

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
    # No parameter but the meeting's and a ticket's: the permission matrix fills those.
    path("<int:pk>/security-plan/", security.security_plan, name="security_plan"),
    path("<int:pk>/security-plan/remove/", security.remove_line, name="security_remove"),
    path(
        "<int:pk>/security-plan/everyone/",
        security.door_from_participants,
        name="security_door_from_participants",
    ),
    path(
        "<int:pk>/security-plan/support/<int:ticket_id>/record/",
        security.record_incident,
        name="security_incident",
    ),
    *(
        path(
            f"<int:pk>/security-plan/{action}/",
            security.security_action,
            {"action": action},
            name=f"security_{action}",
        )
        for action in ("submit", "approve", "return")
    ),
]
