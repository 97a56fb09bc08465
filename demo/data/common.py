"""What every part of the demo data shares: the demo password and seed, the need-area and
problem-of-practice values (plain strings, the model choices' values), and ``_lines``."""

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
