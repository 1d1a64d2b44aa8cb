from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Q
from django.http import Http404
from django.shortcuts import render

from education import pages
from education.models import Section

SEARCH_MAX_LENGTH = 200


def _can_preview(user):
    return user.is_active and user.is_staff and user.has_perm("education.view_section")


def _sections_for(user):
    sections = Section.objects.all()
    return sections if _can_preview(user) else sections.published()


@pages.public_page
def home(request):
    """The site's home page: what the app is, and the guide's sections."""
    sections = list(Section.objects.published().only("title", "slug", "summary"))
    return render(request, "home.html", {"sections": sections})


@pages.public_page
def guide(request):
    sections = list(_sections_for(request.user).only("title", "slug", "summary", "order", "is_published"))
    return render(request, "education/section_list.html", {"sections": sections})


@pages.public_page
def section(request, slug):
    # One query for the whole ordered contents: the section, its neighbours and the count.
    sections = list(_sections_for(request.user).defer("body"))
    index = next((i for i, candidate in enumerate(sections) if candidate.slug == slug), None)
    if index is None:
        raise Http404("No such section")
    context = {
        "section": sections[index],
        "previous": sections[index - 1] if index > 0 else None,
        "next": sections[index + 1] if index + 1 < len(sections) else None,
        "position": index + 1,
        "count": len(sections),
    }
    return render(request, "education/section_detail.html", context)


def _search(sections, query):
    if connection.vendor == "postgresql":
        vector = (
            SearchVector("title", weight="A", config="english")
            + SearchVector("summary", weight="B", config="english")
            + SearchVector("body", weight="C", config="english")
        )
        search_query = SearchQuery(query, search_type="websearch", config="english")
        return sections.annotate(rank=SearchRank(vector, search_query)).filter(rank__gt=0).order_by("-rank", "order")
    # SQLite: every word must appear somewhere in the section.
    matches = Q()
    for word in query.split():
        matches &= Q(title__icontains=word) | Q(summary__icontains=word) | Q(body__icontains=word)
    return sections.filter(matches)


@pages.public_page(query=("q",))
def search(request):
    query = request.GET.get("q", "").replace("\x00", "").strip()[:SEARCH_MAX_LENGTH]
    results = list(_search(_sections_for(request.user), query)) if query else []
    return render(request, "education/search.html", {"query": query, "results": results})
