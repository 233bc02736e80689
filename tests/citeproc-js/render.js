// The oracle of refconv's formatting tests: citeproc-js renders a bibliography.
// stdin: {"styles": {name: xml}, "locales": {tag: xml}, "items": [CSL-JSON], "format": "text"}
// stdout: {name: [entry, ...]} (entries in bibliography order, trimmed), or {name: {"error": msg}}
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
      const [, entries] = engine.makeBibliography();
      out[name] = entries.map((e) => e.trim());
    } catch (err) {
      out[name] = { error: String(err) };
    }
  }
  process.stdout.write(JSON.stringify(out));
});
