from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "baocao.audit"
    label = "audit"
