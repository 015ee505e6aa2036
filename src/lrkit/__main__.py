"""``python -m lrkit``: the lrkit command line (the same as the ``lrkit`` command)."""

import sys

from lrkit._cli.main import main

if __name__ == "__main__":
    sys.exit(main())
