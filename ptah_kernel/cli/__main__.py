"""`python -m ptah_kernel.cli` runs the `ptah` command."""

import sys

from ptah_kernel.cli import main

sys.exit(main())
