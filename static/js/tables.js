// Round tables (docs/protocol.md, "Tables"): an activity answered per table comes with
// `scope: "table"` and one part per table in `parts`. Each page draws a table's part with the
// kind's own module, as if it were the whole room's activity; these helpers make that part.
// The phone loads this module only in a meeting with tables (participant.js).

import { t } from "./i18n.js";

/** A table as people call it: its name in the page's language, else "Table 3". */
export function tableName(tables, id, text) {
  const table = (tables || []).find((each) => each.id === id);
  const named = table && Object.keys(table.name || {}).length ? text(table.name) : "";
  return named || t("tables.numbered", { n: Number(String(id).slice(1)) });
}

/** One table's part of an activity answered per table, read as an activity of its own: the
 *  activity's fields with the part's, and `table` naming it (a console's commands carry it).
 *  On the phone of that table's scribe (`scribe` names its table), `scribe` is true. */
export function partOf(activity, table, scribe) {
  const part = (activity.parts || []).find((each) => each.table === table);
  if (!part) return null;
  const own = { ...activity, ...part, scribe: Boolean(scribe) && scribe === table };
  delete own.parts;
  delete own.scope;
  return own;
}

/** Every table's part, in the meeting's order of tables. */
export function everyPart(activity) {
  return (activity.parts || []).map((part) => partOf(activity, part.table));
}

/** What a command about an activity names: the activity, and the table for a table's part. */
export function target(activity) {
  return activity.table ? { activity: activity.id, table: activity.table } : { activity: activity.id };
}

/** The phone's choice of table, the one it sits at pressed; `choose(id)` sits there. */
export function picker(tables, current, { el, text, choose }) {
  return el("section", { key: "tables", class: "table-picker", dataset: { testid: "table-picker" } },
    el("h2", { id: "table-question" }, t("tables.choose")),
    el("div", { class: "choices", role: "group", "aria-labelledby": "table-question" }, tables.map((table) =>
      el("button", { type: "button", key: table.id, class: "choice", "aria-pressed": String(table.id === current), onclick: () => choose(table.id), dataset: { testid: `table-${table.id}` } },
        el("span", { class: "tick", "aria-hidden": "true" }), el("span", { dir: "auto" }, tableName(tables, table.id, text))))));
}

/** Under the title of an activity answered per table: where the phone sits, and a way to move;
 *  a scribe's phone (`scribe` names its table) says it writes for the table. */
export function seatLine(tables, table, { el, text, change, scribe }) {
  const name = tableName(tables, table, text);
  return el("p", { key: "seat", class: "seat", dataset: { testid: "seat" } },
    el("span", { dir: "auto" }, t("tables.yours", { table: name })), " ",
    scribe === table ? el("strong", { class: "pill", dataset: { testid: "scribe-badge" } }, t("tables.scribe_yours", { table: name })) : null, " ",
    el("button", { type: "button", class: "link", onclick: change, dataset: { testid: "change-table" } }, t("tables.change")));
}

// A table's own QR code opens the phone's page with ?table=t3: the phone sits there, once. The
// scribe's code of a table (the console shows it) adds &scribe=…: the phone writes for the table.
const query = new URLSearchParams(window.location.search);
let wanted = query.get("table");
const scribeCode = query.get("scribe");

/** Sit where the page's address says, once, and take it out of the address, so that a reload
 *  keeps the table the person chose since. */
export function sitWhereTheCodeSays(tables, seat, send) {
  if (!wanted) return;
  if (tables.some((table) => table.id === wanted)) {
    if (scribeCode) send("scribe_for", { table: wanted, code: scribeCode });
    else if (seat !== wanted) send("sit", { table: wanted });
  }
  wanted = null;
  const url = new URL(window.location.href);
  url.searchParams.delete("table");
  url.searchParams.delete("scribe");
  window.history.replaceState(null, "", url);
}
