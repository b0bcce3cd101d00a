"""Demo data: Trà Vinh's figures from three real reports (2017, quý I/2020, 2022) and demo accounts.

The figures are the hand-checked gold files of the corpus reports, including the comparison
figures they state for other periods. Everything is loaded through the ordinary services.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser

from baocao.access.models import Role
from baocao.access.services import create_user, grant_role
from baocao.datavalues.importing import ImportResult, import_file
from baocao.demo.registers import RegistersResult, load_demo_registers
from baocao.orgunits.lookup import find_unit
from baocao.orgunits.models import OrgUnit

DATA_DIR = Path(__file__).resolve().parent / "data"
DEMO_PROVINCE = "Trà Vinh"
DEMO_FILES = ["travinh_2017.json", "travinh_quy1_2020.json", "travinh_2022.json"]
DEMO_PASSWORD = "baocao-demo-2026"


@dataclass(frozen=True)
class DemoAccount:
    username: str
    full_name: str
    role: str | None
    unit: str | None
    level: str | None = "province"


DEMO_ACCOUNTS = [
    DemoAccount("quantri", "Quản trị hệ thống", None, None),
    DemoAccount("chuyenvien.travinh", "Chuyên viên Sở TT&TT Trà Vinh", Role.DATA_ENTRY, "Trà Vinh"),
    DemoAccount("lanhdao.travinh", "Lãnh đạo Sở TT&TT Trà Vinh", Role.APPROVER, "Trà Vinh"),
    DemoAccount("xem.travinh", "UBND tỉnh Trà Vinh (xem)", Role.VIEWER, "Trà Vinh"),
    DemoAccount("bo.tonghop", "Bộ (xem toàn quốc)", Role.VIEWER, "VN", None),
]


@dataclass
class DemoResult:
    imports: list[ImportResult] = field(default_factory=list)
    accounts: list[str] = field(default_factory=list)
    registers: RegistersResult | None = None


def demo_unit(on_year: int = 2022) -> OrgUnit:
    from datetime import date

    return find_unit(DEMO_PROVINCE, on=date(on_year, 12, 31), level="province")


def load_demo(actor: AbstractBaseUser) -> DemoResult:
    """Load (or reload: values are upserted, accounts kept) the demo data."""
    result = DemoResult()
    unit = demo_unit()
    for name in DEMO_FILES:
        result.imports.append(import_file(actor, DATA_DIR / name, unit=unit, reason="Dữ liệu mẫu"))
    users = get_user_model().objects
    for account in DEMO_ACCOUNTS:
        user = users.filter(username=account.username).first()
        if user is None:
            user = create_user(
                actor,
                username=account.username,
                password=DEMO_PASSWORD,
                full_name=account.full_name,
                is_superuser=account.role is None,
                reason="Tài khoản mẫu",
            )
        if account.role and account.unit:
            target = unit if account.unit == DEMO_PROVINCE else find_unit(account.unit, level=account.level)
            grant_role(actor, user, target, account.role, reason="Tài khoản mẫu")
        result.accounts.append(account.username)
    result.registers = load_demo_registers(actor)
    return result
