// The oracle of refconv's formatting tests: citeproc-js renders a bibliography.
// stdin: {"styles": {name: xml}, "locales": {tag: xml}, "items": [CSL-JSON], "format": "text"}
// stdout: {name: {"entries": [entry, ...], "ids": [item id, ...]}} (entries in bibliography
// order, trimmed, and the id of the item each renders: makeBibliography's entry_ids), or
// {name: {"error": msg}}
"use strict";
const CSL = require("citeproc");

let input = "";
process.stdin.on("data", (chunk) => { input += chunk; });
process.stdin.on("end", () => {
  const job = JSON.parse(input);
  const byId = Object.fromEntries(job.items.map((item) => [String(item.id), item]));
  const sys = {
    retrieveLocale: (tag) => job.locales[tag] || job.locales[tag.split("-")[0]] || false,
    retrieveItem: (id) => byId[id],
  };
  const out = {};
  for (const [name, xml] of Object.entries(job.styles)) {
    try {
      const engine = new CSL.Engine(sys, xml, job.lang || undefined);
      engine.setOutputFormat(job.format || "text");
      engine.updateItems(job.items.map((item) => String(item.id)));
      const [params, entries] = engine.makeBibliography();
      let ids = params.entry_ids.map((group) => String(group[0]));
      if (ids.length !== entries.length) {
        // an item that renders empty keeps its id but has no entry: ask for one entry a page
        ids = ids.filter((id, k) => engine.makeBibliography(
          { page_start: k ? ids[k - 1] : true, page_length: 1 })[1].length);
        if (ids.length !== entries.length) throw new Error("entries and entry_ids differ");
      }
      out[name] = { entries: entries.map((e) => e.trim()), ids };
    } catch (err) {
      out[name] = { error: String(err) };
    }
  }
  process.stdout.write(JSON.stringify(out));
});
