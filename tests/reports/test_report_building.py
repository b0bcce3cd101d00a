"""Building a report from small data: tasks carried between periods, corrections, dated names."""

from __future__ import annotations

from datetime import date

import pytest

from baocao.core.periods import Period
from baocao.datavalues.services import set_value
from baocao.registers.models import TaskStatus
from baocao.registers.services import EntryInput, TaskInput, create_entry, create_task, set_task_status
from baocao.reports.builder import ReportOptions, build_report
from baocao.reports.document import Paragraph, Table
from baocao.reports.services import SettingsInput, save_report_settings

pytestmark = pytest.mark.django_db
Q1, Q2 = Period.from_code("2020Q1"), Period.from_code("2020Q2")


def _section_text(report, heading: str) -> list[str]:  # type: ignore[no-untyped-def]
    """The paragraphs under the top-level section whose heading contains ``heading``."""
    out, inside = [], False
    for block in report.body:
        if isinstance(block, Paragraph) and block.kind == "heading" and block.level == 1:
            inside = heading in block.text
            continue
        if inside and isinstance(block, Paragraph):
            out.append(block.text)
    return out


def test_the_next_report_shows_how_the_tasks_ended(system_actor, travinh) -> None:  # type: ignore[no-untyped-def]
    done = create_task(
        system_actor, travinh, TaskInput("Tổ chức Ngày Sách Việt Nam lần thứ 7", Q2, set_in_period=Q1)
    )
    carried = create_task(
        system_actor, travinh, TaskInput("Trình Quy chế quản lý văn bản", Q2, set_in_period=Q1)
    )
    create_task(system_actor, travinh, TaskInput("Thanh tra theo kế hoạch", Q2, set_in_period=Q1))

    q1 = build_report(travinh, Q1)
    assert _section_text(q1, "PHƯƠNG HƯỚNG, NHIỆM VỤ QUÝ II/2020") == [
        "1. Tổ chức Ngày Sách Việt Nam lần thứ 7",
        "2. Trình Quy chế quản lý văn bản",
        "3. Thanh tra theo kế hoạch",
    ]

    set_task_status(system_actor, done, TaskStatus.DONE, note="Khai mạc ngày 21/4")
    set_task_status(system_actor, carried, TaskStatus.CARRIED, note="Chờ ý kiến các sở")
    create_task(system_actor, travinh, TaskInput("Báo cáo 6 tháng", "2020Q3", set_in_period=Q2))
    q2 = build_report(travinh, Q2)
    assert "1. Kết quả thực hiện các nhiệm vụ quý II/2020 đã đề ra" in q2.headings()
    table = next(b for b in q2.body if isinstance(b, Table))
    rows = [[table.cell_text(r, c) for c in range(4)] for r in range(len(table.rows))]
    assert rows == [
        ["1", "Tổ chức Ngày Sách Việt Nam lần thứ 7", "Hoàn thành", "Khai mạc ngày 21/4"],
        ["2", "Trình Quy chế quản lý văn bản", "Chuyển kỳ sau", "Chờ ý kiến các sở"],
        ["3", "Thanh tra theo kế hoạch", "Chưa thực hiện", ""],
    ]
    # A task carried over is listed again among the tasks of the period after.
    assert _section_text(q2, "PHƯƠNG HƯỚNG, NHIỆM VỤ QUÝ III/2020") == [
        "1. Báo cáo 6 tháng",
        "2. Trình Quy chế quản lý văn bản (chuyển từ quý II/2020)",
    ]


def test_a_corrected_figure_corrects_the_report(system_actor, travinh) -> None:  # type: ignore[no-untyped-def]
    year = Period.from_code("2022")
    set_value(system_actor, indicator="cntt.qlvb.vb_di", unit=travinh, period=year, value=217199)
    set_value(system_actor, indicator="cntt.qlvb.vb_ky_so", unit=travinh, period=year, value=175293)
    text = "- Có {cntt.qlvb.vb_di} văn bản, {cntt.qlvb.vb_ky_so} ký số (tỷ lệ {cntt.qlvb.ty_le_ky_so}), {cntt.qlvb.ty_le_ky_so|so_voi:nam_truoc}."
    create_entry(system_actor, travinh, year, EntryInput("cntt", text))
    first = build_report(travinh, year).body_text()
    assert (
        "Có 217.199 văn bản, 175.293 ký số (tỷ lệ 80,71%), [chưa có số liệu năm 2021: cntt.qlvb.ty_le_ky_so]."
        in first
    )

    set_value(
        system_actor,
        indicator="cntt.qlvb.ty_le_ky_so",
        unit=travinh,
        period=Period.from_code("2021"),
        value="78.54",
    )
    set_value(
        system_actor, indicator="cntt.qlvb.vb_ky_so", unit=travinh, period=year, value=180000, reason="sửa"
    )
    second = build_report(travinh, year)
    assert "180.000 ký số (tỷ lệ 82,87%), tăng 4,33% so với năm 2021 (78,54%)." in second.body_text()
    assert not [i for i in second.issues if i.category == "missing"]


def test_missing_figures_are_marked_and_listed_with_their_place(system_actor, travinh) -> None:  # type: ignore[no-untyped-def]
    create_entry(system_actor, travinh, Q1, EntryInput("bc", "- Doanh thu {bc.doanh_thu|dat}."))
    report = build_report(travinh, Q1)
    assert "- Doanh thu [chưa có số liệu: bc.doanh_thu]." in report.body_text()
    (issue,) = [i for i in report.issues if i.category == "missing"]
    assert issue.message == "Chưa có số liệu quý I/2020: Doanh thu dịch vụ bưu chính (bc.doanh_thu)"
    assert issue.where == "mục 1. Lĩnh vực bưu chính"
    assert report.appendices[-1].title == "SỐ LIỆU CÒN THIẾU, CHƯA KHỚP CẦN XEM LẠI"


def test_empty_sections_are_left_out_and_numbering_follows(system_actor, travinh) -> None:  # type: ignore[no-untyped-def]
    create_entry(system_actor, travinh, Q1, EntryInput("attt", "- An toàn thông tin."))
    create_entry(system_actor, travinh, Q1, EntryInput("thanh_tra", "- Thanh tra."))
    assert build_report(travinh, Q1).headings() == [
        "I. CÔNG TÁC QUẢN LÝ NHÀ NƯỚC",
        "1. Lĩnh vực an toàn thông tin",
        "II. CÔNG TÁC TỔNG HỢP",
        "1. Công tác thanh tra",
    ]


def test_the_header_follows_the_2025_merger_of_the_departments(system_actor, travinh) -> None:  # type: ignore[no-untyped-def]
    before = build_report(travinh, Period.from_code("2024Q4"))
    assert (before.agency_upper, before.number_text.split("/")[-1]) == (
        "SỞ THÔNG TIN VÀ TRUYỀN THÔNG",
        "BC-STTTT",
    )
    after = build_report(travinh, Period.from_code("2025Q1"))
    assert after.issued_on == date(2025, 3, 20)
    assert after.governing_body == "UBND TỈNH TRÀ VINH"
    assert (after.agency_upper, after.number_text.split("/")[-1]) == ("SỞ KHOA HỌC VÀ CÔNG NGHỆ", "BC-SKHCN")
    assert "báo cáo đến Bộ Khoa học và Công nghệ" in after.closing
    assert after.recipients[0] == "Bộ KH&CN (b/c)"


def test_number_date_and_signer_come_from_the_report_settings(system_actor, travinh) -> None:  # type: ignore[no-untyped-def]
    save_report_settings(
        system_actor,
        travinh,
        Q1,
        SettingsInput(
            number="312",
            issued_on=date(2020, 3, 5),
            signer_authority="KT. Giám đốc",
            signer_title="Phó Giám đốc",
            signer_name="Nguyễn Văn A",
            recipients=["UBND tỉnh (b/c)", "Lưu: VT, VP"],
        ),
    )
    report = build_report(travinh, Q1)
    assert report.number_text == "Số: 312/BC-STTTT"
    assert report.place_date == "Trà Vinh, ngày 05 tháng 3 năm 2020"
    assert (report.signer_authority, report.signer_title, report.signer_name) == (
        "KT. GIÁM ĐỐC",
        "PHÓ GIÁM ĐỐC",
        "Nguyễn Văn A",
    )
    assert report.recipient_lines() == ["- UBND tỉnh (b/c);", "- Lưu: VT, VP."]
    override = build_report(
        travinh, Q1, ReportOptions(signer_authority="GIÁM ĐỐC", signer_title="", signer_name="B")
    )
    assert (override.signer_authority, override.signer_title, override.signer_name) == ("GIÁM ĐỐC", "", "B")


def test_report_settings_are_checked(system_actor, travinh) -> None:  # type: ignore[no-untyped-def]
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as info:
        save_report_settings(
            system_actor,
            travinh,
            Q1,
            SettingsInput(
                number="12/BC", issued_on=date(2019, 1, 1), signer_authority="GIÁM ĐỐC", signer_title="PHÓ"
            ),
        )
    messages = " | ".join(info.value.messages)
    assert (
        "trường number" in messages
        and "trường issued_on" in messages
        and "trường signer_authority" in messages
    )


def test_a_province_changes_its_report_by_configuration_alone(
    system_actor, travinh, tmp_path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    import shutil
    from functools import partial

    from baocao.reports import builder, config

    shutil.copy(config.CONFIG_DIR / "default.yaml", tmp_path / "default.yaml")
    (tmp_path / f"{travinh.code}.yaml").write_text(
        """
sections:
  cntt: {heading: "Chuyển đổi số", blocks: [table], table: so_lieu}
  attt: {hidden: true}
  qlnn: {order: [cntt, vb]}
tables:
  so_lieu:
    title: "Số liệu"
    compare: nam_truoc
    columns: ["TT", "Chỉ tiêu", "ĐVT", "{period_cap}", "{compared_cap}", "Tăng+, giảm- so với kỳ trước"]
    groups: [{field: cntt, rows: [cntt.qlvb.vb_di]}]
closing: "Trên đây là báo cáo {period} của {agency} {place}./."
signer: {authority: "KT. GIÁM ĐỐC", title: "PHÓ GIÁM ĐỐC", name: "Lê Văn B"}
""",
        encoding="utf-8",
    )
    monkeypatch.setattr(builder, "load_config", partial(config.load_config, directory=tmp_path))
    year = Period.from_code("2022")
    set_value(system_actor, indicator="cntt.qlvb.vb_di", unit=travinh, period=year, value=217199)
    set_value(
        system_actor, indicator="cntt.qlvb.vb_di", unit=travinh, period=Period.from_code("2021"), value=200000
    )
    create_entry(system_actor, travinh, year, EntryInput("vb", "- Tham mưu."))
    create_entry(system_actor, travinh, year, EntryInput("attt", "- Không in vì mục bị ẩn."))

    report = build_report(travinh, year)
    assert report.headings()[:3] == [
        "I. CÔNG TÁC QUẢN LÝ NHÀ NƯỚC",
        "1. Chuyển đổi số",
        "2. Công tác tham mưu Tỉnh ủy, UBND tỉnh và ban hành văn bản chỉ đạo, điều hành",
    ]
    table = next(b for b in report.body if isinstance(b, Table))
    assert [table.cell_text(1, c) for c in range(6)] == [
        "1",
        "Văn bản điện tử đi (phát hành) trên hệ thống",
        "văn bản",
        "217.199",
        "200.000",
        "+8,6%",
    ]
    assert "Không in vì mục bị ẩn" not in report.body_text()
    assert any("Mục 'attt' đang ẩn" in i.message for i in report.issues)
    assert report.closing == "Trên đây là báo cáo năm 2022 của Sở Thông tin và Truyền thông Trà Vinh./."
    assert (report.signer_authority, report.signer_title, report.signer_name) == (
        "KT. GIÁM ĐỐC",
        "PHÓ GIÁM ĐỐC",
        "Lê Văn B",
    )
