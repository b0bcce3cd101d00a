"""The entry form's boxes, written from plain data for speed, are the boxes Django's widgets write:
same inputs, names, values, attributes, labels and error references, box by box."""

from __future__ import annotations

import copy
import importlib.util
import re
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.http import QueryDict
from django.urls import reverse
from web_helpers import Y2022, client_for

from baocao.datavalues.services import set_value
from baocao.web.entry_rows import section_values
from baocao.web.forms import EntryForm

pytestmark = pytest.mark.django_db


def _form_data(html: str) -> dict[str, str]:
    """What a browser sends back (tests/safety/formdata.py, that folder not being on the path here)."""
    spec = importlib.util.spec_from_file_location("formdata", Path(__file__).parent.parent / "safety" / "formdata.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.form_data(html, "entry-form")  # type: ignore[no-any-return]

HOSTILE = 'theo "báo cáo" <b>quý</b> & Ban Cơ yếu\'s'


def _url(unit):  # type: ignore[no-untyped-def]
    return reverse("web:entry-section", kwargs={"unit": unit.code, "period": "2022", "field": "cntt"})


def _django_boxes(form: EntryForm, *, disabled: bool) -> dict[str, str]:
    """Every box as Django's own BoundField renders it (fields copied: the form's are shared)."""
    form.fields = copy.deepcopy(form.fields)
    if disabled:
        for field in form.fields.values():
            field.disabled = True
    return {name: str(form[name]) for name in form.fields if name != "reason"}


def _stored(people, system_actor):  # type: ignore[no-untyped-def]
    set_value(system_actor, indicator="cntt.qlvb.vb_di", unit=people.province, period=Y2022, value=1599,
              comment=HOSTILE)
    set_value(system_actor, indicator="cntt.qlvb.vb_di", unit=people.province, period=Y2022, value=2000,
              is_target=True)
    set_value(system_actor, indicator="cntt.cts.tong", unit=people.province, period=Y2022, value=2500,
              qualifier="more_than")


def _assert_same_boxes(html: str, expected: dict[str, str]) -> None:
    missing = [name for name, box in expected.items() if box not in html]
    assert not missing, f"{len(missing)} boxes differ, first {missing[0]}: {expected[missing[0]]}"
    # Nothing else named: no box the form does not have.
    names = set(re.findall(r'<(?:input|select)[^>]* name="([^"]+)"', html.split('id="entry-form"')[1].split("</form>")[0]))
    assert names == set(expected) | {f"initial-{n}" for n in expected if n[:2] in ("v:", "t:")} | {
        "csrfmiddlewaretoken", "reason"
    } - ({"reason"} if "disabled" in next(iter(expected.values())) else set())


@pytest.mark.parametrize("who", ["entry", "viewer"])
def test_boxes_shown_are_djangos_boxes(people, system_actor, who):  # type: ignore[no-untyped-def]
    _stored(people, system_actor)
    html = client_for(getattr(people, who)).get(_url(people.province)).content.decode()
    values = section_values(people.province, Y2022, "cntt")
    form = EntryForm(indicators=values.indicators, current=values.current, plans=values.plans)
    expected = _django_boxes(form, disabled=who == "viewer")
    assert len(expected) == 6 * len(values.indicators) > 500
    _assert_same_boxes(html, expected)
    # Labels point at the value boxes; the stored comment is escaped, never markup.
    assert 'for="id_v:cntt.qlvb.vb_di"' in html
    assert "<b>quý</b>" not in html and "&lt;b&gt;quý&lt;/b&gt;" in html
    assert ('disabled id="id_v:cntt.qlvb.vb_di"' in html) == (who == "viewer")


def test_boxes_of_a_failed_save_are_djangos_boxes_with_their_errors(people, system_actor):  # type: ignore[no-untyped-def]
    _stored(people, system_actor)
    client = client_for(people.entry)
    url = _url(people.province)
    sent = _form_data(client.get(url).content.decode())
    sent.update({"v:cntt.qlvb.vb_di": "abc", "t:cntt.cts.tong": "-5", "q:cntt.cts.tong": "nonsense",
                 "c:cntt.qlvb.vb_den": HOSTILE})
    response = client.post(url, urlencode(sent), content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400
    html = response.content.decode()
    values = section_values(people.province, Y2022, "cntt")
    form = EntryForm(QueryDict(urlencode(sent)), indicators=values.indicators, current=values.current,
                     plans=values.plans)
    assert not form.is_valid()
    assert {"v:cntt.qlvb.vb_di", "t:cntt.cts.tong", "q:cntt.cts.tong"} <= set(form.errors)
    _assert_same_boxes(html, _django_boxes(form, disabled=False))
    # What was typed stays in its box, and each error list carries the id its box refers to.
    assert 'value="abc"' in html
    for name in ("v:cntt.qlvb.vb_di", "t:cntt.cts.tong"):
        assert f'aria-describedby="id_{name}_error"' in html
        assert f'<ul class="errorlist" id="id_{name}_error">' in html
