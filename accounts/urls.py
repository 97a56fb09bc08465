from django.contrib.auth import views as auth_views
from django.urls import path

from accounts import views
from accounts.forms import SignInForm

urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(
            template_name="accounts/login.html",
            authentication_form=SignInForm,
            redirect_authenticated_user=True,
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    # The signed-in user's settings: calendar feed, API tokens, signing out (navbar's account menu)
    path("settings/", views.user_settings, name="user_settings"),
]
