"""The cache of a patient's own diary pages."""

from functools import wraps

from core import pagecache


@pagecache.page_decorator
def patient_page(view, query):
    """A patient's own diary page; goes under @patient_required (which sets request.profile, today)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not pagecache.cacheable(request):
            return view(request, *args, **kwargs)
        # The key's quarter hour: a headache still going grows with the clock, not only with the diary.
        key = pagecache.signed_in_key(
            request, query, "patient", view.__name__, request.profile.diary_version, request.today
        )
        return pagecache.serve(key, request, lambda: view(request, *args, **kwargs))

    return wrapper
