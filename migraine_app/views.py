from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from education.models import Section


def home(request):
    sections = list(Section.objects.published().only("title", "slug", "summary"))
    return render(request, "home.html", {"sections": sections})


@never_cache
def healthz(request):
    """For load balancers: the app answers and its database does too (one trivial query)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return JsonResponse({"status": "ok"})
