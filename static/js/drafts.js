// Autosaved drafts for long forms (being built).
