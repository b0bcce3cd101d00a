from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "baocao.access"
    label = "access"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from baocao.orgunits.models import UnitSuccession

        from .models import Membership
        from .policy import grants_changed

        # the permission roots kept on a request's user are read again after a change of grants
        for model in (Membership, UnitSuccession):
            post_save.connect(grants_changed, sender=model, dispatch_uid=f"grants-{model.__name__}-save")
            post_delete.connect(grants_changed, sender=model, dispatch_uid=f"grants-{model.__name__}-delete")
