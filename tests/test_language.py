"""The app is English only, with Django's translation machinery off (settings.USE_I18N).

Turning it off is safe only while no catalogue would have changed a word: Django's British
English catalogues (and any other installed app's) must hold nothing but their English originals.
A Django upgrade that adds a British spelling fails here, and the setting's comment must be read
again.
"""

import gettext
from pathlib import Path

from django.apps import apps
from django.conf import locale as django_locale
from django.conf import settings
from django.conf.locale.en_GB import formats as british_formats
from django.utils import formats, translation

CONTEXT_SEPARATOR = "\x04"  # pgettext's: "context\x04message"


def british_catalogues():
    folders = [Path(django_locale.__file__).parent] + [Path(app.path) / "locale" for app in apps.get_app_configs()]
    for folder in folders:
        for name in ("en_GB", "en"):
            path = folder / name / "LC_MESSAGES" / "django.mo"
            if path.exists():
                yield path


def differing(path):
    with path.open("rb") as file:
        catalogue = gettext.GNUTranslations(file)._catalog
    for key, text in catalogue.items():
        if isinstance(key, tuple):  # a plural form: (message, n)
            continue  # the English plural is the message's own plural, given by the caller
        if not key:  # the header
            continue
        original = key.split(CONTEXT_SEPARATOR, 1)[-1]
        if text != original:
            yield original, text


def test_translation_is_off_and_dates_keep_british_formats():
    assert settings.USE_I18N is False
    assert settings.LANGUAGE_CODE == "en-gb"
    assert translation.get_language() == "en-gb"
    # Dates and numbers are formatted by LANGUAGE_CODE's format module, as with translation on.
    for name in ("DATE_FORMAT", "SHORT_DATE_FORMAT", "DECIMAL_SEPARATOR", "THOUSAND_SEPARATOR", "FIRST_DAY_OF_WEEK"):
        assert formats.get_format(name) == getattr(british_formats, name), name
    assert formats.get_format("DATE_INPUT_FORMATS")[0] == "%d/%m/%Y"  # day first


def test_no_catalogue_would_change_a_word():
    catalogues = list(british_catalogues())
    assert catalogues, "Django's en_GB catalogue was not found"
    changes = {str(path): list(differing(path)) for path in catalogues}
    assert {path: found for path, found in changes.items() if found} == {}
