"""``python -m regionkg.cli``: the same as the ``regionkg`` command."""

from regionkg.cli import main

main()
