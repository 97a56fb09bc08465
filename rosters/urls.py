from django.urls import path

from rosters import views

urlpatterns = [
    path("roster/", views.roster_index, name="roster_index"),
    path("roster/<int:import_id>/", views.roster_import_detail, name="roster_import_detail"),
    path("roster/<int:import_id>/apply/", views.roster_import_apply, name="roster_import_apply"),
]
