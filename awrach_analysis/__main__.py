"""Allow ``python -m awrach_analysis``."""

import sys

from .cli import main

sys.exit(main())
