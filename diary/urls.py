from django.urls import path

from diary import preventive_views, progress_views, tracking_views, views

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
    # Other preventive treatments (issue #15): diary/preventive_views.py
    path("preventives/", preventive_views.preventive_list, name="preventives"),
    path("preventives/new/", preventive_views.preventive_new, name="preventive_new"),
    path("preventives/<int:pk>/edit/", preventive_views.preventive_edit, name="preventive_edit"),
    path("preventives/<int:pk>/stop/", preventive_views.preventive_stop, name="preventive_stop"),
    path("preventives/<int:pk>/delete/", preventive_views.preventive_delete, name="preventive_delete"),
    # Periods, how well each medicine worked, daily factors (issue #16): diary/tracking_views.py
    path("periods/started/", tracking_views.period_started, name="period_started"),
    path("periods/day/", tracking_views.period_day, name="period_day"),
    path("periods/tracking/", tracking_views.track_periods, name="track_periods"),
    path("periods/delete/", tracking_views.period_days_delete, name="period_days_delete"),
    path("headaches/<int:pk>/medicine-effect/", tracking_views.medicine_effect, name="medicine_effect"),
    path("check-in/", tracking_views.checkin, name="checkin"),
    path("factors/", tracking_views.factors, name="factors"),
    path("factors/add/", tracking_views.factor_add, name="factor_add"),
    path("factors/<int:pk>/delete/", tracking_views.factor_delete, name="factor_delete"),
    path("export.csv", views.export_csv, name="export"),
    path("import/", views.import_csv, name="import"),
]
