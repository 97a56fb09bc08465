"""The demo move library: one concrete move per entry, what it looks like, words a teacher can
say, and the errors coaches see most."""

from dataclasses import dataclass

from demo.data.common import (
    ACCOMMODATING_PERSONAL_NEEDS,
    CONTAINING_BEHAVIOR,
    DELIVERY,
    ENLISTING_PARTICIPATION,
    EXPOSING_STUDENT_THINKING,
    PLANNING,
    PORTRAYING_CURRICULUM,
    PROGRESS_MONITORING,
    _lines,
)

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
