"""In a real browser: a reviewer opens "Vì sao đọc như vậy" under a fact's evidence and reads
the lexicon entry and the rule that decided it (Playwright + the system's headless Chromium)."""

from __future__ import annotations

from datetime import date

from browser_helpers import BROWSER_TEST, account, sign_in

pytestmark = BROWSER_TEST
REPORT_2022 = "001_8b884f9475b6c3fa.txt"


def test_the_reviewer_opens_the_trace_of_a_fact(browser, live_server, corpus_dir) -> None:  # type: ignore[no-untyped-def]
    from baocao.access.models import Role
    from baocao.access.system import system_user
    from baocao.ingest.services import ingest_report
    from baocao.orgunits.lookup import find_unit

    actor = system_user()
    travinh = find_unit("Trà Vinh", on=date(2022, 12, 31), level="province")
    document = ingest_report(actor, "bc-2022.txt", (corpus_dir / REPORT_2022).read_bytes(), unit=travinh)
    fact = document.facts.get(indicator="cntt.qlvb.ty_le_ky_so", period="2021")
    account(actor, "duyet", travinh, Role.DATA_ENTRY, full_name="Người duyệt")

    page = sign_in(browser, live_server, "duyet")
    page.goto(f"{live_server.url}/doc-bao-cao/{document.pk}/")
    page.wait_for_load_state("networkidle")
    row = page.locator(f"#fact-{fact.pk}")
    rule = row.locator("details.why code", has_text="period.comparison.before_group")
    assert row.locator("a.evidence").is_visible()
    assert not rule.is_visible()  # folded until asked for
    row.locator("details.why summary", has_text="Vì sao đọc như vậy").click()
    rule.wait_for(state="visible")
    assert row.locator("details.why li", has_text="Chỉ tiêu: cntt.qlvb.ty_le_ky_so").is_visible()
    page.context.close()  # no request left open on the live server when its database is torn down
