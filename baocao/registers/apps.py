from django.apps import AppConfig


class RegistersConfig(AppConfig):
    name = "baocao.registers"
    label = "registers"
