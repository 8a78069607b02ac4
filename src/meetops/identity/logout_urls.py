"""Sign-out that also ends the single sign-on provider's session (meetops.identity.sso).

Included before people's URLs, so it takes over people's plain "logout/"."""

from django.urls import path

from meetops.identity.sso import SsoLogoutView

urlpatterns = [path("logout/", SsoLogoutView.as_view(), name="logout")]
