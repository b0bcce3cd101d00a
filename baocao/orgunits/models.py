"""Org units that survive reorganisations.

A unit is valid over [valid_from, valid_to) and keeps links to its predecessors and
successors, so that a series asked for a unit created in the 2025 merger can be rolled up
from the units it replaced.
"""

from __future__ import annotations

import datetime

from django.db import models


class UnitLevel(models.TextChoices):
    COUNTRY = "country", "Quốc gia"
    PROVINCE = "province", "Tỉnh, thành phố"
    DISTRICT = "district", "Huyện, quận, thị xã, thành phố thuộc tỉnh"
    COMMUNE = "commune", "Xã, phường, thị trấn"
    DEPARTMENT = "department", "Sở, cơ quan chuyên môn"
    SUBUNIT = "subunit", "Phòng, đơn vị thuộc Sở"
    ENTERPRISE = "enterprise", "Doanh nghiệp"


class OrgUnit(models.Model):
    code = models.CharField(max_length=64, unique=True)
    name = models.CharField(max_length=200, help_text="Tên ngắn như báo cáo viết: 'Trà Vinh'")
    full_name = models.CharField(max_length=255, blank=True, help_text="'Tỉnh Trà Vinh'")
    search_name = models.CharField(max_length=200, db_index=True, help_text="Tên không dấu, chữ thường")
    level = models.CharField(max_length=16, choices=UnitLevel.choices)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    # Materialised path of ancestor ids ("/1/5/12/") so that a subtree is one indexed prefix query.
    path = models.CharField(max_length=255, db_index=True, editable=False)
    gso_code = models.CharField(max_length=16, blank=True, help_text="Mã đơn vị hành chính (Tổng cục Thống kê)")
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True, help_text="Ngày đầu tiên không còn hiệu lực")
    # Per-unit settings that differ between provinces (report header names, symbol, signer...).
    attributes = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["path"]
        indexes = [models.Index(fields=["level", "search_name"])]

    def __str__(self) -> str:
        return self.full_name or self.name

    def is_valid_on(self, day: datetime.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day < self.valid_to
        )

    def overlaps(self, start: datetime.date, end: datetime.date) -> bool:
        """True when the unit existed on some day of [start, end] (both inclusive)."""
        return (self.valid_from is None or self.valid_from <= end) and (
            self.valid_to is None or start < self.valid_to
        )

    def is_ancestor_of(self, other: OrgUnit) -> bool:
        return other.path.startswith(self.path)


class SuccessionKind(models.TextChoices):
    MERGE = "merge", "Sáp nhập, hợp nhất"
    SPLIT = "split", "Chia tách"
    RENAME = "rename", "Đổi tên"
    TRANSFER = "transfer", "Điều chỉnh địa giới"


class UnitSuccession(models.Model):
    predecessor = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="successions")
    successor = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="predecessions")
    date = models.DateField(help_text="Ngày có hiệu lực")
    kind = models.CharField(max_length=16, choices=SuccessionKind.choices, default=SuccessionKind.MERGE)
    legal_basis = models.CharField(max_length=255, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["predecessor", "successor"], name="unique_unit_succession"),
        ]

    def __str__(self) -> str:
        return f"{self.predecessor} → {self.successor} ({self.date:%d/%m/%Y})"


class UnitAncestor(models.Model):
    """(ancestor, descendant) pairs of the org-unit tree, depth 0 for the unit itself: the closure
    that set-based roll-ups join on. Derived from OrgUnit.path and kept in step by database
    triggers (`orgunits.ancestors`), so every write path — services, the bulk seed, subtree
    moves — keeps it right without calling anything.

    Plain integer columns rather than foreign keys: rows are written by triggers while a seed
    inserts thousands of units, and they go with their unit without Django's help.
    `path` is the descendant's materialised path, repeated so that a roll-up can order units
    in tree order without joining OrgUnit again. The table keeps the name it was created with
    (the triggers and roll-up SQL name it).
    """

    ancestor_id = models.BigIntegerField()
    descendant_id = models.BigIntegerField()
    depth = models.PositiveSmallIntegerField()
    path = models.CharField(max_length=255)

    class Meta:
        db_table = "jobs_unitancestor"
        constraints = [
            models.UniqueConstraint(fields=["ancestor_id", "descendant_id"], name="unique_unit_ancestor"),
        ]
        indexes = [models.Index(fields=["descendant_id"], name="jobs_unitanc_desc_idx")]

    def __str__(self) -> str:
        return f"{self.ancestor_id} ⊇ {self.descendant_id} ({self.depth})"
