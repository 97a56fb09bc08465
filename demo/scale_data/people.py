"""The scale seed's schools and people (district, schools, principals, coaches, the move
library), then its teachers, caseloads and how many visits each teacher gets."""

from __future__ import annotations

import math
from collections import defaultdict
from decimal import Decimal

from django.contrib.auth.hashers import make_password

from accounts.models import User
from coaching.models import Move, NeedArea
from demo import data as demo
from demo.scale_data.common import (
    FEW_OBSERVATIONS,
    HISTORY_DAYS,
    MANY_OBSERVATIONS,
    MANY_OBSERVATIONS_MIN,
    SCALE_PASSWORD,
    TIME_ZONES,
)
from demo.scale_data.helpers import _weighted, allocate, allocate_capped
from demo.scale_data.plans import _TeacherPlan
from demo.scale_data.pools import DISPOSITIONS, FIRST_NAMES, LAST_NAMES
from teachers.models import (
    CaseloadAssignment,
    District,
    Membership,
    Orientation,
    Role,
    School,
    Teacher,
    TimeFocus,
)


class _PeopleSeeder:
    """Part of ``_ScaleSeeder``: schools, people, moves, teachers and caseloads."""

    # Schools and people

    def _organisation(self) -> None:
        sizes, rng, slug = self.sizes, self.rng, self.sizes.district_slug
        self.progress.phase("schools and people", 5, "steps")
        self.password = make_password(SCALE_PASSWORD)
        self.district = District.objects.create(
            name=f"{slug.replace('-', ' ').title()} District", slug=slug
        )
        self.rows[District._meta.label] += 1
        self.schools = self._insert(
            School,
            [
                School(
                    district=self.district,
                    name=f"{slug.replace('-', ' ').title()} School {n + 1:03d}",
                    slug=f"{slug}-school-{n + 1:03d}",
                    time_zone=TIME_ZONES[n % len(TIME_ZONES)],
                    default_cycle_hours=Decimal(rng.choice(("2.0", "2.5", "2.5", "3.0"))),
                )
                for n in range(sizes.schools)
            ],
        )
        self.progress.advance()
        principals = [self._user(f"principal{n + 1:03d}") for n in range(sizes.schools)]
        self.coaches = [self._user(f"coach{n + 1:03d}") for n in range(sizes.coaches)]
        leader = self._user("district")
        self._insert(User, [*principals, *self.coaches, leader])
        self.progress.advance()
        # Coach j works at school j % schools; a school left without one borrows a coach.
        self.school_coaches: list[list[int]] = [[] for _ in self.schools]
        for j in range(sizes.coaches):
            self.school_coaches[j % sizes.schools].append(j)
        for s, coaches in enumerate(self.school_coaches):
            if not coaches:
                coaches.append(s % sizes.coaches)
        memberships = [
            Membership(user=principal, role=Role.PRINCIPAL, school=school)
            for principal, school in zip(principals, self.schools, strict=True)
        ]
        memberships += [
            Membership(user=self.coaches[j], role=Role.COACH, school=self.schools[s])
            for s, coaches in enumerate(self.school_coaches)
            for j in coaches
        ]
        memberships.append(
            Membership(user=leader, role=Role.DISTRICT_LEADER, district=self.district)
        )
        self._insert(Membership, memberships)
        self.progress.advance()

    def _user(self, name: str, first: str = "", last: str = "") -> User:
        username = f"{self.sizes.district_slug}.{name}"
        return User(
            username=username,
            email=f"{username}@scale.example.org",
            first_name=first or name.rstrip("0123456789").capitalize(),
            last_name=last or name[len(name.rstrip("0123456789")) :],
            password=self.password,
        )

    def _moves(self) -> None:
        """The demo library for any need area that has no active move yet."""
        missing = [
            area
            for area in NeedArea.values
            if not Move.objects.filter(need_area=area, is_active=True).exists()
        ]
        taken = set(Move.objects.values_list("slug", flat=True))
        new = [
            Move(
                slug=spec.slug,
                name=spec.name,
                need_area=spec.need_area,
                problem=spec.problem,
                looks_like=spec.looks_like,
                script_stems=spec.script_stems,
                common_errors=spec.common_errors,
            )
            for spec in demo.MOVES
            if spec.need_area in missing and spec.slug not in taken
        ]
        for area in missing:
            if not any(move.need_area == area for move in new):
                new.append(
                    Move(
                        slug=f"scale-{area.replace('_', '-')}-{self.sizes.district_slug}",
                        name=f"Scale move ({area})",
                        need_area=area,
                        looks_like="A move used by the scale seed.",
                        script_stems="Try it tomorrow.",
                    )
                )
        self._insert(Move, new)
        self.moves: dict[str, list[Move]] = defaultdict(list)
        for move in Move.objects.filter(is_active=True).order_by("slug"):
            self.moves[move.need_area].append(move)
        self.moves_by_slug = {m.slug: m for moves in self.moves.values() for m in moves}
        self.progress.advance()

    # Teachers and caseloads

    def _teachers(self) -> None:
        sizes, rng = self.sizes, self.rng
        per_school = allocate(sizes.teachers, [rng.uniform(0.7, 1.3) for _ in self.schools])
        counts = self._observation_counts()
        plans: list[_TeacherPlan] = []
        for s, n in enumerate(per_school):
            coaches = self.school_coaches[s]
            for k in range(n):
                index = len(plans)
                plans.append(
                    _TeacherPlan(
                        index=index,
                        school=s,
                        coach=coaches[k % len(coaches)],
                        subject=self.subjects[rng.randrange(len(self.subjects))],
                        disposition=_weighted(rng, DISPOSITIONS),
                        observations=counts[index],
                        reference=self.references.get(index, ""),
                    )
                )
        self.teacher_plans = plans
        users, memberships = [], []
        for plan in plans:
            first = FIRST_NAMES[rng.randrange(len(FIRST_NAMES))]
            last = LAST_NAMES[rng.randrange(len(LAST_NAMES))]
            user = None
            if rng.random() < 0.3:
                user = self._user(f"teacher{plan.index + 1:05d}", first, last)
                users.append(user)
                memberships.append(
                    Membership(user=user, role=Role.TEACHER, school=self.schools[plan.school])
                )
            subject, _, grade_band = plan.subject
            plan.teacher = Teacher(
                school=self.schools[plan.school],
                user=user,
                first_name=first,
                last_name=last,
                email=f"{first}.{last}.{plan.index + 1}@scale.example.org".lower(),
                subject=subject,
                grade_band=grade_band,
                years_experience=min(40, int(rng.expovariate(1 / 8))),
                disposition=plan.disposition,
                orientation=rng.choice(Orientation.values),
                time_focus=rng.choice(TimeFocus.values),
            )
        self._insert(User, users)
        self._insert(Membership, memberships)
        self._insert(Teacher, [plan.teacher for plan in plans])
        self._insert(
            CaseloadAssignment,
            [
                CaseloadAssignment(
                    coach=self.coaches[plan.coach],
                    teacher=plan.teacher,
                    started_on=self.day(HISTORY_DAYS + rng.randint(5, 40)),
                )
                for plan in plans
            ],
        )
        self.progress.advance()

    def _observation_counts(self) -> list[int]:
        """Visits per teacher: a long tail (many with a handful, some near 300), plus one
        teacher with exactly FEW_OBSERVATIONS and one with MANY_OBSERVATIONS (when the sizes
        leave room for them)."""
        sizes, rng = self.sizes, self.rng
        total, teachers = sizes.observations, sizes.teachers
        counts = [0] * teachers
        self.references: dict[int, str] = {}
        if teachers >= 2:
            few, many = rng.sample(range(teachers), 2)
            if total >= FEW_OBSERVATIONS + MANY_OBSERVATIONS_MIN:
                self.references[many] = "many"
                counts[many] = min(MANY_OBSERVATIONS, total - FEW_OBSERVATIONS)
            if total >= FEW_OBSERVATIONS:
                self.references[few] = "few"
                counts[few] = FEW_OBSERVATIONS
        others = [i for i in range(teachers) if i not in self.references]
        remaining = total - sum(counts)
        weights = [
            rng.uniform(0.02, 0.15) if rng.random() < 0.4 else rng.lognormvariate(0, 0.9)
            for _ in others
        ]
        if others:
            cap = max(MANY_OBSERVATIONS, math.ceil(remaining / len(others)))
            for i, n in zip(others, allocate_capped(remaining, weights, cap), strict=True):
                counts[i] = n
        else:  # two teachers, both references: the heavy one takes the rest
            counts[many] += remaining
        return counts
