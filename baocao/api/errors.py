"""Every error of the API is JSON of one shape, and names the field it is about:

    {"code": "invalid", "message": "...", "field": "values[2].value",
     "errors": [{"field": "values[2].value", "message": "values[2]: trường value: ..."}]}

Handlers are registered for the exceptions services raise, so that endpoints can let them
through; anything unexpected becomes a logged 500 without a traceback leaking to the caller.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError, IntegrityError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as RequestValidationError

from baocao.core.periods import PeriodError, RegimeError
from baocao.datavalues.services import StaleWrite
from baocao.orgunits.lookup import UnitNotFound

logger = logging.getLogger(__name__)

ExceptionHandler = Callable[[HttpRequest, Exception], HttpResponse]


class ApiError(Exception):
    """An error an endpoint raises on purpose, with its HTTP status, code and field."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        *,
        field: str | None = None,
        errors: list[str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.field = field
        self.errors = errors or []


def not_found(message: str, field: str | None = None) -> ApiError:
    return ApiError(404, "not_found", message, field=field)


def invalid(message: str, field: str | None = None, code: str = "invalid") -> ApiError:
    return ApiError(422, code, message, field=field)


def body(
    code: str, message: str, field: str | None = None, errors: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    data: dict[str, Any] = {"code": code, "message": message}
    if field:
        data["field"] = field
    data["errors"] = errors if errors is not None else [{"field": field, "message": message}]
    return data


# "values[3]: trường indicator: …" — the place prefix the bulk endpoint gives each row, and the
# "trường X" (field X) that the services write after it.
_ROW_FIELD = re.compile(r"^(?P<row>[a-z_]+\[\d+\])(?::\s*trường\s+(?P<field>[a-z_]+))?")
_FIELD_ONLY = re.compile(r"^trường\s+(?P<field>[a-z_]+)")


def field_of(message: str) -> str | None:
    match = _ROW_FIELD.match(message)
    if match:
        return f"{match['row']}.{match['field']}" if match["field"] else match["row"]
    match = _FIELD_ONLY.match(message)
    return match["field"] if match else None


def _django_errors(exc: DjangoValidationError) -> list[dict[str, Any]]:
    if hasattr(exc, "error_dict"):
        return [
            {"field": None if name == "__all__" else name, "message": message}
            for name, errors in exc.error_dict.items()
            for error in errors
            for message in error.messages
        ]
    return [{"field": field_of(m), "message": m} for m in exc.messages]


def _loc_to_field(loc: tuple[Any, ...] | list[Any]) -> str:
    """("body", "payload", "values", 2, "value") → "values[2].value"; the source comes first."""
    parts = list(loc)
    if parts and parts[0] in ("body", "query", "path", "header", "cookie", "form", "file"):
        parts = parts[1:]
    # Ninja names the whole body after the endpoint's parameter; the caller never sees that name.
    if len(parts) > 1 and parts[0] == "payload":
        parts = parts[1:]
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        elif not out:
            out = str(part)
        else:
            out += f".{part}"
    return out


def _request_errors(exc: RequestValidationError) -> list[dict[str, Any]]:
    errors = []
    for error in exc.errors:
        field = _loc_to_field(error.get("loc", ()))
        message = str(error.get("msg", "giá trị không hợp lệ"))
        errors.append({"field": field or None, "message": f"{field}: {message}" if field else message})
    return errors


def _num(value: Any) -> str | None:
    return format(value.normalize(), "f") if value is not None else None


def register(api: NinjaAPI) -> None:
    def respond(request: HttpRequest, status: int, data: dict[str, Any]) -> HttpResponse:
        return api.create_response(request, data, status=status)

    @api.exception_handler(ApiError)
    def api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
        errors = [{"field": field_of(m) or exc.field, "message": m} for m in exc.errors] or None
        return respond(request, exc.status, body(exc.code, exc.message, exc.field, errors))

    @api.exception_handler(AuthenticationError)
    def unauthorized(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        message = (
            exc.message
            if exc.message != "Unauthorized"
            else ("Cần xác thực: gửi tiêu đề 'Authorization: Bearer <token>'")
        )
        response = respond(request, 401, body("unauthorized", message, "Authorization"))
        response["WWW-Authenticate"] = 'Bearer realm="baocao"'
        return response

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        if exc.status_code == 400:
            # Ninja's words for a body that is not JSON (or not of the declared shape at all).
            message = f"Nội dung yêu cầu không đọc được (cần JSON đúng mẫu): {exc}"
            return respond(request, 400, body("bad_request", message, "body"))
        code = {403: "forbidden", 404: "not_found", 405: "method_not_allowed", 429: "throttled"}.get(
            exc.status_code, "error"
        )
        return respond(request, exc.status_code, body(code, str(exc)))

    @api.exception_handler(RequestValidationError)
    def request_invalid(request: HttpRequest, exc: RequestValidationError) -> HttpResponse:
        errors = _request_errors(exc)
        first = errors[0] if errors else {"field": None, "message": "Yêu cầu không hợp lệ"}
        return respond(request, 422, body("invalid_request", first["message"], first["field"], errors))

    @api.exception_handler(DjangoValidationError)
    def invalid_data(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
        errors = _django_errors(exc)
        first = errors[0] if errors else {"field": None, "message": "Dữ liệu không hợp lệ"}
        message = first["message"] if len(errors) == 1 else f"{len(errors)} lỗi; lỗi đầu: {first['message']}"
        return respond(request, 422, body("invalid", message, first["field"], errors))

    def plain(status: int, code: str, field: str | None = None, fallback: str = "") -> ExceptionHandler:
        """A handler answering `status` and `code` with the exception's message (or `fallback`)."""

        def handler(request: HttpRequest, exc: Exception) -> HttpResponse:
            return respond(request, status, body(code, str(exc) or fallback, field))

        return handler

    for exc_class, handler in (
        (PeriodError, plain(422, "invalid_period", "period")),
        (RegimeError, plain(422, "invalid_regime", "regime")),
        (PermissionDenied, plain(403, "forbidden", fallback="Không có quyền")),
        (UnitNotFound, plain(404, "not_found", "unit")),
        (Http404, plain(404, "not_found", fallback="Không tìm thấy")),
        (ObjectDoesNotExist, plain(404, "not_found", fallback="Không tìm thấy")),
    ):
        api.exception_handler(exc_class)(handler)

    @api.exception_handler(StaleWrite)
    def stale(request: HttpRequest, exc: StaleWrite) -> HttpResponse:
        exc.audit()  # the refusal is in the audit log even when the write ran in a transaction
        errors = [
            {"field": field_of(c.where) or c.where or "version", "message": c.message, "yours": _num(c.yours),
             "theirs": _num(c.theirs), "changed_by": c.by, "changed_at": c.at.isoformat() if c.at else None,
             "version": c.version}
            for c in exc.conflicts
        ]  # fmt: skip
        message = "Số liệu đã được người khác sửa sau khi bạn đọc; không ghi gì. " + exc.conflicts[0].message
        return respond(request, 409, body("stale_version", message, errors[0]["field"], errors))

    @api.exception_handler(DataError)
    def data_error(request: HttpRequest, exc: DataError) -> HttpResponse:
        # A value the database cannot hold (a text longer than its column, a number out of
        # range) that a service did not check: the caller's input, so a 422, and logged so
        # that the missing check gets added.
        logger.warning("API %s %s: database refused a value: %s", request.method, request.path, exc)
        message = "Dữ liệu vượt quá giới hạn lưu trữ (chuỗi quá dài hoặc số quá lớn)"
        return respond(request, 422, body("invalid", message))

    @api.exception_handler(IntegrityError)
    def conflict(request: HttpRequest, exc: IntegrityError) -> HttpResponse:
        # Two requests creating the same thing at once: the second one loses the race.
        logger.warning("API %s %s: integrity error: %s", request.method, request.path, exc)
        return respond(request, 409, body("conflict", "Xung đột với dữ liệu vừa được ghi; hãy thử lại"))

    @api.exception_handler(Exception)
    def server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
        # Logged with its traceback for the operator; the caller learns only that it failed.
        logger.exception("API %s %s failed", request.method, request.path)
        return respond(request, 500, body("server_error", "Lỗi máy chủ; lỗi đã được ghi nhật ký"))
