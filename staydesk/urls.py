from django.contrib import admin
from django.urls import path
from django.views.generic import RedirectView

urlpatterns = [
    path("admin/", admin.site.urls),
    # Until the provider extranet exists, the home page is the operator's console.
    path("", RedirectView.as_view(url="/admin/", permanent=False)),
]
