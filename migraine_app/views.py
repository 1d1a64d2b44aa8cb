from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from diary import roles
from education.models import Section
from migraine_app import caching


@caching.public_page
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


@login_required
def start(request):
    """Where signing in leads: each role to its own first page."""
    if roles.is_clinician(request.user):
        return redirect("clinic:worklist")
    if roles.is_editor(request.user):
        return redirect("admin:index")
    return redirect("diary:home")
