"""Subcommands of the crmtui command line, one module per area."""
