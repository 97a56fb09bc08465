from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("accounts.urls")),
    # Single sign-on: empty unless a provider is configured (accounts/sso_urls.py).
    path("sso/", include("accounts.sso_urls")),
    path("", include("core.urls")),
    path("", include("rosters.urls")),
    path("", include("frameworks.urls")),
    path("", include("coaching.urls")),
    path("", include("clips.urls")),
    # The JSON API, its schema and docs, and the API tokens page (README "The API").
    path("", include("api.urls")),
]
