"""What a web process keeps between requests (the session's user, a unit by its code, a user's
grants, a field's indicators: `baocao/ops/stamps.py`) is never stale: every change of the tables
they are read from — by this process or another, through a service or a plain UPDATE — gives the
table a new stamp in the changing transaction, and every lookup compares the stamps first."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from baocao.access.models import Membership, Role
from baocao.access.policy import POLICY, Perm
from baocao.catalog.models import Field, Indicator
from baocao.core.periods import Period
from baocao.ops import stamps
from baocao.orgunits.models import OrgUnit, UnitSuccession
from baocao.web.entry_rows import section_indicators
from baocao.web.scope import unit_for
from baocao.web.throttle import ThrottledBackend

from .conftest import PROJECT_DIR, production_env

User = get_user_model()


def _stamp(table: str) -> int | None:
    return stamps.current().get(table)


def _fresh(user: Any) -> Any:
    """The user as the next request has it (nothing kept on the object itself)."""
    return User.objects.get(pk=user.pk)


def _grant_by_sql(user: Any, unit: OrgUnit) -> None:
    """A membership written without the ORM: no model signal tells this process anything."""
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO access_membership (user_id, unit_id, role) VALUES (%s, %s, %s)",
                       [user.pk, unit.pk, Role.DATA_ENTRY])  # fmt: skip


@pytest.mark.django_db
def test_every_change_of_a_stamped_table_gives_it_a_new_stamp() -> None:
    travinh = OrgUnit.objects.get(code="P63-84")
    seen: dict[str, set[int | None]] = {table: {_stamp(table)} for table in stamps.STAMPED}

    def changed(table: str) -> None:
        stamp = _stamp(table)
        assert stamp is not None and stamp not in seen[table], table
        seen[table].add(stamp)

    user = User.objects.create(username="tem.thu")
    changed("auth_user")
    User.objects.filter(pk=user.pk).update(first_name="Tem")  # a queryset update: no signal
    changed("auth_user")
    unit = OrgUnit.objects.create(code="TEM-1", name="Tem", search_name="tem", level="commune", parent=travinh,
                                  path=f"{travinh.path}0/")  # fmt: skip
    changed("orgunits_orgunit")
    OrgUnit.objects.filter(pk=unit.pk).update(name="Tem 2")
    changed("orgunits_orgunit")
    succession = UnitSuccession.objects.create(predecessor=unit, successor=travinh, date="2025-07-01")
    changed("orgunits_unitsuccession")
    membership = Membership.objects.create(user=user, unit=unit, role=Role.VIEWER)
    changed("access_membership")
    membership.delete()
    changed("access_membership")
    field = Field.objects.create(code="tem", name_vi="Tem")
    changed("catalog_field")
    indicator = Indicator.objects.create(code="tem.mot", field=field, name_vi="Tem", unit="cái", kind="flow")
    changed("catalog_indicator")
    Indicator.objects.filter(pk=indicator.pk).delete()
    changed("catalog_indicator")
    succession.delete()
    changed("orgunits_unitsuccession")


@pytest.mark.django_db
def test_a_rolled_back_change_leaves_the_stamp_and_what_was_kept_inside_it_is_not_served() -> None:
    clerk = User.objects.create(username="tem.lui")
    district = OrgUnit.objects.get(code="D63-842")
    assert POLICY.granted_units(_fresh(clerk), Perm.ENTER) == []
    before = _stamp("access_membership")
    with pytest.raises(RuntimeError), transaction.atomic():
        _grant_by_sql(clerk, district)
        # asked inside the transaction: the grant is seen, and kept under the transaction's stamp
        assert [u.code for u in POLICY.granted_units(_fresh(clerk), Perm.ENTER)] == ["D63-842"]
        raise RuntimeError("rolled back")
    assert _stamp("access_membership") == before
    assert POLICY.granted_units(_fresh(clerk), Perm.ENTER) == []


@pytest.mark.django_db
def test_what_is_kept_is_read_again_after_a_change_no_signal_announced() -> None:
    clerk = User.objects.create(username="tem.giu")
    district = OrgUnit.objects.get(code="D63-842")
    assert not POLICY.can(_fresh(clerk), district, Perm.ENTER)
    with CaptureQueriesContext(connection) as kept:
        assert not POLICY.can(_fresh(clerk), district, Perm.ENTER)
    assert not any("access_membership" in q["sql"] for q in kept.captured_queries)  # kept: not read
    _grant_by_sql(clerk, district)
    assert POLICY.can(_fresh(clerk), district, Perm.ENTER)

    # the unit by code, the field's indicators and the session's user, changed by plain SQL
    unit_for(User.objects.get(username="he-thong"), "D63-842")
    OrgUnit.objects.filter(pk=district.pk).update(name="Tên mới")
    assert unit_for(User.objects.get(username="he-thong"), "D63-842").name == "Tên mới"
    codes = [i.code for i in section_indicators("cntt", Period.from_code("2022"))]
    Indicator.objects.filter(code=codes[0]).update(is_active=False)
    assert codes[0] not in [i.code for i in section_indicators("cntt", Period.from_code("2022"))]
    assert ThrottledBackend().get_user(clerk.pk) is not None
    User.objects.filter(pk=clerk.pk).update(is_active=False)
    assert ThrottledBackend().get_user(clerk.pk) is None


@pytest.mark.django_db
def test_each_request_gets_its_own_copy_of_what_is_kept() -> None:
    clerk = User.objects.create(username="tem.ban")
    Membership.objects.create(user=clerk, unit=OrgUnit.objects.get(code="D63-842"), role=Role.DATA_ENTRY)
    first, second = ThrottledBackend().get_user(clerk.pk), ThrottledBackend().get_user(clerk.pk)
    assert first is not second and first.pk == second.pk  # type: ignore[attr-defined]
    first.token_scope = "read-only"  # type: ignore[attr-defined]
    assert not hasattr(second, "token_scope")
    (mine,), (theirs,) = POLICY.granted_units(first, Perm.ENTER), POLICY.granted_units(second, Perm.ENTER)
    assert mine is not theirs and mine.pk == theirs.pk
    admin = User.objects.get(username="he-thong")
    assert unit_for(admin, "D63-842") is not unit_for(admin, "D63-842")
    one, two = section_indicators("cntt", Period.from_code("2022")), section_indicators("cntt", Period.from_code("2022"))
    assert one[0] is not two[0] and one[0].field is not two[0].field


@pytest.mark.django_db
def test_a_table_without_a_stamp_keeps_nothing() -> None:
    clerk = User.objects.create(username="tem.khong")
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM ops_stamp WHERE name = %s", ["auth_user"])
    ThrottledBackend().get_user(clerk.pk)
    with CaptureQueriesContext(connection) as queries:
        ThrottledBackend().get_user(clerk.pk)
    assert any('FROM "auth_user"' in q["sql"] for q in queries.captured_queries)


@pytest.mark.django_db
def test_migrate_puts_the_triggers_back() -> None:
    def triggers() -> set[str]:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SELECT tgname FROM pg_trigger WHERE tgname LIKE 'ops_stamp_%%'")
            else:
                cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'ops_stamp_%'")
            return {row[0] for row in cursor.fetchall()}

    installed = triggers()
    assert len(installed) == len(stamps.STAMPED) * (2 if connection.vendor == "postgresql" else 3)
    stamps.uninstall_triggers(connection)
    assert triggers() == set()
    before = stamps.current()
    stamps.ensure(connection)  # what every `migrate` ends with (post_migrate)
    assert triggers() == installed
    after = stamps.current()
    assert all(after[table] != before.get(table) for table in stamps.STAMPED)  # and every table stamped anew


# -- two processes ----------------------------------------------------------------------------------------
@pytest.fixture
def database_copy(django_db_setup: Any, django_db_blocker: Any, tmp_path: Path) -> Iterator[str]:
    """A copy of the seeded test database that other processes can open (its URL)."""
    with django_db_blocker.unblock():
        if connection.vendor == "sqlite":
            path = tmp_path / "copy.sqlite3"
            connection.ensure_connection()
            target = sqlite3.connect(path)
            connection.connection.backup(target)  # the in-memory test database, committed state
            target.close()
            yield f"sqlite:///{path}"
            return
        import psycopg

        settings = connection.settings_dict
        name, copy = settings["NAME"], f"{settings['NAME']}_stamps"
        auth = f"{settings['USER']}:{settings['PASSWORD']}@" if settings["PASSWORD"] else f"{settings['USER']}@"
        server = f"postgres://{auth}{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}"
        connection.close()  # a template database must have no other session
        with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{copy}" WITH (FORCE)')
            admin.execute(f'CREATE DATABASE "{copy}" TEMPLATE "{name}"')
            try:
                yield f"{server}/{copy}"
            finally:
                admin.execute(f'DROP DATABASE IF EXISTS "{copy}" WITH (FORCE)')


class Process:
    def __init__(self, url: str, var_dir: Path) -> None:
        env = production_env(var_dir, DATABASE_URL=url, DJANGO_SETTINGS_MODULE="baocao.settings", BAOCAO_HTTPS="0")
        self.log = (var_dir / "stderr.log").open("w")
        self.proc = subprocess.Popen([sys.executable, str(Path(__file__).with_name("stamps_child.py"))],
                                     cwd=PROJECT_DIR, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=self.log, text=True)  # fmt: skip

    def say(self, line: str) -> dict[str, Any]:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write(line + "\n")
        self.proc.stdin.flush()
        answer = self.proc.stdout.readline()
        if not answer:
            raise AssertionError(f"{line}: the process ended\n{Path(self.log.name).read_text()}")
        return json.loads(answer)  # type: ignore[no-any-return]

    def close(self) -> None:
        if self.proc.stdin is not None:
            self.proc.stdin.close()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.log.close()


def test_a_change_made_by_another_process_is_seen_by_the_next_request(database_copy: str, tmp_path: Path) -> None:
    (tmp_path / "keeper").mkdir()
    (tmp_path / "changer").mkdir()
    keeper, changer = Process(database_copy, tmp_path / "keeper"), Process(database_copy, tmp_path / "changer")
    ask = "ask hai.tien D63-842 cntt"
    try:
        changer.say("make hai.tien")
        first = keeper.say(ask)
        assert first["user"] == "hai.tien" and first["enter"] == [] and not first["may_enter"], first
        assert first["queries"] > 0
        assert keeper.say(ask) == {**first, "queries": 0}  # all kept: only the stamps were read

        changer.say("grant hai.tien D63-842")
        granted = keeper.say(ask)
        assert granted["enter"] == ["D63-842"] and granted["may_enter"], granted
        assert keeper.say(ask) == {**granted, "queries": 0}
        changer.say("revoke hai.tien D63-842")
        assert keeper.say(ask)["may_enter"] is False

        code = first["indicators"][0]
        changer.say(f"indicator {code} off")
        assert code not in keeper.say(ask)["indicators"]
        changer.say(f"indicator {code} on")
        assert keeper.say(ask)["indicators"] == first["indicators"]

        changer.say("rename D63-842 Huyện Thử Đổi Tên")
        assert keeper.say(ask)["unit_name"] == "Huyện Thử Đổi Tên"
        changer.say("deactivate hai.tien")  # a plain UPDATE: the session's user is no more
        assert keeper.say(ask)["user"] is None
    finally:
        keeper.close()
        changer.close()
