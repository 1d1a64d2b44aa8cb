from django.apps import AppConfig


class AccountsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "accounts"
    verbose_name = "Accounts"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from accounts import security, theme

        # Session policy on sign-in (idle limits by role, the device's name, the cap per account)
        # and the account's colours into the new session: Django's sign-in hook, not domain logic.
        user_logged_in.connect(security.on_login, dispatch_uid="accounts.security.on_login")
        user_logged_in.connect(theme.copy_to_session, dispatch_uid="accounts.theme.copy_to_session")
