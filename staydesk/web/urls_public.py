"""URLs: public (included into the web namespace by web/urls.py).

One-click answers and calendar feeds open without login: their secret URL is the key.
The calendars page that lists the feeds is a provider page like the others.
"""

from django.urls import path

from staydesk.web.views import calendars, one_click

urlpatterns: list = [
    path("answer/<str:token>/", one_click.one_click, name="one_click"),
    path("calendars/", calendars.calendars, name="calendars"),
    path(
        "calendars/<int:property_id>/new-secret/",
        calendars.calendar_secret_renew,
        name="calendar_secret_renew",
    ),
    path("calendars/<str:token>.ics", calendars.calendar_feed, name="calendar_feed"),
]
