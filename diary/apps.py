from django.apps import AppConfig


class DiaryConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "diary"
    verbose_name = "Headache diary"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from migraine_app.security import on_login

        # Session policy on sign-in (idle limits by role): not domain logic, so a signal is fine.
        user_logged_in.connect(on_login, dispatch_uid="migraine_app.security.on_login")
