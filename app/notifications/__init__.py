"""The in-app inbox and the mails that go with it: every domain tells members through `notify`."""
