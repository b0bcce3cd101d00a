from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "baocao.jobs"
    label = "jobs"
