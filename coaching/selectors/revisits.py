"""The revisit rule: when a revisit is due, the window a coach picks in, and which are missed."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Exists, F, OuterRef, Subquery
from django.utils import timezone

from coaching.models import (
    CoachingCycle,
    CoachingSession,
    CycleState,
    Debrief,
    Revisit,
    RevisitStatus,
)
from coaching.selectors.school_dates import school_date_or_none, school_today
from observations.models import Observation
from teachers.school_days import SchoolDays, school_days_by_school, school_days_for

# The revisit rule, in school days (teachers/school_days.py: a school's teaching weekdays minus its
# holidays and breaks). A revisit is due this many school days after the cycle's last touch (a
# held session, a visit, a done revisit, or the day the cycle opened), so a break stretches the
# wait instead of eating it, and the date proposed is always a school day:
REVISIT_DAYS_NOT_MET = 10  # a new move, or the indicator not met (or not clear) last time
REVISIT_DAYS_MET_ONCE = 15  # the indicator met at one debrief
REVISIT_DAYS_MET_REPEATEDLY = 20  # met at two or more: four school weeks, or close as mastered
# The window a coach picks in: 2 to 4 school weeks after the last touch. A date outside it (or
# before it) needs the coach's reason (Revisit.off_rule_reason).
REVISIT_WINDOW_FIRST = REVISIT_DAYS_NOT_MET
REVISIT_WINDOW_LAST = REVISIT_DAYS_MET_REPEATEDLY
# Even with a reason, a revisit is no more than this many school days ahead (a quarter of a year):
# later than that, the cycle is better closed.
REVISIT_LATEST_SCHOOL_DAYS = 60
# A revisit still not done this many SCHOOL days after its date (two school weeks) is recorded as
# missed, and the next one is scheduled: a break in between is not counted.
REVISIT_MISSED_AFTER_DAYS = 10


def latest_value(qs, field_name: str) -> Subquery:
    return Subquery(qs.order_by(f"-{field_name}").values(field_name)[:1])


def revisit_interval(*, met_count: int, last_met: bool | None) -> tuple[int, str]:
    """School days from the last touch to the next revisit, and why. ``met_count``: debriefs of
    the cycle at which the success indicator was met; ``last_met``: the latest debrief's answer
    (None when there has been no debrief or it was not clear)."""
    if not last_met or met_count == 0:
        return (
            REVISIT_DAYS_NOT_MET,
            "new move or indicator not met yet: 10 school days (two school weeks)",
        )
    if met_count == 1:
        return REVISIT_DAYS_MET_ONCE, "indicator met once: 15 school days (three school weeks)"
    return (
        REVISIT_DAYS_MET_REPEATEDLY,
        "indicator met repeatedly: 20 school days (four school weeks, or close the cycle as "
        "mastered)",
    )


def revisit_due_from(
    *,
    last_touch: datetime.date,
    met_count: int,
    last_met: bool | None,
    today: datetime.date,
    school_days: SchoolDays | None = None,
) -> tuple[datetime.date, str]:
    """The revisit rule as the scheduling job applies it: the interval counted in school days
    from the last touch (``school_days``: the school's calendar; weekdays when not given). A
    date already past is moved to today, or the next school day when today is not one: the
    revisit is due now."""
    school_days = school_days or SchoolDays()
    days, why = revisit_interval(met_count=met_count, last_met=last_met)
    due = school_days.add(last_touch, days)
    reason = f"Scheduled by the revisit rule: {why}, after the last touch on {last_touch:%d %b}."
    if due < today:
        now_due = school_days.on_or_after(today)
        when = "today" if now_due == today else f"on {now_due:%a %d %b}, the next school day"
        reason = f"{reason[:-1]}; {due:%d %b} had passed, so it is due {when}."
        due = now_due
    return due, reason[:200]


@dataclass(frozen=True)
class RevisitWindow:
    """The days a revisit may fall on without a reason: school days from ``first`` to ``last``
    (10 to 20 school days after ``last_touch``; from today when that has passed)."""

    last_touch: datetime.date
    first: datetime.date
    last: datetime.date
    today: datetime.date
    school_days: SchoolDays

    @property
    def text(self) -> str:
        """e.g. "between Mon 04 Jan and Fri 29 Jan: 10 to 20 school days after the last touch on
        Mon 07 Dec"."""
        rule = (
            f"{REVISIT_WINDOW_FIRST} to {REVISIT_WINDOW_LAST} school days after the last touch "
            f"on {self.last_touch:%a %d %b}"
        )
        if self.first == self.last:
            return f"on {self.first:%a %d %b}: that window has passed ({rule}), so it is due now"
        return f"between {self.first:%a %d %b} and {self.last:%a %d %b}: {rule}"

    def contains(self, day: datetime.date) -> bool:
        return self.first <= day <= self.last and self.school_days.is_school_day(day)


def revisit_window(
    *, last_touch: datetime.date, today: datetime.date, school_days: SchoolDays
) -> RevisitWindow:
    """The revisit window after ``last_touch``: 10 to 20 school days after it; a part already
    past starts today (the next school day when today is not one)."""
    earliest = school_days.on_or_after(today)
    first = max(school_days.add(last_touch, REVISIT_WINDOW_FIRST), earliest)
    last = max(school_days.add(last_touch, REVISIT_WINDOW_LAST), earliest)
    return RevisitWindow(
        last_touch=last_touch, first=first, last=last, today=today, school_days=school_days
    )


def school_day_refusal(*, day: datetime.date, school_days: SchoolDays, today: datetime.date) -> str:
    """Why ``day`` cannot hold a visit (a holiday or break by name, or a weekend) and the nearest
    school days around it; "" when it is a school day."""
    if school_days.is_school_day(day):
        return ""
    closure = school_days.closure_on(day)
    why = closure if closure else ("a weekend" if day.isoweekday() in (6, 7) else "no lessons")
    before = school_days.on_or_before(day)
    after = school_days.on_or_after(day)
    near = [d for d in (before, after) if d >= today]
    nearest = " and ".join(f"{d:%a %d %b}" for d in near)
    plural = "s are" if len(near) > 1 else " is"
    return f"{day:%a %d %b} is not a school day ({why}): the nearest school day{plural} {nearest}."


def revisit_date_errors(
    *,
    day: datetime.date,
    window: RevisitWindow,
    off_rule_reason: str,
    date_field: str,
    reason_field: str,
) -> dict[str, str]:
    """The refusals of a revisit date, by field: a past day, a non-school day (named, with the
    nearest school days), a day beyond REVISIT_LATEST_SCHOOL_DAYS, and a day outside the window
    without the coach's reason. Empty when the date stands."""
    sd = window.school_days
    if day < window.today:
        return {date_field: "Pick today or a later day."}
    refusal = school_day_refusal(day=day, school_days=sd, today=window.today)
    if refusal:
        return {date_field: refusal}
    latest = sd.add(window.today, REVISIT_LATEST_SCHOOL_DAYS)
    if day > latest:
        return {
            date_field: f"A revisit is at most {REVISIT_LATEST_SCHOOL_DAYS} school days ahead "
            f"({latest:%a %d %b}); close the cycle instead if the next visit is further off."
        }
    if not window.contains(day) and not off_rule_reason.strip():
        return {
            reason_field: f"{day:%a %d %b} is outside the revisit window ({window.text}). Say "
            "why this date, or pick a day in the window."
        }
    return {}


def revisit_due_suggest(
    *,
    cycle: CoachingCycle,
    indicator_met: bool | None,
    today: datetime.date | None = None,
    school_days: SchoolDays | None = None,
) -> tuple[datetime.date, str]:
    """The revisit rule at a debrief (today is the last touch), counting this debrief's answer:
    10 school days for a new move or an unmet indicator, 15 once met once, 20 once met
    repeatedly; always a school day of the teacher's school."""
    today = today or timezone.localdate()
    if school_days is None:
        school_days = school_days_for(school=cycle.teacher.school)
    met_before = Debrief.objects.filter(session__cycle=cycle, indicator_met=True).count()
    met = met_before + (1 if indicator_met else 0)
    days, why = revisit_interval(met_count=met, last_met=indicator_met)
    return school_days.add(today, days), why


def cycle_last_touch(*, cycle: CoachingCycle) -> datetime.date:
    """The cycle's last touch in school dates: its latest held session, visit or done revisit,
    or the day it opened."""
    school = cycle.teacher.school
    last_session = (
        cycle.sessions.filter(held_at__isnull=False).order_by("-held_at").values("held_at")[:1]
    )
    last_observation = (
        Observation.objects.filter(cycle=cycle, started_at__isnull=False)
        .order_by("-started_at")
        .values("started_at")[:1]
    )
    last_revisit = (
        cycle.revisits.filter(status=RevisitStatus.DONE)
        .order_by("-completed_on")
        .values("completed_on")[:1]
    )
    touches = [
        cycle.opened_on,
        school_date_or_none(next(iter(last_session), {}).get("held_at"), school),
        school_date_or_none(next(iter(last_observation), {}).get("started_at"), school),
        next(iter(last_revisit), {}).get("completed_on"),
    ]
    return max(t for t in touches if t is not None)


def revisit_window_for(
    *,
    cycle: CoachingCycle,
    today: datetime.date | None = None,
    last_touch: datetime.date | None = None,
) -> RevisitWindow:
    """The revisit window of ``cycle`` at its school: from its last touch (``last_touch`` when
    given, e.g. a debrief being held), on the school's calendar."""
    school = cycle.teacher.school
    today = today or school_today(school)
    return revisit_window(
        last_touch=last_touch or cycle_last_touch(cycle=cycle),
        today=today,
        school_days=school_days_for(school=school),
    )


@dataclass(frozen=True)
class RevisitPlan:
    """A revisit the scheduling job will create: for a cycle under way with none scheduled."""

    cycle: CoachingCycle
    last_touch: datetime.date
    due_on: datetime.date
    reason: str


UNDER_WAY_STATES = (CycleState.ACTIVE, CycleState.DEBRIEFED)


def revisits_needed(*, now: datetime.datetime | None = None) -> list[RevisitPlan]:
    """Every cycle under way (the move tried: active or debriefed) that has no scheduled
    revisit, with the date the rule gives (a school day of the teacher's school). Two queries,
    whatever the number of cycles and schools: the cycles, then their schools' calendars."""
    now = now or timezone.now()
    scheduled = Revisit.objects.filter(cycle=OuterRef("pk"), status=RevisitStatus.SCHEDULED)
    debriefs = Debrief.objects.filter(session__cycle=OuterRef("pk"))
    cycles = (
        CoachingCycle.objects.filter(
            state__in=UNDER_WAY_STATES, teacher__is_active=True, teacher__school__is_active=True
        )
        .exclude(Exists(scheduled))
        .select_related("teacher__school")
        .annotate(
            last_session=latest_value(
                CoachingSession.objects.filter(cycle=OuterRef("pk"), held_at__isnull=False),
                "held_at",
            ),
            last_observation=latest_value(
                Observation.objects.filter(cycle=OuterRef("pk"), started_at__isnull=False),
                "started_at",
            ),
            last_revisit=latest_value(
                Revisit.objects.filter(cycle=OuterRef("pk"), status=RevisitStatus.DONE),
                "completed_on",
            ),
            met_count=Subquery(
                debriefs.filter(indicator_met=True)
                .values("session__cycle")
                .annotate(n=Count("pk"))
                .values("n")[:1]
            ),
            last_met=Subquery(
                debriefs.order_by(F("session__held_at").desc(nulls_last=True), "-pk").values(
                    "indicator_met"
                )[:1]
            ),
        )
        .order_by("pk")
    )
    cycles = list(cycles)
    calendars = school_days_by_school(
        schools={c.teacher.school_id: c.teacher.school for c in cycles}.values()
    )
    plans = []
    for cycle in cycles:
        school = cycle.teacher.school
        touches = [
            cycle.opened_on,
            school_date_or_none(cycle.last_session, school),
            school_date_or_none(cycle.last_observation, school),
            cycle.last_revisit,
        ]
        last_touch = max(t for t in touches if t is not None)
        due, reason = revisit_due_from(
            last_touch=last_touch,
            met_count=cycle.met_count or 0,
            last_met=cycle.last_met,
            today=school_today(school, now),
            school_days=calendars[school.pk],
        )
        plans.append(RevisitPlan(cycle=cycle, last_touch=last_touch, due_on=due, reason=reason))
    return plans


def revisits_overdue(*, now: datetime.datetime | None = None) -> list[Revisit]:
    """Scheduled revisits whose date has passed at their school (school time zone)."""
    now = now or timezone.now()
    latest_today = (now + datetime.timedelta(days=1)).date()  # no school is further ahead
    candidates = (
        Revisit.objects.filter(status=RevisitStatus.SCHEDULED, due_on__lt=latest_today)
        .select_related("cycle__teacher__school", "cycle__coach")
        .order_by("due_on", "pk")
    )
    return [r for r in candidates if r.due_on < school_today(r.cycle.teacher.school, now)]
