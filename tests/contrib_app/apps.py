from django.apps import AppConfig


class ContribAppConfig(AppConfig):
    name = "tests.contrib_app"
    label = "contrib_app"
    verbose_name = "Contract test app"
