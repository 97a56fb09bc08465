"""What `seed_demo` prints: the summary of the district it made and the demo sign-ins."""

from zoneinfo import ZoneInfo

from django.db.models import Count, Q, Sum
from django.utils import timezone

from accounts.models import User
from coaching.models import (
    DIRECT_CATEGORIES,
    CoachingCycle,
    CoachingSession,
    CycleState,
    Move,
    Outcome,
    Revisit,
    RevisitStatus,
    TimeEntry,
)
from demo import data as demo
from demo.seeding.seeder import SeedReport
from observations.models import EngagementSample, Observation
from teachers.models import NonSchoolDay, Teacher

# --- Output -------------------------------------------------------------------------------


def summary_lines(report: SeedReport) -> list[str]:
    school = report.school
    schools = report.schools or [school]
    today = timezone.localdate(timezone=ZoneInfo(school.time_zone))
    cycles = CoachingCycle.objects.filter(teacher__school__in=schools)
    states = dict(cycles.order_by().values_list("state").annotate(n=Count("id")))
    closed = cycles.filter(state=CycleState.CLOSED).order_by()
    outcomes = dict(closed.values_list("outcome").annotate(n=Count("id")))
    revisits = Revisit.objects.filter(cycle__teacher__school__in=schools)
    statuses = dict(revisits.order_by().values_list("status").annotate(n=Count("id")))
    overdue = revisits.filter(status=RevisitStatus.SCHEDULED, due_on__lt=today).count()
    observations = Observation.objects.filter(teacher__school__in=schools)
    sweeps = EngagementSample.objects.filter(observation__teacher__school__in=schools)
    teachers = Teacher.objects.filter(school__in=schools)
    per_school = dict(teachers.order_by().values_list("school__name").annotate(n=Count("id")))
    closures = NonSchoolDay.objects.filter(school__in=schools).order_by("starts_on", "school")
    calendar = sorted({(c.starts_on, c.ends_on, c.name) for c in closures})
    lines = [
        f"District: {school.district.name} (anchor {report.anchor:%Y-%m-%d}, {school.time_zone})",
        "Schools: " + ", ".join(f"{name} ({n} teachers)" for name, n in per_school.items()),
        "Calendar: "
        + "; ".join(
            f"{name} {first:%a %d %b}" + (f" to {last:%a %d %b}" if last != first else "")
            for first, last, name in calendar
        ),
        f"Moves in the library: {Move.objects.count()}"
        f" | demo accounts: {User.objects.filter(username__in=demo_usernames()).count()}"
        f" ({report.users_created} new)",
        f"Teachers: {teachers.count()} "
        f"({report.teachers_created} new; coaching content seeded for "
        f"{report.teachers_seeded}, kept for {report.teachers_skipped})",
        "Cycles: "
        + ", ".join(f"{state} {states.get(state, 0)}" for state in CycleState.values)
        + " | outcomes: "
        + ", ".join(f"{outcome} {outcomes.get(outcome, 0)}" for outcome in Outcome.values),
        f"Sessions: {CoachingSession.objects.filter(cycle__teacher__school__in=schools).count()}"
        f" | observations: {observations.count()}"
        f" ({observations.filter(started_at__isnull=True).count()} upcoming)"
        f" | sweeps: {sweeps.count()}",
        "Revisits: "
        + ", ".join(f"{status} {statuses.get(status, 0)}" for status in RevisitStatus.values)
        + f" | overdue today: {overdue}",
    ]
    lines.append(
        f"Time entries: logged for {report.coaches_timed} coach(es) and school(s), "
        f"kept for {report.coaches_time_skipped}"
    )
    for person in demo.COACHES:
        entries = TimeEntry.objects.filter(coach__username=person.username, school__in=schools)
        totals = entries.aggregate(
            total=Sum("minutes"), direct=Sum("minutes", filter=Q(category__in=DIRECT_CATEGORIES))
        )
        total = totals["total"] or 0
        share = f"{100 * (totals['direct'] or 0) / total:.0f}% direct" if total else "no time"
        lines.append(
            f"Time, {person.username}: {entries.count()} entries, {total / 60:.0f} h, {share}"
        )
    return lines


def demo_usernames() -> list[str]:
    people = [demo.ADMIN, demo.DISTRICT_LEADER, *demo.PRINCIPALS.values(), *demo.COACHES]
    teachers = [spec.username for spec in demo.TEACHERS if spec.username]
    return [person.username for person in people] + teachers


# Demo teachers worth signing in as, and what each shows (the README's table says the same).
SHOWCASE_TEACHERS: dict[str, str] = {
    "Porter": "my move after a debrief: the agreed next step and the coming revisit",
    "Lee": "my move: exit ticket, its script, the next visit; reflect before the debrief",
    "Goldberg": "a planned cycle: the move to try, the co-planning before it",
}


def signin_rows() -> list[tuple[str, str, str, str]]:
    rows = [
        ("administrator", demo.ADMIN.username, demo.ADMIN.sees),
        ("district leader", demo.DISTRICT_LEADER.username, demo.DISTRICT_LEADER.sees),
    ]
    rows += [("principal", p.username, p.sees) for p in demo.PRINCIPALS.values()]
    rows += [("coach", coach.username, coach.sees) for coach in demo.COACHES]
    with_login = {spec.last_name: spec for spec in demo.TEACHERS if spec.username}
    for last_name, sees in SHOWCASE_TEACHERS.items():
        rows.append(("teacher", with_login[last_name].username or "", sees))
    others = len(with_login) - len(SHOWCASE_TEACHERS)
    rows.append(("teacher", f"teacher.<lastname> ({others} more)", "their own move and visits"))
    return [(role, username, demo.DEMO_PASSWORD, sees) for role, username, sees in rows]


def table(rows: list[tuple[str, ...]]) -> list[str]:
    widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]))]
    return [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in rows
    ]
