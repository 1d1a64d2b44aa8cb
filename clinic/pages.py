"""The cache of the clinician's pages: the worklist and a shared patient's pages (core.pagecache).

A shared patient's page is keyed by the clinician, the view, the patient, the patient's
diary_version and today, the quarter hour, the theme, the address and the CSRF secret; the
worklist by the clinician, worklist_version(), the quarter hour, the theme, the address with its
q, flag and page, and the CSRF secret.
"""

from functools import wraps

from accounts import profiles
from core import pagecache, timeutil


def worklist_version(clinician):
    """Changes whenever anything the worklist shows may have: accounts.ClinicVersion, one query on
    its primary key, whatever the number of patients.

    It is raised once any of these commits: a change to a patient's diary or profile (their data
    version), a summary made again (after a diary change or for a new date), a share made or
    ended, an account deleted. One counter for the whole clinic: the aggregate over the
    clinician's shares it replaces grew with them (4 ms for 201 patients, 8 ms for 2,000). The
    price is that any patient's change makes every clinician's next worklist view render again
    (from the summaries, never a recomputation). The clinician is in the page's key beside it.
    """
    return str(profiles.clinic_version())


@pagecache.page_decorator
def clinic_patient_page(view, query, before=None):
    """A shared patient's page for a clinician; `before` runs on every request (the access log)."""

    name = f"{view.__module__}.{view.__qualname__}"

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if before is not None:  # on every request, cached or not (a page with a message is not)
            before(request)
        if not pagecache.cacheable(request):
            return view(request, *args, **kwargs)
        profile = request.profile
        patient_today = timeutil.today(profile.tz, request.now)
        key = pagecache.signed_in_key(
            request, query, "clinic-patient", name, request.patient.pk, profile.diary_version, patient_today
        )
        return pagecache.serve(key, request, lambda: view(request, *args, **kwargs))

    return wrapper


@pagecache.page_decorator
def worklist_page(view, query):
    """The clinician's worklist, keyed by worklist_version() and the quarter hour (flags such as
    "session due" change with each patient's date alone)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not pagecache.cacheable(request):
            return view(request, *args, **kwargs)
        key = pagecache.signed_in_key(request, query, "worklist", worklist_version(request.user))
        return pagecache.serve(key, request, lambda: view(request, *args, **kwargs))

    return wrapper
