// The oracle of refconv's formatting tests: citeproc-js renders a bibliography.
// stdin: {"styles": {name: xml}, "locales": {tag: xml}, "items": [CSL-JSON], "format": "text"}
// stdout: {name: [entry, ...]} (entries in bibliography order, trimmed), or {name: {"error": msg}};
// with "ids": true in the job {name: {"entries": [entry, ...], "ids": [item id, ...]}}, the id of
// the item each entry renders (makeBibliography's entry_ids)
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
      if (job.ids && ids.length !== entries.length) {
        // an item that renders empty keeps its id but has no entry: ask for one entry a page
        ids = ids.filter((id, k) => engine.makeBibliography(
          { page_start: k ? ids[k - 1] : true, page_length: 1 })[1].length);
        if (ids.length !== entries.length) throw new Error("entries and entry_ids differ");
      }
      const trimmed = entries.map((e) => e.trim());
      out[name] = job.ids ? { entries: trimmed, ids } : trimmed;
    } catch (err) {
      out[name] = { error: String(err) };
    }
  }
  process.stdout.write(JSON.stringify(out));
});
