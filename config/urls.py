from django.contrib import admin
from django.urls import include, path, reverse_lazy

# The admin's "View site" leads to the app's home page (each role's own page), never back to
# the admin: administrators reach every page of theirs from the app's menu.
admin.site.site_url = reverse_lazy("home")

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("accounts.urls")),
    # Single sign-on: empty unless a provider is configured (accounts/sso_urls.py).
    path("sso/", include("accounts.sso_urls")),
    path("", include("core.urls")),
    path("", include("rosters.urls")),
    path("", include("frameworks.urls")),
    path("", include("coaching.urls")),
    path("", include("caseload.urls")),
    path("", include("live_observation.urls")),
    path("", include("my_move.urls")),
    path("", include("dashboards.urls")),
    path("", include("notifications.urls")),
    path("", include("clips.urls")),
    path("", include("privacy.urls")),
    # The JSON API, its schema and docs, and the API tokens page (docs/api.md "The API").
    path("", include("api.urls")),
]
