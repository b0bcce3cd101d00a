from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "baocao.web"
    label = "web"
