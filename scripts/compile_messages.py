"""Compile the .po catalogues into .mo files with Babel (no system gettext needed)."""

import sys
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

root = Path(__file__).resolve().parent.parent / "partsmall" / "locale"
count = 0
for po_path in root.glob("*/LC_MESSAGES/*.po"):
    with po_path.open("rb") as handle:
        catalog = read_po(handle)
    with po_path.with_suffix(".mo").open("wb") as handle:
        write_mo(handle, catalog)
    count += 1
print(f"compiled {count} message catalogue(s)", file=sys.stderr)
