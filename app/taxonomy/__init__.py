"""The taxonomy organizations, scenarios, needs and solutions are filed under; the catalogue edits it."""
