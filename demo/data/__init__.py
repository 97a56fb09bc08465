"""Content of the demo school (`manage.py seed_demo`): pure data, no database access.

The move library is written the way an experienced instructional coach would write it (in the
spirit of Get Better Faster and Teach Like a Champion): one concrete move, what it looks like in
a classroom, words a teacher can say, and the errors coaches see most. The demo people and their
coaching histories are invented; no student is ever named.

Choice values are plain strings (the values of the model choices), so this module can be read
without Django being set up. Dates are given as days before the demo's anchor date (today on a
first run), in an ordinary week: the seeder counts them as school days (5 in 7) of the teacher's
school, so a weekend or a break never changes a cycle's shape.

The data is a package by feature: ``common`` (the password, the seed, the choice values),
``moves`` (the library), ``people`` (district, schools, calendar, framework, people),
``histories`` (the shapes of a coaching history), ``teachers_*`` (the teachers, by school and
caseload, gathered in ``teachers``) and ``pools`` (what the seeder draws from). Callers use the
package: ``from demo import data as demo``, then ``demo.MOVES``, ``demo.TEACHERS``.
"""

from demo.data.common import (
    ACCOMMODATING_PERSONAL_NEEDS,
    CONTAINING_BEHAVIOR,
    DELIVERY,
    DEMO_PASSWORD,
    ENLISTING_PARTICIPATION,
    EXPOSING_STUDENT_THINKING,
    PLANNING,
    PORTRAYING_CURRICULUM,
    PROGRESS_MONITORING,
    SEED,
    _lines,
)
from demo.data.histories import (
    CyclePlan,
    ProblemSpec,
    ReflectionSpec,
    TeacherSpec,
)
from demo.data.moves import (
    MOVES,
    MoveSpec,
)
from demo.data.people import (
    ADMIN,
    CALENDAR,
    CEDAR_CREEK,
    CHEN,
    COACH_SCHOOLS,
    COACHES,
    DISTRICT,
    DISTRICT_LEADER,
    EVIDENCE_COMPONENTS,
    FRAMEWORK_NAME,
    FRAMEWORK_SAMPLE,
    IBRAHIM,
    MOVE_COMPONENTS,
    OKAFOR,
    PRINCIPAL,
    PRINCIPALS,
    RIVERA,
    RIVERSIDE,
    SCHOOL,
    SCHOOL_TIME_ZONE,
    SCHOOLS,
    WALSH,
    YEARLY_CALENDAR,
    ClosureSpec,
    OrganisationSpec,
    PersonSpec,
    YearlyClosureSpec,
    email_for,
)
from demo.data.pools import (
    CO_PLANNING,
    DATA_REVIEW,
    DEBRIEF_NOTES,
    EVIDENCE,
    MODEL_LESSON_NOTES,
    NEXT_STEPS,
    OBSERVATION_NOTES,
    REAL_TIME_PROMPTS,
    REFLECTIONS,
    REHEARSAL_FEEDBACK,
    TIME_NOTES,
)
from demo.data.teachers import (
    TEACHERS,
)

__all__ = [
    "ACCOMMODATING_PERSONAL_NEEDS",
    "ADMIN",
    "CALENDAR",
    "CEDAR_CREEK",
    "CHEN",
    "COACHES",
    "COACH_SCHOOLS",
    "CONTAINING_BEHAVIOR",
    "CO_PLANNING",
    "DATA_REVIEW",
    "DEBRIEF_NOTES",
    "DELIVERY",
    "DEMO_PASSWORD",
    "DISTRICT",
    "DISTRICT_LEADER",
    "ENLISTING_PARTICIPATION",
    "EVIDENCE",
    "EVIDENCE_COMPONENTS",
    "EXPOSING_STUDENT_THINKING",
    "FRAMEWORK_NAME",
    "FRAMEWORK_SAMPLE",
    "IBRAHIM",
    "MODEL_LESSON_NOTES",
    "MOVES",
    "MOVE_COMPONENTS",
    "NEXT_STEPS",
    "OBSERVATION_NOTES",
    "OKAFOR",
    "PLANNING",
    "PORTRAYING_CURRICULUM",
    "PRINCIPAL",
    "PRINCIPALS",
    "PROGRESS_MONITORING",
    "REAL_TIME_PROMPTS",
    "REFLECTIONS",
    "REHEARSAL_FEEDBACK",
    "RIVERA",
    "RIVERSIDE",
    "SCHOOL",
    "SCHOOLS",
    "SCHOOL_TIME_ZONE",
    "SEED",
    "TEACHERS",
    "TIME_NOTES",
    "WALSH",
    "YEARLY_CALENDAR",
    "ClosureSpec",
    "CyclePlan",
    "MoveSpec",
    "OrganisationSpec",
    "PersonSpec",
    "ProblemSpec",
    "ReflectionSpec",
    "TeacherSpec",
    "YearlyClosureSpec",
    "_lines",
    "email_for",
]
