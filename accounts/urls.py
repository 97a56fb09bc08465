from django.contrib.auth import views as auth_views
from django.urls import path

from accounts import views

urlpatterns = [
    path("login/", views.SignInView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    # The signed-in user's settings: calendar feed, API tokens, signing out (navbar's account menu)
    path("settings/", views.user_settings, name="user_settings"),
]
