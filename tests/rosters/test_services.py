"""Roster imports (rosters.services): counts, re-imports, deactivations, links by email, and
every malformed bundle refused with its file and line, changing nothing."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.test import Client

from accounts.models import User
from rosters.models import ImportStatus, RosterImport
from rosters.services import (
    roster_bundle_import,
    roster_import_apply,
    roster_import_create,
    roster_import_run,
)
from teachers.models import District, Membership, Role, School, Teacher
from tests.factories import (
    CaseloadAssignmentFactory,
    DistrictFactory,
    MembershipFactory,
    SchoolFactory,
    TeacherFactory,
    UserFactory,
)
from tests.rosters.bundles import (
    STUDENT_TEXTS,
    bundle_files,
    default_orgs,
    default_users,
    user,
    zip_bytes,
)

pytestmark = pytest.mark.django_db


def run(files, *, district=None, dry_run=False):
    return roster_bundle_import(files=files, district=district, dry_run=dry_run)


def snapshot() -> dict[str, list]:
    """Every row of the apps an import may write."""
    models = [
        m for label in ("accounts", "teachers") for m in apps.get_app_config(label).get_models()
    ]
    return {m._meta.label: list(m._default_manager.order_by("pk").values()) for m in models}


def everything_stored() -> str:
    return repr(snapshot())


# --- A first import -------------------------------------------------------------------------------


def test_first_import_creates_the_district_schools_and_people_with_known_counts():
    outcome = run(bundle_files())
    assert outcome.ok, outcome.problems
    district = District.objects.get(sourced_id="dist-1")
    assert district.name == "Riverside Unified"
    schools = School.objects.filter(district=district)
    assert sorted(schools.values_list("sourced_id", flat=True)) == ["sch-1", "sch-2", "sch-3"]
    assert all(s.time_zone == "America/New_York" and s.is_active for s in schools)
    # Teachers: an account with no usable password, a profile at the first school, a teacher
    # membership at each school.
    ada = User.objects.get(sourced_id="t-1")
    assert ada.username == "ada@riverside.example" and not ada.has_usable_password()
    assert ada.teacher_profile.school.sourced_id == "sch-1"
    assert sorted(
        Membership.objects.filter(user=ada, role=Role.TEACHER).values_list(
            "school__sourced_id", flat=True
        )
    ) == ["sch-1", "sch-2"]
    assert Teacher.objects.filter(school__district=district).count() == 4
    assert Membership.objects.filter(role=Role.TEACHER).count() == 5
    # Administrators: principals at their schools, district leader at the district org.
    assert Membership.objects.filter(role=Role.PRINCIPAL).count() == 3
    leader = Membership.objects.get(role=Role.DISTRICT_LEADER)
    assert leader.user.sourced_id == "a-3" and leader.district == district
    # Never the app's Administrator role, staff or superuser from a file.
    assert not Membership.objects.filter(role=Role.ADMINISTRATOR).exists()
    assert not User.objects.filter(is_staff=True).exists()
    assert not User.objects.filter(is_superuser=True).exists()
    # Students and parents: never stored, not even in the report.
    assert User.objects.count() == 7
    stored = everything_stored() + repr(outcome.rows) + repr(outcome.summary)
    for text in STUDENT_TEXTS:
        assert text not in stored, text
    summary = outcome.summary
    assert summary["actions"] == {"create": 11, "update": 0, "deactivate": 0, "unchanged": 0}
    assert (summary["schools"], summary["teachers"], summary["principals"]) == (3, 4, 2)
    assert (summary["district_leaders"], summary["skipped"], summary["orgs_skipped"]) == (1, 4, 1)


def test_import_into_a_chosen_district_links_it_by_sourced_id():
    district = DistrictFactory(name="Riverside (ours)")
    outcome = run(bundle_files(), district=district)
    assert outcome.ok, outcome.problems
    district.refresh_from_db()
    assert district.sourced_id == "dist-1" and district.name == "Riverside (ours)"
    assert District.objects.count() == 1
    assert School.objects.filter(district=district).count() == 3
    assert outcome.rows[0]["action"] == "update"


def test_a_bundle_for_another_district_is_refused():
    mine = DistrictFactory(sourced_id="dist-other")
    outcome = run(bundle_files(), district=mine)
    assert not outcome.ok
    assert [(p.file, p.line, p.field) for p in outcome.problems] == [("orgs.csv", 2, "sourcedId")]
    assert School.objects.count() == 0


# --- Re-importing ---------------------------------------------------------------------------------


def test_reimporting_the_same_bundle_creates_nothing_and_changes_nothing():
    run(bundle_files())
    before = snapshot()
    outcome = run(bundle_files())
    assert outcome.ok, outcome.problems
    assert outcome.summary["actions"] == {
        "create": 0,
        "update": 0,
        "deactivate": 0,
        "unchanged": 11,
    }
    assert snapshot() == before


def test_a_newer_bundle_updates_and_deactivates_without_deleting():
    run(bundle_files())
    orgs = default_orgs()
    orgs[1]["name"] = "Riverside Elementary (renamed)"
    orgs[3]["status"] = "tobedeleted"  # sch-3 closes
    users = default_users()
    users[1]["familyName"] = "Turing-Smith"  # t-2 renamed
    users[2]["status"] = "tobedeleted"  # t-3 leaves
    users[4]["enabledUser"] = "false"  # a-1 disabled
    users[0]["orgSourcedIds"] = "sch-2"  # t-1 moves to sch-2 only
    users.append(user("t-5", "teacher", "sch-1", "New", "Teacher", "new@riverside.example"))
    users_before = User.objects.count()
    outcome = run(bundle_files(orgs, users))
    assert outcome.ok, outcome.problems
    actions = outcome.summary["actions"]
    assert actions == {"create": 1, "update": 3, "deactivate": 3, "unchanged": 5}, outcome.rows
    assert User.objects.count() == users_before + 1
    school_1 = School.objects.get(sourced_id="sch-1")
    assert school_1.name == "Riverside Elementary (renamed)"
    assert not School.objects.get(sourced_id="sch-3").is_active
    assert User.objects.get(sourced_id="t-2").last_name == "Turing-Smith"
    assert Teacher.objects.get(user__sourced_id="t-2").last_name == "Turing-Smith"
    grace = User.objects.get(sourced_id="t-3")
    assert not grace.is_active
    assert not grace.teacher_profile.is_active
    assert not Membership.objects.filter(user=grace, is_active=True).exists()
    maria = User.objects.get(sourced_id="a-1")
    assert not maria.is_active
    assert not Membership.objects.filter(user=maria, is_active=True).exists()
    ada = User.objects.get(sourced_id="t-1")
    assert ada.teacher_profile.school.sourced_id == "sch-2"
    assert list(
        Membership.objects.filter(user=ada, is_active=True).values_list(
            "school__sourced_id", flat=True
        )
    ) == ["sch-2"]
    rows = {r["sourced_id"]: r for r in outcome.rows}
    assert rows["t-3"]["action"] == "deactivate"
    assert any("last_name" in c for c in rows["t-2"]["changes"])
    # Back again: the person is reactivated, not created twice.
    outcome = run(bundle_files())
    assert outcome.ok
    assert User.objects.get(sourced_id="t-3").is_active
    assert User.objects.count() == users_before + 1


def test_an_account_with_the_same_email_is_linked_not_duplicated():
    district = DistrictFactory()
    school = SchoolFactory(district=district, sourced_id="sch-1")
    existing = UserFactory(username="alan.t", email="ALAN@Riverside.example")
    coach = MembershipFactory(user=existing, school=school, role=Role.COACH)
    outcome = run(bundle_files(), district=district)
    assert outcome.ok, outcome.problems
    existing.refresh_from_db()
    assert existing.sourced_id == "t-2"
    assert existing.username == "alan.t"  # usernames are never changed by an import
    assert User.objects.filter(email__iexact="alan@riverside.example").count() == 1
    assert Membership.objects.filter(user=existing, role=Role.TEACHER, school=school).exists()
    coach.refresh_from_db()
    assert coach.is_active  # the app's own roles are left alone


def test_a_teacher_profile_without_login_is_linked_by_email():
    district = DistrictFactory()
    school = SchoolFactory(district=district, sourced_id="sch-1")
    profile = TeacherFactory(school=school, email="alan@riverside.example", user=None)
    run(bundle_files(), district=district)
    profile.refresh_from_db()
    assert profile.user.sourced_id == "t-2"
    assert (
        Teacher.objects.filter(school=school, email__iexact="alan@riverside.example").count() == 1
    )


def test_an_account_used_in_another_district_is_not_deactivated():
    """A tobedeleted row only ends the person's roles in this district when they work
    elsewhere too (or are staff): an import never locks out someone it does not own."""
    run(bundle_files())
    grace = User.objects.get(sourced_id="t-3")
    elsewhere = MembershipFactory(user=grace, role=Role.COACH)
    users = default_users()
    users[2]["status"] = "tobedeleted"
    assert run(bundle_files(users=users)).ok
    grace.refresh_from_db()
    assert grace.is_active
    assert not Membership.objects.filter(
        user=grace, is_active=True, school__district__sourced_id="dist-1"
    ).exists()
    elsewhere.refresh_from_db()
    assert elsewhere.is_active


def test_a_dry_run_writes_nothing_and_reports_every_row():
    run(bundle_files())
    users = default_users()
    users[1]["familyName"] = "Turing-Smith"
    before = snapshot()
    outcome = run(bundle_files(users=users), dry_run=True)
    assert outcome.ok
    assert snapshot() == before
    rows = {r["sourced_id"]: r for r in outcome.rows}
    assert rows["t-2"]["action"] == "update"
    assert rows["t-2"]["changes"][0] == "last_name: 'Turing' → 'Turing-Smith'"
    assert rows["t-1"]["action"] == "unchanged"
    assert len(outcome.rows) == 11  # district, 3 schools, 7 people; no student


def test_a_first_dry_run_writes_nothing():
    outcome = run(bundle_files(), dry_run=True)
    assert outcome.ok
    assert outcome.summary["actions"]["create"] == 11
    assert not User.objects.exists() and not School.objects.exists()
    assert not District.objects.exists()


# --- Malformed bundles: refused, named by file and line, nothing changed --------------------------


def _broken_quoting(files):
    files["users.csv"] = files["users.csv"].replace(b'"sch-1,sch-2"', b'"sch-1,sch-2')
    return files


def _latin1(files):
    files["users.csv"] = files["users.csv"].replace(b"Grace", "Gr\u00e2ce".encode("latin-1"))
    return files


def _missing_column(files):
    files["users.csv"] = files["users.csv"].replace(b",orgSourcedIds,", b",orgs,", 1)
    return files


def _duplicate(files):
    files["orgs.csv"] = files["orgs.csv"].replace(b"sch-2,active", b"sch-1,active")
    return files


def _unknown_org(files):
    files["users.csv"] = files["users.csv"].replace(
        b"t-3,active,2024-08-21T09:31:02.000Z,true,sch-2",
        b"t-3,active,2024-08-21T09:31:02.000Z,true,sch-9",
    )
    return files


def _bad_date(files):
    files["orgs.csv"] = files["orgs.csv"].replace(
        b"sch-3,active,2024-08-21T09:31:02.000Z", b"sch-3,active,21/08/2024"
    )
    return files


def _missing_file(files):
    del files["orgs.csv"]
    return files


def _bad_role(files):
    files["users.csv"] = files["users.csv"].replace(b",teacher,alan", b",teachr,alan")
    return files


def _email_clash(files):
    files["users.csv"] = files["users.csv"].replace(
        b"grace@riverside.example", b"Alan@Riverside.example"
    )
    return files


def _bad_manifest(files):
    files["manifest.csv"] = files["manifest.csv"].replace(
        b"oneroster.version,1.1", b"oneroster.version,1.0"
    )
    return files


def _nul(files):
    files["users.csv"] = files["users.csv"].replace(b"Hopper", b"Hop\x00per")
    return files


def _bell(files):
    files["users.csv"] = files["users.csv"].replace(b"Turing", b"Tur\x07ing")
    return files


MALFORMED = {
    # case: (breaker, expected (file, line, field) among the problems)
    "wrong encoding": (_latin1, ("users.csv", 4, "")),
    "missing file": (_missing_file, ("orgs.csv", None, "")),
    "missing column": (_missing_column, ("users.csv", 1, "orgSourcedIds")),
    "broken quoting": (_broken_quoting, ("users.csv", 2, "")),
    "duplicate sourcedId": (_duplicate, ("orgs.csv", 4, "sourcedId")),
    "unknown org": (_unknown_org, ("users.csv", 4, "orgSourcedIds")),
    "bad date": (_bad_date, ("orgs.csv", 5, "dateLastModified")),
    "bad enum": (_bad_role, ("users.csv", 3, "role")),
    "email clash in the file": (_email_clash, ("users.csv", 4, "email")),
    "wrong OneRoster version": (_bad_manifest, ("manifest.csv", 3, "oneroster.version")),
    "NUL in a cell": (_nul, ("users.csv", 4, "familyName")),
    "control character in a cell": (_bell, ("users.csv", 3, "familyName")),
}


@pytest.mark.parametrize("case", list(MALFORMED))
@pytest.mark.parametrize("dry_run", [False, True])
def test_a_malformed_bundle_is_refused_with_file_and_line_and_changes_nothing(case, dry_run):
    breaker, expected = MALFORMED[case]
    run(bundle_files())  # something to change
    before = snapshot()
    orgs = default_orgs()
    orgs[1]["name"] = "Renamed"  # a valid change the refusal must not make
    outcome = run(breaker(bundle_files(orgs)), dry_run=dry_run)
    assert not outcome.ok
    found = [(p.file, p.line, p.field) for p in outcome.problems]
    assert expected in found, [str(p) for p in outcome.problems]
    assert snapshot() == before
    assert not outcome.rows


def test_the_well_formed_bundle_of_the_malformed_cases_does_import():
    """Control for the malformed cases: the same setup without the breakage changes rows."""
    run(bundle_files())
    before = snapshot()
    orgs = default_orgs()
    orgs[1]["name"] = "Renamed"
    assert run(bundle_files(orgs)).ok
    assert snapshot() != before


def test_a_bom_is_allowed():
    files = bundle_files()
    files["users.csv"] = b"\xef\xbb\xbf" + files["users.csv"]
    assert run(files).ok


def test_every_problem_is_reported_at_once():
    files = _bad_date(_unknown_org(_duplicate(bundle_files())))
    found = {(p.file, p.line, p.field) for p in run(files).problems}
    assert {
        ("orgs.csv", 4, "sourcedId"),
        ("users.csv", 4, "orgSourcedIds"),
        ("orgs.csv", 5, "dateLastModified"),
    } <= found


def test_an_email_of_another_imported_person_is_refused():
    run(bundle_files())
    users = default_users()
    users.append(user("t-9", "teacher", "sch-1", "Copy", "Cat", "ADA@riverside.example", "copycat"))
    outcome = run(bundle_files(users=users))
    assert [(p.file, p.line, p.field) for p in outcome.problems] == [("users.csv", 13, "email")]


def test_a_school_of_another_district_is_refused():
    SchoolFactory(sourced_id="sch-2")
    outcome = run(bundle_files())
    assert ("orgs.csv", 4, "sourcedId") in [(p.file, p.line, p.field) for p in outcome.problems]
    assert not User.objects.exists()


def test_a_taken_username_is_refused():
    UserFactory(username="alan@riverside.example", email="someone@else.example")
    outcome = run(bundle_files())
    assert [(p.file, p.line, p.field) for p in outcome.problems] == [("users.csv", 3, "username")]


# --- RosterImport records: run, apply -------------------------------------------------------------


def _import(dry_run=True, files=None, district=None, who=None):
    return roster_import_create(
        user=who,
        file_name="riverside.zip",
        data=zip_bytes(files or bundle_files()),
        district=district,
        dry_run=dry_run,
    )


def test_run_records_the_dry_run_then_apply_imports_the_same_bytes(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks():  # the queued job is not sent here
        dry = _import()
    done = roster_import_run(import_id=dry.pk)
    assert done.status == ImportStatus.DONE and done.processed == done.total == 12
    assert done.summary["actions"]["create"] == 11 and len(done.rows) == 11
    assert not School.objects.exists()
    with django_capture_on_commit_callbacks():
        applied = roster_import_apply(roster_import=done, user=None)
    assert applied.source == done and not applied.dry_run
    finished = roster_import_run(import_id=applied.pk)
    assert finished.status == ImportStatus.DONE, finished.errors
    assert finished.total == 24 and finished.processed == 24
    assert finished.district.sourced_id == "dist-1"
    assert School.objects.count() == 3
    # Running it again (delivered twice) changes nothing.
    assert roster_import_run(import_id=applied.pk).finished_at == finished.finished_at


def test_run_records_a_refusal_with_its_errors(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks():
        bad = _import(dry_run=False, files=_duplicate(bundle_files()))
    result = roster_import_run(import_id=bad.pk)
    assert result.status == ImportStatus.FAILED
    assert {"file": "orgs.csv", "line": 4, "field": "sourcedId"}.items() <= result.errors[0].items()
    assert not School.objects.exists()


def test_a_zip_with_a_path_outside_the_bundle_is_refused(django_capture_on_commit_callbacks):
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in bundle_files().items():
            archive.writestr(name, data)
        archive.writestr("../evil.csv", b"x")
    with django_capture_on_commit_callbacks():
        bad = roster_import_create(
            user=None, file_name="evil.zip", data=buffer.getvalue(), district=None, dry_run=True
        )
    result = roster_import_run(import_id=bad.pk)
    assert result.status == ImportStatus.FAILED
    assert "unsafe path" in result.errors[0]["message"]


def test_a_zip_bomb_is_refused(settings, django_capture_on_commit_callbacks):
    settings.ROSTER_MAX_UNCOMPRESSED_BYTES = 10_000
    files = bundle_files(extra={"padding.csv": b"0" * 20_000})
    with django_capture_on_commit_callbacks():
        bad = _import(files=files)
    result = roster_import_run(import_id=bad.pk)
    assert result.status == ImportStatus.FAILED
    assert "unpacks to more than" in result.errors[0]["message"]


def _cached(client, url) -> bytes:
    client.get(url)  # sets the CSRF cookie: the page can be cached from now on
    first = client.get(url)
    assert first.status_code == 200
    assert client.get(url).content == first.content
    return first.content


def test_an_import_shows_its_changes_on_cached_pages():
    """Data versions: pages cached before an import show what it changed: a renamed teacher
    on the coach's caseload, a renamed school on the principal's dashboard, a new school on the
    district leader's dashboard."""
    district = DistrictFactory()
    first = [default_users()[1], default_users()[4]]  # Alan (teacher), Maria (principal)
    assert run(bundle_files(default_orgs()[:2], first), district=district).ok
    school = School.objects.get(sourced_id="sch-1")
    alan = Teacher.objects.get(user__sourced_id="t-2")
    coach = UserFactory()
    CaseloadAssignmentFactory(coach=coach, teacher=alan)
    principal = User.objects.get(sourced_id="a-1")
    leader = UserFactory()
    MembershipFactory(user=leader, district=district, school=None, role=Role.DISTRICT_LEADER)
    clients = {}
    for who, person in (("coach", coach), ("principal", principal), ("leader", leader)):
        clients[who] = Client()
        clients[who].force_login(person)
    pages = {
        "coach": "/caseload/",
        "principal": f"/dashboard/?school={school.pk}",
        "leader": "/district/",
    }
    before = {who: _cached(clients[who], url) for who, url in pages.items()}
    assert b"Turing" in before["coach"] and b"Riverside Middle" not in before["leader"]
    orgs = default_orgs()
    orgs[1]["name"] = "Riverside Primary"
    users = default_users()
    users[1]["familyName"] = "Turing-Smith"
    assert run(bundle_files(orgs, users), district=district).ok
    after = {who: clients[who].get(url).content for who, url in pages.items()}
    assert b"Turing-Smith" in after["coach"]
    assert b"Riverside Primary" in after["principal"]
    assert b"Riverside Middle" in after["leader"]


def test_rosterimport_rows_do_not_keep_students():
    with_students = bundle_files()
    dry = RosterImport(file_name="x.zip", file_data=zip_bytes(with_students))
    dry.save()
    result = roster_import_run(import_id=dry.pk)
    stored = repr(RosterImport.objects.filter(pk=dry.pk).values("rows", "summary", "errors").get())
    assert result.status == ImportStatus.DONE
    for text in STUDENT_TEXTS:
        assert text not in stored, text
