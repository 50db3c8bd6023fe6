"""Placeholder until this page is written."""

from django.http import HttpResponse


def grid(request, *args, **kwargs):
    return HttpResponse(status=501)


def export_csv(request, *args, **kwargs):
    return HttpResponse(status=501)


def bulk(request, *args, **kwargs):
    return HttpResponse(status=501)
