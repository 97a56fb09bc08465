"""Ana Rivera's caseload at Prairie View: the first teachers of ``TEACHERS``."""

from demo.data.common import (
    CONTAINING_BEHAVIOR,
    DELIVERY,
    ENLISTING_PARTICIPATION,
    PLANNING,
    PROGRESS_MONITORING,
    _lines,
)
from demo.data.histories import CyclePlan, ProblemSpec, TeacherSpec
from demo.data.people import RIVERA

TEACHERS_PRAIRIE_VIEW_RIVERA: tuple[TeacherSpec, ...] = (
    # --- Ana Rivera's caseload -----------------------------------------------------------
    TeacherSpec(
        "Emily",
        "Lee",
        "Math 7",
        "math",
        "6_8",
        2,
        "overwhelmed",
        "learning",
        "present",
        RIVERA,
        problem=ProblemSpec(
            "Students give up quickly on multi-step word problems", ENLISTING_PARTICIPATION
        ),
        cycles=(
            CyclePlan(
                PLANNING,
                "script-the-key-questions",
                "closed",
                75,
                evidence="Ratio lesson: 14 questions in 20 minutes, most of them 'what's next?' "
                "prompts; 6 of 27 students answered any question. On the exit ticket 9 of 27 "
                "set up the ratio table; several stopped after the first line.",
                rationale="Routines hold and the tone is warm; the questions are improvised and "
                "procedural, so students never reason about the quantities. That is fixed at "
                "the planning table, before the lesson.",
                next_day_action="For Tuesday's ratio-table lesson, write the three key "
                "questions word for word on the plan, with the exemplar answer beside each, "
                "and ask them exactly as written.",
                script=_lines(
                    "Q1: What two quantities are we comparing, and which goes in the top row?",
                    "Q2: If we double the flour, what has to happen to the sugar, and why?",
                    "Q3: How do you know your table is finished?",
                ),
                success_indicator="At least 20 of 27 students set up the ratio table with "
                "labelled rows on the exit ticket.",
                outcome="mastered",
                on_problem=True,
            ),
            CyclePlan(
                PROGRESS_MONITORING,
                "exit-ticket-with-one-criterion",
                "active",
                8,
                evidence="Students now attempt the multi-step problems, but the exit ticket has "
                "five questions on three skills and is marked for completion, so nobody knows "
                "who understood. About a third of the class stops after the first step.",
                rationale="She needs to see who is stuck, and where, before the next lesson; a "
                "short ticket with one criterion tells her in ten minutes.",
                next_day_action="End Thursday's lesson with one two-step unit-rate problem, "
                "counted as 'got it' only with the correct rate and its units; sort the "
                "tickets at lunch.",
                script=_lines(
                    "Exit ticket: one problem, on your own, four minutes.",
                    "To count, your answer needs the unit rate and its units, like $3 per pound.",
                    "I'll read every one of these, and tomorrow starts with what I see.",
                ),
                success_indicator="Every student hands in a ticket, and she can name the most "
                "common error by the end of the day.",
                rounds=0,
                revisit="job",
                on_problem=True,
            ),
        ),
    ),
    TeacherSpec(
        "James",
        "Porter",
        "Biology",
        "science",
        "9_12",
        14,
        "skeptical",
        "performance",
        "past",
        RIVERA,
        cycles=(
            CyclePlan(
                DELIVERY,
                "turn-and-talk-with-a-sentence-stem",
                "closed",
                80,
                evidence="Slides for 35 of 50 minutes; questions went to the room and the same "
                "three students answered. In the mid-lesson sweep about half the class was "
                "taking notes; the rest were on phones or resting.",
                rationale="The content and slides are excellent; the gap is getting every "
                "student to process the content during the lesson, which is delivery.",
                next_day_action="Stop twice in Wednesday's lecture on cell transport for a "
                "60-second turn and talk with the stem on the slide, then cold call two pairs.",
                script=_lines(
                    "Turn to your partner. Partner A: 'Water moves into the cell because ...'.",
                    "Sixty seconds. Go.",
                    "Three, two, one, eyes up. I'm calling on two pairs to share.",
                ),
                success_indicator="In both turn and talks, at least 22 of 28 students are "
                "talking about the question within 10 seconds of 'go'.",
                outcome="not_yet",
                rounds=2,
            ),
            CyclePlan(
                DELIVERY,
                "right-is-right",
                "debriefed",
                10,
                evidence="More students talk since the turn and talks, but half-finished "
                "answers are accepted: 'the membrane does stuff' was restated by the teacher "
                "as 'right, it regulates what enters'. Quizzes show the terms aren't used.",
                rationale="Participation structures are in place; what is missing is the bar "
                "for an answer. Holding out for the precise term is a delivery move he can use "
                "in tomorrow's lab debrief.",
                next_day_action="In Friday's lab debrief, accept an answer only when it uses "
                "'concentration gradient' correctly; ask 'what's missing?' instead of "
                "finishing it yourself.",
                script=_lines(
                    "You're almost there. What's missing?",
                    "Use the term we learned on Monday.",
                    "Say that again, with the word 'gradient' in it.",
                ),
                success_indicator="Students, not the teacher, give the complete answer with the "
                "key term at least 4 times in the debrief.",
                revisit="future",
            ),
        ),
    ),
    TeacherSpec(
        "Sofia",
        "Nguyen",
        "Reading and writing, grade 4",
        "literacy",
        "3_5",
        6,
        "perfectionist",
        "performance",
        "future",
        RIVERA,
        problem=ProblemSpec(
            "Discussions are dominated by the same five hands", ENLISTING_PARTICIPATION
        ),
        cycles=(
            CyclePlan(
                DELIVERY,
                "stop-and-jot",
                "closed",
                60,
                evidence="Read-aloud discussion: 5 students answered all 11 questions; 17 of 24 "
                "never spoke. Hands went up before the question was finished.",
                rationale="The questions are well planned. The structure lets quick students "
                "carry the thinking; a silent writing step gets every student to an answer "
                "before anyone talks.",
                next_day_action="Before each of the two discussion questions in Monday's "
                "read-aloud, give 90 seconds to jot an answer on a sticky note before any "
                "hands go up.",
                script=_lines(
                    "Pencils up. On your sticky note: how does the character feel now,",
                    "and which clue tells you? Ninety seconds.",
                    "Write first, then we'll talk. I'm coming around to read.",
                ),
                success_indicator="At least 20 of 24 sticky notes have an answer with a clue "
                "from the text.",
                outcome="progressing",
                on_problem=True,
            ),
            CyclePlan(
                DELIVERY,
                "cold-call-after-wait-time",
                "active",
                15,
                evidence="Since stop and jot almost every student has an answer written down, "
                "but the discussion still goes to volunteers: 14 of 24 students never spoke.",
                rationale="Everyone has something to say now; the next step is making it "
                "normal for anyone to be asked, with wait time so quieter students are ready.",
                next_day_action="After each stop and jot in Tuesday's read-aloud, ask the "
                "question again, wait five seconds with no hands, and call on a student whose "
                "jot you have read.",
                script=_lines(
                    "Everyone look at your note. No hands this time.",
                    "(count five seconds) ... I'd like to hear from the table by the window.",
                    "Thank you. Who can add to that? I'll pick.",
                ),
                success_indicator="At least 10 different students speak, at least 4 of whom "
                "did not volunteer.",
                revisit="future",
                on_problem=True,
            ),
        ),
    ),
    TeacherSpec(
        "Rachel",
        "Goldberg",
        "Kindergarten",
        "early",
        "k_2",
        21,
        "avoids_vulnerability",
        "performance",
        "past",
        RIVERA,
        cycles=(
            CyclePlan(
                DELIVERY,
                "narrate-the-positive",
                "closed",
                70,
                evidence="Centre rotations took 4 to 6 minutes each, with individual "
                "corrections by name. During the carpet lesson about 12 of 19 children were "
                "on task.",
                rationale="Routines are taught but not reinforced; narrating the children who "
                "follow the direction reinforces it without stopping the lesson.",
                next_day_action="During Tuesday's two centre transitions, narrate three "
                "children or tables following the direction before correcting anyone.",
                script=_lines(
                    "I see the red table has their scissors back in the caddy.",
                    "Thank you for walking, blue table.",
                    "Almost everyone is on the carpet ... three, two, one.",
                ),
                success_indicator="Both transitions take under 2 minutes, with no more than one "
                "individual correction each.",
                outcome="abandoned",
                rounds=0,
            ),
            CyclePlan(
                PLANNING,
                "plan-the-routine",
                "planned",
                2,
                evidence="After pausing for report cards she asked to restart on transitions. "
                "Last week's rotations took 5 minutes each; children waited for materials "
                "while the teacher set up the next centre.",
                rationale="Narrating stalled because the routine itself is not defined: who "
                "moves, which way, with what. That is decided before the lesson.",
                next_day_action="Write the rotation routine step by step (signal, who moves "
                "first, where caddies go, target time) and teach and practise it twice on "
                "Monday morning.",
                script=_lines(
                    "When you hear the chime, freeze and look at me.",
                    "Caddy captains, caddy in the middle. Everyone else, stand and push in.",
                    "Walk clockwise to the next table. Let's do it in one minute.",
                ),
                success_indicator="By Friday a rotation takes under 90 seconds, timed, with no "
                "one waiting for materials.",
                rounds=0,
                revisit="future",
            ),
        ),
    ),
    TeacherSpec(
        "Marcus",
        "Bell",
        "US History",
        "social_studies",
        "9_12",
        4,
        "ready",
        "learning",
        "future",
        RIVERA,
        cycles=(
            CyclePlan(
                PLANNING,
                "plan-backward-from-the-exit-ticket",
                "closed",
                100,
                evidence="Causes of the Civil War: a gallery walk, a video and a discussion; "
                "the exit ticket asked students to 'reflect on what you learned' and answers "
                "were vague. Engaging activities, no target claim.",
                rationale="He is ready to work on the hardest part: deciding what students must "
                "be able to do by the end. Planning backward gives each activity a purpose.",
                next_day_action="Before planning Thursday's lesson on the Missouri Compromise, "
                "write the exit ticket first, then cut any activity that doesn't build toward "
                "it.",
                script=_lines(
                    "By the end of today you'll explain one way the Compromise eased tension",
                    "and one way it increased it, with evidence.",
                    "Keep this document in mind: you'll need it on the exit ticket.",
                ),
                success_indicator="At least 22 of 29 exit tickets name one eased and one "
                "increased tension, each with evidence.",
                outcome="mastered",
                shared_with_principal=True,
            ),
            CyclePlan(
                PLANNING,
                "chunk-the-text",
                "closed",
                45,
                evidence="Students read a two-page excerpt of the House Divided speech in one "
                "go; half stopped annotating after the first paragraph, and the discussion "
                "showed most had missed the central metaphor.",
                rationale="Primary sources are the backbone of the course; planning the "
                "stopping points and questions in advance makes them accessible.",
                next_day_action="Split Monday's primary source into four chunks, mark a stop "
                "after each, and put one text-dependent question per stop on the handout.",
                script=_lines(
                    "Stop after line 12. In the margin: what is the 'house' Lincoln means?",
                    "Go back and underline the sentence that proves it.",
                ),
                success_indicator="At least 20 of 29 students write a correct margin answer at "
                "each of the four stops.",
                outcome="progressing",
                rounds=2,
            ),
        ),
    ),
    TeacherSpec(
        "Hannah",
        "Schultz",
        "Math, grade 5",
        "math",
        "3_5",
        9,
        "ready",
        "learning",
        "present",
        RIVERA,
        cycles=(
            CyclePlan(
                PROGRESS_MONITORING,
                "exit-ticket-with-one-criterion",
                "closed",
                65,
                evidence="Fractions unit: well-paced lessons, busy students, but independent "
                "work is marked for completion. She estimated 'most' understood equivalent "
                "fractions; the unit quiz showed 11 of 26.",
                rationale="A strong teacher ready to use data; the missing link is a quick "
                "daily read of who got it.",
                next_day_action="End Wednesday's lesson with a one-problem exit ticket (two "
                "fractions equivalent to 3/4, with a model), counted as 'got it' only if the "
                "model matches.",
                script=_lines(
                    "Exit ticket: on your own, four minutes.",
                    "To count, your drawing has to show the same amount as 3/4.",
                ),
                success_indicator="By 3:30 she knows how many students got it and names the "
                "most common error.",
                outcome="mastered",
                shared_with_principal=True,
            ),
            CyclePlan(
                PROGRESS_MONITORING,
                "sort-exit-tickets-into-three-piles",
                "active",
                30,
                evidence="Exit tickets every day now, but 40 minutes of written comments on "
                "each batch, and the next lesson is the same for everyone.",
                rationale="The data exists; turning it into tomorrow's plan quickly is the "
                "next step.",
                next_day_action="Sort today's comparing-fractions tickets into got it, almost "
                "and not yet in under ten minutes, and use the 'almost' pile to plan the first "
                "five minutes of tomorrow.",
                script=_lines(
                    "Yesterday most of you got it; the common slip was comparing only the",
                    "denominators. Let's look at why.",
                    "If your ticket has a dot, bring your pencil to the back table.",
                ),
                success_indicator="Tickets sorted in under 10 minutes, and the next lesson "
                "opens with a reteach aimed at the 'almost' error.",
                rounds=2,
                revisit="future",
            ),
        ),
    ),
    TeacherSpec(
        "Luis",
        "Ortega",
        "Spanish 1",
        "world_language",
        "6_8",
        1,
        "overwhelmed",
        "learning",
        "present",
        RIVERA,
        has_login=False,
        problem=ProblemSpec("Transitions eat ten minutes of every period", CONTAINING_BEHAVIOR),
        cycles=(
            CyclePlan(
                DELIVERY,
                "what-to-do-directions",
                "debriefed",
                21,
                evidence="Moving from the vocabulary warm-up to partner dialogues took 9 "
                "minutes. Directions came in one long sentence while students were already "
                "moving, and were repeated four times.",
                rationale="He plans well and students like him; the lost time is in how "
                "directions are given. Short, sequenced directions can be practised tonight.",
                next_day_action="Give the transition to partner dialogues in three short "
                "steps, said while standing still, waiting for each step before the next.",
                script=_lines(
                    "Step one: pencils down. (wait)",
                    "Step two: turn your chair to face your partner. (wait)",
                    "Step three: Partner A reads line one. Go.",
                ),
                success_indicator="The transition takes under 2 minutes and the directions are "
                "said once.",
                revisit="overdue",
                on_problem=True,
            ),
        ),
    ),
    TeacherSpec(
        "Priya",
        "Raman",
        "Science 8",
        "science",
        "6_8",
        11,
        "perfectionist",
        "learning",
        "future",
        RIVERA,
        cycles=(
            CyclePlan(
                PLANNING,
                "anticipate-misconceptions",
                "closed",
                50,
                evidence="Density lab: students concluded that heavier objects always sink; "
                "the teacher noticed in the last 3 minutes and corrected it in a lecture. The "
                "idea was on 12 of 28 lab sheets.",
                rationale="Her lessons are carefully built but assume students' thinking will "
                "follow the plan; planning for the likely wrong ideas surfaces them in time.",
                next_day_action="Before Thursday's density lesson, work the lab as a student "
                "and write down the two most likely wrong conclusions, with the example that "
                "will challenge each.",
                script=_lines(
                    "A lot of people think heavier things always sink. Let's test that",
                    "with the big candle and the small pebble.",
                    "Is that always true? Find me a case where it isn't.",
                ),
                success_indicator="The 'heavier always sinks' idea is tested during the lab, "
                "and 20 of 28 conclusions mention mass and volume.",
                outcome="progressing",
            ),
            CyclePlan(
                PROGRESS_MONITORING,
                "hinge-question",
                "planned",
                3,
                evidence="She now plans for misconceptions, but only finds out whether "
                "students still hold them when she marks lab reports a week later.",
                rationale="A hinge question at the turning point of the lesson shows in "
                "seconds whether the misconception is still there, while she can act on it.",
                next_day_action="In next week's forces lesson, ask one hinge question before "
                "independent practice, with a distractor for 'no motion means no force', and "
                "decide on the spot whether to move on.",
                script=_lines(
                    "On your fingers: A, B, C or D. Three, two, one, show.",
                    "If you chose B, you're thinking that nothing moving means no force.",
                    "Let's check that.",
                ),
                success_indicator="Every student answers, and she moves on only if at least "
                "22 of 28 choose the right answer.",
                rounds=0,
                revisit="future",
            ),
        ),
    ),
    TeacherSpec(
        "Tom",
        "Whitaker",
        "English 11",
        "literacy",
        "9_12",
        27,
        "skeptical",
        "performance",
        "past",
        RIVERA,
    ),
)
