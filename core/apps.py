from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Helpers every app may use; imports no app of the project."""

    name = "core"
    verbose_name = "Shared helpers"
