"""The service layer: screens and commands call these; they open transactions, ask the rules,
and write through crmtui.db."""
