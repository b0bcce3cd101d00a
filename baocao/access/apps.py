from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "baocao.access"
    label = "access"
