"""The Content-Security-Policy in a real browser: the main pages load with no violation and
their scripts still work (the live sum on the entry page, charts, the report reader's
evidence links, whose script moved out of the page into a static file)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from browser_helpers import BROWSER_TEST, account, log_in, new_page, travinh_units, wait_until

pytestmark = BROWSER_TEST
LISTEN = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__csp.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " " + e.sourceFile + ":" + e.lineNumber);
});
"""


@pytest.fixture
def office(transactional_db: Any, corpus_dir: Path) -> dict[str, Any]:
    from baocao.access.models import Role
    from baocao.access.system import system_user
    from baocao.catalog.services import load_catalog
    from baocao.core.periods import Period
    from baocao.datavalues.services import set_value
    from baocao.ingest.services import ingest_report

    actor = system_user()
    load_catalog(actor)
    _, province = travinh_units(actor)
    account(actor, "quantri.csp", province, Role.ADMIN, full_name="Quản trị")
    for year, value in ((2021, 1500), (2022, 1599)):
        set_value(actor, indicator="cntt.qlvb.vb_di", unit=province, period=Period.of_year(year), value=value)
    document = ingest_report(actor, "bc-2022.txt", (corpus_dir / "001_8b884f9475b6c3fa.txt").read_bytes(), unit=province)
    return {"document": document}


def _violations(page: Any) -> list[str]:
    return list(page.evaluate("window.__csp"))


def test_the_main_pages_load_under_the_policy_and_their_scripts_work(browser, live_server, office) -> None:  # type: ignore[no-untyped-def]
    page = new_page(browser, init_script=LISTEN)  # injected by the browser itself, not subject to the policy
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if "Content Security Policy" in msg.text else None)

    log_in(page, live_server, "quantri.csp")
    seen = {"/": _violations(page)}

    # Entry: the rate is recomputed by entry.js as the figures are typed.
    page.goto(f"{live_server.url}/nhap-lieu/P63-84/2022/cntt/")
    page.locator('input[data-code="cntt.qlvb.vb_di"]').fill("1.000")
    page.locator('input[data-code="cntt.qlvb.vb_ky_so"]').fill("751")
    assert page.locator('[data-computed="cntt.qlvb.ty_le_ky_so"]').inner_text() == "75,1%"  # a computed figure, not an input
    seen["entry"] = _violations(page)

    # Charts: Chart.js draws (from our static copy).
    page.goto(f"{live_server.url}/bieu-do/xu-huong/?don_vi=P63-84&chi_tieu=cntt.qlvb.vb_di&tu=2021&den=2022")
    wait_until(page, "document.querySelector('#trend-chart')._chart !== undefined")
    seen["trend"] = _violations(page)

    # The report reader: clicking a highlighted figure focuses its row (review.js).
    page.goto(f"{live_server.url}/doc-bao-cao/{office['document'].pk}/")
    mark = page.locator("#source-text mark").first
    fact = mark.get_attribute("data-fact")
    mark.click()
    page.wait_for_selector(f"#fact-{fact}.focus")
    seen["review"] = _violations(page)

    for path in ("/bao-cao/?don_vi=P63-84&ky=2022", "/tac-vu/", "/nhat-ky/", "/quan-tri/nguoi-dung/", "/api/v1/docs"):
        page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("networkidle")
        seen[path] = _violations(page)
    assert page.locator(".swagger-ui").count() == 1  # Swagger UI rendered from its static files
    assert {path: found for path, found in seen.items() if found} == {}
    assert errors == []
    page.context.close()
