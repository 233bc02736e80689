"""An example refconv writer plugin: one tab-separated line per record."""

from refconv import Writer


class TsvWriter(Writer):
    """Write key, type, year and title, tab-separated, with a header line."""

    name = "tsv"
    aliases = ("tab",)
    suffixes = (".tsv",)
    description = "Tab-separated summary: id, type, year, title"

    def write(self, records, out):
        out.write("id\ttype\tyear\ttitle\n")
        for record in records:
            issued = record.dates.get("issued")
            year = str(issued.year) if issued and issued.year else ""
            title = " ".join(record.fields.get("title", "").split())
            out.write(f"{record.id}\t{record.type}\t{year}\t{title}\n")
