"""The cache of a patient's own diary pages (core.pagecache).

The key: the patient, the view, their diary_version, their today, the quarter hour, the theme,
the page's address with the query parameters it reads, and the browser's CSRF secret. Beneath it,
the progress pages read their figures from diary.progress_cache, so a page not in the page cache
(another theme, another browser) is rendered without computing the progress again.
"""

from functools import wraps

from core import pagecache


@pagecache.page_decorator
def patient_page(view, query):
    """A patient's own diary page; goes under @patient_required (which sets request.profile, now, today)."""
    name = f"{view.__module__}.{view.__qualname__}"

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not pagecache.cacheable(request):
            return view(request, *args, **kwargs)
        # The key's quarter hour: a headache still going grows with the clock, not only with the diary.
        key = pagecache.signed_in_key(request, query, "patient", name, request.profile.diary_version, request.today)
        return pagecache.serve(key, request, lambda: view(request, *args, **kwargs))

    return wrapper
