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


urlpatterns = [
    path("docs/assets/<str:name>", asset, name="api-docs-asset"),
    path("", api.urls),
    re_path(r"^(?P<rest>.*)$", unknown),
]
