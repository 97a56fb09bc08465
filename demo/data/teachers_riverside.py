"""The Riverside High caseloads: Erin Walsh's, then Yusuf Ibrahim's half there."""

from demo.data.common import DELIVERY, PLANNING, PORTRAYING_CURRICULUM, PROGRESS_MONITORING, _lines
from demo.data.histories import CyclePlan, ProblemSpec, TeacherSpec
from demo.data.people import IBRAHIM, RIVERSIDE, WALSH

TEACHERS_RIVERSIDE: tuple[TeacherSpec, ...] = (
    # --- Erin Walsh's caseload (Riverside High) -------------------------------------------
    TeacherSpec(
        "Ethan",
        "Brooks",
        "Geometry",
        "math",
        "9_12",
        1,
        "overwhelmed",
        "learning",
        "present",
        WALSH,
        school=RIVERSIDE.slug,
        problem=ProblemSpec(
            "Students copy the steps without knowing why they work", PORTRAYING_CURRICULUM
        ),
        cycles=(
            CyclePlan(
                DELIVERY,
                "model-with-a-think-aloud",
                "active",
                32,
                evidence="Proof lesson: the teacher wrote the steps of the proof on the board "
                "in silence; 17 of 28 copied them and could not say why step 3 followed.",
                rationale="He knows the mathematics; students do not see the thinking behind "
                "it. Saying the decisions aloud while modelling is a delivery move.",
                next_day_action="Model the first proof aloud, saying at each step what you "
                "notice and why you choose the next statement, then ask students to do step 4.",
                script=_lines(
                    "I notice these two angles share a side. That makes me think: congruent?",
                    "I'm choosing SAS because I already have two sides. Watch for the angle.",
                    "Your turn: what would I write next, and why?",
                ),
                success_indicator="At least 18 of 28 students give a reason with the next "
                "step on the exit ticket.",
                rounds=2,
                revisit="future",
                on_problem=True,
            ),
        ),
    ),
    TeacherSpec(
        "Laila",
        "Haddad",
        "Chemistry",
        "science",
        "9_12",
        7,
        "perfectionist",
        "performance",
        "future",
        WALSH,
        school=RIVERSIDE.slug,
        cycles=(
            CyclePlan(
                PLANNING,
                "anticipate-misconceptions",
                "closed",
                66,
                evidence="Moles lesson: students confused mass and amount; the lesson stopped "
                "for 12 minutes of re-explaining when the first error appeared.",
                rationale="Her lessons are thorough; errors surprise her. Writing the two "
                "likely errors and the response into the plan keeps the lesson on track.",
                next_day_action="In the plan for the next stoichiometry lesson, write the two "
                "most likely wrong answers and the example that will surface each.",
                script=_lines(
                    "A lot of people think a mole of lead weighs the same as a mole of carbon.",
                    "Test that idea with the balance data on the board.",
                    "Where does that reasoning go wrong? Tell your partner.",
                ),
                success_indicator="Both planned errors come up and are resolved in under 5 "
                "minutes each.",
                outcome="mastered",
            ),
            CyclePlan(
                PROGRESS_MONITORING,
                "self-check-against-the-exemplar",
                "active",
                11,
                evidence="Lab reports: 20 of 27 conclusions restate the results without a "
                "claim; she marks every report herself over the weekend.",
                rationale="Students cannot yet see the gap between their conclusion and a "
                "strong one; checking against an exemplar shows them and saves her marking.",
                next_day_action="Before lab reports are handed in, students check their "
                "conclusion against the exemplar's three parts and fix one thing.",
                script=_lines(
                    "Put your conclusion next to the exemplar.",
                    "Tick the claim, the evidence, the reasoning. What's missing?",
                    "Fix one thing before you hand it in.",
                ),
                success_indicator="At least 18 of 27 conclusions have a claim and evidence.",
                revisit="future",
            ),
        ),
    ),
    TeacherSpec(
        "Owen",
        "Gallagher",
        "English 10",
        "literacy",
        "9_12",
        20,
        "skeptical",
        "performance",
        "past",
        WALSH,
        school=RIVERSIDE.slug,
        cycles=(
            CyclePlan(
                DELIVERY,
                "no-opt-out",
                "debriefed",
                23,
                evidence="Discussion of the novel: 7 students said 'I don't know' and the "
                "question moved to a volunteer each time.",
                rationale="He holds high standards for writing but lets students opt out of "
                "thinking aloud; coming back to the student who said 'I don't know' fixes it.",
                next_day_action="When a student says 'I don't know', take the answer from "
                "another student, then return to the first one to repeat or extend it.",
                script=_lines(
                    "That's fine for now. Who can help?",
                    "(after the answer) Now you: tell me in your own words.",
                    "Good. Why does that matter for the ending?",
                ),
                success_indicator="Every student who opts out answers before the end of the "
                "discussion.",
                revisit="overdue",
            ),
        ),
    ),
    TeacherSpec(
        "Isabel",
        "Cruz",
        "Spanish 2",
        "world_language",
        "9_12",
        4,
        "ready",
        "learning",
        "future",
        WALSH,
        school=RIVERSIDE.slug,
        cycles=(
            CyclePlan(
                DELIVERY,
                "turn-and-talk-with-a-sentence-stem",
                "closed",
                56,
                evidence="Students spoke Spanish for about 3 minutes of a 50-minute lesson; "
                "pair work turned to English within seconds.",
                rationale="The activities are good; students lack the words to start. A "
                "sentence stem on the board gets every pair talking in Spanish.",
                next_day_action="Twice in the lesson, give a 60-second turn and talk with a "
                "Spanish stem on the board.",
                script=_lines(
                    "Con tu pareja: 'El fin de semana pasado yo ...'",
                    "Sesenta segundos. ¡Ya!",
                    "Tres, dos, uno. Voy a escuchar a dos parejas.",
                ),
                success_indicator="At least 20 of 26 students speak Spanish within 10 seconds.",
                outcome="progressing",
            ),
            CyclePlan(
                PLANNING,
                "do-now-that-retrieves",
                "planned",
                2,
                evidence="The first 8 minutes of each lesson go to settling and taking the "
                "register; students arrive without last week's verbs.",
                rationale="A Do Now that retrieves last week's verbs uses those minutes and "
                "starts the lesson in Spanish.",
                next_day_action="Put a three-minute Do Now on the board: five sentences "
                "using last week's preterite verbs, done silently and alone.",
                script=_lines(
                    "Do Now en la pizarra: en silencio, tres minutos.",
                    "Un minuto más. Terminen la frase.",
                    "Número dos: ¿por qué 'fui' y no 'iba'?",
                ),
                success_indicator="Every student starts within a minute of the bell, and the "
                "review takes under 4 minutes.",
                rounds=0,
                revisit="future",
            ),
        ),
    ),
    TeacherSpec(
        "Nathan",
        "Price",
        "US Government",
        "social_studies",
        "9_12",
        11,
        "avoids_vulnerability",
        "performance",
        "present",
        WALSH,
        school=RIVERSIDE.slug,
        cycles=(
            CyclePlan(
                PROGRESS_MONITORING,
                "exit-ticket-with-one-criterion",
                "closed",
                60,
                evidence="Unit test: 14 of 30 could not explain checks and balances, although "
                "the class 'got it' in discussion.",
                rationale="Discussion shows the best students' understanding; a one-question "
                "exit ticket shows everyone's.",
                next_day_action="End the lesson with one question on checks and balances, "
                "counted as 'got it' only with a real example.",
                script=_lines(
                    "Exit ticket: one question, on your own, three minutes.",
                    "It counts only with an example from this week's cases.",
                    "Tomorrow starts with what I read here.",
                ),
                success_indicator="He sorts the tickets and reteaches from them the next day.",
                outcome="not_yet",
            ),
        ),
    ),
    TeacherSpec(
        "Zoe",
        "Lambert",
        "Biology",
        "science",
        "9_12",
        2,
        "overwhelmed",
        "learning",
        "present",
        WALSH,
        school=RIVERSIDE.slug,
        has_login=False,
    ),
    # --- Yusuf Ibrahim's caseload at Riverside ----------------------------------------------
    TeacherSpec(
        "Andre",
        "Wilson",
        "Algebra II",
        "math",
        "9_12",
        6,
        "ready",
        "learning",
        "future",
        IBRAHIM,
        school=RIVERSIDE.slug,
        cycles=(
            CyclePlan(
                PROGRESS_MONITORING,
                "common-error-do-now",
                "active",
                13,
                evidence="Exponent rules: the same sign error appeared on 15 of 29 homework "
                "papers three weeks running.",
                rationale="He reteaches the whole rule every time; a Do Now built on the one "
                "common error fixes it in five minutes.",
                next_day_action="Start the lesson with a Do Now showing the common wrong "
                "answer: students find the error and correct it.",
                script=_lines(
                    "Here is an answer from yesterday. It's wrong. Find the error.",
                    "Two minutes, on your own.",
                    "Who can explain the error without using the word 'negative'?",
                ),
                success_indicator="Fewer than 5 of 29 homework papers show the sign error.",
                revisit="future",
            ),
        ),
    ),
    TeacherSpec(
        "Fatima",
        "Noor",
        "World History",
        "social_studies",
        "9_12",
        3,
        "perfectionist",
        "performance",
        "future",
        IBRAHIM,
        school=RIVERSIDE.slug,
        cycles=(
            CyclePlan(
                PLANNING,
                "plan-the-cold-call",
                "closed",
                58,
                evidence="Source analysis: the same 5 students answered every question; 20 "
                "of 27 never spoke.",
                rationale="Her questions are strong; who answers is left to chance. Planning "
                "who she calls on, and when, fixes that at the planning table.",
                next_day_action="Next to each key question in the plan, note two students to "
                "call on: one to pull in, one with a partial answer to build on.",
                script=_lines(
                    "Think time first, then I'll call on someone.",
                    "Start us off: what do you notice about the source?",
                    "Build on that: do you agree, and why?",
                ),
                success_indicator="At least 12 different students answer in the lesson.",
                outcome="progressing",
                shared_with_principal=True,
            ),
        ),
    ),
    TeacherSpec(
        "Greg",
        "Hollis",
        "Physics",
        "science",
        "9_12",
        18,
        "skeptical",
        "performance",
        "past",
        IBRAHIM,
        school=RIVERSIDE.slug,
    ),
)
