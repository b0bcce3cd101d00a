"""The write path of org units and successions: permission, validation, audit, atomic commit.

Paths are materialised ("/1/5/12/": the ids from the root down to the unit itself), so every
function that sets or changes a parent rewrites the paths of the whole subtree in the same
transaction — a half-rewritten subtree would silently widen or narrow someone's access.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import CharField, F, Max, Q, Value
from django.db.models.functions import Concat, Length, Substr

from baocao.access.access import Perm, require, require_admin
from baocao.audit.services import event, record, record_many

from .lookup import predecessors as lineage
from .models import OrgUnit, SuccessionKind, UnitLevel, UnitSuccession
from .names import search_key

Actor = AbstractBaseUser | AnonymousUser

# Administrative geography is national: only system administrators change it, even under a
# province someone administers. Departments, their sub-units and enterprises are a
# province's own business, so an admin of the parent may create and edit them.
ADMINISTRATIVE_LEVELS = frozenset({UnitLevel.COUNTRY, UnitLevel.PROVINCE, UnitLevel.DISTRICT, UnitLevel.COMMUNE})

EDITABLE_FIELDS = ("code", "name", "full_name", "level", "parent", "gso_code", "valid_from", "valid_to", "attributes")
MAX_PATH_LENGTH = OrgUnit._meta.get_field("path").max_length or 255


def snapshot(unit: OrgUnit) -> dict[str, Any]:
    """What the audit trail keeps of a unit (parent by code: ids mean nothing to a reader)."""
    return {
        "code": unit.code,
        "name": unit.name,
        "full_name": unit.full_name,
        "level": unit.level,
        "parent": unit.parent.code if unit.parent is not None else None,
        "gso_code": unit.gso_code,
        "valid_from": unit.valid_from,
        "valid_to": unit.valid_to,
        "attributes": unit.attributes,
        "path": unit.path,
    }


def _fmt(day: datetime.date | None) -> str:
    return f"{day:%d/%m/%Y}" if day else "không giới hạn"


def _check_permission(actor: Actor, level: str, parent: OrgUnit | None) -> None:
    if level in ADMINISTRATIVE_LEVELS or parent is None:
        require_admin(actor)
    else:
        require(actor, parent, Perm.ADMIN)


def _validate_fields(
    *,
    code: str,
    name: str,
    level: str,
    parent: OrgUnit | None,
    valid_from: datetime.date | None,
    valid_to: datetime.date | None,
    attributes: Any,
    exclude_pk: int | None = None,
) -> None:
    """Raise one ValidationError with every problem, keyed by field."""
    errors: dict[str, str] = {}
    if not code or not code.strip():
        errors["code"] = "Mã đơn vị không được để trống"
    elif code != code.strip() or len(code) > 64:
        errors["code"] = f"Mã đơn vị '{code}' không hợp lệ (không có khoảng trắng đầu/cuối, tối đa 64 ký tự)"
    elif OrgUnit.objects.filter(code=code).exclude(pk=exclude_pk if exclude_pk is not None else -1).exists():
        errors["code"] = f"Mã đơn vị '{code}' đã có"
    if not name or not name.strip():
        errors["name"] = "Tên đơn vị không được để trống"
    elif len(name) > 200:
        errors["name"] = "Tên đơn vị dài quá 200 ký tự"
    if level not in UnitLevel.values:
        errors["level"] = f"Cấp '{level}' không hợp lệ ({', '.join(UnitLevel.values)})"
    if valid_from and valid_to and valid_to <= valid_from:
        errors["valid_to"] = f"Ngày hết hiệu lực {_fmt(valid_to)} phải sau ngày có hiệu lực {_fmt(valid_from)}"
    if not isinstance(attributes, dict):
        errors["attributes"] = "Thuộc tính phải là một từ điển (JSON object)"
    if parent is not None and "valid_to" not in errors:
        # A unit cannot exist on a day its parent does not: data entered for it that day
        # would belong to no province.
        if parent.valid_from and (valid_from is None or valid_from < parent.valid_from):
            errors["valid_from"] = (
                f"Đơn vị phải có hiệu lực từ {_fmt(parent.valid_from)} trở đi, "
                f"như đơn vị cấp trên {parent} ({parent.code})"
            )
        if parent.valid_to and (valid_to is None or valid_to > parent.valid_to):
            errors["valid_to"] = (
                f"Đơn vị phải hết hiệu lực chậm nhất {_fmt(parent.valid_to)}, "
                f"như đơn vị cấp trên {parent} ({parent.code})"
            )
    if errors:
        raise ValidationError(errors)


def create_unit(
    actor: Actor,
    *,
    code: str,
    name: str,
    level: str,
    parent: OrgUnit | None = None,
    full_name: str = "",
    gso_code: str = "",
    valid_from: datetime.date | None = None,
    valid_to: datetime.date | None = None,
    attributes: dict[str, Any] | None = None,
    reason: str = "",
) -> OrgUnit:
    """Create one unit under `parent` (None: a new root, system administrators only)."""
    _check_permission(actor, level, parent)
    attributes = {} if attributes is None else attributes
    _validate_fields(
        code=code, name=name, level=level, parent=parent,
        valid_from=valid_from, valid_to=valid_to, attributes=attributes,
    )
    with transaction.atomic():
        if parent is not None:
            # Lock the parent so a concurrent move cannot leave us under a stale path.
            parent = OrgUnit.objects.select_for_update().get(pk=parent.pk)
        unit = OrgUnit(
            code=code, name=name.strip(), full_name=full_name.strip(), search_name=search_key(name),
            level=level, parent=parent, gso_code=gso_code, valid_from=valid_from, valid_to=valid_to,
            attributes=attributes, path="",
        )
        unit.save()  # the id is part of the path, so the path is set right after
        unit.path = f"{parent.path if parent else '/'}{unit.pk}/"
        if len(unit.path) > MAX_PATH_LENGTH:
            raise ValidationError({"parent": f"Cây đơn vị quá sâu: đường dẫn {unit.path} dài quá {MAX_PATH_LENGTH}"})
        unit.save(update_fields=["path"])
        record(actor, "orgunit.create", "orgunit", unit.pk, unit=unit, summary=f"Tạo đơn vị {unit} ({unit.code})",
               after=snapshot(unit), reason=reason)
    return unit


def _rewrite_subtree(old_path: str, new_path: str) -> int:
    """Replace the `old_path` prefix by `new_path` in the unit and all its descendants."""
    return OrgUnit.objects.filter(path__startswith=old_path).update(
        path=Concat(Value(new_path), Substr(F("path"), len(old_path) + 1), output_field=CharField())
    )


def update_unit(actor: Actor, unit: OrgUnit, *, reason: str = "", **changes: Any) -> OrgUnit:
    """Change fields of a unit; `parent=` moves it with its subtree. Returns the fresh unit.

    `search_name` and `path` follow `name` and `parent`; they cannot be set directly.
    """
    unknown = sorted(set(changes) - set(EDITABLE_FIELDS))
    if unknown:
        raise ValidationError(
            {k: f"Không sửa được trường '{k}' (sửa được: {', '.join(EDITABLE_FIELDS)})" for k in unknown}
        )
    with transaction.atomic():
        current = OrgUnit.objects.select_for_update(of=("self",)).select_related("parent").get(pk=unit.pk)
        new_parent = changes.get("parent", current.parent)
        new_level = changes.get("level", current.level)
        # Both the unit's current place and its new one must be the actor's to change.
        _check_permission(actor, current.level, current.parent)
        if "parent" in changes or "level" in changes:
            _check_permission(actor, new_level, new_parent)
        merged = {f: changes.get(f, getattr(current, f)) for f in EDITABLE_FIELDS}
        _validate_fields(
            code=merged["code"], name=merged["name"], level=merged["level"], parent=new_parent,
            valid_from=merged["valid_from"], valid_to=merged["valid_to"], attributes=merged["attributes"],
            exclude_pk=current.pk,
        )
        moving = (new_parent.pk if new_parent else None) != current.parent_id
        if moving and new_parent is not None:
            # Lock and re-read the new parent: its path decides the subtree's new paths.
            new_parent = OrgUnit.objects.select_for_update().get(pk=new_parent.pk)
        if moving and new_parent is not None and new_parent.path.startswith(current.path):
            raise ValidationError({"parent": f"Không chuyển được {current} vào chính nó hoặc đơn vị cấp dưới của nó"})
        _check_children_within(current, merged["valid_from"], merged["valid_to"])

        before = snapshot(current)
        for field in EDITABLE_FIELDS:
            setattr(current, field, merged[field])
        current.name = current.name.strip()
        current.search_name = search_key(current.name)
        old_path = current.path
        if moving:
            current.path = f"{new_parent.path if new_parent else '/'}{current.pk}/"
            longest = OrgUnit.objects.filter(path__startswith=old_path).aggregate(n=Max(Length("path")))["n"] or 0
            if longest - len(old_path) + len(current.path) > MAX_PATH_LENGTH:
                raise ValidationError({"parent": f"Cây đơn vị quá sâu sau khi chuyển (đường dẫn dài quá {MAX_PATH_LENGTH})"})
        after = snapshot(current)
        if after == before:
            return current
        current.save()
        if moving:
            after["moved_descendants"] = _rewrite_subtree(old_path, current.path)
        action = "orgunit.move" if moving else "orgunit.update"
        record(actor, action, "orgunit", current.pk, unit=current, summary=f"Sửa đơn vị {current} ({current.code})",
               before=before, after=after, reason=reason)
    unit.refresh_from_db()  # the caller's instance must not keep the old path or name
    return current


def _check_children_within(unit: OrgUnit, valid_from: datetime.date | None, valid_to: datetime.date | None) -> None:
    """Narrowing a unit's interval must not leave children valid outside it (use close_unit)."""
    children = OrgUnit.objects.filter(parent=unit).order_by("code")
    checks = []
    if valid_to is not None:
        checks.append(("valid_to", children.filter(Q(valid_to__isnull=True) | Q(valid_to__gt=valid_to))))
    if valid_from is not None:
        checks.append(("valid_from", children.filter(Q(valid_from__isnull=True) | Q(valid_from__lt=valid_from))))
    errors = {}
    for field, outside in checks:
        example = outside.first()
        if example is not None:
            errors[field] = (
                f"{outside.count()} đơn vị cấp dưới (ví dụ {example}, {example.code}) còn hiệu lực ngoài "
                "khoảng thời gian mới; hãy đóng chúng trước (close_unit đóng cả cây)"
            )
    if errors:
        raise ValidationError(errors)


def close_unit(actor: Actor, unit: OrgUnit, valid_to: datetime.date, reason: str) -> OrgUnit:
    """End a unit on `valid_to` (the first day it no longer exists) with its whole subtree.

    Descendants still valid after that day are closed on the same day: a commune cannot
    outlive its district. Closing again on the same day changes nothing.
    """
    if not reason or not reason.strip():
        raise ValidationError({"reason": "Cần ghi lý do (căn cứ) đóng đơn vị"})
    if not isinstance(valid_to, datetime.date):
        raise ValidationError({"valid_to": f"Ngày hết hiệu lực phải là một ngày, không phải {valid_to!r}"})
    with transaction.atomic():
        current = OrgUnit.objects.select_for_update(of=("self",)).select_related("parent").get(pk=unit.pk)
        _check_permission(actor, current.level, current.parent)
        if current.valid_to == valid_to:
            return current
        if current.valid_to is not None and current.valid_to < valid_to:
            raise ValidationError(
                {"valid_to": f"{current} đã hết hiệu lực từ {_fmt(current.valid_to)}; sửa ngày bằng update_unit"}
            )
        if current.valid_from is not None and valid_to <= current.valid_from:
            raise ValidationError(
                {"valid_to": f"Ngày hết hiệu lực {_fmt(valid_to)} phải sau ngày có hiệu lực {_fmt(current.valid_from)}"}
            )
        affected = list(
            OrgUnit.objects.select_for_update(of=("self",))
            .filter(path__startswith=current.path)
            .exclude(valid_to__isnull=False, valid_to__lte=valid_to)
            .select_related("parent")
        )
        too_young = [u for u in affected if u.valid_from is not None and u.valid_from >= valid_to]
        if too_young:
            u = too_young[0]
            raise ValidationError(
                {"valid_to": f"Đơn vị cấp dưới {u} ({u.code}) bắt đầu từ {_fmt(u.valid_from)}, không đóng trước ngày đó được"}
            )
        events = []
        for u in affected:
            before = snapshot(u)
            u.valid_to = valid_to
            summary = f"Đóng đơn vị {u} ({u.code}) từ {_fmt(valid_to)}"
            if u.pk != current.pk:
                summary += f" cùng {current.code}"
            events.append(event(actor, "orgunit.close", "orgunit", u.pk, unit=u, summary=summary,
                                before=before, after=snapshot(u), reason=reason))
        OrgUnit.objects.bulk_update(affected, ["valid_to"], batch_size=500)
        record_many(events)
        current.valid_to = valid_to
    unit.refresh_from_db()
    return current


def record_succession(
    actor: Actor,
    predecessors: Iterable[OrgUnit],
    successor: OrgUnit,
    date: datetime.date,
    kind: str = SuccessionKind.MERGE,
    legal_basis: str = "",
    reason: str = "",
) -> list[UnitSuccession]:
    """Record that `predecessors` became (part of) `successor` on `date`.

    Always a system administrator's act: `visible_units` grants a role on a unit over the
    subtrees of its predecessors too, so a succession widens access.
    For "merge" and "rename" the predecessors must already end on `date` (close_unit first):
    the date where one stops and the other starts has to be the same for both.
    """
    require_admin(actor)
    preds = list(predecessors)
    errors: dict[str, str] = {}
    if kind not in SuccessionKind.values:
        errors["kind"] = f"Loại '{kind}' không hợp lệ ({', '.join(SuccessionKind.values)})"
    if not isinstance(date, datetime.date):
        errors["date"] = f"Ngày hiệu lực phải là một ngày, không phải {date!r}"
    if not preds:
        errors["predecessors"] = "Cần ít nhất một đơn vị tiền thân"
    if len(legal_basis) > 255:
        errors["legal_basis"] = "Căn cứ pháp lý dài quá 255 ký tự"
    if errors:
        raise ValidationError(errors)
    problems: list[str] = []
    if not successor.is_valid_on(date):
        errors["successor"] = (
            f"{successor} ({successor.code}) không có hiệu lực ngày {_fmt(date)} "
            f"(hiệu lực {_fmt(successor.valid_from)} – {_fmt(successor.valid_to)})"
        )
    ancestors_of_successor = {u.pk for u in lineage(successor)}
    seen: set[int] = set()
    for pred in preds:
        if pred.pk == successor.pk:
            problems.append(f"{pred.code} không thể kế thừa chính nó")
        elif pred.pk in seen:
            problems.append(f"{pred.code} được nêu hai lần")
        elif successor.pk in {u.pk for u in lineage(pred)}:
            problems.append(f"{pred.code} vốn là hậu thân của {successor.code} (tạo vòng)")
        elif pred.pk in ancestors_of_successor:
            problems.append(f"{pred.code} đã là tiền thân của {successor.code}")
        elif pred.valid_from is not None and pred.valid_from >= date:
            problems.append(f"{pred.code} chỉ có hiệu lực từ {_fmt(pred.valid_from)}, không thể là tiền thân ngày {_fmt(date)}")
        elif kind in (SuccessionKind.MERGE, SuccessionKind.RENAME) and pred.valid_to != date:
            problems.append(
                f"{pred.code} hết hiệu lực {_fmt(pred.valid_to)}, không phải {_fmt(date)}: "
                "đóng đơn vị trước (close_unit) với ngày hết hiệu lực là ngày sáp nhập"
            )
        seen.add(pred.pk)
    if problems:
        errors["predecessors"] = "; ".join(problems)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        created = []
        for pred in preds:
            succession = UnitSuccession.objects.create(
                predecessor=pred, successor=successor, date=date, kind=kind, legal_basis=legal_basis
            )
            created.append(succession)
            record(actor, "succession.create", "unitsuccession", succession.pk, unit=successor,
                   summary=f"{pred.code} → {successor.code} ({kind}, {_fmt(date)})",
                   after=succession_snapshot(succession), reason=reason)
    return created


def succession_snapshot(succession: UnitSuccession) -> dict[str, Any]:
    return {
        "predecessor": succession.predecessor.code,
        "successor": succession.successor.code,
        "date": succession.date,
        "kind": succession.kind,
        "legal_basis": succession.legal_basis,
    }

