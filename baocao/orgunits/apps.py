from django.apps import AppConfig


class OrgunitsConfig(AppConfig):
    name = "baocao.orgunits"
    label = "orgunits"
