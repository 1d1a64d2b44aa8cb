"""The cache of pages for visitors who are not signed in (the home page and the guide)."""

from functools import wraps

from django.conf import settings
from django.db.models import Count, Max

from core import pagecache, theme
from education.models import Section


def guide_version():
    """Changes with every edit, publication or deletion of a guide section (one query)."""
    state = Section.objects.aggregate(last=Max("updated_at"), count=Count("id"))
    return f"{state['last']}|{state['count']}"


@pagecache.page_decorator
def public_page(view, query):
    """The guide and home page for visitors who are not signed in."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not pagecache.cacheable(request) or settings.SESSION_COOKIE_NAME in request.COOKIES:
            return view(request, *args, **kwargs)
        page = (
            view.__module__,
            view.__name__,
            guide_version(),
            theme.current(request),
            pagecache.address(request, query),
        )
        key = pagecache.key("public", *page)
        return pagecache.serve(key, request, lambda: view(request, *args, **kwargs))

    return wrapper
