"""What the roster import walk reads of the database, read before it in a few queries, and the
in-memory maps of it that the apply walk keeps up to date as it writes (``_Lookups``, mixed
into ``apply._Importer``, whose ``__init__`` sets the maps up); and how a row read compares
with the bundle's values (``_diff``)."""

from __future__ import annotations

from django.db.models import Q
from django.db.models.functions import Upper

from accounts.models import User
from teachers.models import Membership, School, Teacher

# Ids (or keys) per IN list of the reads made before the walk.
CHUNK = 2000


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


class _Lookups:
    """The reads before the walk and the maps they fill (a mixin of ``_Importer``)."""

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
