"""Getting customers in and out: CSV (crmtui's, Google's and Outlook's layouts), Excel
workbooks, vCard files and vdirs in; the same, iCalendar and JSON out; contacts travel with
their customer in each.

The modules import vobject, icalendar and openpyxl only when a file of their kind is read or
written, so the everyday commands never load them.
"""
