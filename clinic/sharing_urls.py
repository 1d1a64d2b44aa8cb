"""The patient's side of sharing, under /diary/sharing/ (the patient's part of the site)."""

from django.urls import path

from clinic import sharing_views

app_name = "sharing"

urlpatterns = [
    path("", sharing_views.sharing, name="page"),
    path("<int:pk>/stop/", sharing_views.stop_sharing, name="stop"),
]
