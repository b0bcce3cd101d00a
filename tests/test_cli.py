"""The `baocao` command end to end: help in both languages, idempotent init, and the data-core
scenario of the issue (import a gold file, validate, show a recomputed rate)."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from baocao.audit.models import AuditEvent
from baocao.cli import main


def test_help_is_bilingual(capsys):  # type: ignore[no-untyped-def]
    main(["baocao", "--help"])
    out = capsys.readouterr().out
    assert "Nhập số liệu từ tệp CSV" in out and "Import values from CSV" in out
    assert "validate" in out and "show" in out


def test_unknown_command_names_itself(capsys):  # type: ignore[no-untyped-def]
    with pytest.raises(SystemExit) as info:
        main(["baocao", "khong-co"])
    assert info.value.code == 2
    assert "khong-co" in capsys.readouterr().err


@pytest.mark.django_db
def test_init_is_idempotent():  # type: ignore[no-untyped-def]
    call_command("init", stdout=io.StringIO())
    before = AuditEvent.objects.count()
    out = io.StringIO()
    call_command("init", stdout=out)
    assert AuditEvent.objects.count() == before
    assert "0 mới, 0 cập nhật" in out.getvalue()


@pytest.mark.django_db
def test_import_validate_show_scenario(corpus_dir):  # type: ignore[no-untyped-def]
    out = io.StringIO()
    call_command("import_values", str(corpus_dir / "gold" / "001_8b884f9475b6c3fa.json"), "--unit", "Trà Vinh",
                 stdout=out)
    assert "81 giá trị mới" in out.getvalue()
    out = io.StringIO()
    with pytest.raises(CommandError, match="không đạt"):
        call_command("validate", "--unit", "Trà Vinh", "--period", "2022", stdout=out)
    report = out.getvalue()
    assert "✔ đạt [cts.tong_theo_doi_tuong]" in report
    assert "✘ LỖI [tt_vi_pham_trong_doi_tuong]" in report
    assert "– bỏ qua [cts_lien_tuc]" in report
    out = io.StringIO()
    call_command("show", "--unit", "Trà Vinh", "--indicator", "cntt.qlvb.ty_le_ky_so", stdout=out)
    lines = out.getvalue().splitlines()
    assert any("năm 2021" in line and "78,54%" in line for line in lines)
    assert any("năm 2022" in line and "80,71%" in line and "tính từ thành phần" in line for line in lines)


@pytest.mark.django_db
def test_bad_file_is_reported_with_line_and_nothing_is_stored(tmp_path):  # type: ignore[no-untyped-def]
    from baocao.datavalues.models import DataValue

    bad = tmp_path / "x.csv"
    bad.write_text("indicator,period,value\ncntt.cts.tong,2022,1\ncntt.cts.tong,2023,mười\n", encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_values", str(bad), "--unit", "Trà Vinh", stderr=err)
    assert "x.csv, dòng 3, cột value" in err.getvalue()
    assert not DataValue.objects.exists()


@pytest.mark.django_db
def test_bulk_import_path_is_all_or_nothing_too(tmp_path):  # type: ignore[no-untyped-def]
    from baocao.datavalues.models import DataValue

    good = tmp_path / "lon.csv"
    good.write_text("indicator,unit,period,value\ncntt.qlvb.vb_di,P63-84,2023,1.234\n", encoding="utf-8")
    out = io.StringIO()
    call_command("import_values", str(good), "--bulk", stdout=out)
    assert "1 giá trị mới" in out.getvalue()
    bad = tmp_path / "hong.csv"
    bad.write_text("indicator,unit,period,value\ncntt.qlvb.vb_ky_so,P63-84,2023,1\nkhong.co,P63-84,2023,2\n",
                   encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_values", str(bad), "--bulk", stderr=err)
    assert "hong.csv, dòng 3" in err.getvalue()
    assert list(DataValue.objects.values_list("indicator__code", flat=True)) == ["cntt.qlvb.vb_di"]
