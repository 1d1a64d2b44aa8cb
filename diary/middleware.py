"""A headache that would take a diary past DIARY_MAX_ATTACKS (diary.services.DiaryFull, raised by
every write path that adds one) leads back to the diary's home page with the reason."""

from django.contrib import messages
from django.shortcuts import redirect

from diary.services import DiaryFull


class DiaryFullMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DiaryFull):
            messages.error(request, exception.message)
            return redirect("diary:home")
        return None
