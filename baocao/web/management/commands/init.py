from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand

from baocao.access.system import system_user
from baocao.catalog.services import load_catalog
from baocao.datavalues.population import load_population
from baocao.orgunits.seed import seed_administrative_units


class Command(BaseCommand):
    help = (
        "Tạo hoặc nâng cấp CSDL, nạp danh mục chỉ tiêu và đơn vị hành chính; chạy lại an toàn. / "
        "Create or migrate the database, load the catalog and administrative units; idempotent."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write("✔ CSDL đã sẵn sàng (migrate)")
        actor = system_user()
        seeded = seed_administrative_units(actor)
        self.stdout.write(f"✔ Đơn vị hành chính: {seeded.summary()}")
        loaded = load_catalog(actor)
        self.stdout.write(f"✔ Danh mục chỉ tiêu và quy tắc: {loaded.summary()}")
        population = load_population(actor)
        self.stdout.write(f"✔ Dân số: {population.summary()}")
