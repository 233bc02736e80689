"""The floor of a Refer → JSON conversion in Python: split the records at blank lines, the
lines at their tag, and dump them (issue 18). No mapping, names, dates or checks: what any
Python reader must at least do, so refconv's CPU time is reported as a multiple of it.

    python benchmarks/floor.py < corpus.enw > out.json
"""

from __future__ import annotations

import json
import sys


def main() -> None:
    out = sys.stdout
    out.write("[")
    first = True
    record: dict[str, list[str]] = {}
    last = ""
    for line in sys.stdin:
        line = line.rstrip("\r\n")
        if line[:1] == "%" and len(line) > 2 and line[2:3] in (" ", ""):
            last = line[1]
            record.setdefault(last, []).append(line[3:])
        elif line.strip():
            if last:
                record[last][-1] += " " + line.strip()  # a continuation line
        elif record:
            out.write(("" if first else ",") + json.dumps(record, ensure_ascii=False))
            first, record, last = False, {}, ""
    if record:
        out.write(("" if first else ",") + json.dumps(record, ensure_ascii=False))
    out.write("]\n")


if __name__ == "__main__":
    main()
