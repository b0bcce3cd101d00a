from django.http import HttpRequest, JsonResponse
from django.urls import path, re_path
from django.views.decorators.csrf import csrf_exempt

from .api import api
from .docs import asset
from .errors import body


@csrf_exempt  # as the API's own views: a DELETE to a wrong path is a JSON 404, not a CSRF page
def unknown(request: HttpRequest, rest: str = "") -> JsonResponse:
    """Paths under /api/v1/ that name no endpoint answer in the API's JSON, not a web page."""
    return JsonResponse(
        body("not_found", f"Không có địa chỉ API /api/v1/{rest}"),
        status=404,
        json_dumps_params={"ensure_ascii": False},
    )


def _endpoints() -> list[dict[str, object]]:
    """Every operation of the OpenAPI document: method, path, summary, grouped by tag order."""
    schema = api.get_openapi_schema(path_prefix="/api/v1")
    rows: list[dict[str, object]] = []
    for route, operations in schema["paths"].items():
        for method, op in operations.items():
            rows.append({"method": method.upper(), "path": route, "summary": op.get("summary", ""),
                         "tag": (op.get("tags") or [""])[0]})
    return rows


def index(request: HttpRequest) -> JsonResponse:
    """/api/v1/ itself: what the API is and where its documentation is, not an error page."""
    if request.method not in ("GET", "HEAD"):
        return unknown(request)
    return JsonResponse(
        {
            "name": "baocao API",
            "version": "1",
            "description": "API của hệ thống báo cáo ngành thông tin và truyền thông / REST API of the "
            "ICT-sector reporting system",
            "docs": request.build_absolute_uri("/api/v1/docs"),
            "openapi": request.build_absolute_uri("/api/v1/openapi.json"),
            "authentication": "Authorization: Bearer <token> (baocao token create --user … --name …)",
            "endpoints": _endpoints(),
        },
        json_dumps_params={"ensure_ascii": False, "indent": 2},
    )


urlpatterns = [
    path("", csrf_exempt(index), name="api-index"),
    path("docs/assets/<str:name>", asset, name="api-docs-asset"),
    path("", api.urls),
    re_path(r"^(?P<rest>.*)$", unknown),
]
