"""URLs of the browser UI (Vietnamese paths: people read and share them)."""

from django.urls import path

from .views import (
    audit,
    auth,
    charts,
    entry,
    excel,
    home,
    jobs,
    notifications,
    registers,
    reports,
    users,
    workflow,
)
from .views.help import help_page
from .views.national import overview as national_overview

app_name = "web"

urlpatterns = [
    path("", home.home, name="home"),
    path("dang-nhap/", auth.LoginView.as_view(), name="login"),
    path("dang-xuat/", auth.LogoutView.as_view(), name="logout"),
    path("huong-dan/", help_page, name="help"),
    path("toan-quoc/", national_overview, name="national"),
    path("nhap-lieu/", entry.pick, name="entry-pick"),
    path("nhap-lieu/<str:unit>/<str:period>/", entry.overview, name="entry-overview"),
    path("nhap-lieu/<str:unit>/<str:period>/mau.xlsx", excel.download, name="entry-template"),
    path("nhap-lieu/<str:unit>/<str:period>/tai-len/", excel.upload, name="entry-upload"),
    path("nhap-lieu/<str:unit>/<str:period>/quy-trinh/", workflow.transition, name="entry-transition"),
    path("nhap-lieu/<str:unit>/<str:period>/gui/", workflow.review, name="entry-submit"),
    path("nhap-lieu/<str:unit>/<str:period>/noi-dung/", registers.registers, name="entry-registers"),
    path("nhap-lieu/<str:unit>/<str:period>/noi-dung/tim/", registers.registers_search,
         name="entry-registers-search"),
    path("nhap-lieu/<str:unit>/<str:period>/<str:field>/", entry.section, name="entry-section"),
    path("nhap-lieu/<str:unit>/<str:period>/<str:field>/mau.xlsx", excel.download, name="entry-section-template"),
    path("nhap-lieu/<str:unit>/<str:period>/<str:field>/tai-len/", excel.upload, name="entry-section-upload"),
    path("nhat-ky/", audit.audit_list, name="audit"),
    path("thong-bao/", notifications.inbox, name="notifications"),
    # under the /bao-cao/ of baocao.reports, whose own paths all have two segments
    path("bao-cao/", reports.index, name="reports"),
    path("bao-cao/viet-tat-ca/", reports.render_all, name="reports-render-all"),
    path("tac-vu/", jobs.job_list, name="jobs"),
    path("tac-vu/nhap-tep/", jobs.start_import, name="jobs-import"),
    path("tac-vu/trich-xuat/", jobs.start_extract, name="jobs-extract"),
    path("tac-vu/<int:pk>/", jobs.job_detail, name="job"),
    path("tac-vu/<int:pk>/trang-thai/", jobs.job_status, name="job-status"),
    path("tac-vu/<int:pk>/tai-ve/", jobs.job_file, name="job-file"),
    path("tac-vu/<int:pk>/chay-lai/", jobs.job_retry, name="job-retry"),
    path("tac-vu/<int:pk>/huy/", jobs.job_cancel, name="job-cancel"),
    path("bieu-do/xu-huong/", charts.trend, name="trend"),
    path("bieu-do/so-sanh/", charts.compare, name="compare"),
    path("bieu-do/chi-so-chinh/", charts.key_figures, name="key-figures"),
    path("quan-tri/nguoi-dung/", users.users, name="users"),
    path("quan-tri/nguoi-dung/cap-quyen/", users.grant, name="users-grant"),
    path("quan-tri/nguoi-dung/tao/", users.create, name="users-create"),
    path("quan-tri/nguoi-dung/thu-hoi/<int:membership>/", users.revoke, name="users-revoke"),
]
