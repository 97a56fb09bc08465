"""The signed-in user's settings page: one place that lists what a person can set for
themselves. Other apps' pages (the calendar feed link, API tokens, the API docs) are linked by
URL name in the template only, so this low app imports none of them."""

from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from accounts import devices, selectors
from accounts.forms import SignInForm
from accounts.throttling import locked_out


class SignInView(LoginView):
    """Django's sign-in, and the known-device cookie (accounts/devices.py): set after a
    sign-in with the password; a known device past its own failure limit is refused."""

    template_name = "accounts/login.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        if devices.device_is_locked(request, request.POST.get("username")):
            return locked_out(request)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        response = super().form_valid(form)
        devices.device_remember(response, username=form.get_user().get_username())
        return response


@never_cache
@require_GET
@login_required
def user_settings(request: HttpRequest) -> HttpResponse:
    """The user's account, calendar feed (teachers and coaches: the feed has their sessions),
    API tokens and signing out. Each setting lives on its own page; this one says what it is
    and whether it is on."""
    context = {"calendar_feed": selectors.calendar_feed_of(user=request.user)}
    return render(request, "accounts/settings.html", context)
