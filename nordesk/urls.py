from django.contrib import admin
from django.urls import include, path

from nordesk.api.api import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("help/", include("nordesk.portal.urls")),
    path("survey/", include("nordesk.csat.urls")),
    path("", include("nordesk.web.urls")),
]
