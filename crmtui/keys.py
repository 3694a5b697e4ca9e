"""The one key table: every key of the app with its one meaning, and where it works.

A key means one thing everywhere. Where the words differ from screen to screen (`enter` opens the
customer on Today and the complaint on Complaints; `n` makes a customer on Customers and a
complaint on Complaints), the action is the same kind — "open the highlighted row", "a new item of
this list" — and the bindings that do it are listed together under the key's one entry (`ids`).

The `?` help screen and the README's "Keys" section are written from this table
(`tools/keys.py readme` rewrites the README's), and tests/app/test_app_keys.py fails when a screen
or dialog binds a key to an action its entry does not list, or when an entry promises a key no
screen binds. Keys remapped in the config file's [keys] table keep their meaning; only the key
changes.

Movement keys (`j`/`k`/`g`/`G`, arrows, home/end, page keys) only ever move.
"""

from __future__ import annotations

from dataclasses import dataclass

from crmtui.i18n import N_


@dataclass(frozen=True)
class Section:
    name: str
    title: str
    """An English msgid."""


SECTIONS: tuple[Section, ...] = (
    Section("everywhere", N_("Everywhere")),
    Section("lists", N_("Lists")),
    Section("today", N_("Today")),
    Section("customers", N_("Customers")),
    Section("interactions", N_("Interactions")),
    Section("complaints", N_("Complaints")),
    Section("complaint", N_("Complaint")),
    Section("dashboard", N_("Dashboard")),
    Section("team", N_("Team tables")),
    Section("profile", N_("Customer profile")),
    Section("forms", N_("Forms")),
    Section("filter", N_("Filter bar")),
    Section("help", N_("Help")),
)
"""The help screen's sections, in order; a screen names its own with KEYS_SECTION."""


@dataclass(frozen=True)
class KeyUse:
    """One key (or keys that are the same to the user, like `j` and `down`) and its meaning."""

    keys: tuple[str, ...]
    """Textual key names, the first the one shown."""
    meaning: str
    """An English msgid: what the key does, the same wherever it works."""
    where: tuple[str, ...]
    """The sections it works in."""
    ids: tuple[str, ...] = ()
    """The binding ids that do it (the names the config file's [keys] table remaps)."""
    planned: bool = False
    """Reserved for a feature being built: no screen binds it yet, and help does not show it,
    but no other action may take the key."""


KEY_TABLE: tuple[KeyUse, ...] = (
    # -- everywhere ------------------------------------------------------------------------------
    KeyUse(("1",), N_("Today: what is due"), ("everywhere",), ("view-today",)),
    KeyUse(("2",), N_("Customers"), ("everywhere",), ("view-customers",)),
    KeyUse(("3",), N_("Interactions: the contact log"), ("everywhere",), ("view-interactions",)),
    KeyUse(("4",), N_("Complaints: the queue"), ("everywhere",), ("view-complaints",)),
    KeyUse(("5",), N_("Dashboard: the figures"), ("everywhere",), ("view-dashboard",)),
    KeyUse(
        ("question_mark",),
        N_("Help: every key (again: close it)"),
        ("everywhere", "help"),
        ("help", "help-close"),
    ),
    KeyUse(
        ("ctrl+p",),
        N_("Command palette: screens, actions, customers, #complaints"),
        ("everywhere",),
        ("command-palette",),
    ),
    KeyUse(
        ("escape",),
        N_("Back: close the screen, dialog or help; clear the filter"),
        ("everywhere", "profile", "complaint", "team", "forms", "filter", "help"),
        ("back", "form-cancel", "filter-clear", "help-close"),
    ),
    KeyUse(("q",), N_("Quit"), ("everywhere",), ("quit",)),
    KeyUse(
        ("ctrl+q",),
        N_("Quit (a form with changes asks first)"),
        ("everywhere", "forms"),
        ("quit-now",),
    ),
    KeyUse(
        ("r",),
        N_("Reload: read again what others saved"),
        ("today", "customers", "interactions", "profile", "dashboard", "team"),
        ("reload",),
    ),
    KeyUse(
        ("u",), N_("Undo your last change (shown first, then asked)"), ("everywhere",), ("undo",)
    ),
    # -- lists -------------------------------------------------------------------------------
    KeyUse(
        ("down", "j"),
        N_("Down: the next row (dashboard: the next figure)"),
        ("lists", "dashboard", "complaint", "help"),
        ("list-down", "figure-next", "scroll-down", "help-down", "picker-down"),
    ),
    KeyUse(
        ("up", "k"),
        N_("Up: the row before (dashboard: the figure before)"),
        ("lists", "dashboard", "complaint", "help"),
        ("list-up", "figure-previous", "scroll-up", "help-up", "picker-up"),
    ),
    KeyUse(("right",), N_("The next figure"), ("dashboard",), ("figure-next",)),
    KeyUse(("left",), N_("The figure before"), ("dashboard",), ("figure-previous",)),
    KeyUse(
        ("tab",),
        N_("The next field (dashboard: the next figure)"),
        ("forms", "dashboard"),
        ("figure-next",),
    ),
    KeyUse(
        ("shift+tab",),
        N_("The field before (dashboard: the figure before)"),
        ("forms", "dashboard"),
        ("figure-previous",),
    ),
    KeyUse(("g", "home"), N_("Top: the first row"), ("lists",), ("list-top",)),
    KeyUse(("G", "end"), N_("Bottom: the last row"), ("lists",), ("list-bottom",)),
    KeyUse(
        ("pagedown",),
        N_("A page down"),
        ("lists", "dashboard"),
        ("list-page-down", "dashboard-page-down"),
    ),
    KeyUse(
        ("pageup",), N_("A page up"), ("lists", "dashboard"), ("list-page-up", "dashboard-page-up")
    ),
    KeyUse(
        ("enter",),
        N_(
            "Open the highlighted row: the customer, the complaint, the figure "
            "(on a profile tab: edit it; in a form: the next field)"
        ),
        (
            "lists",
            "today",
            "customers",
            "interactions",
            "complaints",
            "complaint",
            "dashboard",
            "team",
            "profile",
            "forms",
        ),
        ("profile", "complaint-open", "complaint-customer", "open-figure"),
    ),
    KeyUse(
        ("slash",),
        N_("Filter the list in place (help: search)"),
        ("today", "customers", "interactions", "complaints", "help"),
        ("filter", "help-search"),
    ),
    KeyUse(
        ("a",),
        N_("Mine or everyone's"),
        ("today", "customers", "interactions", "complaints", "dashboard"),
        ("scope",),
    ),
    KeyUse(("left_square_bracket",), N_("The tab before"), ("profile",), ("previous-tab",)),
    KeyUse(("right_square_bracket",), N_("The next tab"), ("profile",), ("next-tab",)),
    # -- on a customer ---------------------------------------------------------------------------
    KeyUse(
        ("l",),
        N_("Log a contact (the due item leaves Today)"),
        ("today", "profile", "interactions"),
        ("log",),
    ),
    KeyUse(("s",), N_("Snooze a due item to a later day"), ("today",), ("snooze",)),
    KeyUse(("o",), N_("Record an order"), ("profile",), ("order",)),
    KeyUse(("p",), N_("Record a promise"), ("profile",), ("promise",)),
    KeyUse(
        ("c",),
        N_("Add a care date (birthday, anniversary; solar or lunar)"),
        ("profile",),
        ("care-date",),
    ),
    KeyUse(("x",), N_("Record a complaint from the customer"), ("profile",), ("complaint",)),
    KeyUse(
        ("e",),
        N_("Edit: the customer's archive (on a profile tab: the highlighted row)"),
        ("customers", "profile"),
        ("edit",),
    ),
    KeyUse(
        ("d", "delete"),
        N_(
            "Delete or cancel the highlighted row (asks first): a record, a contact, an appointment"
        ),
        ("today", "profile"),
        ("delete-row", "remove-contact", "cancel-appointment"),
    ),
    KeyUse(
        ("n",),
        N_("New: a new item of the list you are on (customer, complaint, contact)"),
        ("customers", "complaints", "profile"),
        ("new-customer", "new-complaint", "new-contact"),
    ),
    KeyUse(("R",), N_("Regrade: need, expected close, or pin a grade"), ("profile",), ("regrade",)),
    KeyUse(("P",), N_("The account plan (key customers)"), ("profile",), ("account-plan",)),
    KeyUse(
        ("S",),
        N_("A satisfaction survey (after a closed complaint too)"),
        ("profile", "complaints", "complaint"),
        ("survey",),
    ),
    KeyUse(
        ("O",),
        N_("Give it to someone else: the customer's owner (managers), the complaint's handler"),
        ("profile", "complaints", "complaint"),
        ("reassign", "complaint-owner"),
    ),
    KeyUse(("v",), N_("The value class, by judgement"), ("profile",), ("value-class",)),
    KeyUse(
        ("T",),
        N_("Lifecycle: terminate the customer, or make them active again"),
        ("profile",),
        ("lifecycle",),
    ),
    KeyUse(
        ("b",),
        N_("Book an appointment with the customer: a time, how long, what for"),
        ("today", "profile"),
        ("book",),
    ),
    KeyUse(
        ("m",),
        N_("Move the highlighted appointment to another time"),
        ("today",),
        ("move-appointment",),
    ),
    KeyUse(
        ("t",),
        N_("Tomorrow: the evening's plan, its schedule and due list (again: today)"),
        ("today",),
        ("tomorrow",),
    ),
    KeyUse(
        ("i",),
        N_("Give the owner an instruction about the customer (managers)"),
        ("profile",),
        ("instruct",),
    ),
    KeyUse(
        ("f",),
        N_("Report a manager's instruction carried out, with a note"),
        ("today",),
        ("report-done",),
    ),
    KeyUse(
        ("dollar_sign",),
        N_(
            "Record a payment: on an overdue order (Today), on the "
            "highlighted order (the profile's Orders tab)"
        ),
        ("today", "profile"),
        ("payment",),
    ),
    # -- complaints --------------------------------------------------------------------------
    KeyUse(
        ("A",),
        N_("Acknowledge a complaint: the time promised to the customer"),
        ("complaints", "complaint"),
        ("complaint-ack",),
    ),
    KeyUse(
        ("w",), N_("Start work on a complaint"), ("complaints", "complaint"), ("complaint-work",)
    ),
    KeyUse(
        ("W",),
        N_("Wait for the customer: the resolution clock pauses (again: resume)"),
        ("complaints", "complaint"),
        ("complaint-wait",),
    ),
    KeyUse(
        ("F",),
        N_("Resolve a complaint: the fix and the root cause"),
        ("complaints", "complaint"),
        ("complaint-resolve",),
    ),
    KeyUse(
        ("C",),
        N_("Close a resolved complaint, with the customer's satisfaction"),
        ("complaints", "complaint"),
        ("complaint-close",),
    ),
    KeyUse(
        ("Z",),
        N_("Reopen a complaint whose fix did not hold"),
        ("complaints", "complaint"),
        ("complaint-reopen",),
    ),
    KeyUse(
        ("exclamation_mark",),
        N_("Severity of a complaint (the deadlines follow)"),
        ("complaints", "complaint"),
        ("complaint-severity",),
    ),
    KeyUse(
        ("N",),
        N_("A note on a complaint's timeline"),
        ("complaints", "complaint"),
        ("complaint-note",),
    ),
    # -- figures -----------------------------------------------------------------------------
    KeyUse(
        ("z",),
        N_("Period: 7, 30 or 90 days; month, quarter or year"),
        ("dashboard", "team"),
        ("dashboard-period", "team-period"),
    ),
    KeyUse(
        ("greater_than_sign",),
        N_("Sort: the next order (tables: by the column under the cursor)"),
        ("customers", "team"),
        ("sort",),
    ),
    # -- forms -------------------------------------------------------------------------------
    KeyUse(("ctrl+s",), N_("Save the form"), ("forms",), ("form-save",)),
    KeyUse(
        ("ctrl+r",),
        N_("After a conflict: reload their version, keep your changes"),
        ("forms",),
        ("form-reload",),
    ),
)


def entry_for(key: str) -> KeyUse | None:
    return _BY_KEY.get(key)


def section_entries(section: str) -> list[KeyUse]:
    """The entries shown in a section of help (planned ones are not)."""
    return [use for use in KEY_TABLE if section in use.where and not use.planned]


def section_named(name: str) -> Section:
    return next(section for section in SECTIONS if section.name == name)


_BY_KEY: dict[str, KeyUse] = {}
for _use in KEY_TABLE:
    for _key in _use.keys:
        if _key in _BY_KEY:  # pragma: no cover - the table itself is wrong
            raise RuntimeError(f"key {_key!r} is in the key table twice")
        _BY_KEY[_key] = _use


KEY_LABELS = {
    "question_mark": "?",
    "slash": "/",
    "left_square_bracket": "[",
    "right_square_bracket": "]",
    "exclamation_mark": "!",
    "greater_than_sign": ">",
    "dollar_sign": "$",
    "pagedown": "pgdn",
    "pageup": "pgup",
    "down": "↓",
    "up": "↑",
    "right": "→",
    "left": "←",
    "delete": "del",
}


def key_label(key: str) -> str:
    """A key as the README writes it (the app shows Textual's own display)."""
    return KEY_LABELS.get(key, key)


README_START = "<!-- keys: written by `python tools/keys.py readme` from crmtui/keys.py -->"
README_END = "<!-- /keys -->"


def readme_table() -> str:
    """The README's key table: one line per key, its one meaning, and where it works."""
    titles = {section.name: section.title for section in SECTIONS}
    lines = ["| key | what it does | where |", "|---|---|---|"]
    for use in KEY_TABLE:
        if use.planned:
            continue
        keys = " ".join(f"`{key_label(key)}`" for key in use.keys).replace("`|`", "`\\|`")
        where = ", ".join(titles[name] for name in use.where)
        lines.append(f"| {keys} | {use.meaning} | {where} |")
    return "\n".join(lines)


def readme_section() -> str:
    return f"{README_START}\n{readme_table()}\n{README_END}"
