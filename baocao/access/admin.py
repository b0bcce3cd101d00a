"""Django's admin, audited: every addition, change and deletion made there — a user deactivated,
made superuser, given a new password, a role granted — is an event in the project's audit log,
beside Django's own LogEntry, with the fields before and after (never a password hash).
"""

from __future__ import annotations

import json
from typing import Any

from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group
from django.db.models import Model, QuerySet
from django.http import HttpRequest

from baocao.audit.services import record

from .models import DutyRule, Membership

# Fields never copied into the audit log; a change to them is noted as "changed" only.
SECRET_FIELDS = frozenset({"password"})


def _text(message: Any) -> str:
    """Django's change message (a JSON list) as the sentence the admin history shows."""
    if isinstance(message, list):
        return str(LogEntry(change_message=json.dumps(message)).get_change_message())
    return str(message or "")


class AuditedAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Records each admin write with `baocao.audit.services.record`, in the admin's transaction."""

    def snapshot(self, obj: Model) -> dict[str, Any]:
        data: dict[str, Any] = {}
        for f in obj._meta.concrete_fields:
            value = getattr(obj, f.attname)
            data[f.attname] = value
        for f in obj._meta.many_to_many:
            if obj.pk:
                data[f.name] = sorted(str(o) for o in getattr(obj, f.name).all())
        return data

    def masked(self, data: dict[str, Any] | None, mark: str = "***") -> dict[str, Any] | None:
        if data is None:
            return None
        return {k: (mark if k in SECRET_FIELDS and v else v) for k, v in data.items()}

    def _entity(self, obj: Model) -> str:
        return obj._meta.model_name or "object"

    def save_model(self, request: HttpRequest, obj: Model, form: Any, change: bool) -> None:
        if change and obj.pk:
            stored = type(obj)._default_manager.filter(pk=obj.pk).first()
            obj._audit_before = self.snapshot(stored) if stored else None  # type: ignore[attr-defined]
        super().save_model(request, obj, form, change)

    def log_addition(self, request: HttpRequest, obj: Model, message: Any) -> Any:
        record(request.user, f"admin.{self._entity(obj)}.add", self._entity(obj), obj.pk,
               summary=f"Quản trị Django: thêm {obj}", after=self.masked(self.snapshot(obj)), reason=_text(message))
        return super().log_addition(request, obj, message)

    def log_change(self, request: HttpRequest, obj: Model, message: Any) -> Any:
        before = getattr(obj, "_audit_before", None) or getattr(request, "_audit_before", None)
        after: dict[str, Any] | None = self.snapshot(obj)
        if before is not None and after is not None:
            changed = {k for k in after if before.get(k) != after.get(k)}
            before = self.masked({k: before.get(k) for k in changed})
            after = self.masked({k: after[k] for k in changed}, "*** (mới)")
        else:
            after = self.masked(after)
        record(request.user, f"admin.{self._entity(obj)}.change", self._entity(obj), obj.pk,
               summary=f"Quản trị Django: sửa {obj} — {_text(message)}"[:255], before=before, after=after,
               reason=_text(message))
        return super().log_change(request, obj, message)

    def log_deletions(self, request: HttpRequest, queryset: QuerySet[Any]) -> Any:
        for obj in queryset:
            record(request.user, f"admin.{self._entity(obj)}.delete", self._entity(obj), obj.pk,
                   summary=f"Quản trị Django: xóa {obj}", before=self.masked(self.snapshot(obj)))
        return super().log_deletions(request, queryset)


class AuditedUserAdmin(AuditedAdmin, UserAdmin):  # type: ignore[misc]
    def snapshot(self, obj: Model) -> dict[str, Any]:
        data = super().snapshot(obj)
        data.pop("last_login", None)  # bookkeeping, not a change anyone made
        return data

    def user_change_password(self, request: HttpRequest, id: str, form_url: str = "") -> Any:
        # The password form saves without save_model: note the old state so the event says
        # that the password (and only it) changed.
        user = self.get_object(request, id)
        if user is not None and request.method == "POST":
            request._audit_before = self.snapshot(user)  # type: ignore[attr-defined]
        return super().user_change_password(request, id, form_url)


class AuditedGroupAdmin(AuditedAdmin, GroupAdmin):  # type: ignore[misc]
    pass


@admin.register(Membership)
class MembershipAdmin(AuditedAdmin):
    list_display = ("user", "role", "unit")
    list_filter = ("role",)
    raw_id_fields = ("user", "unit")


@admin.register(DutyRule)
class DutyRuleAdmin(AuditedAdmin):
    list_display = ("unit", "submitter_may_not_approve")
    raw_id_fields = ("unit",)


for _model, _admin in ((get_user_model(), AuditedUserAdmin), (Group, AuditedGroupAdmin)):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)
    admin.site.register(_model, _admin)
