"""The demo district: its schools and calendar, its framework, and its people (leaders,
principals, coaches and where they coach)."""

from dataclasses import dataclass

# --- People -------------------------------------------------------------------------------


def email_for(first_name: str, last_name: str) -> str:
    local = f"{first_name}.{last_name}".lower()
    return "".join(ch for ch in local if ch.isalnum() or ch == ".") + "@example.org"


@dataclass(frozen=True)
class OrganisationSpec:
    slug: str
    name: str


DISTRICT = OrganisationSpec(slug="riverbend-usd", name="Riverbend Unified School District")
SCHOOL = OrganisationSpec(slug="prairie-view", name="Prairie View Community School (K-12)")
CEDAR_CREEK = OrganisationSpec(slug="cedar-creek", name="Cedar Creek Elementary School (K-5)")
RIVERSIDE = OrganisationSpec(slug="riverside-high", name="Riverside High School (9-12)")
# The district's schools, the first one (SCHOOL) the demo's anchor: its creation date is "today"
# for every demo date.
SCHOOLS: tuple[OrganisationSpec, ...] = (SCHOOL, CEDAR_CREEK, RIVERSIDE)
SCHOOL_TIME_ZONE = "America/Chicago"


@dataclass(frozen=True)
class ClosureSpec:
    """A holiday or break of the district's calendar, placed relative to the anchor: it starts
    on the ``weekday`` (ISO, 1 Monday) of the week ``weeks`` weeks after the anchor's week
    (negative: before) and lasts ``days`` calendar days. ``schools``: slugs, empty for all."""

    name: str
    weeks: int
    weekday: int
    days: int
    schools: tuple[str, ...] = ()


# A term break a month ago (the dashboards do not count it as neglect: revisits were pushed
# past it) and a holiday in the coming weeks (revisits and plans step over it).
CALENDAR: tuple[ClosureSpec, ...] = (
    ClosureSpec("Term break", -5, 1, 5),
    ClosureSpec("Staff development day (no classes)", 2, 5, 1),
    ClosureSpec("Parent-teacher conferences (no classes)", 3, 4, 1, (CEDAR_CREEK.slug,)),
)


@dataclass(frozen=True)
class YearlyClosureSpec:
    """A break on the same dates every school year, for every school: from ``starts`` to
    ``ends`` (month, day), ``ends`` in the next calendar year when it comes before ``starts``."""

    name: str
    starts: tuple[int, int]
    ends: tuple[int, int]


# The winter break on its real dates, in the school year before the anchor's and in its own, so
# no demo revisit or plan falls on Christmas or New Year's Day whatever day the demo is loaded.
YEARLY_CALENDAR: tuple[YearlyClosureSpec, ...] = (
    YearlyClosureSpec("Winter break", (12, 24), (1, 1)),
)

# The district's framework: the sample file of the frameworks app (our own wording), loaded as
# the active framework. Library moves tagged with its components, and each kind of student
# evidence with the component it most often shows.
FRAMEWORK_NAME = "Riverbend teaching rubric"
FRAMEWORK_SAMPLE = "home_grown_rubric.csv"
MOVE_COMPONENTS: dict[str, tuple[str, ...]] = {
    "script-the-key-questions": ("2a", "3a"),
    "anticipate-misconceptions": ("2b",),
    "write-the-exemplar-first": ("2a",),
    "plan-backward-from-the-exit-ticket": ("2a",),
    "plan-the-cold-call": ("3a",),
    "plan-the-routine": ("1a",),
    "cold-call-after-wait-time": ("3a",),
    "turn-and-talk-with-a-sentence-stem": ("3a", "1b"),
    "stop-and-jot": ("3a",),
    "no-opt-out": ("1c",),
    "right-is-right": ("1c",),
    "stretch-it": ("2b",),
    "narrate-the-positive": ("1b",),
    "what-to-do-directions": ("1a",),
    "wait-for-one-hundred-percent": ("1a",),
    "least-invasive-correction": ("1b",),
    "exit-ticket-with-one-criterion": ("3b",),
    "sort-exit-tickets-into-three-piles": ("4a",),
    "check-for-understanding-with-whiteboards": ("3b",),
    "show-call-a-student-work-sample": ("3c",),
    "monitor-with-a-pen": ("3c",),
    "hinge-question": ("3b",),
    "reteach-from-yesterdays-data": ("4a",),
    "small-group-from-exit-tickets": ("4a",),
}
EVIDENCE_COMPONENTS = {"said": "3a", "produced": "2b", "understood": "3b"}


@dataclass(frozen=True)
class PersonSpec:
    username: str
    first_name: str
    last_name: str
    sees: str  # what this person sees after signing in (for the sign-in table)

    @property
    def email(self) -> str:
        return email_for(self.first_name, self.last_name)


ADMIN = PersonSpec(
    "admin", "Alex", "Morgan", "the dashboard; Rosters, Frameworks, the Django admin in the menu"
)
DISTRICT_LEADER = PersonSpec(
    "district", "Marcus", "Lin", "district view: the three schools compared, every coach"
)
PRINCIPAL = PersonSpec(
    "principal",
    "Denise",
    "Hayes",
    "Prairie View's dashboard: two coaches, overdue revisits, time drift",
)
# Each school's principal, by school slug.
PRINCIPALS: dict[str, PersonSpec] = {
    SCHOOL.slug: PRINCIPAL,
    CEDAR_CREEK.slug: PersonSpec(
        "principal.cedarcreek",
        "Laura",
        "Bishop",
        "Cedar Creek's dashboard: a full-time and a half-time coach",
    ),
    RIVERSIDE.slug: PersonSpec(
        "principal.riverside",
        "Victor",
        "Alvarez",
        "Riverside's dashboard: a full-time and a half-time coach",
    ),
}
RIVERA, OKAFOR = "coach.rivera", "coach.okafor"
CHEN, WALSH, IBRAHIM = "coach.chen", "coach.walsh", "coach.ibrahim"
COACHES: tuple[PersonSpec, ...] = (
    PersonSpec(
        RIVERA, "Ana", "Rivera", "Prairie View, caseload of 9: mostly on cadence, ~70% direct"
    ),
    PersonSpec(
        OKAFOR,
        "David",
        "Okafor",
        "Prairie View, caseload of 9: overdue revisits, time drifting to admin and coverage",
    ),
    PersonSpec(CHEN, "Mei", "Chen", "Cedar Creek, caseload of 6: elementary, one overdue revisit"),
    PersonSpec(
        WALSH, "Erin", "Walsh", "Riverside, caseload of 6: one cycle runs across the term break"
    ),
    PersonSpec(
        IBRAHIM,
        "Yusuf",
        "Ibrahim",
        "two schools, half time at each: 3 teachers at Cedar Creek, 3 at Riverside",
    ),
)
# Where each coach coaches, and the hours a month they have for it there (None: the default).
COACH_SCHOOLS: dict[str, tuple[tuple[str, int | None], ...]] = {
    RIVERA: ((SCHOOL.slug, None),),
    OKAFOR: ((SCHOOL.slug, None),),
    CHEN: ((CEDAR_CREEK.slug, None),),
    WALSH: ((RIVERSIDE.slug, None),),
    IBRAHIM: ((CEDAR_CREEK.slug, 30), (RIVERSIDE.slug, 30)),
}
