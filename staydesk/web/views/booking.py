"""Placeholder until this page is written."""

from django.http import HttpResponse


def booking_detail(request, *args, **kwargs):
    return HttpResponse(status=501)


def booking_action(request, *args, **kwargs):
    return HttpResponse(status=501)


def voucher(request, *args, **kwargs):
    return HttpResponse(status=501)
