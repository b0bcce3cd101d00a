"""Saving the data-entry form in a real browser (Playwright + the system's headless Chromium).

The page's script (web/js/entry.js) sends only the rows the person changed, each with the value
it showed and its version, so a save costs what it changes; with JavaScript off the browser sends
the whole form, which saves the same way. Seeds: the `world` fixture of tests/web/conftest.py.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl

from browser_helpers import BROWSER_TEST, PASSWORD, sign_in

pytestmark = BROWSER_TEST
FORM = "/nhap-lieu/P63-84/2022/cntt/"
SENT, LEFT, STORED = "cntt.qlvb.vb_di", "cntt.cts.tong", "cntt.qlvb.vb_den"


def box(page: Any, code: str) -> Any:
    return page.locator(f'input[data-code="{code}"]')


def _stored(code: str) -> Any:
    from baocao.datavalues.models import DataValue

    found = DataValue.objects.filter(indicator__code=code, period="2022", is_target=False, unit__code="P63-84").first()
    return None if found is None else found.value


def _posts(page: Any) -> list[dict[str, list[str]]]:
    """The bodies of the form's POSTs, as sent by the browser."""
    bodies: list[dict[str, list[str]]] = []

    def keep(request: Any) -> None:
        if request.method == "POST" and request.url.endswith(FORM):
            body: dict[str, list[str]] = {}
            for name, value in parse_qsl(request.post_data or "", keep_blank_values=True):
                body.setdefault(name, []).append(value)
            bodies.append(body)

    page.on("request", keep)
    return bodies


def test_two_boxes_edited_are_sent_alone_and_both_saved(browser, live_server, world):  # type: ignore[no-untyped-def]
    from baocao.core.periods import Period
    from baocao.datavalues.services import set_value

    set_value(world["actor"], indicator=STORED, unit=world["province"], period=Period.from_code("2022"), value=40)
    page = sign_in(browser, live_server, "chuyenvien")
    page.goto(f"{live_server.url}{FORM}")
    posts = _posts(page)
    box(page, SENT).fill("1599")
    box(page, SENT).blur()  # grouped on leaving: "1.599"
    box(page, LEFT).fill("2.597")
    page.fill(f'input[name="c:{LEFT}"]', "theo báo cáo của Sở")
    page.click("#save")
    page.wait_for_load_state()
    assert "Đã lưu: 2 giá trị thay đổi" in page.locator(".messages").inner_text()
    assert _stored(SENT) == 1599 and _stored(LEFT) == 2597 and _stored(STORED) == 40
    assert box(page, SENT).input_value() == "1.599" and box(page, LEFT).input_value() == "2.597"  # the saved state

    (sent,) = posts
    rows = {name.split(":", 1)[1] for name in sent if name[:2] in ("v:", "t:", "q:", "c:")}
    assert rows == {SENT, LEFT}, sorted(sent)  # two rows of ~94: each with its shown value and version
    for code in (SENT, LEFT):
        assert {f"v:{code}", f"initial-v:{code}", f"b:v:{code}", f"q:{code}", f"c:{code}"} <= sent.keys()
    assert sent[f"v:{SENT}"] == ["1.599"] and sent[f"c:{LEFT}"] == ["theo báo cáo của Sở"]
    assert f"v:{STORED}" not in sent and f"t:{SENT}" not in sent and "csrfmiddlewaretoken" in sent

    # A box changed and changed back is not a change: nothing is sent, nothing written.
    box(page, STORED).fill("41")
    box(page, STORED).fill("40")
    page.click("#save")
    page.wait_for_load_state()
    assert "Đã lưu: 0 giá trị thay đổi" in page.locator(".messages").inner_text()
    assert not {name for name in posts[1] if name[:2] in ("v:", "t:", "q:", "c:")}
    page.context.close()


def test_without_javascript_the_whole_form_is_sent_and_saved(browser, live_server, world):  # type: ignore[no-untyped-def]
    context = browser.new_context(locale="vi-VN", java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(15000)
    page.goto(f"{live_server.url}/dang-nhap/")
    page.fill("#id_username", "chuyenvien")
    page.fill("#id_password", PASSWORD)
    page.click("button.btn-red")
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}{FORM}")
    posts = _posts(page)
    box(page, SENT).fill("1.599")
    box(page, LEFT).fill("2.597")
    page.click("#save")
    page.wait_for_load_state()
    assert "Đã lưu: 2 giá trị thay đổi" in page.locator(".messages").inner_text()
    assert _stored(SENT) == 1599 and _stored(LEFT) == 2597 and _stored(STORED) is None
    (sent,) = posts
    assert len({name.split(":", 1)[1] for name in sent if name.startswith("v:")}) > 50  # every row
    context.close()
