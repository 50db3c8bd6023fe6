"""Placeholder until this page is written."""

from django.http import HttpResponse


def pricing_index(request, *args, **kwargs):
    return HttpResponse(status=501)


def pricing_property(request, *args, **kwargs):
    return HttpResponse(status=501)


def pricing_edit(request, *args, **kwargs):
    return HttpResponse(status=501)


def pricing_reset(request, *args, **kwargs):
    return HttpResponse(status=501)
