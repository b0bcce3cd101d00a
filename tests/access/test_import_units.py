"""A unit named in an imported row is where the row goes; the file's default unit (`--unit`, the
page's unit) only fills rows naming none. A row for a unit out of the importer's scope, or one
that does not exist, is an error on its line — never stored under the default."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model

from baocao.access.access import AccessDenied
from baocao.access.models import Membership, Role
from baocao.datavalues.bulk import BulkImportError, bulk_import
from baocao.datavalues.importing import ImportFileError, import_file
from baocao.datavalues.models import DataValue

pytestmark = pytest.mark.django_db
IMPORTERS = [pytest.param(bulk_import, id="bulk"), pytest.param(import_file, id="small")]


def _csv(path: Path, rows: list[str]) -> Path:
    path.write_text("\n".join(["indicator,unit,period,value", *rows]) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def districts(travinh):  # type: ignore[no-untyped-def]
    return list(travinh.children.filter(level="district").order_by("code")[:2])


@pytest.mark.parametrize("importer", IMPORTERS)
def test_a_named_unit_wins_over_the_default(importer: Any, system_actor, travinh, districts, tmp_path) -> None:  # type: ignore[no-untyped-def]
    a, _ = districts
    path = _csv(tmp_path / "tinh.csv", [f"cntt.qlvb.vb_di,{a.code},2022,4", "cntt.qlvb.vb_den,,2022,9"])
    importer(system_actor, path, unit=travinh)
    assert DataValue.objects.get(indicator__code="cntt.qlvb.vb_di").unit == a
    assert DataValue.objects.get(indicator__code="cntt.qlvb.vb_den").unit == travinh


@pytest.mark.parametrize("importer", IMPORTERS)
def test_an_unknown_unit_is_an_error_on_its_line(importer: Any, system_actor, travinh, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = _csv(tmp_path / "sai.csv", ["cntt.qlvb.vb_den,,2022,9", "cntt.qlvb.vb_di,Huyện Không Có,2022,4"])
    with pytest.raises((BulkImportError, ImportFileError)) as info:
        importer(system_actor, path, unit=travinh)
    assert "dòng 3, cột unit" in "\n".join(info.value.messages)
    assert not DataValue.objects.exists()


@pytest.mark.parametrize("importer", IMPORTERS)
def test_a_unit_out_of_scope_is_refused_naming_its_line(importer: Any, travinh, districts, tmp_path) -> None:  # type: ignore[no-untyped-def]
    a, b = districts
    clerk = get_user_model().objects.create_user(username="nhap.huyen.a", password="x-very-long-pass-1")
    Membership.objects.create(user=clerk, unit=a, role=Role.DATA_ENTRY)
    path = _csv(tmp_path / "huyen.csv", ["cntt.qlvb.vb_den,,2022,9", f"cntt.qlvb.vb_di,{b.code},2022,4"])
    with pytest.raises(AccessDenied, match=rf"dòng 3.*{b.name}"):
        importer(clerk, path, unit=a)
    assert not DataValue.objects.exists()
