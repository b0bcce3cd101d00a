"""A second (and third) baocao process for test_stamps.py, on a copy of the test database: it
reads one command a line on stdin and answers one JSON line on stdout.

    ask USER UNIT FIELD   what a request of USER would be told now, through the kept lookups
                          (the session's user, the unit by code, the grants, the field's
                          indicators), and how many queries other than the stamps it took
    make USER             create the account (the system user acts)
    grant USER UNIT / revoke USER UNIT        a data-entry role, through the access services
    indicator CODE on|off                     through the catalog service
    rename UNIT NAME                          through the org-unit service
    deactivate USER       the account switched off by a plain UPDATE (no model signal)
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "baocao.settings")

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from baocao.access.models import Membership, Role  # noqa: E402
from baocao.access.policy import POLICY, Perm  # noqa: E402
from baocao.access.services import create_user, grant_role, revoke_role  # noqa: E402
from baocao.access.system import system_user  # noqa: E402
from baocao.catalog.models import Indicator  # noqa: E402
from baocao.catalog.services import update_indicator  # noqa: E402
from baocao.core.periods import Period  # noqa: E402
from baocao.orgunits.models import OrgUnit  # noqa: E402
from baocao.orgunits.services import update_unit  # noqa: E402
from baocao.web.entry_rows import section_indicators  # noqa: E402
from baocao.web.scope import unit_for  # noqa: E402
from baocao.web.throttle import ThrottledBackend  # noqa: E402

User = get_user_model()


def ask(username: str, unit_code: str, field: str) -> dict[str, Any]:
    pks = dict(User.objects.filter(username__in=[username, "he-thong"]).values_list("username", "pk"))
    with CaptureQueriesContext(connection) as queries:
        backend = ThrottledBackend()
        admin = backend.get_user(pks["he-thong"])  # as a request's session reads its user
        user = backend.get_user(pks[username])
        unit = unit_for(admin, unit_code)  # type: ignore[arg-type]
        answer = {
            "user": user.get_username() if user is not None else None,  # type: ignore[attr-defined]
            "enter": sorted(u.code for u in POLICY.granted_units(user, Perm.ENTER)) if user is not None else [],
            "may_enter": bool(user is not None and POLICY.can(user, unit, Perm.ENTER)),  # type: ignore[arg-type]
            "unit_name": unit.name,
            "indicators": [i.code for i in section_indicators(field, Period.from_code("2022"))],
        }
    answer["queries"] = sum("ops_stamp" not in q["sql"] for q in queries.captured_queries)
    return answer


def change(command: str, args: list[str]) -> dict[str, Any]:
    actor = system_user()
    if command == "make":
        create_user(actor, username=args[0], password="Mat-khau-thu-2026", full_name=args[0])
    elif command in ("grant", "revoke"):
        user, unit = User.objects.get(username=args[0]), OrgUnit.objects.get(code=args[1])
        if command == "grant":
            grant_role(actor, user, unit, Role.DATA_ENTRY, reason="thử")
        else:
            revoke_role(actor, Membership.objects.get(user=user, unit=unit, role=Role.DATA_ENTRY), reason="thử")
    elif command == "indicator":
        update_indicator(actor, Indicator.objects.get(code=args[0]), is_active=args[1] == "on", reason="thử")
    elif command == "rename":
        update_unit(actor, OrgUnit.objects.get(code=args[0]), name=" ".join(args[1:]), reason="thử")
    elif command == "deactivate":
        User.objects.filter(username=args[0]).update(is_active=False)
    else:
        raise SystemExit(f"unknown command {command}")
    return {"done": command}


def main() -> None:
    for line in sys.stdin:
        command, *args = line.split()
        answer = ask(*args) if command == "ask" else change(command, args)
        print(json.dumps(answer), flush=True)


if __name__ == "__main__":
    main()
