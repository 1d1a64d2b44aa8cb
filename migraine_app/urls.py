from django.contrib import admin
from django.urls import include, path

from accounts import theme
from accounts import views as account_views
from core import views as core_views
from diary import views as diary_views
from education import views as education_views

admin.site.site_header = "Migraine diary administration"
admin.site.site_title = "Migraine diary admin"

urlpatterns = [
    path("", education_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("start/", account_views.start, name="start"),
    path("theme/", theme.switch, name="theme"),
    path("learn/", include("education.urls")),
    path("diary/sharing/", include("clinic.sharing_urls")),
    path("diary/", include("diary.urls")),
    path("clinic/", include("clinic.urls")),
    # The usual medicines are the diary's, listed and added on the profile page.
    path("accounts/profile/medicines/", diary_views.medicine_add, name="medicine_add"),
    path("accounts/profile/medicines/<int:pk>/delete/", diary_views.medicine_delete, name="medicine_delete"),
    path("accounts/", include("accounts.urls")),
    path("admin/", admin.site.urls),
]
