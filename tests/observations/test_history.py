"""Audit history of classroom evidence: entries made on the live-observation page record the
coach who made them; the admin's History page of each note, sweep and piece of evidence shows
who changed which field, to superusers only (coaching content)."""

import re
import uuid

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from observations.models import EngagementSample, ObservationNote, StudentEvidence

pytestmark = pytest.mark.django_db

JSON_HEADERS = {"HTTP_X_REQUESTED_WITH": "fetch", "HTTP_ACCEPT": "application/json"}
ENTRIES = {
    "note": (ObservationNote, {"text": "Teacher waits 8 seconds before taking answers."}),
    "sweep": (
        EngagementSample,
        {"phase": "after_move", "engaged_count": "23", "present_count": "25"},
    ),
    "evidence": (
        StudentEvidence,
        {"kind": "produced", "description": "Most boards show 3/4 with a drawing."},
    ),
}


def _history_url(obj) -> str:
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_history", args=[obj.pk])


def _enter(client, world, kind: str):
    """coach1 saves one live entry of ``kind`` in o1a; returns the stored row."""
    model, fields = ENTRIES[kind]
    client_id = uuid.uuid4()
    client.force_login(world.coach1)
    response = client.post(
        reverse("observation_entry", args=[world.o1a.pk]),
        {"type": kind, "client_id": str(client_id), **fields},
        **JSON_HEADERS,
    )
    assert response.status_code == 201
    client.logout()
    return model.objects.get(client_id=client_id)


@pytest.mark.parametrize("kind", ENTRIES)
def test_an_entry_made_on_the_live_page_records_the_coach(client, school_world, kind):
    row = _enter(client, school_world, kind)

    record = row.history.get()
    assert (record.history_type, record.history_user) == ("+", school_world.coach1)


@pytest.mark.parametrize("kind", ENTRIES)
def test_superusers_read_each_entrys_history_with_who_made_it(client, school_world, kind):
    row = _enter(client, school_world, kind)
    client.force_login(school_world.superuser)

    response = client.get(_history_url(row))

    assert response.status_code == 200
    assert str(school_world.coach1) in response.content.decode()


def test_a_correction_in_the_admin_records_the_superuser_and_the_field(client, school_world):
    evidence = _enter(client, school_world, "evidence")
    client.force_login(school_world.superuser)
    url = reverse("admin:observations_studentevidence_change", args=[evidence.pk])
    form = client.get(url).context["adminform"].form
    data = {name: form[name].value() or "" for name in form.fields}
    data["noted_at_0"], data["noted_at_1"] = (
        form["noted_at"].value().strftime("%Y-%m-%d %H:%M:%S").split()
    )

    response = client.post(url, {**data, "description": "Most boards show 3/4."})

    assert response.status_code == 302
    latest = evidence.history.latest("history_date")
    assert latest.history_user == school_world.superuser
    html = client.get(_history_url(evidence)).content.decode()
    assert re.search(
        r"<strong>Description:</strong>\s*Most boards show 3/4 with a drawing\.\s*"
        r"&nbsp;&rarr;&nbsp;&nbsp;Most boards show 3/4\.",
        html,
    )


@pytest.mark.parametrize("who", ["coach1", "principal_a", "t1a"])
def test_people_without_the_admin_never_reach_evidence_history(client, school_world, who):
    note = _enter(client, school_world, "note")
    client.force_login(school_world.t1a.user if who == "t1a" else getattr(school_world, who))

    response = client.get(_history_url(note))

    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def test_staff_with_view_permission_are_still_refused_evidence_history(client, school_world):
    note = _enter(client, school_world, "note")
    staff = school_world.administrator
    staff.is_staff = True
    staff.save()
    staff.user_permissions.add(Permission.objects.get(codename="view_observationnote"))
    client.force_login(type(staff).objects.get(pk=staff.pk))

    assert client.get(_history_url(note)).status_code == 403
