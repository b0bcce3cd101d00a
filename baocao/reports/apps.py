from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "baocao.reports"
    label = "reports"
