// The registry of activity kinds: the module of each kind this page draws
// (static/js/kinds/<kind>.js, docs/kinds.md), at the URLs the server lists in the page. Pages
// load them all at once; the phone (its list marked data-lazy) loads a kind's module when it
// first has an activity of that kind to draw, so its first load on the hall's Wi-Fi carries no
// module it may never run (the server preloads the current activity's with the page). A kind's
// style sheet (static/css/kinds/<kind>.css) comes with its module: in the page when the module
// is preloaded, else linked here, and the kind is drawn once both are in. So are its own
// strings (`statements.agree`): in the page for the kinds it draws now, else fetched here.

import { learn } from "./i18n.js";

const block = document.getElementById("kinds");
const listed = JSON.parse(block?.textContent || "{}");
const sheets = JSON.parse(document.getElementById("kind-sheets")?.textContent || "{}");
const own = JSON.parse(document.getElementById("kind-strings")?.textContent || "{}");
const modules = new Map();
const loads = new Map();
const settled = new Set();
const PLAIN = { input: false }; // a kind the page has no module for: its title and text only

/** Links a kind's sheet; resolves when it is in or failed to load (the kind then draws unstyled). */
function link(href) {
  const sheet = Object.assign(document.createElement("link"), { rel: "stylesheet", href });
  const done = new Promise((resolve) => { sheet.onload = sheet.onerror = resolve; });
  document.head.append(sheet);
  return done;
}

/** Loads a kind's module (and sheet) once; resolves when it is in, or failed to load (then it draws as PLAIN). */
export function load(name) {
  if (!loads.has(name)) {
    const url = listed[name];
    const module = url ? import(url).then((loaded) => { modules.set(name, loaded.default); }) : Promise.resolve();
    const styled = sheets[name] ? link(sheets[name]) : null;
    const worded = own[name] ? fetch(own[name]).then((response) => (response.ok ? response.json() : {})).then(learn) : null;
    loads.set(name, Promise.all([module, styled, worded]).catch(() => {}).finally(() => settled.add(name)));
  }
  return loads.get(name);
}

/** Whether a kind's module has been tried: loaded, failed, or not one the page lists. */
export const known = (name) => settled.has(name) || !listed[name];

/** Resolves once every listed kind's module has loaded or failed to; at once where they load lazily. */
export const ready = block?.hasAttribute("data-lazy") ? Promise.resolve() : Promise.allSettled(Object.keys(listed).map(load));

/** The module of an activity's kind (an activity of a view or of the record). */
export const kindOf = (activity) => modules.get(activity?.kind) || PLAIN;
