from django.contrib import admin
from django.urls import include, path

from migraine_app import views

admin.site.site_header = "Migraine diary administration"
admin.site.site_title = "Migraine diary admin"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("learn/", include("education.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
]
