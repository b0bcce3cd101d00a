"""`baocao token`: issue, list and revoke API tokens (acting as the system account, audited)."""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from baocao.access.access import AccessDenied
from baocao.access.system import system_user
from baocao.api.models import ApiToken
from baocao.api.services import issue_token, revoke_token
from baocao.orgunits.lookup import UnitNotFound, find_unit_or_former
from baocao.orgunits.models import OrgUnit


def _unit(text: str) -> OrgUnit:
    try:
        return find_unit_or_former(text)
    except UnitNotFound as exc:
        raise CommandError(f"--unit: {exc}") from None


def _expiry(text: str) -> datetime:
    """'90d' (days from now), '31/12/2026' or '2026-12-31' (the end of that day, local time)."""
    text = text.strip()
    if re.fullmatch(r"\d+d", text):
        return timezone.now() + timedelta(days=int(text[:-1]))
    for pattern in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            day = datetime.strptime(text, pattern)
        except ValueError:
            continue
        return timezone.make_aware(datetime.combine(day.date(), time(23, 59, 59)))
    raise CommandError(f"--expires: không hiểu '{text}' (dùng 31/12/2026, 2026-12-31 hoặc 90d) / bad date")


def _limits(token: ApiToken) -> str:
    parts = ["chỉ đọc" if token.read_only else ""]
    units = [u.name for u in token.units.all()]
    if units:
        parts.append("đơn vị: " + ", ".join(units))
    if token.expires:
        parts.append(f"hết hạn {timezone.localtime(token.expires):%d/%m/%Y %H:%M}")
    return "; ".join(p for p in parts if p)


class Command(BaseCommand):
    help = (
        "Cấp, liệt kê, thu hồi token API (tiêu đề 'Authorization: Bearer <token>'). / "
        "Issue, list and revoke API tokens (header 'Authorization: Bearer <token>')."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="Cấp token mới (in ra một lần) / issue a token (printed once)")
        create.add_argument("--user", required=True, help="Tên đăng nhập / username")
        create.add_argument("--name", required=True, help="Hệ thống dùng token / what the token is for")
        create.add_argument("--reason", default="", help="Lý do (ghi nhật ký) / reason for the audit log")
        create.add_argument("--read-only", action="store_true", help="Chỉ đọc / read-only token")
        create.add_argument(
            "--unit", action="append", default=[],
            help="Chỉ đơn vị này và trực thuộc (lặp lại được) / only this unit's subtree (repeatable)",
        )
        create.add_argument(
            "--expires", help="Hết hạn: ngày (31/12/2026 hoặc 2026-12-31) hoặc số ngày (90d) / expiry date or days"
        )
        listing = sub.add_parser("list", help="Liệt kê token / list tokens")
        listing.add_argument("--user", help="Chỉ token của người dùng này / only this user's tokens")
        listing.add_argument("--all", action="store_true", help="Cả token đã thu hồi / include revoked")
        revoke = sub.add_parser("revoke", help="Thu hồi token / revoke a token")
        revoke.add_argument("token_id", type=int, help="Số hiệu token (cột id của 'list') / token id")
        revoke.add_argument("--reason", default="", help="Lý do (ghi nhật ký) / reason for the audit log")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            getattr(self, f"_{options['action']}")(options)
        except (ValidationError, AccessDenied) as exc:
            raise CommandError("; ".join(getattr(exc, "messages", [str(exc)]))) from exc

    def _create(self, options: dict[str, Any]) -> None:
        user = get_user_model().objects.filter(username=options["user"]).first()
        if user is None:
            raise CommandError(f"Không có người dùng '{options['user']}' / no such user")
        units = [_unit(text) for text in options.get("unit") or []]
        expires = _expiry(options["expires"]) if options.get("expires") else None
        issued = issue_token(
            system_user(), user, options["name"], reason=options["reason"],
            read_only=bool(options.get("read_only")), units=units, expires=expires,
        )
        self.stdout.write(f"✔ Token #{issued.token.pk} '{issued.token.name}' cho {user.get_username()}")
        limits = _limits(issued.token)
        if limits:
            self.stdout.write(f"  Giới hạn / limits: {limits}")
        self.stdout.write(
            "Lưu token này ngay, hệ thống không hiển thị lại / store it now, it is not shown again:"
        )
        self.stdout.write(issued.secret)

    def _list(self, options: dict[str, Any]) -> None:
        tokens = ApiToken.objects.select_related("user")
        if options.get("user"):
            tokens = tokens.filter(user__username=options["user"])
        if not options.get("all"):
            tokens = tokens.filter(revoked__isnull=True)
        rows = list(tokens)
        if not rows:
            self.stdout.write("Không có token / no tokens")
            return
        for t in rows:
            used = f"{t.last_used:%d/%m/%Y %H:%M}" if t.last_used else "chưa dùng"
            state = f"thu hồi {t.revoked:%d/%m/%Y}" if t.revoked else ("hết hạn" if t.is_expired else "hiệu lực")
            limits = _limits(t)
            self.stdout.write(
                f"{t.pk:>5}  {t.prefix}…  {t.user.get_username():<22} {t.name:<30} "
                f"tạo {t.created:%d/%m/%Y}  dùng: {used}  {state}" + (f"  [{limits}]" if limits else "")
            )

    def _revoke(self, options: dict[str, Any]) -> None:
        token = ApiToken.objects.select_related("user").filter(pk=options["token_id"]).first()
        if token is None:
            raise CommandError(f"Không có token #{options['token_id']} / no such token")
        revoke_token(system_user(), token, reason=options["reason"])
        self.stdout.write(f"✔ Đã thu hồi token #{token.pk} '{token.name}' của {token.user.get_username()}")
