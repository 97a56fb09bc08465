from django.urls import path

from clips import views

urlpatterns = [
    path("cycles/<int:cycle_id>/clips/", views.clip_list, name="clip_list"),
    path("clips/shared/", views.clips_shared, name="clips_shared"),
    path("clips/<int:clip_id>/", views.clip_detail, name="clip_detail"),
    path("clips/<int:clip_id>/upload/", views.clip_upload, name="clip_upload"),
    path("clips/<int:clip_id>/finish/", views.clip_finish, name="clip_finish"),
    path("clips/<int:clip_id>/comments/", views.clip_comments, name="clip_comments"),
    path("clips/<int:clip_id>/video", views.clip_video, name="clip_video"),
    path("clips/<int:clip_id>/poster", views.clip_poster, name="clip_poster"),
    path("clips/<int:clip_id>/share/", views.clip_share, name="clip_share"),
    path("clips/<int:clip_id>/delete/", views.clip_delete, name="clip_delete"),
]
