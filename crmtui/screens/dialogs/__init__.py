"""Modal dialogs. Each is a ModalScreen that always dismisses: with its result, or None."""

from crmtui.screens.dialogs.care import CareDialog
from crmtui.screens.dialogs.complaint import (
    AcknowledgeDialog,
    CloseDialog,
    NewComplaintDialog,
    NoteDialog,
    OwnerDialog,
    ReopenDialog,
    ResolveDialog,
    SeverityDialog,
)
from crmtui.screens.dialogs.customer import CustomerForm
from crmtui.screens.dialogs.form import FormDialog
from crmtui.screens.dialogs.log import LogDialog, Logged, LogTarget
from crmtui.screens.dialogs.small import (
    GradeFacts,
    OrderDialog,
    PromiseDialog,
    RegradeDialog,
    SnoozeDialog,
)

__all__ = [
    "AcknowledgeDialog",
    "CareDialog",
    "CloseDialog",
    "CustomerForm",
    "FormDialog",
    "GradeFacts",
    "LogDialog",
    "LogTarget",
    "Logged",
    "NewComplaintDialog",
    "NoteDialog",
    "OrderDialog",
    "OwnerDialog",
    "PromiseDialog",
    "RegradeDialog",
    "ReopenDialog",
    "ResolveDialog",
    "SeverityDialog",
    "SnoozeDialog",
]
