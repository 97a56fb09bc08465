from django.urls import path

from notifications import views

urlpatterns = [
    # Calendar: the private feed (no sign-in: the token is the key) and the page that makes it
    path("calendar/", views.calendar_settings, name="calendar_settings"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
]
