// Ranked bars for the kinds that put a list of items in order (a ranking by Borda score, points
// by their total): one row per item, best first, with its place, its text, a bar and its count.
// Its styles are in app.css (and the projector's in screen.css).

/**
 * `rows`: [{id, rank, label, share (of a full bar, 0–100), count, detail, data}], best first;
 * `testid` names the whole, `empty` is said when there are no items, `total` goes below.
 */
export function standingBars(h, rows, { testid, empty, total }) {
  // A long list gets smaller rows on the projector, so every item fits (standings.css).
  const size = rows.length > 14 ? " many lots" : rows.length > 8 ? " many" : "";
  return h("div", { class: `results standings${size}`, dataset: { testid } },
    rows.length ? h("ol", { class: "bars" }, rows.map((row) => {
      const fill = h("span", { class: "bar-fill" });
      fill.style.width = `${row.share}%`; // the CSSOM: the page's CSP refuses style attributes
      return h("li", { key: row.id, class: "bar-row", dataset: row.data },
        h("span", { class: "place" }, `${row.rank}.`),
        h("span", { class: "bar-label", dir: "auto" }, row.label),
        h("span", { class: "bar-track" }, fill),
        h("span", { class: "bar-count" }, row.count, h("small", {}, ` ${row.detail}`)));
    })) : h("p", { class: "muted" }, empty),
    total);
}
