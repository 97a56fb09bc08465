"""Content of the demo school (`manage.py seed_demo`): pure data, no database access.

The move library is written the way an experienced instructional coach would write it (in the
spirit of Get Better Faster and Teach Like a Champion): one concrete move, what it looks like in
a classroom, words a teacher can say, and the errors coaches see most. The demo people and their
coaching histories are invented; no student is ever named.

Choice values are plain strings (the values of the model choices), so this module can be read
without Django being set up. Dates are given as days before the demo's anchor date (today on a
first run), in an ordinary week: the seeder counts them as school days (5 in 7) of the teacher's
school, so a weekend or a break never changes a cycle's shape.
"""

from dataclasses import dataclass, field

DEMO_PASSWORD = "coach-demo-2026"  # nosec B105  # the demo's published password (README)
SEED = 2026

PLANNING = "planning"
DELIVERY = "delivery"
PROGRESS_MONITORING = "progress_monitoring"

PORTRAYING_CURRICULUM = "portraying_curriculum"
ENLISTING_PARTICIPATION = "enlisting_participation"
EXPOSING_STUDENT_THINKING = "exposing_student_thinking"
CONTAINING_BEHAVIOR = "containing_behavior"
ACCOMMODATING_PERSONAL_NEEDS = "accommodating_personal_needs"


def _lines(*lines: str) -> str:
    return "\n".join(lines)


# --- Move library ---------------------------------------------------------------------------


@dataclass(frozen=True)
class MoveSpec:
    slug: str
    name: str
    need_area: str
    problem: str  # a ProblemOfPractice value, or "" when the move serves several
    looks_like: str
    script_stems: str  # one stem per line
    common_errors: str


MOVES: tuple[MoveSpec, ...] = (
    # Planning: decided at the planning table, before the lesson.
    MoveSpec(
        slug="script-the-key-questions",
        name="Script the key questions",
        need_area=PLANNING,
        problem=EXPOSING_STUDENT_THINKING,
        looks_like="The plan names the three or four questions that carry the objective, written "
        "word for word, each with the answer a strong student would give. In class the teacher "
        "asks them as written instead of improvising in the moment.",
        script_stems=_lines(
            "The question I want every one of you to be able to answer today is: ...",
            "Take twenty seconds. What does ... tell us about ...?",
            "Before you answer, point to the line or the step that proves it.",
        ),
        common_errors="Scripting the questions but not the exemplar answer, so a partial answer "
        "gets accepted. Writing recall questions that can be answered without the day's thinking.",
    ),
    MoveSpec(
        slug="anticipate-misconceptions",
        name="Anticipate misconceptions",
        need_area=PLANNING,
        problem=EXPOSING_STUDENT_THINKING,
        looks_like="Before teaching, the teacher works the task as a student would and writes "
        "down the two most likely wrong answers, with the example or question that will surface "
        "each one. The plan says what the teacher does when the error shows up.",
        script_stems=_lines(
            "A lot of people think ... Let's test that idea with this example.",
            "Some of you wrote ... Tell your partner where that reasoning goes wrong.",
            "Is that always true? Find me a case where it isn't.",
        ),
        common_errors="Listing misconceptions without planning the response, so the lesson "
        "stalls when they appear. Guessing errors from memory instead of from last week's work.",
    ),
    MoveSpec(
        slug="write-the-exemplar-first",
        name="Write the exemplar before the lesson",
        need_area=PLANNING,
        problem=PORTRAYING_CURRICULUM,
        looks_like="The teacher writes the answer they expect from students (the paragraph, the "
        "worked solution, the lab conclusion) before teaching, at the length and level they "
        "want. The exemplar sets the bar for the model and for feedback during work time.",
        script_stems=_lines(
            "A complete answer has three parts: a claim, the evidence, and why it proves it.",
            "Compare yours to the exemplar: what does it have that yours doesn't yet?",
            "Your answer is right; now make it as precise as the exemplar.",
        ),
        common_errors="Writing an exemplar far above or below what students can reach this "
        "week. Keeping it in the plan instead of using it for feedback while students work.",
    ),
    MoveSpec(
        slug="plan-backward-from-the-exit-ticket",
        name="Plan backward from the exit ticket",
        need_area=PLANNING,
        problem=PORTRAYING_CURRICULUM,
        looks_like="The teacher writes the exit ticket first, then cuts any part of the lesson "
        "that does not help students answer it. Every activity in the plan can be traced to a "
        "question on the ticket.",
        script_stems=_lines(
            "By the end of class you will answer this question on your own.",
            "Keep this in mind: it's the kind of problem you'll see on the exit ticket.",
            "This is the step that trips people up on the ticket, so watch closely.",
        ),
        common_errors="Writing the exit ticket last, so it measures the activities instead of "
        "the objective. Keeping a favourite activity that does not move students toward it.",
    ),
    MoveSpec(
        slug="do-now-that-retrieves",
        name="Design a Do Now that retrieves prior learning",
        need_area=PLANNING,
        problem=PORTRAYING_CURRICULUM,
        looks_like="A three-to-five-minute task on the board as students walk in, done silently "
        "and alone, that makes them recall something from earlier lessons they need today. It "
        "is reviewed in a few minutes, not turned into a second lesson.",
        script_stems=_lines(
            "Do Now is on the board: pencils moving, silent and solo, three minutes.",
            "One minute left. Finish the question you're on.",
            "Let's check number two. I'm calling on someone to explain why, not just what.",
        ),
        common_errors="A Do Now that previews new material students cannot do yet, so they "
        "wait. Letting the review of the Do Now run fifteen minutes.",
    ),
    MoveSpec(
        slug="plan-the-cold-call",
        name="Plan who you will call on, and when",
        need_area=PLANNING,
        problem=ENLISTING_PARTICIPATION,
        looks_like="Next to each key question, the teacher's plan notes two or three students "
        "chosen on purpose: one who needs to be pulled in, one likely to give a partial answer "
        "worth building on. Calling on them is decided before the lesson, not in the moment.",
        script_stems=_lines(
            "I'm going to ask, give everyone think time, and then call on someone.",
            "Start us off: what's the first thing you notice?",
            "Build on that: do you agree, and why?",
        ),
        common_errors="Planning the list but going back to volunteers when the pace drops. "
        "Planning to call only on students who are likely to be right.",
    ),
    MoveSpec(
        slug="time-stamp-the-plan",
        name="Time-stamp the lesson plan",
        need_area=PLANNING,
        problem="",
        looks_like="Each part of the plan carries a start time (10:05 Do Now, 10:10 model, "
        "10:22 practice), so the teacher knows in the moment whether to cut or move on. "
        "Independent practice is protected.",
        script_stems=_lines(
            "We have eight minutes for this part. Let's use all eight.",
            "Timer's on: four minutes for problems one to three.",
            "We're moving on now; we'll come back to this in tomorrow's Do Now.",
        ),
        common_errors="Writing times but not deciding in advance what to cut when running "
        "late. Letting the teacher-led model swallow the independent practice.",
    ),
    MoveSpec(
        slug="chunk-the-text",
        name="Chunk the text with a stopping question",
        need_area=PLANNING,
        problem=PORTRAYING_CURRICULUM,
        looks_like="The teacher divides the reading into three to five chunks and writes one "
        "text-dependent question at each stopping point, so students reread with a purpose and "
        "misunderstandings surface before the end of the text.",
        script_stems=_lines(
            "Stop at line 14. In the margin, write what the narrator wants us to notice.",
            "Go back to paragraph 3 and underline the sentence that proves it.",
            "Before we read on: what do we know now that we didn't know at the start?",
        ),
        common_errors="Asking 'what happened?' at every stop instead of a question that needs "
        "the text. Stopping so often that the reading loses its thread.",
    ),
    MoveSpec(
        slug="hint-ladder",
        name="Plan a hint ladder for stuck students",
        need_area=PLANNING,
        problem=ACCOMMODATING_PERSONAL_NEEDS,
        looks_like="For the hardest task of the lesson the teacher writes two or three hints, "
        "from the lightest nudge to the most support, so a stuck student gets just enough help "
        "to keep working instead of being given the answer.",
        script_stems=_lines(
            "What do you know already? Write that down first.",
            "Look at the example on the board: which step is like this one?",
            "Try just the first step. I'll be back in two minutes to see it.",
        ),
        common_errors="Jumping straight to the last hint, or the answer, because it is quicker. "
        "Giving hints only to the students who ask for help.",
    ),
    MoveSpec(
        slug="plan-the-routine",
        name="Plan the routine for transitions and materials",
        need_area=PLANNING,
        problem=CONTAINING_BEHAVIOR,
        looks_like="The teacher decides in advance exactly how papers, devices and groups move: "
        "the cue, who moves first, where things go and how long it should take, with the words "
        "they will use. The same routine is practised daily until it runs in under a minute.",
        script_stems=_lines(
            "When I say go, row leaders pass papers to the right. Twenty seconds. Go.",
            "Materials in the bin, eyes on me in three, two, one.",
            "That took forty seconds. Yesterday it took a minute. Let's beat it.",
        ),
        common_errors="Explaining the routine once and expecting it to stick without practice. "
        "Changing the routine from one day to the next.",
    ),
    MoveSpec(
        slug="pre-teach-key-vocabulary",
        name="Pre-teach the words that unlock the lesson",
        need_area=PLANNING,
        problem=ACCOMMODATING_PERSONAL_NEEDS,
        looks_like="The teacher picks the two or three words students must know to access the "
        "task and plans a five-minute introduction: a student-friendly definition, an example, a "
        "non-example, and one chance for every student to use the word.",
        script_stems=_lines(
            "Our word is 'evaporate'. Say it with me. It means a liquid turns into a gas.",
            "Example or non-example? Show me one finger or two.",
            "Use it with your partner: 'The puddle ... because ...'",
        ),
        common_errors="Pre-teaching ten words, so none of them stick. Giving a dictionary "
        "definition students cannot use.",
    ),
    # Delivery: what the teacher does in the room, in the moment.
    MoveSpec(
        slug="cold-call-after-wait-time",
        name="Cold call after wait time",
        need_area=DELIVERY,
        problem=ENLISTING_PARTICIPATION,
        looks_like="The teacher asks the question, waits three to five seconds with no hands "
        "up, then names the student who answers. Because anyone could be asked, everyone "
        "prepares an answer.",
        script_stems=_lines(
            "Everyone think about this one. No hands yet.",
            "(count five seconds) ... I'd like to hear from the back row.",
            "Good start. Who can add to that? I'll pick.",
        ),
        common_errors="Naming the student before asking the question, so everyone else stops "
        "thinking. Cutting the wait to one second because the silence feels long.",
    ),
    MoveSpec(
        slug="turn-and-talk-with-a-sentence-stem",
        name="Turn and talk with a sentence stem",
        need_area=DELIVERY,
        problem=ENLISTING_PARTICIPATION,
        looks_like="Students get a focused question, a sentence stem on the board and a "
        "partner, with a clear signal to start and stop (60 to 90 seconds). The teacher listens "
        "in on two or three pairs, then cold calls pairs to share what they heard.",
        script_stems=_lines(
            "Turn to your shoulder partner. Partner A starts: 'I think ... because ...'. Go.",
            "Partner B, answer with 'I agree' or 'I disagree, because ...'.",
            "Three, two, one, eyes up. I heard a strong idea at this table ...",
        ),
        common_errors="A question too easy to need discussion, so pairs finish in ten seconds "
        "and drift. Skipping the stem, so the same students talk and the others listen.",
    ),
    MoveSpec(
        slug="stop-and-jot",
        name="Stop and jot",
        need_area=DELIVERY,
        problem=ENLISTING_PARTICIPATION,
        looks_like="Mid-lesson the teacher stops and every student writes a one- or "
        "two-sentence answer to a specific question, silently, for one to three minutes. The "
        "teacher reads over shoulders and uses what they read to choose who speaks first.",
        script_stems=_lines(
            "Pencils up. In one sentence: why did the experiment need a control? Two minutes.",
            "Write first, then we talk. I'm coming around to read.",
            "Read your sentence to your partner, then make it one word better.",
        ),
        common_errors="A vague prompt ('write what you think'), so the answers cannot be "
        "compared. Collecting the jots without ever reading them.",
    ),
    MoveSpec(
        slug="no-opt-out",
        name="No opt out",
        need_area=DELIVERY,
        problem=ENLISTING_PARTICIPATION,
        looks_like="When a student says 'I don't know', the teacher gets the right answer from "
        "a classmate (or gives it), then goes back to the first student to repeat or use it. "
        "The student's turn ends on a correct answer.",
        script_stems=_lines(
            "That's OK. Listen to what your classmate says, then I'll come back to you.",
            "Now you: what's the answer, and how do you know?",
            "Which step would you do first? Start there.",
        ),
        common_errors="Coming back with a harder question than the one the student could not "
        "answer. A sharp tone that turns it into a public correction.",
    ),
    MoveSpec(
        slug="right-is-right",
        name="Right is right: hold out for the complete answer",
        need_area=DELIVERY,
        problem=EXPOSING_STUDENT_THINKING,
        looks_like="The teacher accepts an answer only when it is fully correct and in the "
        "lesson's precise terms, and pushes a partial answer further instead of finishing it "
        "for the student.",
        script_stems=_lines(
            "You're almost there. What's missing?",
            "Use the word we learned on Monday.",
            "That answers a different question. Read the question again.",
        ),
        common_errors="Rounding up ('yes, that's basically it') and then restating the correct "
        "answer yourself. Pushing one student so long that the rest of the class drifts.",
    ),
    MoveSpec(
        slug="stretch-it",
        name="Stretch it: follow a right answer with a harder question",
        need_area=DELIVERY,
        problem=EXPOSING_STUDENT_THINKING,
        looks_like="When a student answers correctly, the teacher follows with a question that "
        "asks for more: why, how do you know, another way, apply it to a new case. A right "
        "answer starts the thinking rather than ending it.",
        script_stems=_lines(
            "Yes. How do you know?",
            "Is there another way to solve it?",
            "Would that still be true if the number were negative?",
        ),
        common_errors="Stretching only the strongest students. Throwing the follow-up to the "
        "whole class, so the student who answered is off the hook.",
    ),
    MoveSpec(
        slug="model-with-a-think-aloud",
        name="Model with a think-aloud",
        need_area=DELIVERY,
        problem=PORTRAYING_CURRICULUM,
        looks_like="The teacher solves one problem or annotates one passage out loud, saying "
        "the decisions an expert makes ('First I notice...', 'Now I check...'), while students "
        "have a specific job such as writing down each step.",
        script_stems=_lines(
            "Watch my thinking, not just my writing. Your job: note each step I take.",
            "First I ask myself: what is the question actually asking?",
            "Here's where I check: does this answer make sense?",
        ),
        common_errors="Narrating actions ('now I write 4') instead of thinking. A model so long "
        "that students lose the thread; keep it under about eight minutes.",
    ),
    MoveSpec(
        slug="narrate-the-positive",
        name="Narrate the positive",
        need_area=DELIVERY,
        problem=CONTAINING_BEHAVIOR,
        looks_like="After a direction, the teacher calmly describes students who are following "
        "it ('Table three has their notebooks open to page 12'), which gives everyone else a "
        "model and a moment to follow without being corrected.",
        script_stems=_lines(
            "I see this row already has their pencils moving.",
            "Thank you for tracking the speaker, back table.",
            "Three, two ... almost everyone is ready ... one.",
        ),
        common_errors="Narrating in a sarcastic tone, or naming the students who are not "
        "following. Praising ('good job!') instead of describing what students are doing.",
    ),
    MoveSpec(
        slug="what-to-do-directions",
        name="Give what-to-do directions",
        need_area=DELIVERY,
        problem=CONTAINING_BEHAVIOR,
        looks_like="Directions are specific, concrete, sequential and observable: what to do, "
        "not what to stop doing. 'Pencils down, eyes on me, hands still' instead of 'pay "
        "attention'.",
        script_stems=_lines(
            "Pencils down. Eyes on me. Hands still.",
            "When I say go, take out your lab sheet and write your name at the top. Go.",
            "Step one: open to page 42. Step two: read the first paragraph silently.",
        ),
        common_errors="Giving several directions at once, so students remember the first one. "
        "Naming the behaviour you don't want ('stop talking') instead of the one you do.",
    ),
    MoveSpec(
        slug="wait-for-one-hundred-percent",
        name="Pause, square up and wait for 100%",
        need_area=DELIVERY,
        problem=CONTAINING_BEHAVIOR,
        looks_like="Before an explanation or a direction, the teacher stands still, faces the "
        "class and waits until every student is attentive, using a quiet cue instead of "
        "talking over the noise.",
        script_stems=_lines(
            "I need everyone's eyes. (stand still, pause)",
            "I'll wait. ... Thank you.",
            "We're at almost everyone. Just two more.",
        ),
        common_errors="Starting at 80% attention because waiting feels awkward. Waiting without "
        "a clear cue, so students don't know what 100% looks like.",
    ),
    MoveSpec(
        slug="least-invasive-correction",
        name="Correct with the least invasive intervention",
        need_area=DELIVERY,
        problem=CONTAINING_BEHAVIOR,
        looks_like="The teacher corrects off-task behaviour with the smallest move that works: "
        "a look, a gesture, a reminder to the whole group, then a quiet private word, while the "
        "teaching carries on.",
        script_stems=_lines(
            "(finger to lips, still teaching)",
            "I need everyone following along on page 12.",
            "(quietly, at the desk) I need your pencil moving on number 3. Thanks.",
        ),
        common_errors="Stopping the lesson to correct a small behaviour in public. Jumping to a "
        "consequence before trying a nonverbal cue.",
    ),
    # Progress monitoring: finding out what students learned, and acting on it.
    MoveSpec(
        slug="exit-ticket-with-one-criterion",
        name="Exit ticket with one criterion",
        need_area=PROGRESS_MONITORING,
        problem=EXPOSING_STUDENT_THINKING,
        looks_like="In the last five minutes, one or two questions on the lesson's objective, "
        "done alone, with a single success criterion decided in advance ('correct rate with "
        "units'). The teacher reads them the same afternoon.",
        script_stems=_lines(
            "Exit ticket: on your own, silently, four minutes.",
            "To count as 'got it', your answer needs the units and one sentence of why.",
            "I'll read every one of these today, and tomorrow starts with what I see.",
        ),
        common_errors="Four questions on three skills, so the results can't be sorted quickly. "
        "Collecting tickets but not reading them before planning the next lesson.",
    ),
    MoveSpec(
        slug="sort-exit-tickets-into-three-piles",
        name="Sort exit tickets into three piles",
        need_area=PROGRESS_MONITORING,
        problem=EXPOSING_STUDENT_THINKING,
        looks_like="Right after class the teacher sorts the tickets into 'got it', 'almost' and "
        "'not yet' against one criterion, counts each pile, and reads the 'almost' pile for the "
        "most common error. It takes under ten minutes.",
        script_stems=_lines(
            "Yesterday most of you got it; the most common slip was in step two. Let's see why.",
            "A star on your ticket: start the challenge. A dot: you're with me for five minutes.",
            "Here's one answer from the 'almost' pile, no name. What's missing?",
        ),
        common_errors="Sorting by overall quality instead of one criterion, so the piles don't "
        "say what to reteach. Writing comments for 45 minutes instead of sorting.",
    ),
    MoveSpec(
        slug="check-for-understanding-with-whiteboards",
        name="Check for understanding with whiteboards",
        need_area=PROGRESS_MONITORING,
        problem=EXPOSING_STUDENT_THINKING,
        looks_like="Every student writes an answer on a mini whiteboard and shows it on a "
        "signal, so the teacher sees the whole class's thinking in ten seconds and decides: "
        "move on, reteach, or pull a group.",
        script_stems=_lines(
            "Write your answer. Boards face down until I say.",
            "Three, two, one, show me.",
            "Most of you have 3/4. A few have 4/3. Let's figure out why.",
        ),
        common_errors="Looking at the boards without acting on what they show. Boards going up "
        "one at a time, so students copy their neighbours.",
    ),
    MoveSpec(
        slug="show-call-a-student-work-sample",
        name="Show-call a student work sample",
        need_area=PROGRESS_MONITORING,
        problem=EXPOSING_STUDENT_THINKING,
        looks_like="While students work, the teacher picks one piece of work, shows it without "
        "a name under the document camera, and the class analyses what makes it strong or where "
        "it goes wrong, then revises their own.",
        script_stems=_lines(
            "I'm going to show one of your papers, no name on it. Look at step two.",
            "What did this writer do that made the argument clear?",
            "Now find one place in your own work to make it as clear as this.",
        ),
        common_errors="Always showing the best paper, so the class only admires it. "
        "Show-calling without a specific question to analyse.",
    ),
    MoveSpec(
        slug="monitor-with-a-pen",
        name="Monitor with a pen",
        need_area=PROGRESS_MONITORING,
        problem=EXPOSING_STUDENT_THINKING,
        looks_like="During independent practice the teacher walks a planned route, pen in hand, "
        "marking each student's first problems (tick, dot, question mark) and tallying the most "
        "common error on a clipboard.",
        script_stems=_lines(
            "I'm coming around to check number one for everyone.",
            "Tick on that one. Now try number two.",
            "Look again at your signs in step two.",
        ),
        common_errors="Helping a few students at length for the whole work time, so most are "
        "never seen. Not tallying anything, so the pattern is lost.",
    ),
    MoveSpec(
        slug="hinge-question",
        name="Ask a hinge question with diagnostic answers",
        need_area=PROGRESS_MONITORING,
        problem=EXPOSING_STUDENT_THINKING,
        looks_like="At the turning point of the lesson, a multiple-choice question where every "
        "wrong answer reveals a specific misconception. All students answer at once, on fingers "
        "or cards, and the teacher decides in seconds whether to move on.",
        script_stems=_lines(
            "On your fingers: A, B, C or D. Three, two, one, show.",
            "If you chose B, you're thinking ... Let's check that.",
            "Tell your partner why A is tempting but wrong.",
        ),
        common_errors="Wrong answers that are random instead of built from real misconceptions. "
        "Asking the question and moving on whatever the answers show.",
    ),
    MoveSpec(
        slug="reteach-from-yesterdays-data",
        name="Open with a targeted reteach from yesterday's data",
        need_area=PROGRESS_MONITORING,
        problem=PORTRAYING_CURRICULUM,
        looks_like="The lesson starts with a five-to-ten-minute reteach aimed at the most "
        "common error on yesterday's exit ticket: show the error, have students name it, "
        "re-model the step, then one practice question.",
        script_stems=_lines(
            "Yesterday many of us did this (anonymous work on the screen). What went wrong?",
            "Let's fix it together. Watch this step.",
            "Try this one on your own, then we move on.",
        ),
        common_errors="Reteaching the whole lesson instead of the one error. Reteaching it "
        "exactly the way it was taught the first time.",
    ),
    MoveSpec(
        slug="small-group-from-exit-tickets",
        name="Pull a small group from exit-ticket data",
        need_area=PROGRESS_MONITORING,
        problem=ACCOMMODATING_PERSONAL_NEEDS,
        looks_like="While the class works independently, the teacher pulls the 'not yet' pile "
        "to a table for eight to ten minutes of practice on the exact step they missed, then "
        "sends them back to the class task.",
        script_stems=_lines(
            "If your ticket has a dot, bring your pencil to the back table.",
            "We're doing one thing: step two. Watch, then you try.",
            "Show me one on your own, then join your table.",
        ),
        common_errors="The same students in the group every day, whatever the data says. A "
        "group that runs all period, so it misses the independent practice.",
    ),
    MoveSpec(
        slug="class-mastery-tracker",
        name="Track the key skills on a class mastery tracker",
        need_area=PROGRESS_MONITORING,
        problem="",
        looks_like="One page per unit: the class list down the side, the four to six key "
        "skills across, marked after each exit ticket or quiz, so patterns across days (not "
        "just one lesson) show who needs what.",
        script_stems=_lines(
            "This week we're tracking one skill: finding the main idea.",
            "Twelve of you moved from a dot to a tick this week. Let's get the rest there.",
            "Look at your own row: which skill is your next goal?",
        ),
        common_errors="Tracking so many skills that the tracker is never up to date. Updating "
        "it but never using it to plan groups or reteaching.",
    ),
    MoveSpec(
        slug="self-check-against-the-exemplar",
        name="Students self-check against the exemplar",
        need_area=PROGRESS_MONITORING,
        problem=ENLISTING_PARTICIPATION,
        looks_like="Before handing in, students compare their answer with an exemplar or a "
        "three-point checklist, tick what they have, circle what is missing, and revise once. "
        "The teacher learns who can judge their own work.",
        script_stems=_lines(
            "Check yours against the three boxes: claim, evidence, explanation.",
            "Circle the box you don't have yet and fix it now.",
            "Hand it in only when all three boxes are ticked.",
        ),
        common_errors="A checklist so long that students tick everything. No time left to "
        "revise after checking.",
    ),
    MoveSpec(
        slug="common-error-do-now",
        name="Turn the most common error into tomorrow's Do Now",
        need_area=PROGRESS_MONITORING,
        problem=EXPOSING_STUDENT_THINKING,
        looks_like="The teacher copies yesterday's most frequent mistake, without a name, into "
        "the Do Now and asks students to find and fix it, so the whole class practises the "
        "correction in the first five minutes.",
        script_stems=_lines(
            "Someone solved it this way. Find the mistake and fix it.",
            "Explain to your partner why the first answer is wrong.",
            "Write the rule that would stop this mistake from happening.",
        ),
        common_errors="Using an error only a couple of students made. Giving the answer before "
        "students have had time to find the mistake.",
    ),
)


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


# --- Coaching histories -------------------------------------------------------------------


@dataclass(frozen=True)
class ProblemSpec:
    statement: str
    category: str


@dataclass(frozen=True)
class ReflectionSpec:
    """The teacher's answers to the reflection prompts before the coming debrief."""

    students_did: str
    indicator_seen: str  # yes, partly, no, not_sure
    would_change: str
    engaged_count: int | None = None
    present_count: int | None = None


@dataclass(frozen=True)
class CyclePlan:
    """One coaching cycle of a demo teacher.

    ``rounds`` is the number of observe-then-debrief rounds already held (0: the move was tried
    and observed, the debrief is still ahead; ``reflection``: the teacher's answers to the
    reflection prompts before it, if already given). ``revisit`` is "future" or "overdue" for the
    scheduled revisit of an open cycle, or "job" to leave it to the revisit scheduling job
    (so a first run shows the worker scheduling it); closed cycles leave it empty.
    """

    need_area: str
    move: str  # a MoveSpec slug of the same need area
    state: str
    opened_days_ago: int  # calendar days in an ordinary week; counted as 5/7 school days
    evidence: str
    rationale: str
    next_day_action: str
    script: str
    success_indicator: str
    outcome: str = ""
    rounds: int = 1
    revisit: str = ""
    on_problem: bool = False
    shared_with_principal: bool = False
    # Already answered by the teacher before the coming debrief (an active cycle, rounds=0).
    reflection: ReflectionSpec | None = None


@dataclass(frozen=True)
class TeacherSpec:
    first_name: str
    last_name: str
    subject: str
    family: str  # which evidence pool fits the subject (a key of EVIDENCE)
    grade_band: str
    years_experience: int
    disposition: str
    orientation: str
    time_focus: str
    coach: str  # a coach's username
    has_login: bool = True
    problem: ProblemSpec | None = None
    cycles: tuple[CyclePlan, ...] = field(default_factory=tuple)
    school: str = SCHOOL.slug

    @property
    def email(self) -> str:
        return email_for(self.first_name, self.last_name)

    @property
    def username(self) -> str | None:
        if not self.has_login:
            return None
        return "teacher." + "".join(ch for ch in self.last_name.lower() if ch.isalnum())


TEACHERS: tuple[TeacherSpec, ...] = (
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


# --- Pools the seeder draws from ----------------------------------------------------------
# Student evidence by subject family and kind: short quotes or descriptions, never names.

EVIDENCE: dict[str, dict[str, tuple[str, ...]]] = {
    "math": {
        "said": (
            "'You can't add the denominators, you have to make them the same first.'",
            "'I doubled both numbers so the ratio stays the same.'",
            "'Wait, the negative goes with the 3, not the x.'",
            "'I checked by plugging it back in and it worked.'",
        ),
        "produced": (
            "Ratio table with both rows labelled and three correct entries.",
            "Worked solution with one step per line; sign error in step two.",
            "Number line comparing 2/3 and 3/4 with equal-sized parts.",
            "Two of three practice problems correct; the third left blank after the setup.",
        ),
        "understood": (
            "Explained why multiplying top and bottom by the same number keeps the value.",
            "Set up the equation correctly but could not say what the variable stood for.",
            "Recognised the unit rate as the value of y when x is 1.",
        ),
    },
    "literacy": {
        "said": (
            "'The author says \"cramped\", so the room must be really small.'",
            "'She's nervous, because her hands are shaking in paragraph 3.'",
            "'That's the problem in the story, not the main idea.'",
            "'I agree with my partner because of the part where he hides the letter.'",
        ),
        "produced": (
            "Sticky note: 'He feels left out because nobody saves him a seat.'",
            "Margin annotation with the evidence sentence underlined and a one-word feeling.",
            "Paragraph with a claim and a quote, but no explanation of the quote.",
            "Summary that retells every event instead of the main idea.",
        ),
        "understood": (
            "Went back to the text unprompted to find the sentence that proves the answer.",
            "Confused the narrator with the main character.",
            "Saw that a character's actions can show a feeling the text never names.",
        ),
    },
    "science": {
        "said": (
            "'Water moves to where there's less of it ... no, less salt.'",
            "'The candle is heavier than the pebble and it still floats.'",
            "'The bulb only lights if the circuit is closed.'",
            "'Our data shows the rate went up when we heated it.'",
        ),
        "produced": (
            "Lab sheet with a claim and one data point; reasoning missing.",
            "Labelled diagram of a closed circuit with the switch marked.",
            "Complete data table; graph axes unlabelled.",
            "Conclusion naming both mass and volume as the factors for floating.",
        ),
        "understood": (
            "Predicted which way water would move across the membrane, with a reason.",
            "Still thought heavier things sink when shown the pebble and the candle.",
            "Explained that density compares mass with volume.",
        ),
    },
    "social_studies": {
        "said": (
            "'The Compromise kept the Senate balanced, but it made the South angrier later.'",
            "'It's a primary source because he was actually there.'",
            "'The route mattered because the mountains were in the way.'",
            "'I don't know ... oh, it's because of the trade.'",
        ),
        "produced": (
            "Exit ticket naming one eased and one increased tension, with evidence for one.",
            "Margin note on the speech excerpt: 'house = the whole country'.",
            "Map annotation showing the route and two reasons it was chosen.",
            "T-chart of causes with three entries, one of them actually an effect.",
        ),
        "understood": (
            "Explained the 'house divided' metaphor in their own words.",
            "Mixed up cause and effect in the chain of events.",
            "Used the date of the document to judge how reliable it is.",
        ),
    },
    "early": {
        "said": (
            "'Sss-h-i-p. Ship!'",
            "'I put my scissors back in the caddy.'",
            "'That says \"sip\". It needs the h.'",
            "'First we freeze, then we walk.'",
        ),
        "produced": (
            "Whiteboard with 'ship' spelled correctly and the 'sh' underlined.",
            "Whiteboard with 'sip' for 'ship' (digraph missing).",
            "Three CVC words from dictation, two correct.",
            "Drawing of the beginning, middle and end of the story, labelled.",
        ),
        "understood": (
            "Blended a CVC word alone, without the teacher's model.",
            "Knew the rotation order and went to the right table without a prompt.",
            "Could not yet hear the difference between /s/ and /sh/.",
        ),
    },
    "world_language": {
        "said": (
            "'¿Cómo te llamas? ... Me llamo ...'",
            "'Partner A reads line one, right?'",
            "'¿Qué hora es? Son las tres.'",
            "'Is it tengo or tienes when it's me?'",
        ),
        "produced": (
            "Dialogue sheet with both partners' lines filled in and read aloud twice.",
            "Five sentences, four with the correct verb ending.",
            "Partner dialogue finished in under two minutes, prompts in order.",
            "Warm-up list of ten words, seven spelled correctly.",
        ),
        "understood": (
            "Used 'tengo' for I have and 'tienes' for you have correctly in the dialogue.",
            "Followed three-step directions given in Spanish.",
            "Still translated word for word and mixed up the word order.",
        ),
    },
}

# Co-planning by subject family: (key questions scripted, anticipated student responses).
CO_PLANNING: dict[str, tuple[str, str]] = {
    "math": (
        _lines(
            "1. What two quantities are we comparing?",
            "2. What stays the same when we scale it up, and why?",
            "3. How do you know your answer is reasonable?",
        ),
        _lines(
            "Adds the same amount to both quantities instead of multiplying.",
            "Labels the rows but mixes up the order.",
            "Strong: 'Both amounts double, so the ratio is still 2 to 3.'",
        ),
    ),
    "literacy": (
        _lines(
            "1. What does the narrator want us to notice here?",
            "2. Which sentence proves it?",
            "3. How has the character changed since the first chapter?",
        ),
        _lines(
            "Retells the plot instead of answering.",
            "Picks a sentence that is true but doesn't prove the point.",
            "Strong: quotes the line about the empty seat and names the feeling.",
        ),
    ),
    "science": (
        _lines(
            "1. What do you predict will happen, and why?",
            "2. What does your data show?",
            "3. Which idea from the start of the lesson does the data challenge?",
        ),
        _lines(
            "'Heavier things sink', unchanged after the lab.",
            "Describes the data without a claim.",
            "Strong: 'The candle floats though it's heavier, so it isn't only mass.'",
        ),
    ),
    "social_studies": (
        _lines(
            "1. Who wrote this, and when?",
            "2. What is the author's claim?",
            "3. How would a reader in the South have read it differently?",
        ),
        _lines(
            "Summarises the document instead of naming the claim.",
            "Confuses the author with the people described.",
            "Strong: names the claim and one piece of evidence from the text.",
        ),
    ),
    "early": (
        _lines(
            "1. What sound do you hear first?",
            "2. Which letters make that sound?",
            "3. How do you know this word says 'ship' and not 'sip'?",
        ),
        _lines(
            "Writes 's' for /sh/.",
            "Reverses b and d.",
            "Strong: taps the sounds and writes the digraph.",
        ),
    ),
    "world_language": (
        _lines(
            "1. ¿Cómo te llamas?",
            "2. ¿Cuántos años tienes?",
            "3. How does the verb change when you talk about your partner?",
        ),
        _lines(
            "Uses 'tengo' for both people.",
            "Answers in English.",
            "Strong: 'Él tiene doce años.'",
        ),
    ),
}

# Data review by subject family: (misconceptions seen, next instructional step).
DATA_REVIEW: dict[str, tuple[str, str]] = {
    "math": (
        _lines(
            "Compares denominators only ('1/8 is bigger because 8 is bigger').",
            "Sets up the ratio in the wrong order.",
        ),
        "Open tomorrow with one anonymous 'compare the denominators' error as the Do Now; pull "
        "the not-yet pile for 8 minutes during practice.",
    ),
    "literacy": (
        _lines(
            "Gives the main event as the main idea.",
            "Quotes the text without explaining how it proves the point.",
        ),
        "Reteach with one model paragraph (claim, quote, 'this shows ...'); students revise "
        "yesterday's answer.",
    ),
    "science": (
        _lines(
            "Heavier objects always sink.",
            "Describes the graph without naming the relationship.",
        ),
        "Start with the candle-and-pebble demonstration; students rewrite their conclusion "
        "using mass and volume.",
    ),
    "social_studies": (
        _lines(
            "Treats every effect as a cause.",
            "Takes a primary source at face value without asking who wrote it and why.",
        ),
        "Re-sort the cause-and-effect cards as the Do Now; model one source check (who, when, "
        "why).",
    ),
    "early": (
        _lines(
            "Writes 's' for /sh/ and 'c' for /ch/.",
            "Skips the middle vowel in CVC words.",
        ),
        "Two-minute digraph dictation in the warm-up all week; small group of six on /sh/ and "
        "/ch/.",
    ),
    "world_language": (
        _lines(
            "Uses 'tengo' for he and she.",
            "Translates word for word from English.",
        ),
        "Do Now: fix three sentences with the wrong verb form; partner dialogue in the third "
        "person.",
    ),
}

# Coach notes taken during a visit, by need area (timestamped by the seeder).
OBSERVATION_NOTES: dict[str, tuple[str, ...]] = {
    PLANNING: (
        "Key question 1 asked exactly as scripted; teacher waited, three hands, then more.",
        "Exemplar answer on the plan beside question 2; used it to push a partial answer.",
        "Model ran 6 minutes over; practice time cut short.",
        "First chunk: most students annotating, back row waiting for the teacher.",
        "Teacher checked the plan and skipped the second example to protect practice.",
        "The anticipated error appeared; teacher used the planned counter-example.",
        "Exit ticket handed out two minutes before the bell; rushed.",
        "Stopping question at line 12 answered in writing by nearly everyone.",
    ),
    DELIVERY: (
        "Direction given in three steps; teacher stood still until step one was done.",
        "Turn and talk: most pairs talking within 5 seconds, stem used by about two thirds.",
        "Teacher narrated two tables before correcting; the third table followed.",
        "Wait time about 2 seconds on the first question, 5 on the next two.",
        "Cold call went to a student who had not volunteered; partial answer, good follow-up.",
        "Talked over the noise during the lab instructions; several students asked what to do.",
        "Paused, waited for 100%, gave the direction once. Room noticeably calmer.",
        "Coach whispered 'narrate first' at the transition; teacher used it straight away.",
    ),
    PROGRESS_MONITORING: (
        "Exit ticket collected; teacher flicked through and named the error before the bell.",
        "Whiteboard check: most correct; teacher named the common slip and re-modelled.",
        "Teacher monitored with a clipboard and marked problem 1 for the first two rows.",
        "Hinge question: answers split between B and C; teacher chose to reteach.",
        "Small group of five at the back table working on step two only.",
        "Teacher moved on without looking at the boards.",
        "Show-call of an almost-there answer; students named the missing step.",
        "Circulated to the same three students again; half the room not seen.",
    ),
}

REAL_TIME_PROMPTS: tuple[str, ...] = (
    "Whispered prompt: 'wait for 100% before the next direction'. Used within a minute.",
    "Hand signal agreed in rehearsal (two fingers = narrate first); used twice.",
    "Coach modelled the stem once at a table; teacher took it to the next two tables.",
    "Prompted 'count five' before the cold call; wait time visibly longer afterwards.",
)

MODEL_LESSON_NOTES: tuple[str, ...] = (
    "Coach taught the first 15 minutes using the move; the teacher tallied how many "
    "students responded within 5 seconds of each direction.",
    "Coach modelled the move with the teacher's own class while the teacher scripted "
    "the exact words used; debriefed for 10 minutes after.",
)

REHEARSAL_FEEDBACK: dict[str, tuple[str, ...]] = {
    PLANNING: (
        "Asked the question word for word. Next: don't answer it yourself after two seconds.",
        "Tightened the key question from 21 words to 11 over three rounds.",
        "The counter-example works; say it more slowly and point to the board.",
    ),
    DELIVERY: (
        "Round one: directions given while walking. Round two: stood still and they landed.",
        "Calm tone. Cut 'okay, so, guys' from the start of each direction.",
        "Narrated two positives before the correction on round three, unprompted.",
    ),
    PROGRESS_MONITORING: (
        "Practised the 'show me' count and the reteach line; 80% right means move on.",
        "Sorted five sample tickets in under a minute each; the criterion is clear.",
        "Practised naming the common error without blame: 'many of us did this'.",
    ),
}

NEXT_STEPS: dict[str, tuple[str, ...]] = {
    PLANNING: (
        "Keep scripting the key questions; add the exemplar answer beside each one.",
        "Plan the stopping questions for Friday's text on your own; coach reviews before class.",
        "Cut the model to 8 minutes so practice gets 15.",
    ),
    DELIVERY: (
        "Keep the wait time; next, cold call a student who hasn't volunteered.",
        "Same move in 4th period, where it's harder.",
        "Narrate before every correction for a week and tally them on a sticky note.",
    ),
    PROGRESS_MONITORING: (
        "Sort tomorrow's tickets in under 10 minutes and plan the first 5 minutes from them.",
        "Act on the boards: below 80% right, reteach before practice.",
        "Pull the not-yet group for 8 minutes on Thursday.",
    ),
}

DEBRIEF_NOTES: tuple[str, ...] = (
    "Started from the sweep numbers and two pieces of student work; teacher led the analysis.",
    "Teacher named the moment the move worked before the coach did.",
    "Spent most of the time on the next step and rehearsed it twice.",
    "Kept to student evidence; teacher asked to see the notes on the second sweep.",
)

# Teacher reflections at debriefs, in the voice of each disposition.
REFLECTIONS: dict[str, tuple[str, ...]] = {
    "overwhelmed": (
        "It felt like one more thing at first, but it actually saved me time in 4th period.",
        "I only managed it in one class, but that class went better.",
        "Can we keep the same move next week? I want to get it right before adding more.",
    ),
    "skeptical": (
        "I didn't think it would work with this group, but more of them talked than usual.",
        "It worked today. I want to see if it still works on a Friday afternoon.",
        "The numbers surprised me; I'd have said they were engaged before.",
    ),
    "perfectionist": (
        "I lost the script in the second round and said it my own way. I want to practise.",
        "It went well, but the timing isn't right yet.",
        "I'd like to get it perfect before you come back.",
    ),
    "avoids_vulnerability": (
        "It was fine. The class was a bit unusual today.",
        "I'd rather try it a few more times before you see it again.",
        "Looking at the student work helped more than talking about my teaching.",
    ),
    "ready": (
        "The exit tickets told me exactly what to reteach; I'm doing it tomorrow.",
        "What's the next level of this move?",
        "I tried it in all my classes; 3rd period needs a different stem.",
    ),
}

TIME_NOTES: dict[str, tuple[str, ...]] = {
    "direct_coaching": (
        "Check-in on the agreed move",
        "Informal co-planning",
        "Rehearsal before the lesson",
        "Follow-up conversation",
    ),
    "observation": ("Classroom visit", "Walkthrough with engagement sweeps", "Drop-in visit"),
    "preparation": (
        "Reading student work before a debrief",
        "Preparing a model lesson",
        "Scripting rehearsal prompts",
    ),
    "documentation": ("Writing up visit notes", "Logging evidence and sweeps", "Cycle records"),
    "admin": (
        "Testing logistics",
        "Schedule changes",
        "Ordering materials",
        "Email and forms",
        "Master schedule requests",
    ),
    "meetings": ("Coaching team meeting", "Grade-level PLC", "Leadership team", "District network"),
    "coverage": (
        "Covering a class (no substitute)",
        "Lunch duty",
        "Covering an absent teacher",
        "Testing proctor",
    ),
}
