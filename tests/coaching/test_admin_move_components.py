"""The admin tags library moves with components of the districts' active frameworks only."""

import pytest
from django.urls import reverse

from tests import factories as f

pytestmark = pytest.mark.django_db


def test_the_move_form_offers_only_active_frameworks_components(client, school_world):
    active = f.ComponentFactory(name="Offered component")
    inactive = f.ComponentFactory(domain__framework__is_active=False, name="Hidden component")
    move = f.MoveFactory()
    client.force_login(school_world.superuser)
    page = client.get(reverse("admin:coaching_move_change", args=[move.pk]))
    choices = page.context["adminform"].form.fields["components"].queryset
    assert active in choices and inactive not in choices
