"""``python -m regionkg``: the same as the ``regionkg`` command."""

from regionkg.cli import main

main()
