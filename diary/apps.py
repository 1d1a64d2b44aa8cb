from django.apps import AppConfig


class DiaryConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "diary"
    verbose_name = "Headache diary"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from diary import theme
        from migraine_app.security import on_login

        # Session policy on sign-in (idle limits by role): not domain logic, so a signal is fine.
        user_logged_in.connect(on_login, dispatch_uid="migraine_app.security.on_login")
        # The account's page colours into the new session, so pages need no query for them.
        user_logged_in.connect(theme.copy_to_session, dispatch_uid="diary.theme.copy_to_session")
