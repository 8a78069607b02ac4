"""DingTalk's own address: the workbench page that signs people in inside the client."""

from django.urls import path

from meetops.workim.dingtalk import views

urlpatterns = [path("app/", views.app_page, name="workim_dingtalk_app")]
