from django.urls import path

from . import views

app_name = "ingest"

urlpatterns = [
    path("", views.document_list, name="list"),
    path("<int:pk>/", views.review, name="review"),
    path("<int:pk>/so-lieu/<int:fact_pk>/", views.decide, name="decide"),
    path("<int:pk>/nap/", views.load, name="load"),
]
