// The registry of activity kinds: the module of each kind this page draws
// (static/js/kinds/<kind>.js, docs/kinds.md), at the URLs the server lists in the page.

const listed = JSON.parse(document.getElementById("kinds")?.textContent || "{}");
const modules = new Map();
const PLAIN = { input: false }; // a kind the page has no module for: its title and text only

/** Resolves once every listed kind's module has loaded or failed to (then it draws as PLAIN). */
export const ready = Promise.allSettled(Object.entries(listed).map(async ([name, url]) => {
  modules.set(name, (await import(url)).default);
}));

/** The module of an activity's kind (an activity of a view or of the record). */
export const kindOf = (activity) => modules.get(activity?.kind) || PLAIN;
