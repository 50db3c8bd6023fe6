"""URLs: webhooks (included into the web namespace by web/urls.py)."""

urlpatterns: list = []
