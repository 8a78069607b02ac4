"""Work IM addresses: `/im/settings/` and, per platform, what its console is told."""

from django.urls import path

from meetops.workim import views

urlpatterns = [
    path("settings/", views.settings_page, name="workim_settings"),
    path("settings/<str:platform>/save/", views.settings_save, name="workim_settings_save"),
    path("settings/<str:platform>/test/", views.settings_test, name="workim_settings_test"),
    path("preference/", views.preference_save, name="workim_preference"),
    path("<str:platform>/login/", views.login_start, name="workim_login"),
    path("<str:platform>/auth/", views.login_return, name="workim_auth"),
    path("<str:platform>/events/", views.events, name="workim_events"),
    path("<str:platform>/card/", views.card, name="workim_card"),
]
