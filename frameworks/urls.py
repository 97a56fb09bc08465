from django.urls import path

from frameworks import views

urlpatterns = [
    path("frameworks/", views.framework_index, name="framework_index"),
    path("frameworks/<int:framework_id>/", views.framework_detail, name="framework_detail"),
    path(
        "frameworks/<int:framework_id>/activate/",
        views.framework_activate,
        name="framework_activate",
    ),
]
