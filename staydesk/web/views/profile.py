"""Placeholder until this page is written."""

from django.http import HttpResponse


def profile(request, *args, **kwargs):
    return HttpResponse(status=501)
