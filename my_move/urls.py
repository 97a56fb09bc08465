from django.urls import path

from my_move import views

urlpatterns = [
    # The teacher's side: the agreed move, a cycle's record, the reflection, sharing
    path("my-move/", views.my_move, name="my_move"),
    path("my-move/cycles/<int:cycle_id>/", views.my_cycle, name="my_cycle"),
    path("my-move/reflect/", views.reflect, name="reflect"),
    path("my-move/share/", views.cycle_share, name="cycle_share"),
]
