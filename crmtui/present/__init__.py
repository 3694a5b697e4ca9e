"""Service results as text, for the command line and the app alike (rich only: no textual, no
peewee, no database). Stored text always goes through `plain` (a `Text`, never markup, without
control characters), so it shows as it was typed wherever it is shown."""
