from django.contrib.auth import views as auth_views
from django.urls import path

from meetops.identity.sso import SsoLogoutView
from meetops.people import views

urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(
            template_name="people/login.html", redirect_authenticated_user=True
        ),
        name="login",
    ),
    # Also ends a single sign-on provider's session (meetops.identity.sso).
    path("logout/", SsoLogoutView.as_view(), name="logout"),
    path("me/", views.my_settings, name="my_settings"),
    path("me/language/", views.set_language_preference, name="set_language_preference"),
]
