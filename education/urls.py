from django.urls import path

from education import views

app_name = "education"

urlpatterns = [
    path("", views.guide, name="guide"),
    path("search/", views.search, name="search"),
    path("<slug:slug>/", views.section, name="section"),
]
