"""Real pulls: sources fetch CSV, XLSX and JSON exports from an HTTP server on loopback and
store their figures through the one write path as their service account.

Covered: a source that is down (retried, then a failed run with the reason), a changed
layout (a failed run naming the missing column, nothing stored), figures that fail a catalog
rule (held for review, nothing stored), a person's figure not overwritten without review, a
watched folder, the service account's limits, the schedule, the push API and the CLI."""

from __future__ import annotations

import io
from contextlib import redirect_stdout
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from sources_helpers import mapping

from baocao.audit.models import AuditEvent
from baocao.core.periods import Period
from baocao.datavalues.models import DataValue
from baocao.datavalues.services import set_value
from baocao.sources import samples, services
from baocao.sources.models import Arrival, HeldFigure, HeldState, Run, RunState

pytestmark = pytest.mark.django_db
Q3 = Period.from_code("2024Q3")


def values(unit: Any, period: str = "2024Q3") -> dict[str, Decimal]:
    return {dv.indicator.code: dv.value for dv in DataValue.objects.filter(unit=unit, period=period).select_related("indicator")}


def url_source(actor: Any, unit: Any, url: str, mapping_file: str, name: str = "QLVB Trà Vinh", **extra: Any) -> Any:
    return services.create_source(actor, name=name, units=[unit], mapping=mapping(mapping_file),
                                  arrival=Arrival.URL, url=url, **extra)  # fmt: skip


def test_json_pull_stores_figures_with_their_source_and_fetch_time(exports, system_actor, travinh) -> None:  # type: ignore[no-untyped-def]
    url = exports.serve("/api/thong-ke/van-ban?ky=2024Q3", samples.documents_json())
    source = url_source(system_actor, travinh, url, "qlvb_thong_ke.yaml")
    run = services.run_source(source, trigger="manual")
    assert run.state == RunState.OK, run.error
    assert (run.figures, run.created, run.updated, run.held, run.attempts) == (5, 5, 0, 0, 1)
    stored = values(travinh)
    assert stored["cntt.qlvb.vb_di"] == 19876 and stored["cntt.qlvb.ty_le_ky_so"] == Decimal("91.09")
    dv = DataValue.objects.get(unit=travinh, period="2024Q3", indicator__code="cntt.qlvb.vb_den")
    assert dv.source == "feed"
    assert dv.source_ref.startswith("Nguồn «QLVB Trà Vinh», lấy lúc ")
    assert dv.updated_by == source.account  # written as the service account, not as a person
    # the audit trail of the value names the source and the fetch time
    ev = AuditEvent.objects.filter(action="value.create", summary__contains="cntt.qlvb.vb_den").latest("id")
    assert ev.after["source_ref"] == dv.source_ref and ev.actor == source.account and ev.reason == dv.source_ref
    assert run.unmapped[0]["label"] == "Hồ sơ công việc lập trên hệ thống"
    # the same export again changes nothing
    again = services.run_source(source, trigger="manual")
    assert (again.state, again.created, again.updated, again.unchanged) == (RunState.OK, 0, 0, 5)


def test_csv_and_xlsx_pulls_with_a_token_header(exports, system_actor, travinh, vnpt) -> None:  # type: ignore[no-untyped-def]
    csv_url = exports.serve("/export/ho-so.csv", samples.one_stop_csv())
    one_stop = url_source(system_actor, travinh, csv_url, "mot_cua_ho_so.yaml", name="Một cửa Trà Vinh")
    run = services.run_source(one_stop, trigger="manual")
    assert run.state == RunState.OK, run.error
    assert values(travinh)["cntt.hoso.tiep_nhan"] == 67057 and values(travinh)["cntt.hoso.ton"] == 995

    xlsx_url = exports.serve("/bao-mat/tb-bts.xlsx", samples.enterprise_xlsx())
    enterprise = url_source(system_actor, vnpt, xlsx_url, "vnpt_thue_bao_bts.yaml", name="VNPT Trà Vinh",
                            auth_header="X-Api-Key", auth_value="khoa-bi-mat")  # fmt: skip
    run = services.run_source(enterprise, trigger="manual")
    assert run.state == RunState.OK, run.error
    assert exports.requests[-1][1]["X-Api-Key"] == "khoa-bi-mat"
    stored = values(vnpt, "202410")
    assert stored["vt.tb_di_dong.tong"] == 402365 and stored["vt.doanh_thu"] == Decimal("48765500000")
    # the enterprise's figures roll up into the province's, which nobody typed
    from baocao.datavalues.aggregation import Aggregator

    assert Aggregator().resolve("vt.tram_bts", travinh, Period.from_code("202410")).value == 512


def test_a_source_that_is_down_is_retried_then_fails_with_the_reason(exports, system_actor, travinh) -> None:  # type: ignore[no-untyped-def]
    url = exports.serve("/api/van-ban.json", b"Service Unavailable", status=503)
    source = url_source(system_actor, travinh, url, "qlvb_thong_ke.yaml")
    run = services.run_source(source, trigger="schedule")
    assert run.state == RunState.FAILED
    assert exports.hits("/api/van-ban.json") == 3 and run.attempts == 3
    assert "sau 3 lần thử" in run.error and "HTTP 503" in run.error
    assert values(travinh) == {}

    # nothing listening at all: a refused connection, retried the same way
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    services.update_source(system_actor, source, url=f"http://127.0.0.1:{port}/van-ban.json")
    run = services.run_source(source, trigger="schedule")
    assert run.state == RunState.FAILED and run.attempts == 3
    assert "không kết nối được" in run.error


def test_a_refusal_is_not_retried(exports, system_actor, travinh) -> None:  # type: ignore[no-untyped-def]
    url = exports.serve("/bao-mat/van-ban.json", samples.documents_json())
    source = url_source(system_actor, travinh, url, "qlvb_thong_ke.yaml")  # no token: 401
    run = services.run_source(source, trigger="manual")
    assert run.state == RunState.FAILED and run.attempts == 1 and "HTTP 401" in run.error


def test_a_changed_layout_fails_naming_the_missing_column_and_stores_nothing(exports, system_actor, travinh) -> None:  # type: ignore[no-untyped-def]
    header = list(samples.ONE_STOP_HEADER_2)
    header[4] = "Qua mạng"
    url = exports.serve("/export/ho-so.csv", samples.one_stop_csv(header_2=header))
    source = url_source(system_actor, travinh, url, "mot_cua_ho_so.yaml", name="Một cửa Trà Vinh")
    run = services.run_source(source, trigger="schedule")
    assert run.state == RunState.FAILED
    assert "Không thấy cột 'Tiếp nhận / Trực tuyến'" in run.error and "ho-so.csv" in run.error
    assert values(travinh) == {}
    assert AuditEvent.objects.filter(action="source.run", entity_id=str(source.pk), summary__contains="lỗi").exists()


def test_figures_that_fail_validation_are_held_and_nothing_is_stored(exports, system_actor, travinh) -> None:  # type: ignore[no-untyped-def]
    # More documents signed than sent: the catalog rule "Văn bản ký số không vượt văn bản đi" fails.
    broken = samples.documents_json(tong_hop=[
        {"chi_tieu": "Văn bản đi", "so_luong": 1000},
        {"chi_tieu": "Văn bản đi được ký số", "so_luong": 1500},
    ])  # fmt: skip
    source = url_source(system_actor, travinh, exports.serve("/tk.json", broken), "qlvb_thong_ke.yaml")
    run = services.run_source(source, trigger="manual")
    assert run.state == RunState.HELD
    assert (run.created, run.updated, run.held) == (0, 0, 2)
    assert values(travinh) == {}
    held = {h.code: h for h in run.held_figures.all()}
    assert set(held) == {"cntt.qlvb.vb_di", "cntt.qlvb.vb_ky_so"}
    assert "Văn bản ký số không vượt văn bản đi" in held["cntt.qlvb.vb_ky_so"].reason
    assert held["cntt.qlvb.vb_ky_so"].where == "$.tong_hop[1].so_luong"

    # A person reviews: rejects the signed count, accepts the sent count (stored under their name).
    services.reject_held(system_actor, held["cntt.qlvb.vb_ky_so"], reason="Hệ thống đếm cả văn bản đến")
    services.accept_held(system_actor, held["cntt.qlvb.vb_di"])
    dv = DataValue.objects.get(unit=travinh, period="2024Q3", indicator__code="cntt.qlvb.vb_di")
    assert dv.value == 1000 and dv.updated_by == system_actor and dv.source_ref == held["cntt.qlvb.vb_di"].source_ref
    assert HeldFigure.objects.filter(state=HeldState.PENDING).count() == 0
    assert "cntt.qlvb.vb_ky_so" not in values(travinh)


def test_unrelated_figures_of_a_run_are_stored_while_the_failing_ones_are_held(exports, system_actor, travinh) -> None:  # type: ignore[no-untyped-def]
    doc = samples.DOCUMENTS["tong_hop"][:4]
    doc = [dict(r) for r in doc]
    doc[2]["so_luong"] = 25000  # signed > sent
    source = url_source(system_actor, travinh, exports.serve("/tk.json", samples.documents_json(tong_hop=doc)), "qlvb_thong_ke.yaml")
    run = services.run_source(source, trigger="manual")
    # both sides of the failing rule wait for a person (which one is wrong is theirs to say)
    assert run.state == RunState.HELD and run.held == 2 and run.created == 2
    assert {h.code for h in run.held_figures.all()} == {"cntt.qlvb.vb_di", "cntt.qlvb.vb_ky_so"}
    assert values(travinh) == {"cntt.qlvb.vb_den": 48213, "cntt.qlvb.vb_lien_thong": 31220}


def test_a_persons_figure_is_not_overwritten_without_review(exports, system_actor, travinh) -> None:  # type: ignore[no-untyped-def]
    from baocao.access.models import Role
    from baocao.access.services import create_user, grant_role

    clerk = create_user(system_actor, username="cv.nhap", password="Mat-khau-thu-2026")
    grant_role(system_actor, clerk, travinh, Role.DATA_ENTRY)
    set_value(clerk, indicator="cntt.qlvb.vb_den", unit=travinh, period=Q3, value=48000)
    set_value(clerk, indicator="cntt.qlvb.vb_di", unit=travinh, period=Q3, value=19876)  # same figure: no review needed
    source = url_source(system_actor, travinh, exports.serve("/tk.json", samples.documents_json()), "qlvb_thong_ke.yaml")
    run = services.run_source(source, trigger="manual")
    assert run.state == RunState.HELD and run.held == 1
    assert values(travinh)["cntt.qlvb.vb_den"] == 48000  # the person's figure stays
    held = run.held_figures.get()
    assert held.code == "cntt.qlvb.vb_den" and "Đã có số liệu 48.000 (Nhập tay, cv.nhap" in held.reason
    services.accept_held(clerk, held, reason="Hệ thống đếm đủ cả văn bản liên thông")
    assert values(travinh)["cntt.qlvb.vb_den"] == 48213
    # once the source's own figure is there, its next correction needs no review
    changed = [dict(r) for r in samples.DOCUMENTS["tong_hop"]]
    changed[0]["so_luong"] = 48300
    exports.serve("/tk.json", samples.documents_json(tong_hop=changed))
    run = services.run_source(source, trigger="manual")
    assert run.state == RunState.OK and run.updated == 1
    assert run.changes == [{"indicator": "Văn bản điện tử đến", "code": "cntt.qlvb.vb_den", "unit": "Trà Vinh",
                            "period": "quý III/2024", "before": "48.213", "after": "48.300",
                            "where": "$.tong_hop[0].so_luong"}]  # fmt: skip


def test_the_service_account_writes_only_for_the_sources_units(exports, system_actor, travinh) -> None:  # type: ignore[no-untyped-def]
    from baocao.access.access import AccessDenied, Perm, can
    from baocao.datavalues.services import ValueInput, save_values

    district_a, district_b = list(travinh.children.filter(level="district").order_by("code")[:2])
    # The export names its unit in a column; it names a district the source does not report for.
    text = ("Đơn vị;Chỉ tiêu;Số lượng\n"
            f"{district_a.name};Văn bản đi;120\n"
            f"{district_b.name};Văn bản đi;340\n").encode()  # fmt: skip
    mapping_text = ("format: csv\nperiod: quý III/2024\ncolumns: {unit: Đơn vị, label: Chỉ tiêu, value: Số lượng}\n"
                    "labels: {Văn bản đi: cntt.qlvb.vb_di}\n")  # fmt: skip
    source = services.create_source(system_actor, name="QLVB huyện", units=[district_a], mapping=mapping_text)
    assert can(source.account, district_a, Perm.ENTER) and not can(source.account, district_b, Perm.ENTER)
    assert not can(source.account, travinh, Perm.ENTER)
    run = services.run_upload(system_actor, source, text, "huyen.csv")
    assert run.state == RunState.FAILED
    assert f"không được ghi cho {district_b}" in run.error and "dòng 3, cột C" in run.error
    assert values(district_a) == {} and values(district_b) == {}  # all or nothing
    with pytest.raises(AccessDenied):
        save_values(source.account, [ValueInput("cntt.qlvb.vb_di", district_b, Q3, 1)])
    # the account cannot sign in
    assert not source.account.has_usable_password()


def test_a_submitted_period_holds_the_figures(exports, system_actor, travinh) -> None:  # type: ignore[no-untyped-def]
    from baocao.datavalues.workflow import submit

    set_value(system_actor, indicator="cntt.qlvb.vb_den", unit=travinh, period=Q3, value=48213)
    submit(system_actor, travinh, Q3)
    source = url_source(system_actor, travinh, exports.serve("/tk.json", samples.documents_json()), "qlvb_thong_ke.yaml")
    run = services.run_source(source, trigger="manual")
    assert run.state == RunState.HELD and run.created == 0
    assert all("đã gửi" in h.reason for h in run.held_figures.all())


def test_a_watched_folder_runs_each_new_file_and_moves_it(tmp_path, system_actor, travinh) -> None:  # type: ignore[no-untyped-def]
    inbox = tmp_path / "hop-thu"
    inbox.mkdir()
    (inbox / "mot_cua_quy_3.csv").write_bytes(samples.one_stop_csv())
    header = list(samples.ONE_STOP_HEADER_2)
    header[3] = "Tổng"
    (inbox / "mot_cua_loi.csv").write_bytes(samples.one_stop_csv(header_2=header))
    (inbox / "ghi-chu.txt").write_text("không phải tệp số liệu")
    source = services.create_source(system_actor, name="Một cửa (thư mục)", units=[travinh], arrival=Arrival.FOLDER,
                                    folder=str(inbox), every_minutes=60, mapping=mapping("mot_cua_ho_so.yaml"))  # fmt: skip
    runs = services.poll_folder(source)
    assert sorted((r.trigger, r.state) for r in runs) == [("folder", RunState.FAILED), ("folder", RunState.OK)]
    assert values(travinh)["cntt.hoso.tiep_nhan"] == 67057
    assert (inbox / "da-xu-ly" / "mot_cua_quy_3.csv").exists() and (inbox / "loi" / "mot_cua_loi.csv").exists()
    assert sorted(p.name for p in inbox.iterdir() if p.is_file()) == ["ghi-chu.txt"]
    assert services.poll_folder(source) == []  # nothing new


def test_run_due_queues_scheduled_sources_as_jobs(exports, system_actor, travinh) -> None:  # type: ignore[no-untyped-def]
    from baocao.jobs.models import Job, JobState

    url = exports.serve("/tk.json", samples.documents_json())
    due = url_source(system_actor, travinh, url, "qlvb_thong_ke.yaml", every_minutes=1440)
    later = url_source(system_actor, travinh, url, "qlvb_thong_ke.yaml", name="Sau", every_minutes=60)
    type(later).objects.filter(pk=later.pk).update(next_run_at=timezone.now() + timedelta(hours=1))
    jobs = services.run_due()
    assert [j.params["source_id"] for j in jobs] == [due.pk]
    job = Job.objects.get(pk=jobs[0].pk)
    assert job.state == JobState.DONE and job.kind == "source_run", job.error
    run = Run.objects.get(job_id=job.pk)
    assert run.trigger == "schedule" and run.state == RunState.OK
    due.refresh_from_db()
    assert due.next_run_at > timezone.now() + timedelta(hours=23)
    assert services.run_due() == []  # not due again until tomorrow


def test_a_failed_scheduled_run_fails_its_job_with_the_reason(exports, system_actor, travinh) -> None:  # type: ignore[no-untyped-def]
    from baocao.jobs.models import JobState

    source = url_source(system_actor, travinh, exports.serve("/x.json", b"", status=500), "qlvb_thong_ke.yaml")
    job = services.run_now(system_actor, source)
    job.refresh_from_db()
    assert job.state == JobState.FAILED and "HTTP 500" in job.error


def test_push_api_with_the_service_accounts_token(client, system_actor, travinh) -> None:  # type: ignore[no-untyped-def]
    from baocao.api.services import issue_token

    source = services.create_source(system_actor, name="QLVB gửi", slug="qlvb-gui", units=[travinh],
                                    arrival=Arrival.PUSH, mapping=mapping("qlvb_thong_ke.yaml"))  # fmt: skip
    secret = issue_token(system_actor, source.account, "Hệ thống QLVB").secret
    auth = {"Authorization": f"Bearer {secret}"}
    response = client.post("/api/v1/sources/qlvb-gui/push", samples.documents_json(), content_type="application/json",
                           headers=auth)  # fmt: skip
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["state"] == "ok" and body["created"] == 5 and body["trigger"] == "push"
    listing = client.get("/api/v1/sources", headers=auth).json()
    assert listing["items"][0]["last_run"]["id"] == body["id"]
    values_api = client.get("/api/v1/values", {"unit": travinh.code, "indicator": "cntt.qlvb.vb_den"}, headers=auth).json()
    assert values_api["items"][0]["source"] == "feed" and "Nguồn «QLVB gửi», lấy lúc" in values_api["items"][0]["source_ref"]
    # a changed layout is refused with the reason; a stranger's token is refused
    bad = client.post("/api/v1/sources/qlvb-gui/push", b'{"tong_ket": []}', content_type="application/json", headers=auth)
    assert bad.status_code == 422 and "Không thấy 'ky_bao_cao.ten'" in bad.json()["message"]
    runs = client.get("/api/v1/sources/qlvb-gui/runs", headers=auth).json()
    assert [r["state"] for r in runs["items"]] == ["failed", "ok"]
    from baocao.access.services import create_user

    stranger = create_user(system_actor, username="nguoi.la", password="Mat-khau-thu-2026")
    other = issue_token(system_actor, stranger, "thử").secret
    refused = client.post("/api/v1/sources/qlvb-gui/push", samples.documents_json(), content_type="application/json",
                          headers={"Authorization": f"Bearer {other}"})  # fmt: skip
    assert refused.status_code == 403


def test_cli_list_test_and_run(exports, system_actor, travinh, tmp_path) -> None:  # type: ignore[no-untyped-def]
    url = exports.serve("/tk.json", samples.documents_json())
    url_source(system_actor, travinh, url, "qlvb_thong_ke.yaml")
    sample = tmp_path / "mau.json"
    sample.write_bytes(samples.documents_json())
    out = io.StringIO()
    with redirect_stdout(out):
        call_command("sources", "test", "qlvb-tra-vinh", "--sample", str(sample), stdout=out)
    text = out.getvalue()
    assert "5 số liệu" in text and "Văn bản điện tử đi (phát hành) trên hệ thống — Trà Vinh, quý III/2024: 19.876" in text
    assert "Hồ sơ công việc lập trên hệ thống [$.tong_hop[5]]" in text
    assert values(travinh) == {}  # a test writes nothing
    out = io.StringIO()
    call_command("sources", "run", "qlvb-tra-vinh", stdout=out)
    assert "5 mới" in out.getvalue() and values(travinh)["cntt.qlvb.vb_di"] == 19876
    out = io.StringIO()
    call_command("sources", "list", stdout=out)
    assert "qlvb-tra-vinh" in out.getvalue() and "✔" in out.getvalue()
    with pytest.raises(CommandError, match="Không có nguồn dữ liệu 'khong-co'"):
        call_command("sources", "run", "khong-co")


def test_a_source_defined_as_a_yaml_file(exports, system_actor, travinh, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    url = exports.serve("/bao-mat/tk.json", samples.documents_json())
    monkeypatch.setenv("QLVB_API_KEY", "khoa-bi-mat")
    definition = tmp_path / "qlvb.yaml"
    definition.write_text(mapping("qlvb_thong_ke.yaml") + (
        "source:\n  slug: qlvb\n  units: [P63-84]\n  arrival: url\n"
        f"  url: {url}\n  auth_header: X-Api-Key\n  auth_value_env: QLVB_API_KEY\n  every_minutes: 1440\n"
    ), encoding="utf-8")  # fmt: skip
    out = io.StringIO()
    call_command("sources", "add", str(definition), stdout=out)
    assert "Đã thêm nguồn «Quản lý văn bản — thống kê văn bản (quý)» (qlvb)" in out.getvalue()
    source = services.find_source("qlvb")
    assert list(source.units.all()) == [travinh] and source.every_minutes == 1440 and source.auth_value == "khoa-bi-mat"
    call_command("sources", "run", "qlvb", stdout=io.StringIO())  # fetched with the token from the environment
    assert values(travinh)["cntt.qlvb.vb_ky_so"] == 18105
    # adding the same file again updates the source rather than making a second one
    call_command("sources", "add", str(definition), stdout=io.StringIO())
    assert type(source).objects.count() == 1


def test_the_baocao_command_lists_sources_in_both_languages(capsys) -> None:  # type: ignore[no-untyped-def]
    from baocao.cli import main

    main(["baocao", "--help"])
    text = capsys.readouterr().out
    assert "sources" in text and "Nguồn dữ liệu: danh sách, chạy" in text and "Data sources: list, run" in text


def test_run_now_of_a_folder_source_polls_its_folder_as_a_job(tmp_path, system_actor, travinh) -> None:  # type: ignore[no-untyped-def]
    from baocao.jobs.models import JobState

    inbox = tmp_path / "hop-thu"
    inbox.mkdir()
    source = services.create_source(system_actor, name="QLVB (thư mục)", units=[travinh], arrival=Arrival.FOLDER,
                                    folder=str(inbox), mapping=mapping("qlvb_thong_ke.yaml"))  # fmt: skip
    empty = services.run_now(system_actor, source)
    empty.refresh_from_db()
    assert empty.state == JobState.DONE and empty.message == "Không có tệp mới trong thư mục"
    (inbox / "qlvb.json").write_bytes(samples.documents_json())
    job = services.run_now(system_actor, source)
    job.refresh_from_db()
    assert job.state == JobState.DONE and job.result["stored"] == 5, job.error
    assert (inbox / "da-xu-ly" / "qlvb.json").exists()


def test_push_a_csv_body_or_a_multipart_file(client, system_actor, travinh) -> None:  # type: ignore[no-untyped-def]
    from django.core.files.uploadedfile import SimpleUploadedFile

    from baocao.api.services import issue_token

    source = services.create_source(system_actor, name="Một cửa gửi", slug="mot-cua", units=[travinh],
                                    arrival=Arrival.PUSH, mapping=mapping("mot_cua_ho_so.yaml"))  # fmt: skip
    auth = {"Authorization": f"Bearer {issue_token(system_actor, source.account, 'Một cửa').secret}"}
    body = client.post("/api/v1/sources/mot-cua/push", samples.one_stop_csv(), content_type="text/csv", headers=auth)
    assert body.status_code == 200 and body.json()["created"] == 11, body.content
    upload = SimpleUploadedFile("ho_so.csv", samples.one_stop_csv(period="Quý II/2024"), content_type="text/csv")
    multipart = client.post("/api/v1/sources/mot-cua/push", {"file": upload}, headers=auth)
    assert multipart.status_code == 200 and multipart.json()["created"] == 11 and multipart.json()["origin"] == "ho_so.csv"
    assert values(travinh, "2024Q2")["cntt.hoso.tiep_nhan"] == 67057
    unknown = client.post("/api/v1/sources/mot-cua/push", b"\x00\x01", content_type="application/octet-stream", headers=auth)
    assert unknown.status_code == 422 and "Content-Type" in unknown.json()["message"]
