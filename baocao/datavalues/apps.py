from django.apps import AppConfig


class DatavaluesConfig(AppConfig):
    name = "baocao.datavalues"
    label = "datavalues"
