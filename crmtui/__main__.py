"""`python -m crmtui` and the `crmtui` command."""

import sys


def run() -> None:
    from crmtui.loading import loading

    loading()
    from crmtui.cli import main

    sys.exit(main())


if __name__ == "__main__":
    run()
