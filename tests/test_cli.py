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


def _readme_commands() -> list[str]:
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    return sorted({line.split()[1] for line in readme.splitlines() if line.startswith("baocao ") and
                   not line.startswith("baocao --help")})


def test_every_command_in_the_readme_is_dispatched_and_listed(capsys):  # type: ignore[no-untyped-def]
    from django.core.management import get_commands

    from baocao.cli import _command_for

    main(["baocao", "--help"])
    out = capsys.readouterr().out
    commands = _readme_commands()
    assert {"token", "check", "validate", "report", "extract"} <= set(commands)
    for name in commands:
        assert _command_for(name, get_commands()) is not None, name
        assert f"  {name} " in out, name
    assert "Mã thoát / Exit status" in out


@pytest.mark.django_db
def test_token_create_works_as_the_readme_writes_it(capsys, system_actor):  # type: ignore[no-untyped-def]
    from django.contrib.auth import get_user_model

    get_user_model().objects.create_user(username="chuyenvien.travinh", password="mat-khau-dai-2026")
    main(["baocao", "token", "create", "--user", "chuyenvien.travinh", "--name", "HTTT một cửa"])
    captured = capsys.readouterr()
    assert "unknown command" not in captured.err and "HTTT một cửa" in captured.out


@pytest.mark.django_db
def test_validate_ends_with_a_summary_and_status_1_on_findings(corpus_dir, capsys):  # type: ignore[no-untyped-def]
    call_command("import_values", str(corpus_dir / "gold" / "001_8b884f9475b6c3fa.json"), "--unit", "Trà Vinh",
                 stdout=io.StringIO())
    with pytest.raises(SystemExit) as info:
        main(["baocao", "validate", "--unit", "Trà Vinh", "--period", "2022"])
    captured = capsys.readouterr()
    assert info.value.code == 1
    assert "Tổng:" in captured.out and "quy tắc mức lỗi không đạt" in captured.err
    assert "CommandError" not in captured.err and "Traceback" not in captured.err
    main(["baocao", "validate", "--unit", "Trà Vinh", "--period", "2019"])  # nothing to fail: status 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    "argv",
    [
        ["validate", "--unit", "Không Có Tỉnh Này", "--period", "2022"],
        ["validate", "--unit", "Trà Vinh", "--period", "quý V/2022"],
        ["check", "khong-co-tep.docx"],
        ["validate", "--khong-co-tuy-chon"],
    ],
)
def test_bad_input_is_status_2_with_one_line(argv, capsys):  # type: ignore[no-untyped-def]
    with pytest.raises(SystemExit) as info:
        main(["baocao", *argv])
    err = capsys.readouterr().err
    assert info.value.code == 2
    assert "Traceback" not in err and "CommandError" not in err and err.strip()
