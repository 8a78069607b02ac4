"""Single sign-on endpoints: CAS, OpenID Connect, SAML (each answers 404 while unconfigured)."""

from django.urls import include, path

from meetops.identity import cas, oidc

urlpatterns = [
    path("cas/login/", cas.CasLoginView.as_view(), name="identity_cas_login"),
    path("oidc/authenticate/", oidc.OidcLoginView.as_view(), name="identity_oidc_login"),
    path("oidc/callback/", oidc.OidcCallbackView.as_view(), name="identity_oidc_callback"),
    path("saml2/", include("meetops.identity.saml_urls")),
]
