"""Email reminders in process (locmem backend, ``now=`` for the instant): tomorrow's move to the
teacher from 17:00 the evening before, the brief link to the coach before a debrief, overdue
revisits to the coach, the principals' weekly digest. School time zones decide every hour,
across clock changes; nobody inactive is mailed; each reminder goes out at most once, and one
the mail server refused is sent on a later run, once."""

import datetime
import smtplib

import pytest
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend

from coaching.models import CycleState, SessionKind
from notifications.models import Reminder, ReminderKind
from notifications.selectors import reminders_move_tomorrow
from notifications.services import ReminderDeliveryError, reminder_deliver, reminders_send
from observations.models import EvidenceKind
from teachers.models import NonSchoolDay, Role
from tests import factories as f

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
D = datetime.date
LOCMEM = "django.core.mail.backends.locmem.EmailBackend"


def _utc(*parts: int) -> datetime.datetime:
    return datetime.datetime(*parts, tzinfo=UTC)


def _sent(now: datetime.datetime) -> dict[str, int]:
    return reminders_send(now=now)


def _nothing() -> dict[str, int]:
    return dict.fromkeys(ReminderKind.values, 0)


def _only(kind: str, count: int = 1) -> dict[str, int]:
    return {**_nothing(), kind: count}


# --- Tomorrow's move, to the teacher -----------------------------------------------------------


def _move_due(
    due_on: datetime.date,
    *,
    zone: str = "America/Chicago",
    email: str = "lee@example.org",
    sign_in: bool = True,
    school_active: bool = True,
    teacher_active: bool = True,
    user_active: bool = True,
    closed: bool = False,
):
    school = f.SchoolFactory(time_zone=zone, is_active=school_active)
    user = f.UserFactory(email=email, is_active=user_active) if sign_in else None
    teacher = f.TeacherFactory(
        school=school,
        user=user,
        first_name="Lee",
        email="" if sign_in else email,
        is_active=teacher_active,
    )
    cycle = f.CoachingCycleFactory(
        teacher=teacher,
        assessment__assessed_on=due_on - datetime.timedelta(days=5),
        **({"closed": True} if closed else {"state": CycleState.ACTIVE}),
    )
    return f.AgreedMoveFactory(
        cycle=cycle,
        move__name="Mini whiteboards",
        next_day_action="Boards for the three hinge questions in period 2.",
        script="Everyone, write your answer. Boards up in 3, 2, 1.",
        success_indicator="20 of 25 boards up within 10 seconds.",
        due_on=due_on,
    )


def test_tomorrows_move_goes_to_the_teacher_from_17_00_the_evening_before_once(mailoutbox):
    """Chicago in February is UTC-6: 17:00 on Feb 10 is 23:00 UTC."""
    agreed = _move_due(D(2026, 2, 11))

    assert _sent(_utc(2026, 2, 10, 22, 59)) == _nothing()  # 16:59 in Chicago
    assert mailoutbox == []

    assert _sent(_utc(2026, 2, 10, 23, 0)) == _only(ReminderKind.MOVE_TOMORROW)
    [email] = mailoutbox
    assert email.to == ["lee@example.org"]
    assert email.subject == "Tomorrow's move: Mini whiteboards"
    assert "Tomorrow (Wednesday 11 February)" in email.body
    for text in (agreed.next_day_action, agreed.script, agreed.success_indicator):
        assert text in email.body
    assert "/my-move/" in email.body  # the teacher signs in: a link to the move
    record = Reminder.objects.get()
    assert (record.kind, record.key, record.email) == (
        ReminderKind.MOVE_TOMORROW,
        f"move:{agreed.pk}:2026-02-11",
        "lee@example.org",
    )
    assert record.sent_at is not None and record.recipient_id == agreed.cycle.teacher.user_id

    for later in (_utc(2026, 2, 10, 23, 15), _utc(2026, 2, 11, 5, 59)):  # up to 23:59 there
        assert _sent(later) == _nothing()
    assert _sent(_utc(2026, 2, 11, 6, 0)) == _nothing()  # the day itself: too late
    assert len(mailoutbox) == 1
    assert Reminder.objects.count() == 1


def test_a_monday_move_is_reminded_of_on_friday_evening_the_last_school_day_before(mailoutbox):
    """Fri Feb 13 17:00 in Chicago (23:00 UTC): Monday is the next school day. Nothing on
    Thursday (Friday comes first), and Sunday evening does not send it again."""
    agreed = _move_due(D(2026, 2, 16))

    assert _sent(_utc(2026, 2, 12, 23, 0)) == _nothing()  # Thursday evening
    assert _sent(_utc(2026, 2, 13, 22, 59)) == _nothing()  # Friday 16:59
    assert _sent(_utc(2026, 2, 13, 23, 0)) == _only(ReminderKind.MOVE_TOMORROW)
    assert _sent(_utc(2026, 2, 15, 23, 0)) == _nothing()  # Sunday evening: sent already

    [email] = mailoutbox
    assert email.subject == "Monday's move: Mini whiteboards"
    assert "Your next school day (Monday 16 February)" in email.body
    assert "Good luck on Monday." in email.body
    assert Reminder.objects.get().key == f"move:{agreed.pk}:2026-02-16"


def test_a_move_after_a_holiday_is_reminded_of_the_school_day_before_the_holiday(mailoutbox):
    """Presidents' Day (Mon Feb 16) is closed: a Tuesday move is reminded of on Friday."""
    agreed = _move_due(D(2026, 2, 17))
    NonSchoolDay.objects.create(
        school=agreed.cycle.teacher.school,
        starts_on=D(2026, 2, 16),
        ends_on=D(2026, 2, 16),
        name="Presidents' Day",
    )

    assert _sent(_utc(2026, 2, 13, 23, 0)) == _only(ReminderKind.MOVE_TOMORROW)

    [email] = mailoutbox
    assert email.subject == "Tuesday's move: Mini whiteboards"
    assert "(Tuesday 17 February)" in email.body


def test_a_move_due_on_a_saturday_is_reminded_of_for_monday_on_friday(mailoutbox):
    _move_due(D(2026, 2, 14))

    assert _sent(_utc(2026, 2, 13, 23, 0)) == _only(ReminderKind.MOVE_TOMORROW)
    assert "Your next school day (Monday 16 February)" in mailoutbox[0].body


CHICAGO, LONDON = "America/Chicago", "Europe/London"
# When the reminder of a move due on a day may go out: 17:00 the evening before, in UTC.
EVENINGS_BEFORE = {
    # Chicago springs forward on Sunday 2026-03-08 (CST UTC-6 -> CDT UTC-5) ...
    "Chicago, Sat CST": (CHICAGO, D(2026, 3, 8), _utc(2026, 3, 7, 23)),
    "Chicago, change day": (CHICAGO, D(2026, 3, 9), _utc(2026, 3, 8, 22)),
    "Chicago, Mon CDT": (CHICAGO, D(2026, 3, 10), _utc(2026, 3, 9, 22)),
    # ... and falls back on Sunday 2026-11-01.
    "Chicago, Sat CDT": (CHICAGO, D(2026, 11, 1), _utc(2026, 10, 31, 22)),
    "Chicago, fall-back day": (CHICAGO, D(2026, 11, 2), _utc(2026, 11, 1, 23)),
    # London: GMT -> BST on Sunday 2026-03-29, back on Sunday 2026-10-25.
    "London, Sat GMT": (LONDON, D(2026, 3, 29), _utc(2026, 3, 28, 17)),
    "London, change day": (LONDON, D(2026, 3, 30), _utc(2026, 3, 29, 16)),
    "London, Sat BST": (LONDON, D(2026, 10, 25), _utc(2026, 10, 24, 16)),
    "London, back to GMT": (LONDON, D(2026, 10, 26), _utc(2026, 10, 25, 17)),
    # The ends of the map: UTC+14 and UTC-11.
    "UTC+14": ("Pacific/Kiritimati", D(2026, 2, 11), _utc(2026, 2, 10, 3)),
    "UTC-11": ("Pacific/Pago_Pago", D(2026, 2, 11), _utc(2026, 2, 11, 4)),
}


@pytest.mark.parametrize(
    ("zone", "due_on", "from_utc"), EVENINGS_BEFORE.values(), ids=EVENINGS_BEFORE.keys()
)
def test_tomorrows_move_is_sent_at_17_00_school_time_across_clock_changes(
    zone, due_on, from_utc, mailoutbox
):
    _move_due(due_on, zone=zone)

    assert _sent(from_utc - datetime.timedelta(minutes=1)) == _nothing()
    assert _sent(from_utc) == _only(ReminderKind.MOVE_TOMORROW)
    assert _sent(from_utc + datetime.timedelta(hours=1)) == _nothing()
    assert len(mailoutbox) == 1


@pytest.mark.parametrize(
    "who",
    [
        {"teacher_active": False},
        {"user_active": False},
        {"school_active": False},
        {"closed": True},
        {"sign_in": False, "email": ""},
    ],
    ids=["inactive teacher", "inactive sign-in", "inactive school", "closed cycle", "no address"],
)
def test_tomorrows_move_is_not_mailed_to_anyone_inactive(who, mailoutbox):
    _move_due(D(2026, 2, 11), **who)

    assert _sent(_utc(2026, 2, 11, 1)) == _nothing()  # 19:00 the evening before
    assert mailoutbox == []
    assert not Reminder.objects.exists()


def test_tomorrows_move_goes_to_the_roster_address_of_a_teacher_without_sign_in(mailoutbox):
    _move_due(D(2026, 2, 11), sign_in=False, email="roster@example.org")

    assert _sent(_utc(2026, 2, 11, 1)) == _only(ReminderKind.MOVE_TOMORROW)

    [email] = mailoutbox
    assert email.to == ["roster@example.org"]
    assert "/my-move/" not in email.body  # no sign-in, no link to a page they cannot open
    assert Reminder.objects.get().recipient is None


def test_a_move_due_later_than_tomorrow_waits():
    _move_due(D(2026, 2, 12))

    assert reminders_move_tomorrow(now=_utc(2026, 2, 11, 1)) == []


# --- The brief link before a debrief, to the coach ---------------------------------------------

SITE = "https://coaching.example.org"
DEBRIEF_NOW = _utc(2026, 2, 10, 9)  # 18:00 in Tokyo


@pytest.fixture
def debrief(settings):
    """A debrief in Tokyo five hours from DEBRIEF_NOW: 23:00 on Tuesday 10 February there."""
    settings.SITE_URL = SITE
    coach = f.UserFactory(first_name="Rosa", last_name="Rivera", email="rosa@example.org")
    school = f.SchoolFactory(time_zone="Asia/Tokyo", name="Sakura School")
    teacher = f.TeacherFactory(school=school, first_name="Ada", last_name="Byron")
    cycle = f.CoachingCycleFactory(teacher=teacher, coach=coach, state=CycleState.ACTIVE)
    return f.CoachingSessionFactory(
        cycle=cycle,
        kind=SessionKind.DEBRIEF,
        held_at=None,
        duration_minutes=None,
        scheduled_for=DEBRIEF_NOW + datetime.timedelta(hours=5),
    )


def test_the_coach_gets_the_brief_link_before_a_debrief_once(debrief, mailoutbox):
    assert _sent(DEBRIEF_NOW) == _only(ReminderKind.DEBRIEF_BRIEF)
    assert _sent(DEBRIEF_NOW + datetime.timedelta(hours=1)) == _nothing()

    [email] = mailoutbox
    cycle = debrief.cycle
    assert email.to == ["rosa@example.org"]
    assert email.subject == "Debrief with Ada Byron at 23:00: your brief"
    assert "on Tuesday 10 February at 23:00 (Sakura School time)" in email.body
    assert f"{SITE}/cycles/{cycle.pk}/brief/" in email.body
    assert f"{SITE}/cycles/{cycle.pk}/debrief/" in email.body
    assert Reminder.objects.get().recipient == cycle.coach


def test_the_brief_link_waits_until_the_lead_time(debrief, mailoutbox):
    assert _sent(DEBRIEF_NOW - datetime.timedelta(hours=7, minutes=1)) == _nothing()  # 12h01 ahead
    assert mailoutbox == []


def test_a_rescheduled_debrief_gets_a_new_reminder(debrief, mailoutbox):
    _sent(DEBRIEF_NOW)
    debrief.scheduled_for = DEBRIEF_NOW + datetime.timedelta(hours=6)  # midnight in Tokyo
    debrief.save()

    assert _sent(DEBRIEF_NOW + datetime.timedelta(minutes=15)) == _only(ReminderKind.DEBRIEF_BRIEF)
    assert [m.subject for m in mailoutbox] == [
        "Debrief with Ada Byron at 23:00: your brief",
        "Debrief with Ada Byron at 00:00: your brief",
    ]
    assert "on Wednesday 11 February at 00:00" in mailoutbox[1].body


@pytest.mark.parametrize(
    "change",
    [
        lambda s: setattr(s.cycle.coach, "is_active", False) or s.cycle.coach.save(),
        lambda s: setattr(s, "held_at", DEBRIEF_NOW) or s.save(),
        lambda s: setattr(s.cycle.teacher, "is_active", False) or s.cycle.teacher.save(),
    ],
    ids=["inactive coach", "already held", "inactive teacher"],
)
def test_no_brief_link_for_an_inactive_coach_or_a_held_debrief(debrief, change, mailoutbox):
    change(debrief)

    assert _sent(DEBRIEF_NOW) == _nothing()
    assert mailoutbox == []


# --- Overdue revisits, to the coach ------------------------------------------------------------


def _revisit_due(coach, due_on: datetime.date, *, zone: str = "America/Los_Angeles", name: str):
    school = f.SchoolFactory(time_zone=zone)
    first, last = name.split()
    teacher = f.TeacherFactory(school=school, first_name=first, last_name=last)
    cycle = f.CoachingCycleFactory(teacher=teacher, coach=coach, state=CycleState.DEBRIEFED)
    return f.RevisitFactory(cycle=cycle, due_on=due_on)


@pytest.fixture
def coach():
    return f.UserFactory(first_name="Rosa", last_name="Rivera", email="rosa@example.org")


def test_an_overdue_revisit_is_mailed_to_the_coach_in_the_morning_once(coach, mailoutbox):
    """Los Angeles in February is UTC-8: 07:00 on Feb 10 is 15:00 UTC."""
    revisit = _revisit_due(coach, D(2026, 2, 9), name="Ada Byron")

    assert _sent(_utc(2026, 2, 10, 14, 59)) == _nothing()  # overdue, but 06:59 there
    assert _sent(_utc(2026, 2, 10, 15, 0)) == _only(ReminderKind.REVISIT_OVERDUE)
    assert _sent(_utc(2026, 2, 10, 18, 0)) == _nothing()
    assert _sent(_utc(2026, 2, 11, 15, 0)) == _nothing()  # still overdue the next day: told once

    [email] = mailoutbox
    assert email.to == ["rosa@example.org"]
    assert email.subject == "1 revisit overdue"
    assert "- Ada Byron: due Mon 9 Feb (1 school day ago)" in email.body
    assert f"/cycles/{revisit.cycle_id}/" in email.body
    assert Reminder.objects.get().key == f"overdue:{revisit.pk}"


def test_a_later_overdue_revisit_gets_an_email_of_its_own(coach, mailoutbox):
    _revisit_due(coach, D(2026, 2, 9), name="Ada Byron")
    _sent(_utc(2026, 2, 10, 16))
    _revisit_due(coach, D(2026, 2, 10), name="Alan Turing")

    assert _sent(_utc(2026, 2, 11, 16)) == _only(ReminderKind.REVISIT_OVERDUE)

    assert len(mailoutbox) == 2
    assert "Alan Turing" in mailoutbox[1].body
    assert "Ada Byron" not in mailoutbox[1].body
    assert Reminder.objects.filter(kind=ReminderKind.REVISIT_OVERDUE).count() == 2


def test_two_overdue_revisits_of_one_coach_come_in_one_email(coach, mailoutbox):
    _revisit_due(coach, D(2026, 2, 9), name="Ada Byron")
    _revisit_due(coach, D(2026, 2, 2), name="Alan Turing")

    assert _sent(_utc(2026, 2, 10, 16)) == _only(ReminderKind.REVISIT_OVERDUE)

    [email] = mailoutbox
    assert email.subject == "2 revisits overdue"
    assert "- Alan Turing: due Mon 2 Feb (6 school days ago)" in email.body
    assert "- Ada Byron: due Mon 9 Feb (1 school day ago)" in email.body
    assert Reminder.objects.count() == 2  # one record per revisit


def test_overdue_follows_the_school_date_not_utcs(coach, mailoutbox):
    """2026-02-01 19:00 UTC is Feb 2, 08:00 in Auckland: a revisit due Feb 1 is overdue
    there, though the UTC date is still Feb 1."""
    _revisit_due(coach, D(2026, 2, 1), zone="Pacific/Auckland", name="Ada Byron")

    assert _sent(_utc(2026, 2, 1, 19)) == _only(ReminderKind.REVISIT_OVERDUE)
    assert "(1 school day ago)" in mailoutbox[0].body


def test_an_overdue_revisit_of_a_friday_is_mailed_on_monday_morning_not_over_the_weekend(
    coach, mailoutbox
):
    """Due Fri Feb 6 (Los Angeles): nothing on Saturday or Sunday, Monday 07:00 it is 1
    school day late."""
    _revisit_due(coach, D(2026, 2, 6), name="Ada Byron")

    assert _sent(_utc(2026, 2, 7, 16)) == _nothing()  # Saturday 08:00
    assert _sent(_utc(2026, 2, 8, 16)) == _nothing()  # Sunday 08:00
    assert _sent(_utc(2026, 2, 9, 15)) == _only(ReminderKind.REVISIT_OVERDUE)  # Monday 07:00

    assert "- Ada Byron: due Fri 6 Feb (1 school day ago)" in mailoutbox[0].body


def test_no_overdue_email_to_an_inactive_coach(coach, mailoutbox):
    _revisit_due(coach, D(2026, 2, 9), name="Ada Byron")
    coach.is_active = False
    coach.save()

    assert _sent(_utc(2026, 2, 10, 16)) == _nothing()
    assert mailoutbox == []


# --- The weekly digest, to principals ----------------------------------------------------------

SECRET = "ZEBRA-CONFIDENTIAL"
MONDAY_7 = _utc(2026, 3, 2, 14)  # Monday 2 March 2026, 07:00 in Denver (MST, UTC-7)


def _principal(school, email: str, *, membership_active: bool = True, user_active: bool = True):
    user = f.UserFactory(email=email, is_active=user_active)
    f.MembershipFactory(user=user, school=school, role=Role.PRINCIPAL, is_active=membership_active)
    return user


def _school_with_a_coach(name: str, coach_first: str, coach_last: str):
    """A school in Denver; its coach has two teachers, one active cycle with an overdue revisit
    and one planned cycle, and coaching notes full of confidential text."""
    school = f.SchoolFactory(time_zone="America/Denver", name=name)
    coach = f.UserFactory(first_name=coach_first, last_name=coach_last)
    teachers = [f.TeacherFactory(school=school) for _ in range(2)]
    for teacher in teachers:
        f.CaseloadAssignmentFactory(coach=coach, teacher=teacher)
    active = f.CoachingCycleFactory(
        teacher=teachers[0],
        coach=coach,
        state=CycleState.ACTIVE,
        assessment__evidence=f"{SECRET} assessment",
    )
    f.CoachingCycleFactory(teacher=teachers[1], coach=coach)
    f.RevisitFactory(cycle=active, due_on=D(2026, 2, 20))
    visit = f.ObservationFactory(cycle=active)
    f.ObservationNoteFactory(observation=visit, text=f"{SECRET} note")
    f.StudentEvidenceFactory(
        observation=visit, kind=EvidenceKind.SAID, description=f"{SECRET} evidence"
    )
    f.DebriefFactory(
        session__cycle=active,
        session__notes=f"{SECRET} session notes",
        students_showed=f"{SECRET} showed",
        next_step=f"{SECRET} next step",
        teacher_reflection=f"{SECRET} reflection",
    )
    return school


@pytest.fixture
def schools():
    return (
        _school_with_a_coach("Aspen School", "Rosa", "Rivera"),
        _school_with_a_coach("Birch School", "Omar", "Okafor"),
    )


def _digests(now: datetime.datetime) -> int:
    return _sent(now)[ReminderKind.WEEKLY_DIGEST]


def _digest_mail(mailoutbox) -> list:
    """The digests among the emails (the schools' coaches are also told of overdue revisits)."""
    return [m for m in mailoutbox if m.subject.startswith("Coaching this week")]


def test_the_principal_gets_the_weekly_digest_on_monday_from_07_00_once_a_week(schools, mailoutbox):
    aspen, _ = schools
    _principal(aspen, "pa@example.org")

    assert _digests(MONDAY_7 - datetime.timedelta(minutes=1)) == 0  # 06:59
    assert _digests(MONDAY_7) == 1
    for later in (
        MONDAY_7 + datetime.timedelta(hours=3),
        _utc(2026, 3, 4, 14),
        _utc(2026, 3, 9, 5),
    ):
        assert _digests(later) == 0  # the same week: Monday afternoon to Sunday night

    [email] = _digest_mail(mailoutbox)
    assert email.to == ["pa@example.org"]
    assert email.subject == "Coaching this week: Aspen School"
    assert "Coaching in the week of 2 March 2026" in email.body
    assert "Cycles: 1 planned, 1 active, 0 debriefed, 0 closed" in email.body
    assert "Overdue revisits: 1" in email.body
    assert "- Rosa Rivera: 2 teachers, 2 open cycles, 1 overdue, 0 closed this week" in email.body
    assert Reminder.objects.get(kind=ReminderKind.WEEKLY_DIGEST).key.endswith(":2026-03-02")


def test_after_a_monday_holiday_the_digest_comes_on_tuesday_and_a_break_week_has_none(
    schools, mailoutbox
):
    """Aspen is closed on Mon Mar 2 (a holiday): the digest of that week comes on Tuesday at
    07:00 Denver time; the week of Mar 9 is a break: no digest that week."""
    aspen, _ = schools
    _principal(aspen, "pa@example.org")
    NonSchoolDay.objects.create(
        school=aspen, starts_on=D(2026, 3, 2), ends_on=D(2026, 3, 2), name="Teacher work day"
    )
    NonSchoolDay.objects.create(
        school=aspen, starts_on=D(2026, 3, 9), ends_on=D(2026, 3, 13), name="Spring break"
    )

    assert _digests(MONDAY_7) == 0
    assert _digests(MONDAY_7 + datetime.timedelta(days=1)) == 1
    assert _digests(_utc(2026, 3, 9, 14)) == 0
    assert _digests(_utc(2026, 3, 13, 20)) == 0
    assert _digests(_utc(2026, 3, 16, 14)) == 1

    assert [m.to for m in _digest_mail(mailoutbox)] == [["pa@example.org"]] * 2


def test_the_next_weeks_digest_comes_at_07_00_after_the_clock_change(schools, mailoutbox):
    """Denver springs forward on 2026-03-08: the next Monday's 07:00 is 13:00 UTC, not 14:00."""
    aspen, _ = schools
    _principal(aspen, "pa@example.org")
    _sent(MONDAY_7)

    assert _digests(_utc(2026, 3, 9, 12, 59)) == 0
    assert _digests(_utc(2026, 3, 9, 13, 0)) == 1
    digests = _digest_mail(mailoutbox)
    assert [m.to for m in digests] == [["pa@example.org"], ["pa@example.org"]]
    assert "week of 9 March 2026" in digests[1].body


def test_the_digest_never_carries_coaching_content(schools, mailoutbox):
    aspen, birch = schools
    _principal(aspen, "pa@example.org")
    _principal(birch, "pb@example.org")

    _sent(MONDAY_7)

    assert len(_digest_mail(mailoutbox)) == 2
    for email in mailoutbox:
        assert SECRET not in email.subject + email.body


def test_each_principal_gets_only_their_own_school(schools, mailoutbox):
    aspen, birch = schools
    _principal(aspen, "pa@example.org")
    _principal(birch, "pb@example.org")

    _sent(MONDAY_7)

    by_address = {email.to[0]: email for email in _digest_mail(mailoutbox)}
    assert set(by_address) == {"pa@example.org", "pb@example.org"}
    assert "Rivera" in by_address["pa@example.org"].body
    assert "Birch" not in by_address["pa@example.org"].body
    assert "Okafor" not in by_address["pa@example.org"].body
    assert "Okafor" in by_address["pb@example.org"].body
    assert "Aspen" not in by_address["pb@example.org"].body
    assert "Rivera" not in by_address["pb@example.org"].body


@pytest.mark.parametrize(
    "who", [{"membership_active": False}, {"user_active": False}], ids=["membership", "sign-in"]
)
def test_no_digest_for_an_inactive_principal(schools, who, mailoutbox):
    _principal(schools[0], "pa@example.org", **who)

    assert _digests(MONDAY_7) == 0
    assert _digest_mail(mailoutbox) == []


# --- At most once, even when the mail server fails ---------------------------------------------


class RefusingBackend(LocmemBackend):
    """The locmem backend, except that the mail server refuses addresses starting "refused"
    (or every address while ``down``)."""

    down = False

    def send_messages(self, messages):
        for message in messages:
            if self.down or any(a.startswith("refused") for a in message.to):
                raise smtplib.SMTPRecipientsRefused(dict.fromkeys(message.to, (550, b"no")))
        return super().send_messages(messages)


BACKEND = f"{__name__}.RefusingBackend"


@pytest.fixture
def two_moves():
    return (
        _move_due(D(2026, 2, 11), email="lee@example.org"),
        _move_due(D(2026, 2, 11), email="refused@example.org"),
    )


EVENING = _utc(2026, 2, 11, 1)  # 19:00 in Chicago the evening before


def test_a_refused_reminder_leaves_no_record_and_is_sent_once_on_a_later_run(
    two_moves, settings, mailoutbox
):
    settings.EMAIL_BACKEND = BACKEND

    with pytest.raises(ReminderDeliveryError, match="1 reminder"):
        _sent(EVENING)

    assert [m.to for m in mailoutbox] == [["lee@example.org"]]  # the others still went out
    assert list(Reminder.objects.values_list("email", flat=True)) == ["lee@example.org"]

    with pytest.raises(ReminderDeliveryError):
        _sent(EVENING + datetime.timedelta(minutes=15))  # still refused; the other not resent
    assert len(mailoutbox) == 1

    settings.EMAIL_BACKEND = LOCMEM
    assert _sent(EVENING + datetime.timedelta(minutes=30)) == _only(ReminderKind.MOVE_TOMORROW)
    assert _sent(EVENING + datetime.timedelta(minutes=45)) == _nothing()

    assert sorted(m.to[0] for m in mailoutbox) == ["lee@example.org", "refused@example.org"]
    assert Reminder.objects.filter(sent_at__isnull=False).count() == 2
    assert not Reminder.objects.filter(sent_at__isnull=True).exists()


def test_a_mail_server_that_is_down_leaves_every_reminder_to_retry(
    two_moves, settings, mailoutbox, monkeypatch
):
    settings.EMAIL_BACKEND = BACKEND
    monkeypatch.setattr(RefusingBackend, "down", True)

    with pytest.raises(ReminderDeliveryError, match="2 reminder"):
        _sent(EVENING)

    assert mailoutbox == []
    assert not Reminder.objects.exists()

    monkeypatch.setattr(RefusingBackend, "down", False)
    settings.EMAIL_BACKEND = LOCMEM
    assert _sent(EVENING) == _only(ReminderKind.MOVE_TOMORROW, 2)
    assert len(mailoutbox) == 2


def test_any_send_failure_removes_the_claim_and_is_raised(two_moves, monkeypatch, mailoutbox):
    def broken(*args, **kwargs):
        raise RuntimeError("template or backend bug")

    monkeypatch.setattr("notifications.services.send_mail", broken)
    [due, _] = reminders_move_tomorrow(now=EVENING)

    with pytest.raises(RuntimeError):
        reminder_deliver(reminder=due)

    assert not Reminder.objects.exists()


def test_a_reminder_already_claimed_is_not_sent_again(two_moves, mailoutbox):
    [due, _] = reminders_move_tomorrow(now=EVENING)

    assert reminder_deliver(reminder=due) is True
    assert reminder_deliver(reminder=due) is False  # e.g. a job delivered twice

    assert len(mailoutbox) == 1
