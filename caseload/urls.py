from django.urls import path

from caseload import views

urlpatterns = [
    # The coach's home: their teachers, filtered and sorted
    path("caseload/", views.caseload, name="caseload"),
    # Teacher page: profile, stance, persistent problem, timeline
    path("teachers/<int:teacher_id>/", views.teacher_detail, name="teacher_detail"),
    path("teachers/<int:teacher_id>/profile/", views.teacher_profile, name="teacher_profile"),
    path("teachers/<int:teacher_id>/problems/new/", views.problem_open, name="problem_open"),
]
