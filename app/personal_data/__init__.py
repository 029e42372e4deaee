"""A member's own data: downloading it, and asking for the account to be deleted (anonymised),
which admins complete. Above the domains whose records it reads."""
