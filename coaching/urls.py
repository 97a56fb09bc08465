from django.urls import path

from coaching import views

urlpatterns = [
    path("", views.home, name="home"),
]
