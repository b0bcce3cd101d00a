"""The API object: authentication, error handlers and the routers, mounted at /api/v1/."""

from __future__ import annotations

from ninja import NinjaAPI
from ninja.renderers import JSONRenderer

from . import errors
from .auth import BearerToken, SessionRead
from .docs import LocalSwagger
from .routers import account, catalog, jobs, periods, registers, reports, sources, units, values, workflow

DESCRIPTION = """
API của hệ thống báo cáo ngành thông tin và truyền thông / REST API of the ICT-sector
reporting system.

**Xác thực / Authentication**: `Authorization: Bearer <token>` (token cấp bằng
`baocao token create --user … --name …`, tức
`python manage.py baocao_token create …`); trình duyệt đã đăng nhập được đọc (GET) bằng phiên.

**Phân quyền / Permissions**: như ứng dụng web — vai trò theo cây đơn vị (nhập liệu, phê
duyệt, xem, quản trị), kiểm tra ở máy chủ cho mọi lời gọi.

**Lỗi / Errors**: JSON `{"code", "message", "field", "errors": [{"field", "message"}]}`;
401 chưa xác thực, 403 không có quyền, 404 không tìm thấy, 422 dữ liệu không hợp lệ (mỗi lỗi
ghi rõ trường, dòng `values[i]`).

**Số / Numbers**: ghi có thể là số JSON hoặc chuỗi kiểu Việt Nam ("1.599", "73,95%",
"ước 76 tỷ đồng"); đọc trả `value` (số), `exact` (chuỗi thập phân chính xác), `display`
(cách viết Việt Nam). **Kỳ / Periods**: mã ("2022Q1", "202203", "2022S1", "2022") hoặc nhãn
("quý I/2022", "tháng 3/2022", "6 tháng đầu năm 2022", "năm 2022").

**Ghi hàng loạt / Bulk**: `POST /values` cho đến vài nghìn dòng JSON (một giao dịch);
tệp lớn (CSV, XLSX, JSON; hàng triệu dòng) qua `POST /values/import` (multipart, trường
`file`) chạy thành tác vụ nền, đọc dần từng phần, kiểm tra theo tập, tất cả hoặc không; theo
dõi bằng `GET /jobs/{id}`, chạy lại bằng `POST /jobs/{id}/retry`.
"""


class Renderer(JSONRenderer):
    # Vietnamese text stays readable in the responses ("Trà Vinh", not "Tr\u00e0 Vinh").
    json_dumps_params = {"ensure_ascii": False}


def build_api() -> NinjaAPI:
    api = NinjaAPI(
        title="baocao API",
        version="1",
        description=DESCRIPTION,
        urls_namespace="api-v1",
        auth=[BearerToken(), SessionRead()],
        openapi_url="/openapi.json",
        docs_url="/docs",
        docs=LocalSwagger(),
        renderer=Renderer(),
    )
    errors.register(api)
    for module in (account, units, periods, catalog, values, workflow, registers, reports, jobs, sources):
        api.add_router("/", module.router)
    return api


api = build_api()
