"""The project's URLs with single sign-on routes for Google and Microsoft, as config/urls.py
mounts them when both are configured (accounts/sso_urls.py reads the settings once, at start)."""

from django.urls import include, path

from accounts.sso_urls import sso_patterns
from config.urls import urlpatterns as project_urlpatterns

urlpatterns = [path("sso/", include(sso_patterns(["google", "microsoft"]))), *project_urlpatterns]
