"""`python -m figures_src.notebooks`: execute the notebooks (see figures_src.notebooks.execute)."""

import sys

from .execute import main

sys.exit(main())
