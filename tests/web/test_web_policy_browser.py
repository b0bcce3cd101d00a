"""The one permission policy in a real browser: a district officer opens a quarter of a year her
province has locked — the page says why it is closed, offers no save and no submit; an approver
who submitted is not offered the approve button, a colleague is."""

from __future__ import annotations

from typing import Any

from browser_helpers import BROWSER_TEST, sign_in

from baocao.core.periods import Period

pytestmark = BROWSER_TEST


def test_a_locked_province_year_closes_a_district_quarter_and_no_one_approves_their_own(
    browser: Any,
    live_server: Any,
    world: Any,
) -> None:
    from django.contrib.auth import get_user_model

    from baocao.access.models import Role
    from baocao.access.services import create_user, grant_role
    from baocao.datavalues import workflow

    users = get_user_model().objects
    y2021 = Period.from_code("2021")
    workflow.submit(users.get(username="chuyenvien"), world["province"], y2021)
    workflow.approve(users.get(username="lanhdao"), world["province"], y2021)
    workflow.lock(users.get(username="lanhdao"), world["province"], y2021)

    page = sign_in(browser, live_server, "huyen.a")
    page.goto(f"{live_server.url}/nhap-lieu/{world['a'].code}/2021Q1/cntt/")
    assert "thuộc số liệu Trà Vinh năm 2021 (đã khóa)" in page.locator(".messages").inner_text()
    assert page.locator("#save").count() == 0
    assert page.locator('button[data-action="submit"]').count() == 0
    page.context.close()

    workflow.submit(users.get(username="lanhdao"), world["province"], Period.from_code("2022"))
    own = sign_in(browser, live_server, "lanhdao")
    own.goto(f"{live_server.url}/nhap-lieu/P63-84/2022/")
    assert own.locator('button[data-action="approve"]').count() == 0
    own.context.close()
    colleague = create_user(world["actor"], username="lanhdao.2", password="Mat-khau-thu-2026", full_name="LĐ 2")
    grant_role(world["actor"], colleague, world["province"], Role.APPROVER)
    other = sign_in(browser, live_server, "lanhdao.2")
    other.goto(f"{live_server.url}/nhap-lieu/P63-84/2022/")
    other.click('button[data-action="approve"]')
    other.wait_for_load_state()
    assert other.locator("[data-state]").first.get_attribute("data-state") == "approved"
    other.context.close()
