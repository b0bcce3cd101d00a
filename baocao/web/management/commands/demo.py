from typing import Any

from django.core.management.base import BaseCommand

from baocao.access.system import system_user
from baocao.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, load_demo


class Command(BaseCommand):
    help = (
        "Nạp dữ liệu mẫu (số liệu Trà Vinh 2017, quý I/2020, 2022; tài khoản mẫu). / "
        "Load the demo data (Trà Vinh figures 2017, Q1/2020, 2022; demo accounts)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        result = load_demo(system_user())
        for imported in result.imports:
            self.stdout.write(f"✔ {imported.path.rsplit('/', 1)[-1]}: {imported.saved.summary()}")
        if result.registers is not None:
            for line in result.registers.lines():
                self.stdout.write(f"✔ {line}")
        self.stdout.write(f"Tài khoản mẫu (mật khẩu / password: {DEMO_PASSWORD}):")
        for account in DEMO_ACCOUNTS:
            scope = f"{account.role} — {account.unit}" if account.role else "quản trị / administrator"
            self.stdout.write(f"  {account.username:<22} {account.full_name} ({scope})")
