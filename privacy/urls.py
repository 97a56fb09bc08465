from django.urls import path

from privacy import views

urlpatterns = [
    path("my-move/my-data/", views.my_data, name="my_data"),
    path("my-move/my-data/download/", views.my_data_download, name="my_data_download"),
    path("privacy/erase/", views.erase_index, name="erase_index"),
    path("privacy/retention/", views.retention, name="retention"),
    path("privacy/erase/<int:teacher_id>/", views.erase_teacher, name="erase_teacher"),
]
