from django.urls import path

from clinic import views

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
]
