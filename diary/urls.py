from django.urls import path

from diary import progress_views, views

app_name = "diary"

urlpatterns = [
    path("", views.home, name="home"),
    path("headaches/new/", views.headache_new, name="headache_new"),
    path("headaches/<int:pk>/edit/", views.headache_edit, name="headache_edit"),
    path("headaches/<int:pk>/delete/", views.headache_delete, name="headache_delete"),
    path("headaches/<int:pk>/end/", views.headache_end, name="headache_end"),
    path("headache-free/", views.headache_free_mark, name="headache_free_mark"),
    path("headache-free/remove/", views.headache_free_unmark, name="headache_free_unmark"),
    path("calendar/", views.calendar, name="calendar"),
    path("days/<str:date>/", views.day, name="day"),
    path("sessions/", views.session_list, name="sessions"),
    path("sessions/new/", views.session_new, name="session_new"),
    path("sessions/<int:pk>/edit/", views.session_edit, name="session_edit"),
    path("sessions/<int:pk>/delete/", views.session_delete, name="session_delete"),
    path("sessions/<int:pk>/side-effects/", views.session_side_effects, name="session_side_effects"),
    path("side-effects/<int:pk>/delete/", views.side_effect_delete, name="side_effect_delete"),
    path("progress/", progress_views.progress, name="progress"),
    path("progress.json", progress_views.progress_json, name="progress_json"),
    path("report/", progress_views.report, name="report"),
    path("midas/", progress_views.midas_new, name="midas"),
    path("export.csv", views.export_csv, name="export"),
    path("import/", views.import_csv, name="import"),
]
