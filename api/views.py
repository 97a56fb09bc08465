"""The HTML pages of the API: the signed-in user's tokens, and the docs (Swagger UI)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularSwaggerSplitView
from rest_framework.permissions import AllowAny

from api import selectors, services

ACTIONS = ("create", "revoke")


@never_cache
@require_http_methods(["GET", "POST"])
@login_required
def api_tokens(request: HttpRequest) -> HttpResponse:
    """Create a token (shown once, in the answer to the POST that made it), see one's tokens
    with their dates, revoke one."""
    new_token = None
    error = ""
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action not in ACTIONS:
            error = "Choose one of the buttons below: create a token, or revoke one."
            status = 400
        elif action == "revoke":
            key = request.POST.get("token_key", "")[:20]
            if services.api_token_revoke(user=request.user, token_key=key):
                messages.success(request, "Token revoked: it no longer works.")
            else:
                messages.info(request, "You have no token with that key (already revoked?).")
            return redirect("api_tokens")
        else:
            try:
                instance, new_token = services.api_token_create(user=request.user)
            except ValidationError as exc:
                error = " ".join(exc.messages)
                status = 400
            else:
                new_token = {"token": new_token, "expiry": instance.expiry}
    context = {
        "tokens": selectors.api_tokens_of(user=request.user),
        "new_token": new_token,
        "error": error,
        "api_root": request.build_absolute_uri("/api/v1/"),
    }
    return render(request, "api/tokens.html", context, status=status)


class ApiDocsView(SpectacularSwaggerSplitView):
    """Swagger UI from drf-spectacular-sidecar (our static files, no CDN) in our layout. Its
    start-up script is a file of its own (``?script``), so the page needs no inline script
    and the app's CSP applies unchanged. Signed-in users only (the schema is too); a visitor
    is sent to sign in."""

    template_name = "api/docs.html"
    permission_classes = [AllowAny]

    @extend_schema(exclude=True)
    def get(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return super().get(request, *args, **kwargs)
