"""``python -m aquastream`` is the ``aquastream`` command."""

from aquastream.cli import main

main()
