"""Root URLconf of the page benchmark (bench/settings.py): the app's URLs plus a bare view.

The bare view is the yardstick: a tiny response through the same middleware, with no template
and no database access (requested without a session cookie, so the authentication middleware
does not look the user up). It exists only under the benchmark's settings, never in production.
"""

from django.http import HttpRequest, HttpResponse
from django.urls import include, path
from django.views.decorators.http import require_GET


@require_GET
def bare(request: HttpRequest) -> HttpResponse:
    return HttpResponse(b"ok\n", content_type="text/plain")


urlpatterns = [
    path("bench/bare/", bare, name="bench_bare"),
    path("", include("config.urls")),
]
