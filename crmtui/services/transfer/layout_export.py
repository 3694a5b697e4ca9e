"""A customer written as a row of Google's or Outlook's CSV layout (`crmtui export --format csv
--layout google`): their headers, crmtui's own fields as Google custom fields, Outlook's dates."""

from __future__ import annotations

from collections.abc import Sequence

from crmtui.i18n import _
from crmtui.services.transfer.layouts import GOOGLE_SEPARATOR, OUTLOOK_PHONES
from crmtui.services.transfer.values import CareSpec
from crmtui.services.transfer.vcard import split_name

LAYOUTS = ("crmtui", "google", "outlook")


# crmtui's fields that Google has no column for, written as its custom fields (which import
# back); birthday and anniversary only when Google cannot hold them (lunar, no year for events).
GOOGLE_CUSTOM = (
    "im_id",
    "native_place",
    "education",
    "family",
    "goals",
    "opinions",
    "situation",
    "competitors",
    "membership",
    "need",
    "expected_close",
    "expected_amount",
    "grade",
    "grade_pinned",
    "pin_reason",
    "cadence",
    "status",
    "deal_status",
    "source",
    "credit_limit",
    "credit_rating",
    "owner",
    "last_contact",
    "next_step",
    "next_step_on",
    "birthday",
    "anniversary",
)


GOOGLE_HEADER = (
    "Name",
    "Given Name",
    "Family Name",
    "Birthday",
    "Hobby",
    "Notes",
    "Group Membership",
    "E-mail 1 - Type",
    "E-mail 1 - Value",
    "Phone 1 - Type",
    "Phone 1 - Value",
    "Address 1 - Type",
    "Address 1 - Formatted",
    "Organization 1 - Type",
    "Organization 1 - Name",
    "Organization 1 - Title",
    "Event 1 - Type",
    "Event 1 - Value",
    *(
        f"Custom Field {n} - {part}"
        for n in range(1, len(GOOGLE_CUSTOM) + 1)
        for part in ("Type", "Value")
    ),
)


# Outlook's own CSV header, in its order.
OUTLOOK_HEADER = (
    "Title",
    "First Name",
    "Middle Name",
    "Last Name",
    "Suffix",
    "Company",
    "Department",
    "Job Title",
    "Business Street",
    "Business Street 2",
    "Business Street 3",
    "Business City",
    "Business State",
    "Business Postal Code",
    "Business Country/Region",
    "Home Street",
    "Home Street 2",
    "Home Street 3",
    "Home City",
    "Home State",
    "Home Postal Code",
    "Home Country/Region",
    "Other Street",
    "Other Street 2",
    "Other Street 3",
    "Other City",
    "Other State",
    "Other Postal Code",
    "Other Country/Region",
    "Assistant's Phone",
    "Business Fax",
    "Business Phone",
    "Business Phone 2",
    "Callback",
    "Car Phone",
    "Company Main Phone",
    "Home Fax",
    "Home Phone",
    "Home Phone 2",
    "ISDN",
    "Mobile Phone",
    "Other Fax",
    "Other Phone",
    "Pager",
    "Primary Phone",
    "Radio Phone",
    "TTY/TDD Phone",
    "Telex",
    "Account",
    "Anniversary",
    "Assistant's Name",
    "Billing Information",
    "Birthday",
    "Business Address PO Box",
    "Categories",
    "Children",
    "Directory Server",
    "E-mail Address",
    "E-mail Type",
    "E-mail Display Name",
    "E-mail 2 Address",
    "E-mail 2 Type",
    "E-mail 2 Display Name",
    "E-mail 3 Address",
    "E-mail 3 Type",
    "E-mail 3 Display Name",
    "Gender",
    "Government ID Number",
    "Hobby",
    "Home Address PO Box",
    "Initials",
    "Internet Free Busy",
    "Keywords",
    "Language",
    "Location",
    "Manager's Name",
    "Mileage",
    "Notes",
    "Office Location",
    "Organizational ID Number",
    "Other Address PO Box",
    "Priority",
    "Private",
    "Profession",
    "Referred By",
    "Sensitivity",
    "Spouse",
    "User 1",
    "User 2",
    "User 3",
    "User 4",
    "Web Page",
)


OUTLOOK_EMPTY_DATE = "0/0/00"


def google_row(
    values: dict[str, str],
    phones: Sequence[str],
    tags: Sequence[str],
    birthday: CareSpec | None,
    anniversary: CareSpec | None,
) -> list[str]:
    """One customer in Google's layout; `values` are the export's text by crmtui column."""
    family, given = split_name(values["name"])
    custom = dict(values)
    birthday_text = ""
    if birthday is not None and not birthday.lunar:
        birthday_text, custom["birthday"] = birthday.to_text(), ""
    event_type = event_value = ""
    if anniversary is not None and not anniversary.lunar and anniversary.year:
        event_type, event_value, custom["anniversary"] = "Anniversary", anniversary.to_text(), ""
    groups = ["* myContacts"] + [("* starred" if t == "starred" else t) for t in tags]
    row = {
        "Name": values["name"],
        "Given Name": given,
        "Family Name": family,
        "Birthday": birthday_text,
        "Hobby": values["personality"],
        "Notes": values["notes"],
        "Group Membership": GOOGLE_SEPARATOR.join(groups),
        "E-mail 1 - Value": values["email"],
        "Phone 1 - Value": GOOGLE_SEPARATOR.join(phones),
        "Address 1 - Formatted": values["address"],
        "Organization 1 - Name": values["company"],
        "Organization 1 - Title": values["title"],
        "Event 1 - Type": event_type,
        "Event 1 - Value": event_value,
    }
    for number, name in enumerate(GOOGLE_CUSTOM, start=1):
        row[f"Custom Field {number} - Type"] = name
        row[f"Custom Field {number} - Value"] = custom.get(name, "")
    return [row.get(title, "") for title in GOOGLE_HEADER]


def outlook_row(
    values: dict[str, str],
    phones: Sequence[str],
    tags: Sequence[str],
    birthday: CareSpec | None,
    anniversary: CareSpec | None,
) -> list[str]:
    """One customer in Outlook's layout: what Outlook has columns for."""
    family, given = split_name(values["name"])
    notes = [values["notes"]] if values["notes"] else []
    row = {
        "First Name": given,
        "Last Name": family,
        "Company": values["company"],
        "Job Title": values["title"],
        "Business Street": values["address"],
        "E-mail Address": values["email"],
        "Hobby": values["personality"],
        "Categories": ";".join(tags),
    }
    # in the order the import reads them back, without Primary (whose kind is not known)
    slots = [t for t in OUTLOOK_PHONES if t not in ("Assistant's Phone", "Primary Phone")]
    for slot, phone in zip(slots, phones, strict=False):
        row[slot] = phone
    for phone in phones[len(slots) :]:
        notes.append(_("Phone: {number}").format(number=phone))
    for title, spec in (("Birthday", birthday), ("Anniversary", anniversary)):
        if spec is not None and spec.year and not spec.lunar:
            row[title] = f"{spec.month}/{spec.day}/{spec.year}"
        else:
            row[title] = OUTLOOK_EMPTY_DATE
            if spec is not None:
                notes.append(f"{title}: {spec.to_text()}")
    row["Notes"] = "\n".join(notes)
    return [row.get(title, "") for title in OUTLOOK_HEADER]
