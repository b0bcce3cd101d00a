from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "baocao.ops"
    label = "ops"
    verbose_name = "Vận hành"
