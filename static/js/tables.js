// Round tables (docs/protocol.md, "Tables"): an activity answered per table comes with
// `scope: "table"` and one part per table in `parts`. Each page draws a table's part with the
// kind's own module, as if it were the whole room's activity; these helpers make that part.

import { t } from "./i18n.js";

/** A table as people call it: its name in the page's language, else "Table 3". */
export function tableName(tables, id, text) {
  const table = (tables || []).find((each) => each.id === id);
  const named = table && Object.keys(table.name || {}).length ? text(table.name) : "";
  return named || t("tables.numbered", { n: Number(String(id).slice(1)) });
}

/** One table's part of an activity answered per table, read as an activity of its own: the
 *  activity's fields with the part's, and `table` naming it (a console's commands carry it). */
export function partOf(activity, table) {
  const part = (activity.parts || []).find((each) => each.table === table);
  if (!part) return null;
  const own = { ...activity, ...part };
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
