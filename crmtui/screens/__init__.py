"""Textual screens, one module per screen, and their dialogs (crmtui.screens.dialogs)."""

from crmtui.screens.views import VIEWS, View, view_named

__all__ = ["VIEWS", "View", "view_named"]
