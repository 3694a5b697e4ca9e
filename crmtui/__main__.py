import sys

from crmtui.cli import main

sys.exit(main())
