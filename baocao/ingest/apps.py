from django.apps import AppConfig


class IngestConfig(AppConfig):
    name = "baocao.ingest"
    label = "ingest"
