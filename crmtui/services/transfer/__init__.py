"""Getting customers in and out: CSV and vCard import; CSV, vCard, iCalendar and JSON export.

The modules import vobject and icalendar only when a file of their kind is read or written, so
the everyday commands never load them.
"""
