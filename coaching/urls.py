from django.urls import path

from coaching import views

urlpatterns = [
    path("", views.home, name="home"),
    path("caseload/", views.caseload, name="caseload"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("my-move/", views.my_move, name="my_move"),
]
