"""Report preview and downloads, under /bao-cao/ (see baocao/urls.py)."""

from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("<str:unit_code>/<str:period>/", views.preview, name="preview"),
    path("<str:unit_code>/<str:period>/tai-ve.<str:fmt>", views.download, name="download"),
    path("<str:unit_code>/<str:period>/ban-ky.<str:fmt>", views.download_signing, name="download-signing"),
]
