"""Email reminders: which are due now, each found in a fixed number of queries."""

import datetime
import zoneinfo
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from accounts.models import User
from coaching.models import (
    OPEN_STATES,
    AgreedMove,
    CoachingSession,
    Revisit,
    SessionKind,
)
from coaching.selectors.revisits import revisits_overdue
from coaching.selectors.school_dates import school_today
from dashboards.selectors.school import school_dashboard
from notifications.models import Reminder, ReminderKind
from teachers.models import Membership, Role, Teacher
from teachers.school_days import school_days_by_school


@dataclass(frozen=True)
class ReminderDue:
    """An email that is due now and has not been sent: what it is about (kind and keys, the
    at-most-once record), to whom, and what the template shows. Several keys share one email
    when it lists several things (a coach's overdue revisits)."""

    kind: str
    keys: tuple[str, ...]
    email: str
    recipient: User | None
    subject: str
    template: str
    context: dict


def _already_sent(kind: str, pairs: Iterable[tuple[str, str]]) -> set[tuple[str, str]]:
    """The (key, email) pairs of ``kind`` that have a reminder record already."""
    pairs = list(pairs)
    if not pairs:
        return set()
    keys = {key for key, _ in pairs}
    return set(
        Reminder.objects.filter(kind=kind, key__in=keys).values_list("key", "email").iterator()
    )


def _teacher_address(teacher: Teacher) -> tuple[str, User | None]:
    """Where a teacher is mailed: their sign-in's address, or the roster address when they have
    no sign-in. Nobody inactive is mailed (an empty address means: do not send)."""
    if not teacher.is_active or not teacher.school.is_active:
        return "", None
    if teacher.user_id is not None:
        user = teacher.user
        return (user.email, user) if user.is_active else ("", None)
    return teacher.email, None


# How far ahead the "move tomorrow" reminder looks: the next school day can be a break away.
REMINDER_MOVE_LOOKAHEAD_DAYS = 31


def reminders_move_tomorrow(*, now: datetime.datetime | None = None) -> list[ReminderDue]:
    """Teachers whose agreed move is tried on their school's next school day, from
    REMINDER_MOVE_HOUR on the evening before (school time): on a Friday for a Monday try, on
    the last school day before a holiday or a break for the day after it. A move due on a
    non-school day is tried on the school day after it."""
    now = now or timezone.now()
    utc_today = now.date()
    moves = list(
        AgreedMove.objects.filter(
            cycle__state__in=OPEN_STATES,
            due_on__gte=utc_today - datetime.timedelta(days=REMINDER_MOVE_LOOKAHEAD_DAYS),
            due_on__lte=utc_today + datetime.timedelta(days=REMINDER_MOVE_LOOKAHEAD_DAYS),
        )
        .select_related("move", "cycle__teacher__school", "cycle__teacher__user", "cycle__coach")
        .order_by("pk")
    )
    calendars = school_days_by_school(
        schools={a.cycle.teacher.school_id: a.cycle.teacher.school for a in moves}.values()
    )
    due: list[ReminderDue] = []
    for agreed in moves:
        teacher = agreed.cycle.teacher
        school_days = calendars[teacher.school_id]
        local = timezone.localtime(now, zoneinfo.ZoneInfo(teacher.school.time_zone))
        if local.hour < settings.REMINDER_MOVE_HOUR:
            continue
        try_day = school_days.on_or_after(agreed.due_on)
        if try_day != school_days.add(local.date(), 1):
            continue
        email, user = _teacher_address(teacher)
        if not email:
            continue
        tomorrow = try_day == local.date() + datetime.timedelta(days=1)
        when = "Tomorrow" if tomorrow else f"{try_day:%A}"
        due.append(
            ReminderDue(
                kind=ReminderKind.MOVE_TOMORROW,
                keys=(f"move:{agreed.pk}:{agreed.due_on.isoformat()}",),
                email=email,
                recipient=user,
                subject=f"{when}'s move: {agreed.move.name}",
                template="notifications/email/move_tomorrow.txt",
                context={
                    "agreed": agreed,
                    "teacher": teacher,
                    "coach": agreed.cycle.coach,
                    "try_day": try_day,
                    "tomorrow": tomorrow,
                },
            )
        )
    sent = _already_sent(ReminderKind.MOVE_TOMORROW, ((r.keys[0], r.email) for r in due))
    return [r for r in due if (r.keys[0], r.email) not in sent]


def _coach_address(coach: User) -> str:
    return coach.email if coach.is_active else ""


def reminders_debrief_brief(*, now: datetime.datetime | None = None) -> list[ReminderDue]:
    """Coaches with a debrief in the next REMINDER_DEBRIEF_LEAD_HOURS: the link to its brief."""
    now = now or timezone.now()
    sessions = (
        CoachingSession.objects.filter(
            kind=SessionKind.DEBRIEF,
            held_at__isnull=True,
            scheduled_for__gt=now,
            scheduled_for__lte=now + datetime.timedelta(hours=settings.REMINDER_DEBRIEF_LEAD_HOURS),
            cycle__state__in=OPEN_STATES,
            cycle__teacher__is_active=True,
            cycle__teacher__school__is_active=True,
        )
        .select_related("cycle__teacher__school", "cycle__coach")
        .order_by("scheduled_for", "pk")
    )
    due: list[ReminderDue] = []
    for session in sessions:
        cycle = session.cycle
        email = _coach_address(cycle.coach)
        if not email:
            continue
        local = timezone.localtime(
            session.scheduled_for, zoneinfo.ZoneInfo(cycle.teacher.school.time_zone)
        )
        due.append(
            ReminderDue(
                kind=ReminderKind.DEBRIEF_BRIEF,
                keys=(f"debrief:{session.pk}:{session.scheduled_for.isoformat()}",),
                email=email,
                recipient=cycle.coach,
                subject=f"Debrief with {cycle.teacher.full_name} at {local:%H:%M}: your brief",
                template="notifications/email/debrief_brief.txt",
                # Naive: the template's date filters would turn an aware time back into the
                # active time zone (UTC in a worker), not the school's.
                context={
                    "session": session,
                    "cycle": cycle,
                    "local_time": local.replace(tzinfo=None),
                },
            )
        )
    sent = _already_sent(ReminderKind.DEBRIEF_BRIEF, ((r.keys[0], r.email) for r in due))
    return [r for r in due if (r.keys[0], r.email) not in sent]


def reminders_revisit_overdue(*, now: datetime.datetime | None = None) -> list[ReminderDue]:
    """Each coach whose revisits have passed their date, once per revisit, from
    REMINDER_DIGEST_HOUR on (school time) of a school day of the teacher's school (a revisit
    due on a Friday is reminded of on Monday): one email listing them, each with the school
    days it is late."""
    now = now or timezone.now()
    by_coach: dict[int, list[Revisit]] = defaultdict(list)
    overdue = revisits_overdue(now=now)
    calendars = school_days_by_school(
        schools={r.cycle.teacher.school_id: r.cycle.teacher.school for r in overdue}.values()
    )
    for revisit in overdue:
        cycle = revisit.cycle
        school = cycle.teacher.school
        if not (cycle.teacher.is_active and school.is_active and _coach_address(cycle.coach)):
            continue
        local = timezone.localtime(now, zoneinfo.ZoneInfo(school.time_zone))
        if local.hour < settings.REMINDER_DIGEST_HOUR:
            continue
        if not calendars[school.pk].is_school_day(local.date()):
            continue  # on the school's next school day, not over a weekend or a break
        by_coach[cycle.coach_id].append(revisit)
    pairs = [(f"overdue:{r.pk}", r.cycle.coach.email) for rs in by_coach.values() for r in rs]
    sent = _already_sent(ReminderKind.REVISIT_OVERDUE, pairs)
    due: list[ReminderDue] = []
    for revisits in by_coach.values():
        coach = revisits[0].cycle.coach
        new = [r for r in revisits if (f"overdue:{r.pk}", coach.email) not in sent]
        if not new:
            continue
        count = len(new)
        due.append(
            ReminderDue(
                kind=ReminderKind.REVISIT_OVERDUE,
                keys=tuple(f"overdue:{r.pk}" for r in new),
                email=coach.email,
                recipient=coach,
                subject=f"{count} revisit{'s' if count > 1 else ''} overdue",
                template="notifications/email/revisit_overdue.txt",
                context={
                    "coach": coach,
                    "revisits": [
                        {
                            "teacher": r.cycle.teacher.full_name,
                            "due_on": r.due_on,
                            "days_late": calendars[r.cycle.teacher.school_id].count(
                                r.due_on, school_today(r.cycle.teacher.school, now)
                            ),
                            "cycle_id": r.cycle_id,
                        }
                        for r in new
                    ],
                },
            )
        )
    return due


def reminders_weekly_digest(*, now: datetime.datetime | None = None) -> list[ReminderDue]:
    """Principals' weekly digest of their schools' caseload figures (aggregates only), from
    REMINDER_DIGEST_HOUR on the first school day of each week from REMINDER_DIGEST_WEEKDAY on,
    in the time zone and calendar of the principal's first school (none in a week of break)."""
    now = now or timezone.now()
    memberships = (
        Membership.objects.filter(
            role=Role.PRINCIPAL,
            is_active=True,
            user__is_active=True,
            school__is_active=True,
        )
        .exclude(user__email="")
        .select_related("user", "school")
        .order_by("user_id", "school__name")
    )
    first_school: dict[int, Membership] = {}
    schools_of: Counter[int] = Counter()
    for membership in memberships:
        first_school.setdefault(membership.user_id, membership)
        schools_of[membership.user_id] += 1
    calendars = school_days_by_school(schools=[m.school for m in first_school.values()])
    candidates: list[tuple[Membership, datetime.date]] = []
    for membership in first_school.values():
        local = timezone.localtime(now, zoneinfo.ZoneInfo(membership.school.time_zone))
        days_since = (local.weekday() - settings.REMINDER_DIGEST_WEEKDAY) % 7
        week_of = local.date() - datetime.timedelta(days=days_since)
        # The digest goes out on the week's first school day from the digest weekday on (a
        # Tuesday after a Monday holiday); a week of break has none.
        digest_day = calendars[membership.school_id].on_or_after(week_of)
        if digest_day > local.date() or (digest_day - week_of).days >= 7:
            continue
        if digest_day == local.date() and local.hour < settings.REMINDER_DIGEST_HOUR:
            continue  # the digest day, before the hour: not yet
        candidates.append((membership, week_of))
    keyed = [(m, week_of, f"digest:{m.user_id}:{week_of.isoformat()}") for m, week_of in candidates]
    sent = _already_sent(ReminderKind.WEEKLY_DIGEST, ((key, m.user.email) for m, _, key in keyed))
    due: list[ReminderDue] = []
    for membership, week_of, key in keyed:
        user = membership.user
        if (key, user.email) in sent:
            continue
        today = timezone.localtime(now, zoneinfo.ZoneInfo(membership.school.time_zone)).date()
        due.append(
            ReminderDue(
                kind=ReminderKind.WEEKLY_DIGEST,
                keys=(key,),
                email=user.email,
                recipient=user,
                subject=f"Coaching this week: {membership.school.name}"
                if schools_of[user.pk] == 1
                else "Coaching this week: your schools",
                template="notifications/email/weekly_digest.txt",
                context={
                    "user": user,
                    "week_of": week_of,
                    "schools": school_dashboard(user=user, period_days=7, today=today),
                },
            )
        )
    return due
