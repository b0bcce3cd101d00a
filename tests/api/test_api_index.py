"""/api/v1/ itself answers with an index of the API, not an error or a debug page."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_api_root_is_an_index_with_links_to_the_docs_and_the_openapi_document():  # type: ignore[no-untyped-def]
    response = Client().get("/api/v1/")
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    index = response.json()
    assert index["docs"].endswith("/api/v1/docs") and index["openapi"].endswith("/api/v1/openapi.json")
    paths = {(e["method"], e["path"]) for e in index["endpoints"]}
    assert ("POST", "/api/v1/workflow/withdraw") in paths and ("GET", "/api/v1/workflow/preview") in paths
    assert Client().get(index["openapi"].replace("http://testserver", "")).status_code == 200
    assert Client().get("/api/v1/khong-co").status_code == 404
