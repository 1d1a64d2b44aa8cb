from django.apps import AppConfig


class DiaryConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "diary"
    verbose_name = "Headache diary"
    personal_data = "diary.personal_data.personal_data"  # its part of the data download (accounts.views)
