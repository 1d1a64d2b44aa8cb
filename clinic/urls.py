from django.urls import path

from clinic import preventive_views, views

app_name = "clinic"

urlpatterns = [
    path("", views.worklist, name="worklist"),
    path("patients/<int:pk>/", views.patient, name="patient"),
    path("patients/<int:pk>/progress.json", views.patient_json, name="patient_json"),
    path("patients/<int:pk>/report/", views.patient_report, name="patient_report"),
    path("patients/<int:pk>/export.csv", views.patient_export, name="patient_export"),
    path("patients/<int:pk>/sessions/new/", views.session_new, name="session_new"),
    path("patients/<int:pk>/baseline/", views.baseline, name="baseline"),
    path("patients/<int:pk>/notes/", views.note_new, name="note_new"),
    # Other preventive treatments and a MIDAS (issue #15): clinic/preventive_views.py
    path("patients/<int:pk>/preventives/new/", preventive_views.preventive_new, name="preventive_new"),
    path("patients/<int:pk>/preventives/<int:course>/edit/", preventive_views.preventive_edit, name="preventive_edit"),
    path("patients/<int:pk>/preventives/<int:course>/stop/", preventive_views.preventive_stop, name="preventive_stop"),
    path(
        "patients/<int:pk>/preventives/<int:course>/delete/",
        preventive_views.preventive_delete,
        name="preventive_delete",
    ),
    path("patients/<int:pk>/midas/", preventive_views.midas_new, name="midas_new"),
]
