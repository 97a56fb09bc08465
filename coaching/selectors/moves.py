"""The move library."""

from django.db.models import Q, QuerySet

from coaching.models import Move

# --- Move library --------------------------------------------------------------------------------


def move_library(*, need_area: str | None = None, query: str = "") -> QuerySet[Move]:
    """Active library moves, optionally of one need area and matching a search."""
    moves = Move.objects.filter(is_active=True)
    if need_area:
        moves = moves.filter(need_area=need_area)
    query = query.replace("\x00", "")  # PostgreSQL refuses NUL in text
    for word in query.split()[:6]:
        moves = moves.filter(
            Q(name__icontains=word)
            | Q(looks_like__icontains=word)
            | Q(script_stems__icontains=word)
        )
    return moves.order_by("name")
