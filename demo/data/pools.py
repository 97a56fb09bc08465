"""Pools the seeder draws from: student evidence, co-planning and data review by subject
family, coach notes, feedback, next steps, debrief notes, reflections and time notes."""

from demo.data.common import DELIVERY, PLANNING, PROGRESS_MONITORING, _lines

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
