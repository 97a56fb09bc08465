"""The user rows of a roster import: accounts (found by sourcedId or email, created, changed,
deactivated), their memberships in the district and teachers' profiles (``_People``, mixed
into ``apply._Importer``)."""

from __future__ import annotations

from accounts.models import User
from rosters import oneroster
from rosters.oneroster import UserRow
from rosters.services.lookups import _diff, _email_key
from teachers.models import Membership, Role, Teacher

# Roles an import gives and takes away; coach and administrator memberships are the app's own.
ROSTER_ROLES = (Role.TEACHER, Role.PRINCIPAL, Role.DISTRICT_LEADER)


class _People:
    """The walk over the user rows (a mixin of ``_Importer``)."""

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
