from functools import cache

from django.urls import reverse

NAV_NAMES = [
    "home",
    "education:guide",
    "diary:home",
    "diary:progress",
    "diary:calendar",
    "diary:sessions",
    "sharing:page",
    "clinic:worklist",
    "profile",
    "admin:index",
    "logout",
    "signup",
    "login",
]


@cache
def _nav_urls():
    # reverse() costs about 0.1 ms; the layout needs a dozen on every page, always the same.
    return {name.replace(":", "_"): reverse(name) for name in NAV_NAMES}


# Which navigation link a page belongs under, by URL name; else by its namespace.
NAV_SECTION_OF = {
    "diary:calendar": "diary_calendar",
    "diary:day": "diary_calendar",
    "diary:progress": "diary_progress",
    "diary:report": "diary_progress",
    "diary:midas": "diary_progress",
    "diary:sessions": "diary_sessions",
    "diary:session_new": "diary_sessions",
    "diary:session_edit": "diary_sessions",
    "diary:session_delete": "diary_sessions",
    "diary:session_side_effects": "diary_sessions",
    "diary:side_effect_delete": "diary_sessions",
    # Other preventive medicines sit beside the treatment sessions (issue #15).
    "diary:preventives": "diary_sessions",
    "diary:preventive_new": "diary_sessions",
    "diary:preventive_edit": "diary_sessions",
    "diary:preventive_stop": "diary_sessions",
    "diary:preventive_delete": "diary_sessions",
    "sharing:page": "sharing_page",
    "sharing:stop": "sharing_page",
    "medicine_add": "profile",
    "medicine_delete": "profile",
    "diary:factor_add": "profile",  # a refused factor is the profile page again (issue #16)
    "two_factor_setup": "profile",
    "delete_account": "profile",
    "password_change": "profile",
    "password_change_done": "profile",
}
NAV_SECTION_OF_NAMESPACE = {
    "diary": "diary_home",
    "sharing": "sharing_page",
    "education": "education_guide",
    "clinic": "clinic_worklist",
    "admin": "admin_index",
}


def nav_section(request):
    """The key in `nav` of the link the current page comes under, or "" (none: an error page)."""
    match = getattr(request, "resolver_match", None)
    if match is None or not match.view_name:
        return ""
    name = match.view_name
    if name in NAV_SECTION_OF:
        return NAV_SECTION_OF[name]
    if name.replace(":", "_") in _nav_urls():
        return name.replace(":", "_")
    return NAV_SECTION_OF_NAMESPACE.get(match.namespace, "")


def nav(request):
    """The layout's links, and the aria-current of the one the page comes under: "page" on the
    link's own page, "true" on a page within its section (editing a session: Sessions).

    Whole pages are cached per address (core.pagecache) and the mark depends on the
    address alone, so a cached page always carries the right one.
    """
    urls = _nav_urls()
    section = nav_section(request)
    current = {section: "page" if urls.get(section) == request.path else "true"} if section else {}
    return {"nav": urls, "nav_current": current}
