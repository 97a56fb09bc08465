"""Writes of roster imports: OneRoster 1.1 bundles into districts, schools, people and roles.

Mapping (docs/administration.md "Importing a roster"):

- the org of type ``district`` -> ``teachers.District`` (the one chosen, or found by sourcedId,
  or a new one); orgs of type ``school`` -> ``teachers.School`` in it (name and open/closed
  kept up to date); other org types are not kept;
- users with role ``teacher`` -> an account (``accounts.User``, no usable password) with a
  ``Teacher`` profile at their first school and a teacher membership at each of their schools;
- role ``administrator`` -> a principal membership at each of their schools and a district
  leader membership if the district org is one of their orgs. Never the app's Administrator role,
  staff or superuser: those are only given by hand;
- every other role (student, parent, guardian, aide...) is counted as skipped and never kept.

Rows are matched by sourcedId (kept on District, School and User); an account not imported
before is linked by its email (case-insensitive) instead of being created twice. A bundle is a
full statement of the rows it holds: they are applied as they are, whatever their
dateLastModified (which is checked, not compared), so re-importing an older bundle puts its
values back. Users whose status is ``tobedeleted`` or whose ``enabledUser`` is false are
deactivated (account, memberships in the district, teacher profile), never deleted; a school
``tobedeleted`` is closed (``is_active`` false). Rows missing from a bulk file are left alone.

The whole bundle is checked before anything is written, and applied in one transaction: a
bundle with any problem changes nothing.
"""

from __future__ import annotations

import datetime
import logging
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import Q
from django.db.models.functions import Upper
from django.utils import timezone
from django.utils.text import slugify

from accounts.models import User
from core import page_cache
from core.validation import validated_save
from rosters import oneroster
from rosters.models import ImportStatus, RosterImport
from rosters.oneroster import Bundle, BundleError, OrgRow, Problem, UserRow
from rosters.selectors import PROGRESS_KEY
from teachers.models import District, Membership, Role, School, Teacher

logger = logging.getLogger(__name__)

# Roles an import gives and takes away; coach and administrator memberships are the app's own.
ROSTER_ROLES = (Role.TEACHER, Role.PRINCIPAL, Role.DISTRICT_LEADER)
# How often the progress of a running import is written for the page (rows).
PROGRESS_EVERY = 50
# A dry run keeps its (scrubbed) bundle this long to be applied; then the periodic sweep
# removes it.
BUNDLE_KEPT_HOURS = 24
ACTIONS = ("create", "update", "deactivate", "unchanged")

Progress = Callable[[int], None]
# Ids (or keys) per IN list of the reads made before the walk.
CHUNK = 2000


@dataclass
class RosterOutcome:
    """What an import did (or a dry run would do): the rows, the counts, the problems."""

    rows: list[dict] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    summary: dict = field(default_factory=dict)
    district: District | None = None
    applied: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def errors(self) -> list[dict]:
        return [p.as_dict() for p in self.problems]


class _Refused(Exception):
    """A problem found while applying (a row changed since it was checked): roll back."""


def _unique_slug(model, base: str, taken: set[str]) -> str:
    base = (slugify(base) or model.__name__.lower())[:70]
    slug, n = base, 1
    while slug in taken or model.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    taken.add(slug)
    return slug


def _chunks(values) -> list[list]:
    values = list(values)
    return [values[i : i + CHUNK] for i in range(0, len(values), CHUNK)]


def _email_key(email: str) -> str:
    """The key an ``email__iexact`` lookup compares, for an ASCII address: UPPER() on
    PostgreSQL, ASCII-only LIKE on SQLite; both equal Python's upper() for ASCII."""
    return email.upper()


def _diff(obj, wanted: dict) -> list[str]:
    changes = []
    for name, value in wanted.items():
        old = getattr(obj, name)
        if old != value:
            changes.append(f"{name}: {old!r} → {value!r}")
    return changes


class _Importer:
    """Walks the bundle's kept rows in order (district, schools, users), working out each
    row's action against the database; with ``apply`` it also writes it."""

    def __init__(self, bundle: Bundle, district: District | None, *, apply: bool, progress):
        self.bundle = bundle
        self.district = district
        self.apply = apply
        self.progress = progress or (lambda n: None)
        self.problems: list[Problem] = []
        self.rows: list[dict] = []
        self.count = Counter()
        self.processed = 0
        self.slugs: set[str] = set()
        # sourcedId -> School (None: created by this run, only in a dry run)
        self.schools: dict[str, School | None] = {}
        self.district_org = bundle.district_orgs[0] if bundle.district_orgs else None
        self.touched_schools: set[int] = set()
        # Schools closed in the bundle that were never imported: no roles there.
        self.absent_schools: set[str] = set()
        # What the walk reads, read before it in a few queries (_prefetch_*) and kept up to
        # date as the apply walk writes, so that a row sees the writes of the rows before it
        # as a query would. Schools by sourcedId:
        self._school_by_sid: dict[str, School] = {}
        # Accounts (one instance per row, shared by the maps below) by pk, sourcedId and
        # email key; usernames taken among the bundle's.
        self._users: dict[int, User] = {}
        self._user_by_sid: dict[str, User] = {}
        self._users_by_email: dict[str, list[User]] = {}
        self._user_email_keys: dict[int, str] = {}
        self._taken_usernames: set[str] = set()
        # Per account pk: its memberships in the district (by pk), whether it has an active
        # role elsewhere, its teacher profile. An account missing here is read when needed.
        self._memberships: dict[int, list[Membership]] = {}
        # Whether the account is a person of another district (a role there, even one switched
        # off, or a teacher profile at one of its schools), of this one, and whose teacher
        # profile is at another district's school.
        self._elsewhere: dict[int, bool] = {}
        self._here: dict[int, bool] = {}
        self._profile_elsewhere: set[int] = set()
        self._teacher_by_user: dict[int, Teacher | None] = {}
        # Teacher profiles by pk and by (school pk, email key), in the model's order.
        self._teachers: dict[int, Teacher] = {}
        self._teachers_by_email: dict[tuple[int, str], list[Teacher]] = {}
        self._teacher_keys: dict[int, tuple[int, str] | None] = {}
        # Email lookups use the maps when every email of the bundle is ASCII (then Python's
        # upper() is the database's); otherwise they query, as rows come.
        self._email_maps = all(u.email.isascii() for u in bundle.users)

    # -- helpers --------------------------------------------------------------------------------

    def _problem(self, file: str, line: int | None, column: str, message: str) -> None:
        self.problems.append(Problem(file, line, column, message))
        if self.apply:
            raise _Refused(str(self.problems[-1]))

    def _row(self, file, line, kind, sourced_id, name, action, changes=()) -> None:
        self.count[action] += 1
        self.rows.append(
            {
                "file": file,
                "line": line,
                "kind": kind,
                "sourced_id": sourced_id,
                "name": name,
                "action": action,
                "changes": list(changes),
            }
        )

    def _tick(self) -> None:
        self.processed += 1
        self.progress(self.processed)

    def _save(self, obj):
        return validated_save(obj)

    # -- the walk -------------------------------------------------------------------------------

    def run(self) -> RosterOutcome:
        self._district()
        self._prefetch_schools()
        for org in self.bundle.orgs:
            if org.type == "school":
                self._school(org)
            elif org.type != "district":
                self.count["orgs skipped"] += 1
            if org.type != "district":
                self._tick()
        self._prefetch_people()
        for user_row in self.bundle.users:
            self._user(user_row)
            self._tick()
        kinds = Counter(
            "principals" if r["kind"] == "administrator" else r["kind"] + "s"
            for r in self.rows
            if r["kind"] != "district"
        )
        summary = {
            "actions": {a: self.count[a] for a in ACTIONS},
            "schools": kinds["schools"],
            "teachers": kinds["teachers"],
            "administrators": kinds["principals"],
            "principals": sum(
                1
                for u in self.bundle.users
                if u.role == "administrator" and self._school_ids(u) and u.is_active
            ),
            "district_leaders": sum(
                1
                for u in self.bundle.users
                if u.role == "administrator" and self._at_district(u) and u.is_active
            ),
            "skipped": self.bundle.skipped_users,
            "orgs_skipped": self.count["orgs skipped"],
        }
        return RosterOutcome(
            rows=self.rows,
            problems=self.problems,
            summary=summary,
            district=self.district,
            applied=self.apply,
        )

    # -- reads before the walk -------------------------------------------------------------------

    def _prefetch_schools(self) -> None:
        ids = {org.sourced_id for org in self.bundle.orgs if org.type == "school"}
        for chunk in _chunks(ids):
            for school in School.objects.filter(sourced_id__in=chunk):
                self._school_by_sid[school.sourced_id] = school

    def _prefetch_people(self) -> None:
        users = self.bundle.users
        for chunk in _chunks({u.sourced_id for u in users}):
            found = User.objects.annotate(email_key=Upper("email"))
            for user in found.filter(sourced_id__in=chunk).order_by("pk"):
                self._user_by_sid[user.sourced_id] = self._add_user(user)
        keys = {_email_key(u.email) for u in users if u.email}
        if self._email_maps:
            for chunk in _chunks(keys):
                found = User.objects.annotate(email_key=Upper("email"))
                for user in found.filter(email_key__in=chunk).order_by("pk"):
                    self._add_user(user)
        for chunk in _chunks({u.username for u in users}):
            found = User.objects.filter(username__in=chunk).values_list("username", flat=True)
            self._taken_usernames.update(found)
        user_ids = list(self._users)
        for pk in user_ids:
            self._memberships[pk] = []
            self._elsewhere[pk] = False
            self._teacher_by_user[pk] = None
        for chunk in _chunks(user_ids):
            for m in self._in_district(Membership.objects.filter(user_id__in=chunk)):
                self._memberships[m.user_id].append(m)
            self._place(chunk)
            teachers = Teacher.objects.annotate(email_key=Upper("email"))
            for teacher in teachers.filter(user_id__in=chunk):
                self._teacher_by_user[teacher.user_id] = self._add_teacher(teacher)
        school_ids = [s.pk for s in self.schools.values() if s is not None]
        if self._email_maps:
            for schools in _chunks(school_ids):
                for chunk in _chunks(keys):
                    teachers = Teacher.objects.annotate(email_key=Upper("email")).filter(
                        school_id__in=schools, email_key__in=chunk
                    )
                    for teacher in teachers.order_by(*Teacher._meta.ordering, "pk"):
                        self._add_teacher(teacher)

    def _add_user(self, user: User) -> User:
        """The one instance kept for this account (``user`` if it is new to the maps); read
        with its ``email_key`` (the database's UPPER(email)), it is found by email."""
        kept = self._users.get(user.pk)
        if kept is not None:
            return kept
        self._users[user.pk] = user
        email_key = getattr(user, "email_key", None)
        if self._email_maps and email_key is not None and user.email:
            self._user_email_keys[user.pk] = email_key
            self._users_by_email.setdefault(email_key, []).append(user)
        return user

    def _user_saved(self, user: User, *, created: bool, old_email: str = "") -> None:
        """Keep the maps as the database now is after the apply walk saved ``user`` (its email
        is the bundle's, ASCII, if it changed)."""
        if created:
            self._users[user.pk] = user
            self._taken_usernames.add(user.username)
            self._memberships[user.pk] = []
            self._elsewhere[user.pk] = False
            self._here[user.pk] = True
            self._teacher_by_user[user.pk] = None
        if user.sourced_id:
            self._user_by_sid[user.sourced_id] = user
        if not self._email_maps or (not created and user.email == old_email):
            return
        old = self._user_email_keys.pop(user.pk, None)
        if old is not None:
            self._users_by_email[old].remove(user)
        if user.email:
            key = _email_key(user.email)
            self._user_email_keys[user.pk] = key
            same = self._users_by_email.setdefault(key, [])
            same.append(user)
            same.sort(key=lambda other: other.pk)

    def _add_teacher(self, teacher: Teacher) -> Teacher:
        kept = self._teachers.get(teacher.pk)
        if kept is not None:
            return kept
        self._teachers[teacher.pk] = teacher
        key = getattr(teacher, "email_key", None)
        self._index_teacher(teacher, (teacher.school_id, key) if key is not None else None)
        return teacher

    def _index_teacher(self, teacher: Teacher, key: tuple[int, str] | None) -> None:
        old = self._teacher_keys.get(teacher.pk)
        if old is not None:
            self._teachers_by_email[old].remove(teacher)
        self._teacher_keys[teacher.pk] = key
        if key is not None:
            self._teachers_by_email.setdefault(key, []).append(teacher)

    def _teacher_saved(self, teacher: Teacher, *, created: bool, before: tuple) -> None:
        """Keep the maps as the database now is after the apply walk saved ``teacher``;
        ``before``: its (user pk, school pk, email) before (its email, if it changed, is the
        bundle's, ASCII)."""
        old_user_id, old_school_id, old_email = before
        self._teachers[teacher.pk] = teacher
        if old_user_id is not None and old_user_id != teacher.user_id:
            self._teacher_by_user[old_user_id] = None
        if teacher.user_id is not None:
            self._teacher_by_user[teacher.user_id] = teacher
        if not self._email_maps:
            return
        if created or teacher.email != old_email:
            email_key = _email_key(teacher.email) if teacher.email else None
        elif teacher.school_id != old_school_id:
            old = self._teacher_keys.get(teacher.pk)
            email_key = old[1] if old else None
        else:
            return
        key = (teacher.school_id, email_key) if email_key is not None else None
        self._index_teacher(teacher, key)

    def _in_district(self, memberships):
        return (
            memberships.filter(Q(school__district=self.district) | Q(district=self.district))
            .select_related("school")
            .order_by("pk")
        )

    def _outside_district(self, memberships):
        if self.district is None or self.district.pk is None:
            return memberships  # a district this run creates holds nobody yet
        return memberships.exclude(Q(school__district=self.district) | Q(district=self.district))

    def _place(self, user_ids) -> None:
        """Where the people ``user_ids`` are (``_elsewhere``, ``_here``, ``_profile_elsewhere``):
        three queries."""
        district_id = self.district.pk if self.district is not None else None
        elsewhere = set(
            self._outside_district(Membership.objects.filter(user_id__in=user_ids)).values_list(
                "user_id", flat=True
            )
        )
        here = set()
        if district_id is not None:
            here = set(
                self._in_district(Membership.objects.filter(user_id__in=user_ids)).values_list(
                    "user_id", flat=True
                )
            )
        for user_id, school_district_id in Teacher.objects.filter(user_id__in=user_ids).values_list(
            "user_id", "school__district_id"
        ):
            if district_id is not None and school_district_id == district_id:
                here.add(user_id)
            else:
                elsewhere.add(user_id)
                self._profile_elsewhere.add(user_id)
        for pk in user_ids:
            self._elsewhere[pk] = pk in elsewhere
            self._here[pk] = pk in here

    def _district(self) -> None:
        org = self.district_org
        line = org.line if org else None
        if org:
            self._tick()
        found = District.objects.filter(sourced_id=org.sourced_id).first() if org else None
        if self.district is None:
            if org is None:
                self._problem(
                    oneroster.ORGS, None, "type", "no org of type district: choose the district"
                )
                return
            if found is not None:
                self.district = found
                self._row(oneroster.ORGS, line, "district", org.sourced_id, org.name, "unchanged")
                return
            district = District(
                name=org.name,
                slug=_unique_slug(District, org.name, set()),
                sourced_id=org.sourced_id,
            )
            if self.apply:
                self.district = self._save(district)
            self._row(oneroster.ORGS, line, "district", org.sourced_id, org.name, "create")
            return
        if org is None:
            return
        if found is not None and found.pk != self.district.pk:
            self._problem(
                oneroster.ORGS,
                line,
                "sourcedId",
                f"this district org was imported into {found.name}, not {self.district.name}",
            )
            return
        if self.district.sourced_id and self.district.sourced_id != org.sourced_id:
            self._problem(
                oneroster.ORGS,
                line,
                "sourcedId",
                f"{self.district.name} was imported from another district org "
                f"({self.district.sourced_id!r})",
            )
            return
        if self.district.sourced_id == org.sourced_id:
            self._row(
                oneroster.ORGS, line, "district", org.sourced_id, self.district.name, "unchanged"
            )
            return
        if self.apply:
            self.district.sourced_id = org.sourced_id
            self._save(self.district)
        self._row(
            oneroster.ORGS,
            line,
            "district",
            org.sourced_id,
            self.district.name,
            "update",
            [f"sourced_id: None → {org.sourced_id!r}"],
        )

    def _school(self, org: OrgRow) -> None:
        school = self._school_by_sid.get(org.sourced_id)
        row = (oneroster.ORGS, org.line, "school", org.sourced_id, org.name)
        if (
            school is not None
            and self.district is not None
            and school.district_id != self.district.pk
        ):
            self._problem(
                oneroster.ORGS,
                org.line,
                "sourcedId",
                "this sourcedId is a school of another district: this bundle cannot change it",
            )
            return
        if school is None:
            if org.to_be_deleted:
                self.absent_schools.add(org.sourced_id)
                self._row(*row, "unchanged", ["not imported before: nothing to close"])
                return
            if self.apply:
                school = self._save(
                    School(
                        district=self.district,
                        name=org.name,
                        slug=_unique_slug(School, org.name, self.slugs),
                        sourced_id=org.sourced_id,
                    )
                )
                self.touched_schools.add(school.pk)
                self._school_by_sid[org.sourced_id] = school
            self.schools[org.sourced_id] = school
            self._row(*row, "create")
            return
        self.schools[org.sourced_id] = school
        wanted = {"name": org.name, "is_active": not org.to_be_deleted}
        changes = _diff(school, wanted)
        if not changes:
            self._row(*row, "unchanged")
            return
        if self.apply:
            for name, value in wanted.items():
                setattr(school, name, value)
            self._save(school)
            self.touched_schools.add(school.pk)
        self._row(*row, "deactivate" if org.to_be_deleted else "update", changes)

    # -- users ----------------------------------------------------------------------------------

    def _school_ids(self, u: UserRow) -> list[str]:
        orgs = self.bundle.org_by_id
        return [
            o
            for o in u.org_sourced_ids
            if o in orgs and orgs[o].type == "school" and o not in self.absent_schools
        ]

    def _at_district(self, u: UserRow) -> bool:
        org = self.district_org
        return org is not None and org.sourced_id in u.org_sourced_ids

    def _wanted_memberships(self, u: UserRow) -> set[tuple[str, str | None]]:
        """(role, school sourcedId or None for the district) the row gives."""
        if not u.is_active:
            return set()
        if u.role == "teacher":
            return {(Role.TEACHER, s) for s in self._school_ids(u)}
        wanted = {(Role.PRINCIPAL, s) for s in self._school_ids(u)}
        if self._at_district(u):
            wanted.add((Role.DISTRICT_LEADER, None))
        return wanted

    def _find_user(self, u: UserRow) -> User | None:
        user = self._user_by_sid.get(u.sourced_id)
        if user is not None:
            return self._of_this_district(u, user, "sourcedId", u.sourced_id)
        if u.email:
            if self._email_maps:
                same = self._users_by_email.get(_email_key(u.email))
                by_email = same[0] if same else None
            else:
                by_email = User.objects.filter(email__iexact=u.email).first()
                by_email = self._add_user(by_email) if by_email is not None else None
            if by_email is not None:
                if by_email.sourced_id:
                    self._problem(
                        oneroster.USERS,
                        u.line,
                        "email",
                        f"{u.email!r} is the email of another person imported from a roster",
                    )
                    return None
                return self._of_this_district(u, by_email, "email", u.email)
        return None

    def _of_this_district(self, u: UserRow, user: User, column: str, value: str) -> User | None:
        """``user``, unless they are a person of another district only: then a problem (the
        whole bundle is refused), so that no district's file moves, renames, switches off or
        wakes another district's people, nor gives them a role here. A person of both
        districts is matched; ``_is_ours`` then keeps their account as it is."""
        if user.pk not in self._elsewhere:
            self._place([user.pk])
        if self._here[user.pk] or not self._elsewhere[user.pk]:
            return user
        self._problem(
            oneroster.USERS,
            u.line,
            column,
            f"{value!r} belongs to a person of another district: an import changes only its "
            "own district's people (an operator can move a person in the admin)",
        )
        return None

    def _district_memberships(self, user: User) -> list[Membership]:
        """The account's memberships in the district (schools loaded), by pk; the list is
        kept, so the apply walk adds the ones it creates to it."""
        if user.pk not in self._memberships:
            found = self._in_district(Membership.objects.filter(user=user))
            self._memberships[user.pk] = list(found)
        return self._memberships[user.pk]

    def _is_ours(self, user: User) -> bool:
        """Whether the import may change the account itself (name, email, active): not staff
        or a superuser, and not a person of another district too (a role there, even one
        switched off, or a teacher profile there)."""
        if user.is_staff or user.is_superuser:
            return False
        if user.pk not in self._elsewhere:
            self._place([user.pk])
        return not self._elsewhere[user.pk]

    def _user(self, u: UserRow) -> None:
        kind = u.role
        name = f"{u.given_name} {u.family_name}".strip()
        row = (oneroster.USERS, u.line, kind, u.sourced_id, name)
        problems_before = len(self.problems)
        user = self._find_user(u)
        if len(self.problems) > problems_before:
            return
        if user is None:
            if not u.is_active:
                self._row(*row, "unchanged", ["not imported before: nothing to deactivate"])
                return
            if u.username in self._taken_usernames:
                self._problem(
                    oneroster.USERS,
                    u.line,
                    "username",
                    f"{u.username!r} is already the username of another account",
                )
                return
            if u.role == "teacher" and not self._teacher_email_free(u, None):
                return
            if self.apply:
                user = User(
                    username=u.username,
                    first_name=u.given_name,
                    last_name=u.family_name,
                    email=u.email,
                    sourced_id=u.sourced_id,
                    is_active=True,
                )
                user.set_unusable_password()
                self._save(user)
                self._user_saved(user, created=True)
                self._apply_roles(u, user)
            self._row(*row, "create")
            return
        changes: list[str] = []
        if user.sourced_id != u.sourced_id:
            changes.append(f"linked by email to the existing account {user.username!r}")
        ours = self._is_ours(user)
        wanted = {"sourced_id": u.sourced_id}
        if ours:
            wanted.update(first_name=u.given_name, last_name=u.family_name, is_active=u.is_active)
            if u.email:
                wanted["email"] = u.email
        account_changes = [c for c in _diff(user, wanted) if not c.startswith("sourced_id")]
        changes += account_changes
        if u.role == "teacher" and not self._teacher_email_free(u, user):
            return
        changes += self._role_changes(u, user)
        if not changes:
            self._row(*row, "unchanged")
            return
        if self.apply:
            old_email = user.email
            for field_name, value in wanted.items():
                setattr(user, field_name, value)
            self._save(user)
            self._user_saved(user, created=False, old_email=old_email)
            self._apply_roles(u, user)
        self._row(*row, "update" if u.is_active else "deactivate", changes)

    def _teacher_email_free(self, u: UserRow, user: User | None) -> bool:
        """A teacher's email must not be another teacher's at the same school."""
        if not u.email or not self._school_ids(u):
            return True
        school = self.schools.get(self._school_ids(u)[0])
        if school is None:
            return True
        if self._email_maps:
            same = self._teachers_by_email.get((school.pk, _email_key(u.email)), [])
            clashes = any(
                t.user_id is not None and (user is None or t.user_id != user.pk) for t in same
            )
        else:
            clash = Teacher.objects.filter(school=school, email__iexact=u.email).exclude(
                user__isnull=True
            )
            if user is not None:
                clash = clash.exclude(user=user)
            clashes = clash.exists()
        if clashes:
            self._problem(
                oneroster.USERS,
                u.line,
                "email",
                f"another teacher at {school.name} has the email {u.email!r}",
            )
            return False
        return True

    def _teacher_profile(self, u: UserRow, user: User | None):
        """The teacher profile of a teacher row: the account's, or one at the row's school
        with its email and no account. ``None``: none yet. ``False``: the account's profile is
        at another district's school, and stays as it is."""
        if user is not None and user.pk in self._profile_elsewhere:
            return False
        if user is not None and user.pk:
            if user.pk not in self._teacher_by_user:
                teacher = Teacher.objects.filter(user=user).first()
                teacher = self._add_teacher(teacher) if teacher is not None else None
                self._teacher_by_user[user.pk] = teacher
            teacher = self._teacher_by_user[user.pk]
            if teacher is not None:
                return teacher
        school = self.schools.get(self._school_ids(u)[0]) if self._school_ids(u) else None
        if school is not None and u.email:
            if self._email_maps:
                same = self._teachers_by_email.get((school.pk, _email_key(u.email)), [])
                return next((t for t in same if t.user_id is None), None)
            teacher = Teacher.objects.filter(
                school=school, email__iexact=u.email, user__isnull=True
            ).first()
            return self._add_teacher(teacher) if teacher is not None else None
        return None

    def _role_changes(self, u: UserRow, user: User) -> list[str]:
        changes = []
        wanted = self._wanted_memberships(u)
        current = {
            (m.role, m.school.sourced_id if m.school_id else None): m
            for m in self._district_memberships(user)
            if m.role in ROSTER_ROLES or not u.is_active
        }
        for role, school_id in sorted(wanted, key=str):
            m = current.get((role, school_id))
            if m is None or not m.is_active:
                changes.append(f"+ {Role(role).label.lower()} at {self._where(school_id)}")
        for (role, school_id), m in current.items():
            if m.is_active and (role, school_id) not in wanted:
                changes.append(f"- {Role(role).label.lower()} at {self._where(school_id)}")
        if u.role == "teacher":
            teacher = self._teacher_profile(u, user)
            school = self.schools.get(self._school_ids(u)[0]) if self._school_ids(u) else None
            if teacher is False:
                pass  # at another district's school: left as it is
            elif teacher is None:
                if u.is_active:
                    changes.append("+ teacher profile")
            else:
                wanted_profile = {
                    "first_name": u.given_name,
                    "last_name": u.family_name,
                    "is_active": u.is_active,
                    "user_id": user.pk,
                }
                if u.email:
                    wanted_profile["email"] = u.email
                if school is not None:
                    wanted_profile["school_id"] = school.pk
                changes += [f"teacher {c}" for c in _diff(teacher, wanted_profile)]
        return changes

    def _where(self, school_id: str | None) -> str:
        if school_id is None:
            return self.district.name if self.district else self.district_org.name
        org = self.bundle.org_by_id.get(school_id)
        return org.name if org else school_id

    def _apply_roles(self, u: UserRow, user: User) -> None:
        wanted = self._wanted_memberships(u)
        kept = self._district_memberships(user)
        existing = list(kept)
        for m in existing:
            key = (m.role, m.school.sourced_id if m.school_id else None)
            keep = key in wanted
            if (m.role in ROSTER_ROLES or not u.is_active) and m.is_active and not keep:
                m.is_active = False
                self._save(m)
            if m.school_id:
                self.touched_schools.add(m.school_id)
        have = {(m.role, m.school.sourced_id if m.school_id else None): m for m in existing}
        for role, school_id in wanted:
            m = have.get((role, school_id))
            if m is None:
                school = self.schools[school_id] if school_id else None
                m = Membership(
                    user=user,
                    role=role,
                    school=school,
                    district=None if school else self.district,
                )
                self._save(m)
                kept.append(m)
            elif not m.is_active:
                m.is_active = True
                self._save(m)
            if m.school_id:
                self.touched_schools.add(m.school_id)
        if u.role != "teacher":
            return
        teacher = self._teacher_profile(u, user)
        school = self.schools.get(self._school_ids(u)[0]) if self._school_ids(u) else None
        if teacher is False:
            return
        if teacher is None:
            if not u.is_active or school is None:
                return
            teacher = Teacher(school=school)
        created = teacher.pk is None
        before = (teacher.user_id, teacher.school_id, teacher.email)
        teacher.user = user
        teacher.first_name = u.given_name
        teacher.last_name = u.family_name
        teacher.is_active = u.is_active
        if u.email:
            teacher.email = u.email
        if school is not None:
            if teacher.school_id:
                self.touched_schools.add(teacher.school_id)
            teacher.school = school
        self._save(teacher)
        self._teacher_saved(teacher, created=created, before=before)
        self.touched_schools.add(teacher.school_id)


# --- Services ------------------------------------------------------------------------------------


def roster_bundle_import(
    *,
    files: dict[str, bytes],
    district: District | None,
    dry_run: bool,
    progress: Progress | None = None,
    apply_progress: Progress | None = None,
) -> RosterOutcome:
    """Check a bundle (the files by name) and, unless ``dry_run`` or a problem was found,
    apply it in one transaction. ``progress(n)`` is called after each row checked,
    ``apply_progress(n)`` after each row applied (inside the transaction)."""
    bundle = oneroster.parse_bundle(files)
    if bundle.problems:
        return RosterOutcome(problems=bundle.problems, summary={"skipped": bundle.skipped_users})
    checked = _Importer(bundle, district, apply=False, progress=progress).run()
    if dry_run or not checked.ok:
        return checked
    try:
        with transaction.atomic():
            if district is not None:
                district = District.objects.select_for_update().get(pk=district.pk)
            importer = _Importer(bundle, district, apply=True, progress=apply_progress)
            outcome = importer.run()
            scopes = {page_cache.school_scope(pk) for pk in importer.touched_schools}
            page_cache.data_versions_bump(scopes=scopes | {page_cache.GLOBAL})
    except _Refused:
        return RosterOutcome(problems=importer.problems, summary=checked.summary)
    except (ValidationError, IntegrityError) as exc:
        messages = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
        problem = Problem("", None, "", "; ".join(messages))
        return RosterOutcome(problems=[problem], summary=checked.summary)
    return outcome


def bundle_files(data: bytes) -> dict[str, bytes]:
    """The files of an uploaded bundle (a zip); BundleError when it is none or is unsafe."""
    return oneroster.read_zip(data, max_uncompressed=settings.ROSTER_MAX_UNCOMPRESSED_BYTES)


def _progress_key(import_id: int) -> str:
    return PROGRESS_KEY.format(import_id)


def _scrubbed(file_name: str, data: bytes) -> tuple[bytes, list[Problem]]:
    """What is stored of an upload: the scrubbed bundle (oneroster.scrub_bundle), or nothing
    and the problems when the bundle is refused before it is stored (not a safe zip, or a
    users.csv that is not readable CSV text)."""
    try:
        files = bundle_files(data)
    except BundleError as exc:
        return b"", [Problem(file_name, None, "", str(exc))]
    scrubbed = oneroster.scrub_bundle(files)
    if scrubbed is None:
        return b"", oneroster.parse_bundle(files).problems
    return scrubbed, []


@transaction.atomic
def roster_import_create(
    *, user: User | None, file_name: str, data: bytes, district: District | None, dry_run: bool
) -> RosterImport:
    """Record an uploaded bundle and queue its import once the upload is committed. Only
    what the import reads is stored (no student or other skipped row, no other file); a bundle
    that cannot be read is recorded as refused at once, with nothing of it stored."""
    stored, problems = _scrubbed(file_name[:255], data)
    roster_import = validated_save(
        RosterImport(
            created_by=user,
            file_name=file_name[:255],
            file_data=stored,
            district=district,
            dry_run=dry_run,
        )
    )
    if problems:
        return _finish(roster_import, RosterOutcome(problems=problems))
    _enqueue(roster_import)
    return roster_import


@transaction.atomic
def roster_import_apply(*, roster_import: RosterImport, user: User | None) -> RosterImport:
    """Apply a finished dry run without errors: a new import of the same bytes."""
    if not roster_import.dry_run or roster_import.status != ImportStatus.DONE:
        raise ValidationError("Only a finished dry run can be applied.")
    if roster_import.errors:
        raise ValidationError("This dry run found problems: fix the files and upload again.")
    source = RosterImport.objects.select_for_update().get(pk=roster_import.pk)
    if source.bundle_removed_at is not None:
        raise ValidationError(
            "This dry run's bundle was removed (a dry run keeps it for "
            f"{BUNDLE_KEPT_HOURS} hours, until it is applied): upload the bundle again."
        )
    applied = validated_save(
        RosterImport(
            created_by=user,
            file_name=source.file_name,
            file_data=bytes(source.file_data),
            district=source.district,
            dry_run=False,
            source=source,
        )
    )
    _bundle_remove(source)  # the applied import holds the bytes now
    _enqueue(applied)
    return applied


def _bundle_remove(roster_import: RosterImport) -> None:
    RosterImport.objects.filter(pk=roster_import.pk).update(
        file_data=b"", bundle_removed_at=timezone.now()
    )
    roster_import.file_data = b""
    roster_import.bundle_removed_at = timezone.now()


def _enqueue(roster_import: RosterImport) -> None:
    from rosters.tasks import roster_import_run as task

    def send() -> None:
        try:
            task.apply_async((roster_import.pk,), ignore_result=True)
        except Exception as exc:  # a broker that is down never fails the upload
            logger.warning(
                "Could not queue roster import %s (%s: %s); run it with "
                "`manage.py import_roster` or upload again.",
                roster_import.pk,
                type(exc).__name__,
                exc,
            )

    transaction.on_commit(send)


def roster_import_run(*, import_id: int) -> RosterImport | None:
    """Run a queued import: check the bundle, then store the dry run's rows, or apply it.
    Idempotent: a finished import is left as it is; one that was running when its worker died
    runs again (its transaction was rolled back)."""
    roster_import = RosterImport.objects.filter(pk=import_id).first()
    if roster_import is None or roster_import.is_finished:
        return roster_import
    RosterImport.objects.filter(pk=import_id).update(
        status=ImportStatus.RUNNING, started_at=timezone.now(), processed=0
    )
    roster_import.refresh_from_db()
    try:
        files = bundle_files(bytes(roster_import.file_data))
    except BundleError as exc:
        return _finish(
            roster_import,
            RosterOutcome(problems=[Problem(roster_import.file_name, None, "", str(exc))]),
        )
    bundle_rows = oneroster.parse_bundle(files).row_count
    total = bundle_rows * (1 if roster_import.dry_run else 2)
    RosterImport.objects.filter(pk=import_id).update(total=total)

    def progress(n: int) -> None:
        if n % PROGRESS_EVERY == 0:
            RosterImport.objects.filter(pk=import_id).update(processed=min(n, total))

    def apply_progress(n: int) -> None:
        # Inside the import's transaction: the page reads this from the cache instead.
        if n % PROGRESS_EVERY == 0:
            cache.set(_progress_key(import_id), min(bundle_rows + n, total), 3600)

    district = roster_import.district
    try:
        outcome = roster_bundle_import(
            files=files,
            district=district,
            dry_run=roster_import.dry_run,
            progress=progress,
            apply_progress=apply_progress,
        )
    except DatabaseError:
        raise  # retried by the task (roster_import_fail when the retries run out)
    except Exception as exc:  # a bug or the time limit: say so on the page, never spin
        logger.exception("Roster import %s stopped", import_id)
        return roster_import_fail(import_id=import_id, reason=_stopped(exc))
    return _finish(roster_import, outcome)


def _stopped(exc: BaseException) -> str:
    return (
        f"The import stopped ({type(exc).__name__}) and changed nothing. Upload the bundle "
        "again; if it stops again, your operator finds the details in the worker's log."
    )


def roster_import_fail(*, import_id: int, reason: str) -> RosterImport | None:
    """Mark an import that cannot finish as failed, with ``reason`` as its one problem (its
    transaction, if it had one, was rolled back). A finished import is left as it is."""
    roster_import = RosterImport.objects.filter(pk=import_id).first()
    if roster_import is None or roster_import.is_finished:
        return roster_import
    return _finish(roster_import, RosterOutcome(problems=[Problem("", None, "", reason)]))


# A queued import not started after this long lost its job (the broker was down when it was
# queued): queued again. One running longer than the job's hard time limit lost its worker.
QUEUED_STALE = datetime.timedelta(minutes=5)
RUNNING_STALE = datetime.timedelta(minutes=60)


def roster_imports_sweep() -> dict[str, int]:
    """Queue again the imports whose job was lost, and fail the ones whose worker was lost,
    so that no progress bar waits for ever. For the periodic job."""
    now = timezone.now()
    requeued = 0
    stale = RosterImport.objects.filter(
        status=ImportStatus.QUEUED, created_at__lt=now - QUEUED_STALE
    ).defer("file_data")
    for roster_import in stale:
        _enqueue(roster_import)
        requeued += 1
    lost = RosterImport.objects.filter(
        status=ImportStatus.RUNNING, started_at__lt=now - RUNNING_STALE
    ).values_list("pk", flat=True)
    failed = 0
    for pk in lost:
        roster_import_fail(
            import_id=pk,
            reason="The import's worker stopped before it finished, and nothing was changed. "
            "Upload the bundle again.",
        )
        failed += 1
    return {"requeued": requeued, "failed": failed, "bundles_removed": _bundles_expire(now)}


def _bundles_expire(now: datetime.datetime) -> int:
    """Remove the bundles no import needs any more: a dry run's after BUNDLE_KEPT_HOURS, and
    any finished import's that still holds one (recorded before bundles were removed)."""
    expired = Q(dry_run=True, status=ImportStatus.DONE) & Q(
        finished_at__lt=now - datetime.timedelta(hours=BUNDLE_KEPT_HOURS)
    )
    done_with = Q(status=ImportStatus.FAILED) | Q(dry_run=False, status=ImportStatus.DONE)
    return RosterImport.objects.filter(expired | done_with, bundle_removed_at__isnull=True).update(
        file_data=b"", bundle_removed_at=now
    )


def _finish(roster_import: RosterImport, outcome: RosterOutcome) -> RosterImport:
    roster_import.refresh_from_db()
    roster_import.status = ImportStatus.DONE if outcome.ok else ImportStatus.FAILED
    roster_import.finished_at = timezone.now()
    roster_import.processed = roster_import.total
    roster_import.summary = outcome.summary
    roster_import.rows = outcome.rows if outcome.ok else []
    roster_import.errors = outcome.errors
    if outcome.ok and outcome.district is not None and roster_import.district_id is None:
        roster_import.district = outcome.district
    if not (roster_import.dry_run and outcome.ok):
        # Applied or refused: the bundle is not needed any more. A dry run keeps it to be
        # applied, for BUNDLE_KEPT_HOURS at most (roster_imports_sweep).
        roster_import.file_data = b""
        roster_import.bundle_removed_at = roster_import.finished_at
    roster_import.save()
    cache.delete(_progress_key(roster_import.pk))
    return roster_import
