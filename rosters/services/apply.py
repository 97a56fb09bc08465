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

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from accounts.models import User
from core import page_cache
from core.validation import validated_save
from rosters import oneroster
from rosters.oneroster import Bundle, Problem
from rosters.services.lookups import _Lookups
from rosters.services.orgs import _Orgs
from rosters.services.people import _People
from teachers.models import District, Membership, School, Teacher

ACTIONS = ("create", "update", "deactivate", "unchanged")

Progress = Callable[[int], None]


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


class _Importer(_Lookups, _Orgs, _People):
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
