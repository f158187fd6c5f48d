"""`python -m assessor` runs the same entry point as the `assessor` command."""

import sys

from assessor.cli import main

sys.exit(main())
