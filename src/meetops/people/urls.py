from django.contrib.auth import views as auth_views
from django.urls import path

from meetops.people import department_views, security_views, views

urlpatterns = [
    path("login/", security_views.SignInView.as_view(), name="login"),
    path("login/verify/", security_views.two_factor_verify, name="two_factor_verify"),
    path("me/two-factor/", security_views.two_factor_setup, name="two_factor_setup"),
    path("me/two-factor/qr.svg", security_views.two_factor_qr, name="two_factor_qr"),
    path("security/", security_views.security_admin, name="security_admin"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("me/", views.my_settings, name="my_settings"),
    path("me/language/", views.set_language_preference, name="set_language_preference"),
    path("people/suggest/", views.suggest_people, name="people_suggest"),
    path("departments/", department_views.departments, name="department_list"),
    path(
        "departments/<int:department_id>/heads/",
        department_views.department_heads,
        name="department_heads",
    ),
]
