"""David Okafor's caseload at Prairie View."""

from demo.data.common import (
    DELIVERY,
    ENLISTING_PARTICIPATION,
    EXPOSING_STUDENT_THINKING,
    PLANNING,
    PROGRESS_MONITORING,
    _lines,
)
from demo.data.histories import CyclePlan, ProblemSpec, ReflectionSpec, TeacherSpec
from demo.data.people import OKAFOR

TEACHERS_PRAIRIE_VIEW_OKAFOR: tuple[TeacherSpec, ...] = (
    # --- David Okafor's caseload --------------------------------------------------------
    TeacherSpec(
        "Aisha",
        "Mohammed",
        "English 7",
        "literacy",
        "6_8",
        3,
        "overwhelmed",
        "performance",
        "present",
        OKAFOR,
        problem=ProblemSpec(
            "Students answer from memory instead of going back to the text",
            EXPOSING_STUDENT_THINKING,
        ),
        cycles=(
            CyclePlan(
                PLANNING,
                "chunk-the-text",
                "active",
                22,
                evidence="Students read the whole short story, then answered 8 questions; most "
                "answered from memory and 4 of 25 quoted the text. Practice time went on "
                "re-explaining the plot.",
                rationale="She is stretched thin and wants one thing to change. Planning where "
                "students stop and what they must find will change what they do with the text.",
                next_day_action="Split Thursday's short story into three chunks and write one "
                "question per stop that can only be answered from a specific paragraph.",
                script=_lines(
                    "Stop at the end of page 2. Find the sentence that shows the narrator is",
                    "nervous. Underline it and write one word for the feeling.",
                ),
                success_indicator="At least 18 of 25 students underline a relevant sentence at "
                "each stop.",
                revisit="overdue",
                on_problem=True,
            ),
        ),
    ),
    TeacherSpec(
        "Kevin",
        "O'Brien",
        "Algebra I",
        "math",
        "9_12",
        8,
        "skeptical",
        "learning",
        "past",
        OKAFOR,
        cycles=(
            CyclePlan(
                PROGRESS_MONITORING,
                "check-for-understanding-with-whiteboards",
                "closed",
                85,
                evidence="Two-step equations: after each example the teacher asked 'everyone "
                "got it?' and moved on when no one objected. The quiz average was 54%.",
                rationale="His explanations are clear; checking by 'any questions?' hides the "
                "errors until the quiz.",
                next_day_action="After each example in Tuesday's lesson, have every student "
                "solve one problem on a whiteboard and show it at the same time.",
                script=_lines(
                    "Solve it on your board. Boards down until I say.",
                    "Three, two, one, show me.",
                ),
                success_indicator="Three whiteboard checks in the lesson, and at least one "
                "reteach based on what the boards show.",
                outcome="not_yet",
            ),
            CyclePlan(
                PROGRESS_MONITORING,
                "monitor-with-a-pen",
                "active",
                24,
                evidence="Whiteboards felt slow with 32 students. During independent practice "
                "he helps the same four students at their desks for most of the time.",
                rationale="A move that fits his practice time: monitoring with a pen shows him "
                "every student's work in one lap without stopping the class.",
                next_day_action="During Wednesday's practice on systems of equations, walk a "
                "fixed route marking problem 1 for every student within 6 minutes, and tally "
                "the most common error.",
                script=_lines(
                    "I'm coming around to check number one for everyone.",
                    "Tick on that one. Now try number two.",
                    "Look again at your signs in step two.",
                ),
                success_indicator="Every student's problem 1 is marked within 6 minutes, and he "
                "names the most common error to the class.",
                revisit="overdue",
            ),
        ),
    ),
    TeacherSpec(
        "Grace",
        "Kim",
        "Grade 2 (all subjects)",
        "early",
        "k_2",
        5,
        "perfectionist",
        "performance",
        "future",
        OKAFOR,
        cycles=(
            CyclePlan(
                DELIVERY,
                "narrate-the-positive",
                "debriefed",
                9,
                evidence="Phonics block: 23 individual corrections in 30 minutes, mostly by "
                "name; corrected children often stopped working. 15 of 22 on task in the "
                "middle sweep.",
                rationale="She notices every slip; turning her attention to those doing it "
                "right keeps her standards and her calm.",
                next_day_action="In Tuesday's phonics block, after each direction, narrate two "
                "children or tables following it before correcting anyone.",
                script=_lines(
                    "I see this table already has their whiteboards and markers ready.",
                    "Thank you for tracking me, back row.",
                ),
                success_indicator="No more than 8 individual corrections in the block, and at "
                "least 18 of 22 on task at each sweep.",
                revisit="job",
            ),
        ),
    ),
    TeacherSpec(
        "Daniel",
        "Reyes",
        "Chemistry",
        "science",
        "9_12",
        2,
        "avoids_vulnerability",
        "performance",
        "present",
        OKAFOR,
        has_login=False,
        cycles=(
            CyclePlan(
                PLANNING,
                "write-the-exemplar-first",
                "closed",
                70,
                evidence="Reaction-rate lab reports: the feedback was 'needs more detail' on "
                "most; students couldn't say what a complete conclusion looks like.",
                rationale="He prefers planning conversations to being observed; writing the "
                "exemplar at the planning table sets the bar for the unit.",
                next_day_action="Write the exemplar conclusion for Monday's reaction-rate lab "
                "(claim, data, reasoning) before class and use it for feedback while "
                "students write.",
                script=_lines(
                    "A complete conclusion has a claim, the data that supports it,",
                    "and why the data proves it.",
                    "Compare yours to the exemplar: which part is missing?",
                ),
                success_indicator="At least 15 of 24 conclusions include a claim, a data point "
                "and a reason.",
                outcome="progressing",
            ),
        ),
    ),
    TeacherSpec(
        "Olivia",
        "Brennan",
        "Math 7",
        "math",
        "6_8",
        16,
        "ready",
        "learning",
        "future",
        OKAFOR,
        cycles=(
            CyclePlan(
                DELIVERY,
                "stretch-it",
                "closed",
                55,
                evidence="Proportional relationships: correct, quick answers, praised, then "
                "on to the next question. The top third finished practice in 10 minutes and "
                "waited.",
                rationale="She's ready to push; a right answer should start more thinking, "
                "which is decided in the moment.",
                next_day_action="In Tuesday's discussion, follow every correct answer with one "
                "stretch question: how do you know, another way, or what if.",
                script=_lines(
                    "Yes. How do you know?",
                    "Is there another way to find the constant of proportionality?",
                    "Would it still be proportional if the line missed zero?",
                ),
                success_indicator="At least 6 stretch questions, each answered by a student "
                "with a reason.",
                outcome="mastered",
                rounds=2,
                shared_with_principal=True,
            ),
            CyclePlan(
                PROGRESS_MONITORING,
                "show-call-a-student-work-sample",
                "planned",
                4,
                evidence="Students now explain their reasoning aloud, but the written "
                "explanations on the unit test were much weaker than the spoken ones.",
                rationale="Showing real work and naming what makes an explanation strong "
                "brings the writing up to the level of the talk.",
                next_day_action="During next Tuesday's practice, show one almost-there "
                "explanation without a name and have the class improve it.",
                script=_lines(
                    "I'm going to show one of your papers, no name on it.",
                    "What would make this explanation complete?",
                    "Now find one place in your own to make it clearer.",
                ),
                success_indicator="At least 20 of 27 students revise their own explanation "
                "after the show-call.",
                rounds=0,
                revisit="future",
            ),
        ),
    ),
    TeacherSpec(
        "Samuel",
        "Adeyemi",
        "World Geography",
        "social_studies",
        "6_8",
        7,
        "avoids_vulnerability",
        "learning",
        "past",
        OKAFOR,
        problem=ProblemSpec(
            "Only a handful of students say anything in discussion", ENLISTING_PARTICIPATION
        ),
        cycles=(
            CyclePlan(
                DELIVERY,
                "no-opt-out",
                "closed",
                60,
                evidence="When called on, 6 students said 'I don't know' and the teacher moved "
                "on to a volunteer each time. About 8 of 26 students spoke at all.",
                rationale="Students have learned that 'I don't know' ends the question; no opt "
                "out keeps everyone in.",
                next_day_action="In Monday's discussion, whenever a student says 'I don't "
                "know', get the answer from a classmate and return to the first student.",
                script=_lines(
                    "That's OK. Listen to your classmate, and then I'll come back to you.",
                    "Now you: what's the answer, and how do you know?",
                ),
                success_indicator="Every 'I don't know' ends with the same student giving a "
                "correct answer.",
                outcome="not_yet",
                on_problem=True,
            ),
            CyclePlan(
                DELIVERY,
                "turn-and-talk-with-a-sentence-stem",
                "active",
                6,
                evidence="No opt out felt confrontational to him and some students, and he "
                "dropped it after two days. Many students seem to have an answer but won't "
                "share it with the whole class.",
                rationale="A lower-stakes structure: everyone says it to one partner first, so "
                "speaking to the class becomes a repeat rather than a first try.",
                next_day_action="In Wednesday's trade-routes lesson, run two 60-second turn "
                "and talks with the stem on the board, then ask two pairs what their partner "
                "said.",
                script=_lines(
                    "Turn to your partner. Partner A: 'The route mattered because ...'.",
                    "Sixty seconds. Go.",
                    "Three, two, one, eyes up. Tell us what your partner said.",
                ),
                success_indicator="At least 20 of 26 students are talking within 10 seconds of "
                "'go' in both turn and talks.",
                rounds=0,
                revisit="future",
                on_problem=True,
                reflection=ReflectionSpec(
                    students_did="Nearly every pair used the stem; one pair said 'the route "
                    "mattered because the spices were worth more than gold'. When I asked what "
                    "their partner said, four students who never speak answered.",
                    indicator_seen="partly",
                    would_change="The first turn and talk started slowly because the stem was "
                    "only on the board; next time I'll say it out loud once before 'go'.",
                    engaged_count=21,
                    present_count=26,
                ),
            ),
        ),
    ),
    TeacherSpec(
        "Megan",
        "Foster",
        "Reading, grade 3",
        "literacy",
        "3_5",
        12,
        "ready",
        "learning",
        "present",
        OKAFOR,
        cycles=(
            CyclePlan(
                PROGRESS_MONITORING,
                "small-group-from-exit-tickets",
                "closed",
                95,
                evidence="Reading groups were set in September by level and haven't changed; "
                "the main-idea tickets show 7 students from different groups missing the same "
                "step.",
                rationale="She already collects good data; letting it decide a short daily "
                "small group is the next step.",
                next_day_action="During Thursday's independent reading, pull the 'not yet' "
                "pile from Wednesday's main-idea ticket for 10 minutes on the step they missed.",
                script=_lines(
                    "If your ticket has a dot, bring your book to the back table.",
                    "We're doing one thing: what most sentences are about. Watch, then try.",
                ),
                success_indicator="At least 5 of the 7 students in the group get the next "
                "main-idea ticket right.",
                outcome="mastered",
            ),
            CyclePlan(
                PLANNING,
                "hint-ladder",
                "closed",
                50,
                evidence="During independent work on inference questions she answered 14 "
                "requests for help in 20 minutes, mostly by giving the answer; several "
                "students raised a hand before trying.",
                rationale="She wants students to persist; hints planned in advance give her "
                "something quicker to say than the answer.",
                next_day_action="For Tuesday's inference task, write a three-step hint ladder "
                "on a card and use only those hints when students ask for help.",
                script=_lines(
                    "What do you know already? Write that down first.",
                    "Look at the example on the board: which clue is like this one?",
                    "Try just the first step. I'll be back in two minutes.",
                ),
                success_indicator="Fewer than 8 help requests in 20 minutes, and no answers "
                "given away.",
                outcome="progressing",
                shared_with_principal=True,
            ),
        ),
    ),
    TeacherSpec(
        "Ben",
        "Castillo",
        "Science, grade 4",
        "science",
        "3_5",
        1,
        "overwhelmed",
        "learning",
        "future",
        OKAFOR,
        cycles=(
            CyclePlan(
                DELIVERY,
                "wait-for-one-hundred-percent",
                "active",
                7,
                evidence="Circuits lesson: instructions given while students handled "
                "materials; when the activity began 10 of 25 didn't know what to do and he "
                "re-explained table by table.",
                rationale="First-year teacher in a materials-heavy subject. Getting every "
                "student's attention before speaking is the one move that saves the most time.",
                next_day_action="Before giving the instructions for Thursday's circuits "
                "activity, say 'hands off the materials, eyes on me', stand still and wait "
                "until every student is looking.",
                script=_lines(
                    "Hands off the bulbs and wires. Eyes on me.",
                    "(stand still, wait) ... I'll wait. ... Thank you.",
                ),
                success_indicator="When the activity starts, no more than 3 students ask what "
                "to do.",
                rounds=0,
                revisit="future",
            ),
        ),
    ),
    TeacherSpec(
        "Nora",
        "Lindqvist",
        "Grade 1 (literacy)",
        "early",
        "k_2",
        30,
        "skeptical",
        "performance",
        "past",
        OKAFOR,
        cycles=(
            CyclePlan(
                PROGRESS_MONITORING,
                "check-for-understanding-with-whiteboards",
                "debriefed",
                23,
                evidence="Phonics: the class reads words chorally and the confident readers "
                "carry the rest. In one-to-one checks later, 9 of 21 couldn't read the CVC "
                "words the class had 'read' together.",
                rationale="She trusts an approach that has served her for 30 years; a "
                "whiteboard check shows every child's answer without changing the lesson, so "
                "she sees the evidence herself.",
                next_day_action="In Wednesday's phonics block, after each pattern, dictate one "
                "word and have every child write it on a whiteboard and show it together.",
                script=_lines(
                    "Write the word 'ship' on your board. Boards down.",
                    "Three, two, one, show me.",
                    "I see a lot of 'sip'. Let's listen to the first sound again.",
                ),
                success_indicator="She can say how many children wrote each word correctly and "
                "reteaches at least one pattern based on the boards.",
                revisit="overdue",
            ),
        ),
    ),
)
