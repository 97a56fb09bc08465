"""The Cedar Creek Elementary caseloads: Mei Chen's, then Yusuf Ibrahim's half there."""

from demo.data.common import (
    DELIVERY,
    ENLISTING_PARTICIPATION,
    PLANNING,
    PROGRESS_MONITORING,
    _lines,
)
from demo.data.histories import CyclePlan, ProblemSpec, TeacherSpec
from demo.data.people import CEDAR_CREEK, CHEN, IBRAHIM

TEACHERS_CEDAR_CREEK: tuple[TeacherSpec, ...] = (
    # --- Mei Chen's caseload (Cedar Creek Elementary) -----------------------------------
    TeacherSpec(
        "Maya",
        "Thompson",
        "Grade 3 (all subjects)",
        "literacy",
        "3_5",
        3,
        "overwhelmed",
        "learning",
        "present",
        CHEN,
        school=CEDAR_CREEK.slug,
        problem=ProblemSpec("Quiet students wait out every discussion", ENLISTING_PARTICIPATION),
        cycles=(
            CyclePlan(
                PLANNING,
                "hint-ladder",
                "closed",
                62,
                evidence="Independent reading response: 11 of 23 students sat with their hand "
                "up for help; the teacher went desk to desk giving the answer.",
                rationale="She works hard in the moment because nothing is planned for a "
                "stuck student; two planned hints let her help more children in less time.",
                next_day_action="For the next reading response, write two hints on a card "
                "(find the page, reread the first sentence) and give the lighter one first.",
                script=_lines(
                    "What page is the answer on? Put your finger on it.",
                    "Read the first sentence again and tell me what it says.",
                    "Try it now; I'll be back in two minutes.",
                ),
                success_indicator="No more than 5 hands up for help after the first five "
                "minutes of work time.",
                outcome="progressing",
                on_problem=True,
            ),
            CyclePlan(
                DELIVERY,
                "stop-and-jot",
                "active",
                12,
                evidence="Read-aloud: 6 of 23 answered the teacher's questions; the others "
                "looked at the book or the floor until a classmate answered.",
                rationale="With the hints in place students keep working alone; in "
                "discussions they still wait. A written answer first gives everyone one.",
                next_day_action="Before each of two questions in the read-aloud, give every "
                "student a minute to jot an answer on a whiteboard before anyone speaks.",
                script=_lines(
                    "Boards out. One minute: what does the character want?",
                    "Write first. Then you'll tell your partner.",
                    "I'm reading your boards; I'll pick two to share.",
                ),
                success_indicator="At least 18 of 23 boards show an answer before the "
                "discussion starts.",
                revisit="future",
                on_problem=True,
            ),
        ),
    ),
    TeacherSpec(
        "Carlos",
        "Mendez",
        "Math, grade 5",
        "math",
        "3_5",
        8,
        "ready",
        "learning",
        "future",
        CHEN,
        school=CEDAR_CREEK.slug,
        cycles=(
            CyclePlan(
                PROGRESS_MONITORING,
                "hinge-question",
                "debriefed",
                24,
                evidence="Fractions unit: the quiz a week later showed 12 of 26 adding "
                "denominators, although every lesson had ended with 'any questions?'.",
                rationale="The lessons are clear; he finds out who is lost a week too late. "
                "One multiple-choice question mid-lesson tells him in a minute.",
                next_day_action="Halfway through the lesson on adding fractions, ask one "
                "hinge question with a wrong answer for each common error; fingers up.",
                script=_lines(
                    "One question, on your own: A, B, C or D. Thinking time, ten seconds.",
                    "Fingers on your chest: show me.",
                    "Lots of B. Let's look at why B is tempting.",
                ),
                success_indicator="He decides from the fingers, not the clock, whether to "
                "move on, and says which error he saw.",
                revisit="overdue",
            ),
        ),
    ),
    TeacherSpec(
        "Lucy",
        "Park",
        "Kindergarten",
        "early",
        "k_2",
        1,
        "overwhelmed",
        "learning",
        "present",
        CHEN,
        school=CEDAR_CREEK.slug,
        cycles=(
            CyclePlan(
                DELIVERY,
                "what-to-do-directions",
                "planned",
                3,
                evidence="Clean-up took 7 minutes; the direction was 'let's get ready for "
                "lunch' and children did many different things.",
                rationale="She is new and kind; the directions describe a goal, not the "
                "steps. Short, visible steps are a move she can use tomorrow.",
                next_day_action="At clean-up, give the direction in three steps with a "
                "gesture for each, then narrate two children doing it.",
                script=_lines(
                    "Crayons in the box. Box in the middle. Hands on your head.",
                    "I see Table 2 with hands on their heads.",
                    "Step two: push in your chair.",
                ),
                success_indicator="Clean-up takes under 3 minutes with no child wandering.",
                rounds=0,
                revisit="future",
            ),
        ),
    ),
    TeacherSpec(
        "Derek",
        "Owens",
        "Science, grade 4",
        "science",
        "3_5",
        12,
        "skeptical",
        "performance",
        "past",
        CHEN,
        school=CEDAR_CREEK.slug,
        cycles=(
            CyclePlan(
                DELIVERY,
                "cold-call-after-wait-time",
                "closed",
                70,
                evidence="Circuits lesson: 4 students answered all 9 questions; he called on "
                "the first hand up every time.",
                rationale="He doubts coaching will change much; a small delivery move with a "
                "visible count shows him the difference himself.",
                next_day_action="After each question in the circuits lesson, wait three "
                "seconds with no hands and call on a student by name.",
                script=_lines(
                    "No hands. Think about why the bulb lit up.",
                    "(three seconds) ... Jordan's table, what do you think?",
                    "Who can add to that? I'll pick.",
                ),
                success_indicator="At least 12 different students answer in the lesson.",
                outcome="mastered",
                rounds=2,
            ),
        ),
    ),
    TeacherSpec(
        "Ruth",
        "Abernathy",
        "Grade 1 (literacy)",
        "early",
        "k_2",
        25,
        "avoids_vulnerability",
        "performance",
        "past",
        CHEN,
        school=CEDAR_CREEK.slug,
        cycles=(
            CyclePlan(
                PROGRESS_MONITORING,
                "check-for-understanding-with-whiteboards",
                "active",
                6,
                evidence="Spelling patterns practised chorally; in the weekly check 8 of 20 "
                "spelled the week's pattern wrong.",
                rationale="Choral answers hide who has the pattern; boards show every child's "
                "answer at once without singling anyone out.",
                next_day_action="After teaching the pattern, dictate three words for every "
                "child to write on a board and show together.",
                script=_lines(
                    "Write 'cake' on your board. Boards down.",
                    "Three, two, one, show me.",
                    "I see some 'cak'. Listen for the end of the word again.",
                ),
                success_indicator="She knows after the lesson which children need the pattern "
                "again, and sees them the next morning.",
                rounds=0,
                revisit="job",
            ),
        ),
    ),
    TeacherSpec(
        "Anna",
        "Kowalski",
        "Grade 2 (all subjects)",
        "early",
        "k_2",
        5,
        "ready",
        "learning",
        "future",
        CHEN,
        school=CEDAR_CREEK.slug,
        has_login=False,
    ),
    # --- Yusuf Ibrahim's caseload at Cedar Creek ------------------------------------------
    TeacherSpec(
        "Tariq",
        "Hassan",
        "Reading and writing, grade 5",
        "literacy",
        "3_5",
        5,
        "perfectionist",
        "performance",
        "future",
        IBRAHIM,
        school=CEDAR_CREEK.slug,
        cycles=(
            CyclePlan(
                PLANNING,
                "pre-teach-key-vocabulary",
                "active",
                14,
                evidence="Non-fiction unit on ecosystems: in the reading check half the class "
                "could not say what 'decomposer' or 'producer' meant after reading.",
                rationale="The texts are well chosen; the words that carry them are not "
                "planned for. Picking three words before the lesson is a planning move.",
                next_day_action="Choose the three words the next text depends on and teach "
                "each in under two minutes before reading: say it, show it, use it.",
                script=_lines(
                    "Say it with me: decomposer.",
                    "A decomposer breaks down dead things. Which of these is one?",
                    "Use it: tell your partner one decomposer in our school garden.",
                ),
                success_indicator="At least 20 of 25 students use two of the words correctly "
                "in their written summary.",
                revisit="future",
            ),
        ),
    ),
    TeacherSpec(
        "Jenna",
        "Morales",
        "Grade 2 (all subjects)",
        "early",
        "k_2",
        2,
        "ready",
        "learning",
        "present",
        IBRAHIM,
        school=CEDAR_CREEK.slug,
        cycles=(
            CyclePlan(
                DELIVERY,
                "narrate-the-positive",
                "closed",
                50,
                evidence="Transitions to the carpet took 4 minutes; she named the children "
                "who were not moving, and more stopped moving.",
                rationale="She wants the routine to work and is open to trying; narrating who "
                "follows it is a move for tomorrow.",
                next_day_action="At each transition, narrate three children following the "
                "direction before correcting anyone.",
                script=_lines(
                    "I see Row 1 sitting on their spots.",
                    "Thank you for walking, Table 3.",
                    "Almost everyone is ready ... three, two, one.",
                ),
                success_indicator="Carpet transitions take under a minute and a half.",
                outcome="mastered",
            ),
        ),
    ),
    TeacherSpec(
        "Paul",
        "Ferreira",
        "Grade 4 (all subjects)",
        "math",
        "3_5",
        16,
        "skeptical",
        "performance",
        "past",
        IBRAHIM,
        school=CEDAR_CREEK.slug,
        cycles=(
            CyclePlan(
                DELIVERY,
                "least-invasive-correction",
                "debriefed",
                22,
                evidence="Math block: 9 public corrections in 20 minutes, each stopping the "
                "lesson; off-task talk came back within a minute every time.",
                rationale="The corrections are fair but loud and public; the least invasive "
                "one keeps the lesson going and the student's dignity intact.",
                next_day_action="In the math block, correct with proximity or a look first, "
                "a quiet word second, and only then anything public.",
                script=_lines(
                    "(walk to the table, keep teaching)",
                    "(quietly) Pencil moving on number three, please.",
                    "Thank you. Everyone, eyes on problem four.",
                ),
                success_indicator="No more than 3 corrections stop the lesson in the block.",
                revisit="overdue",
            ),
        ),
    ),
)
