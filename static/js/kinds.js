// The registry of activity kinds: the module of each kind this page draws
// (static/js/kinds/<kind>.js, docs/kinds.md), at the URLs the server lists in the page.

const node = document.getElementById("kinds");
const listed = JSON.parse(node?.textContent || "{}");
// The phone's list is marked lazy: it fetches a kind's module when an activity of that kind is
// first shown, so its first load does not grow with every kind the plan uses.
const lazy = node?.hasAttribute("data-lazy") ?? false;
const modules = new Map();
const loading = new Map();
const PLAIN = { input: false }; // a kind the page has no module for: its title and text only

/** Fetch a kind's module, once; resolves when it is in, or has failed (it then draws as PLAIN). */
export function load(name) {
  if (!Object.prototype.hasOwnProperty.call(listed, name)) return Promise.resolve();
  if (!loading.has(name)) {
    loading.set(name, import(listed[name]).then((module) => { modules.set(name, module.default); }, () => { modules.set(name, PLAIN); }));
  }
  return loading.get(name);
}

/** Resolves once every listed kind's module is in (on a lazy page: at once; see `has`). */
export const ready = lazy ? Promise.resolve() : Promise.allSettled(Object.keys(listed).map(load));

/** Whether the module of an activity's kind is in, or there is none to fetch. */
export const has = (activity) => !activity || !Object.prototype.hasOwnProperty.call(listed, activity.kind) || modules.has(activity.kind);

/** The module of an activity's kind (an activity of a view or of the record). */
export const kindOf = (activity) => modules.get(activity?.kind) || PLAIN;
