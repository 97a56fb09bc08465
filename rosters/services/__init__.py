"""Writes of roster imports (OneRoster 1.1 bundles), a module per feature: apply (applying a
checked bundle: the walk and its outcome), lookups (what the walk reads before it), orgs (the
district and schools), people (accounts, memberships, teacher profiles), imports (the life of a
RosterImport record: upload, job run and progress, dry run applied, failed, finished) and sweep
(the periodic job). Callers use the package (`from rosters import services`)."""

from rosters.services.apply import ACTIONS, Progress, RosterOutcome, roster_bundle_import
from rosters.services.imports import (
    BUNDLE_KEPT_HOURS,
    PROGRESS_EVERY,
    _stopped,
    bundle_files,
    roster_import_apply,
    roster_import_create,
    roster_import_fail,
    roster_import_run,
)
from rosters.services.lookups import CHUNK
from rosters.services.people import ROSTER_ROLES
from rosters.services.sweep import QUEUED_STALE, RUNNING_STALE, roster_imports_sweep
