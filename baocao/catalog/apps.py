from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "baocao.catalog"
    label = "catalog"
