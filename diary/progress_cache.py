"""A patient's computed progress (services.load_progress) in the shared cache.

Computing progress reads every row of the diary and walks every day of it (about 80 ms for three
years), and the same figures are shown by the patient's progress page, its JSON and its report,
and by the clinician's pages of a patient who shares their diary. So the result is cached once
for all of them, under a key of everything it depends on:

- the patient's id and their diary_version (raised by every change to the diary, its time zone
  and the reported baseline: accounts.profiles.raise_version);
- the patient's today and the quarter hour (a headache still going grows with the clock, and the
  page cache uses the same quarter hour, so both agree);
- a digest of the clinical rules in effect (settings.DIARY_RULES): a changed threshold never
  serves figures made under the old one;
- a digest of the code that makes and holds the figures (diary/cycles.py, diary/services.py,
  diary/summaries.py, which loads the attacks, and diary/models.py): after a deploy, figures
  (and pickled objects) of the old code are not read by the new, even while old and new workers
  share one Redis.

An entry cannot be asked for after its quarter hour, so it lives a quarter hour (TIMEOUT).

The entry is the PatientProgress without its profile: the caller's profile (read with the request)
is put back on each read, so the cache holds no user row (nor password hash) and the phone
number the clinician sees is always the current one.
"""

import dataclasses
import hashlib
from pathlib import Path

from django.core.cache import cache

from accounts.profiles import patient_today, profile_for
from core import pagecache
from diary import cycles, models, services, summaries

TIMEOUT = 900  # a quarter hour: the key's quarter hour makes an entry unreachable after it

CODE_DIGEST = hashlib.sha256(
    b"".join(Path(module.__file__).read_bytes() for module in (cycles, services, summaries, models))
).hexdigest()[:16]


def rules_digest(rules=None):
    """A digest of the clinical rules in effect (the defaults and settings.DIARY_RULES alike)."""
    return hashlib.sha256(repr(rules or services.rules()).encode()).hexdigest()[:16]


def key(patient_id, diary_version, today, now, rules=None):
    parts = (
        patient_id,
        diary_version,
        today.isoformat(),
        pagecache.quarter_hour(now),
        rules_digest(rules),
        CODE_DIGEST,
    )
    return "progress:" + hashlib.sha256("\x1f".join(str(p) for p in parts).encode()).hexdigest()


def load(patient, now, profile=None):
    """services.load_progress(patient, now, profile), from the cache when it has the figures of
    this diary version, date, quarter hour, rules and code; made and stored otherwise."""
    profile = profile or profile_for(patient)
    cache_key = key(patient.pk, profile.diary_version, patient_today(profile, now), now)
    entry = cache.get(cache_key)
    if entry is not None:
        return dataclasses.replace(entry, profile=profile)
    loaded = services.load_progress(patient, now=now, profile=profile)
    cache.set(cache_key, dataclasses.replace(loaded, profile=None), TIMEOUT)
    return loaded
