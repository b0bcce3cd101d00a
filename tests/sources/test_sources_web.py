"""The sources pages through the whole Django stack: an administrator of Trà Vinh defines a
source after testing its mapping on a sample, loads a file, runs it now, reviews what it
held; the home page and the entry form show where figures came from."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from sources_helpers import DATA, mapping

from baocao.access.models import Role
from baocao.access.services import create_user, grant_role
from baocao.datavalues.models import DataValue
from baocao.sources import samples, services
from baocao.sources.models import Arrival, HeldState, Run, RunState, Source

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_password_hashing")]
PASSWORD = "Mat-khau-thu-2026"


def person(actor: Any, username: str, unit: Any, role: str) -> Client:
    user = create_user(actor, username=username, password=PASSWORD, full_name=username)
    grant_role(actor, user, unit, role)
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def admin(system_actor: Any, travinh: Any) -> Client:
    return person(system_actor, "qt.tinh", travinh, Role.ADMIN)


def form_data(travinh: Any, **extra: Any) -> dict[str, Any]:
    return {"name": "QLVB Trà Vinh", "units": [travinh.pk], "arrival": Arrival.UPLOAD, "every_minutes": 0,
            "mapping": mapping("qlvb_thong_ke.yaml"), "is_active": "on", **extra}  # fmt: skip


def sample_file() -> SimpleUploadedFile:
    return SimpleUploadedFile("qlvb.json", samples.documents_json(), content_type="application/json")


def test_only_administrators_reach_the_sources_pages(system_actor, travinh, admin) -> None:  # type: ignore[no-untyped-def]
    clerk = person(system_actor, "cv.tinh", travinh, Role.DATA_ENTRY)
    assert clerk.get("/quan-tri/nguon-du-lieu/").status_code == 403
    page = admin.get("/quan-tri/nguon-du-lieu/")
    assert page.status_code == 200 and "Chưa có nguồn dữ liệu nào" in page.content.decode()
    assert 'href="/quan-tri/nguon-du-lieu/"' in page.content.decode()  # in the menu


def test_a_mapping_is_tested_on_a_sample_before_it_is_saved(travinh, admin) -> None:  # type: ignore[no-untyped-def]
    response = admin.post("/quan-tri/nguon-du-lieu/tao/", {**form_data(travinh), "sample": sample_file(), "test": "1"})
    html = response.content.decode()
    assert response.status_code == 200 and Source.objects.count() == 0
    assert 'id="preview-figures"' in html
    assert "Văn bản được ký số" in html and "18.105" in html and "$.tong_hop[2].so_luong" in html and "quý III/2024" in html
    assert "Hồ sơ công việc lập trên hệ thống" in html  # the row it could not map

    response = admin.post("/quan-tri/nguon-du-lieu/tao/", form_data(travinh, save="1"))
    source = Source.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/quan-tri/nguon-du-lieu/{source.slug}/"
    assert source.account.username == "nguon-qlvb-tra-vinh"


def test_a_wrong_mapping_or_a_yaml_file(travinh, admin) -> None:  # type: ignore[no-untyped-def]
    bad = admin.post("/quan-tri/nguon-du-lieu/tao/", form_data(travinh, mapping="labels: {Văn bản đi: cntt.qlvb.vb_di}", save="1"))
    assert bad.status_code == 200 and "labels cần columns.label" in bad.content.decode() and Source.objects.count() == 0
    upload = SimpleUploadedFile("mot_cua.yaml", (DATA / "mot_cua_ho_so.yaml").read_bytes())
    ok = admin.post("/quan-tri/nguon-du-lieu/tao/", form_data(travinh, name="Một cửa", mapping="", mapping_file=upload, save="1"))
    assert ok.status_code == 302
    assert "cntt.hoso.tiep_nhan" in Source.objects.get(name="Một cửa").mapping


def test_load_a_file_then_review_what_was_held(system_actor, travinh, admin) -> None:  # type: ignore[no-untyped-def]
    source = services.create_source(system_actor, name="QLVB Trà Vinh", units=[travinh], mapping=mapping("qlvb_thong_ke.yaml"))
    broken = samples.documents_json(tong_hop=[{"chi_tieu": "Văn bản đi", "so_luong": 1000},
                                              {"chi_tieu": "Văn bản đi được ký số", "so_luong": 1500},
                                              {"chi_tieu": "Văn bản đến", "so_luong": 700}])  # fmt: skip
    response = admin.post(f"/quan-tri/nguon-du-lieu/{source.slug}/",
                          {"sample": SimpleUploadedFile("tk.json", broken), "load": "1"})  # fmt: skip
    run = Run.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/quan-tri/nguon-du-lieu/lan-chay/{run.pk}/"
    page = admin.get(response["Location"]).content.decode()
    assert "Văn bản ký số không vượt văn bản đi" in page and "700" in page  # held reason; the stored change
    review = admin.get("/quan-tri/nguon-du-lieu/cho-duyet/").content.decode()
    held = {h.code: h for h in run.held_figures.all()}
    assert f'data-held="{held["cntt.qlvb.vb_di"].pk}"' in review
    admin.post(f"/quan-tri/nguon-du-lieu/cho-duyet/{held['cntt.qlvb.vb_di'].pk}/", {"action": "accept", "reason": "Đúng số phát hành"})
    admin.post(f"/quan-tri/nguon-du-lieu/cho-duyet/{held['cntt.qlvb.vb_ky_so'].pk}/", {"action": "reject"})
    states = dict(run.held_figures.values_list("code", "state"))
    assert states == {"cntt.qlvb.vb_di": HeldState.ACCEPTED, "cntt.qlvb.vb_ky_so": HeldState.REJECTED}
    assert DataValue.objects.get(unit=travinh, period="2024Q3", indicator__code="cntt.qlvb.vb_di").value == 1000
    # a viewer cannot decide
    viewer = person(system_actor, "xem.tinh", travinh, Role.VIEWER)
    again = services.run_upload(system_actor, source, broken, "tk.json").held_figures.first()
    assert viewer.post(f"/quan-tri/nguon-du-lieu/cho-duyet/{again.pk}/", {"action": "accept"}).status_code == 404


def test_run_now_home_panel_and_the_caption_in_the_entry_form(exports, system_actor, travinh, admin) -> None:  # type: ignore[no-untyped-def]
    url = exports.serve("/tk.json", samples.documents_json())
    source = services.create_source(system_actor, name="QLVB Trà Vinh", units=[travinh], arrival=Arrival.URL, url=url,
                                    mapping=mapping("qlvb_thong_ke.yaml"))  # fmt: skip
    response = admin.post(f"/quan-tri/nguon-du-lieu/{source.slug}/chay-ngay/")
    run = Run.objects.get(source=source)
    assert run.state == RunState.OK and response["Location"] == f"/quan-tri/nguon-du-lieu/lan-chay/{run.pk}/"
    home = admin.get("/?ky=2024Q3").content.decode()
    assert 'id="sources-panel"' in home and "QLVB Trà Vinh" in home and 'data-run-state="ok"' in home
    viewer = person(system_actor, "xem.tinh", travinh, Role.VIEWER)
    seen = viewer.get("/").content.decode()
    assert 'data-run-state="ok"' in seen and "chay-ngay" not in seen  # sees the result, cannot run it
    entry = admin.get(f"/nhap-lieu/{travinh.code}/2024Q3/cntt/").content.decode()
    assert 'data-source-for="cntt.qlvb.vb_den"' in entry and "Nguồn «QLVB Trà Vinh», lấy lúc" in entry


def test_the_audit_log_names_the_source_and_the_fetch_time(system_actor, travinh, admin) -> None:  # type: ignore[no-untyped-def]
    source = services.create_source(system_actor, name="QLVB Trà Vinh", units=[travinh], mapping=mapping("qlvb_thong_ke.yaml"))
    run = services.run_upload(system_actor, source, samples.documents_json(), "tk.json")
    page = admin.get("/nhat-ky/", {"don_vi": travinh.code}).content.decode()
    assert "nguon-qlvb-tra-vinh" in page and "Nguồn dữ liệu chạy" in page
    assert services.source_ref(source, run) in page  # the reason of each value it wrote


def test_editing_a_source_moves_its_service_accounts_role(system_actor, travinh, admin) -> None:  # type: ignore[no-untyped-def]
    from baocao.access.access import Perm, can

    source = services.create_source(system_actor, name="QLVB Trà Vinh", units=[travinh], mapping=mapping("qlvb_thong_ke.yaml"),
                                    auth_header="X-Api-Key", auth_value="cu")  # fmt: skip
    district = travinh.children.filter(level="district").order_by("code").first()
    page = admin.get(f"/quan-tri/nguon-du-lieu/{source.slug}/sua/")
    assert page.status_code == 200 and "cu" not in page.content.decode().split('id="id_auth_value"')[1][:80]
    response = admin.post(f"/quan-tri/nguon-du-lieu/{source.slug}/sua/",
                          form_data(district, name="QLVB huyện", auth_header="X-Api-Key", auth_value="", save="1"))  # fmt: skip
    assert response.status_code == 302
    source.refresh_from_db()
    assert source.name == "QLVB huyện" and source.auth_value == "cu"  # a blank secret keeps the stored one
    assert can(source.account, district, Perm.ENTER) and not can(source.account, travinh, Perm.ENTER)
