"""Pages of the data sources, under the administration area."""

from django.urls import path

from . import views

app_name = "sources"

urlpatterns = [
    path("", views.source_list, name="list"),
    path("tao/", views.source_create, name="create"),
    path("cho-duyet/", views.held_list, name="held"),
    path("cho-duyet/<int:pk>/", views.held_decide, name="held-decide"),
    path("lan-chay/<int:pk>/", views.run_detail, name="run"),
    path("<slug:slug>/", views.source_detail, name="detail"),
    path("<slug:slug>/sua/", views.source_edit, name="edit"),
    path("<slug:slug>/chay-ngay/", views.source_run_now, name="run-now"),
]
