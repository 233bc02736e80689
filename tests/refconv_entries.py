"""refconv's command line, run in this process, telling which CSL item each entry it writes
comes from, so that tests/test_citeproc_matrix.py pairs entries by item id (as citeproc-js
tells its `entry_ids`) instead of guessing partners by the words they share.

`python -m tests.refconv_entries IDS_FILE ARG...` writes exactly what `refconv ARG...` writes
(it runs `refconv.cli.main`) and the ids of the rendered entries, in the order written, to
IDS_FILE as a JSON list. It watches `write.render` (the records of a bibliography, the entries
it returns) and `write._render_chunk` (which record each rendered entry is: `render` returns
those not None without an error, in order); with `-j 1` the chunks render in this process.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from refconv.formats.csljson.tables import CSL_ID
from refconv.formats.formatted import write
from refconv.model import Record


def item_id(record: Record) -> str:
    """The id the CSL-JSON item had (kept beside a different `citation-key`)."""
    return (record.extra.get(CSL_ID) or [record.fields.get("citation-key", "")])[0]


def main(ids_file: str, args: list[str]) -> None:
    ids: list[str] = []
    rendered: list[int] = []
    render, render_chunk = write.render, write._render_chunk

    def chunk_spy(*a: Any, **k: Any) -> Any:
        done = render_chunk(*a, **k)
        rendered.extend(i for i, entry, error in done if entry is not None and error is None)
        return done

    def render_spy(records: list[Record], *a: Any, **k: Any) -> Any:
        rendered.clear()
        entries = render(records, *a, **k)
        assert len(rendered) == len(entries), "render no longer calls write._render_chunk"
        ids.extend(item_id(records[i]) for i in rendered)
        return entries

    write.render, write._render_chunk = render_spy, chunk_spy  # type: ignore[assignment]
    sys.argv = ["refconv", *args]
    try:
        from refconv.cli import main as cli

        cli()
    finally:
        with open(ids_file, "w", encoding="utf-8") as f:
            json.dump(ids, f)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:])
