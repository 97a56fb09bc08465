from django.urls import path

from live_observation import views

urlpatterns = [
    # The visit in the classroom: the page, start, each entry, finish
    path("observations/<int:observation_id>/", views.observation_live, name="observation_live"),
    path(
        "observations/<int:observation_id>/start/",
        views.observation_start,
        name="observation_start",
    ),
    path(
        "observations/<int:observation_id>/finish/",
        views.observation_finish,
        name="observation_finish",
    ),
    path(
        "observations/<int:observation_id>/entries/",
        views.observation_entry,
        name="observation_entry",
    ),
]
