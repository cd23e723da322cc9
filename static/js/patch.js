// Keyed, minimal DOM updates: describe the page as fresh nodes, then patch the live page to match,
// keeping every node that is still wanted (and with it focus, selection, scroll and an open
// on-screen keyboard). Text always goes in as text (textContent), never as HTML.

const KEY = Symbol("key"); // a node's identity among its siblings (an activity, option, note id)
const USE = Symbol("use"); // a placeholder for a live node that must be kept as it is
const ON = Symbol("on"); // the node's current handlers: patching swaps them, never stacks them

function listen(node, type, handler) {
  if (!node[ON]) node[ON] = {};
  if (!(type in node[ON])) node.addEventListener(type, (event) => node[ON][type]?.(event));
  node[ON][type] = handler;
}

/**
 * el("button", {key: "a", class: "choice", onclick: fn, dataset: {testid: "x"}}, "Label", child, ...)
 * A new element with its attributes, children, `key` (sibling identity for patch()) and
 * handlers that patch() can replace. Strings and numbers become text nodes; null/false
 * children are skipped.
 */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name === "key") node[KEY] = String(value);
    else if (name.startsWith("on") && typeof value === "function") listen(node, name.slice(2), value);
    else if (name === "dataset") for (const [k, v] of Object.entries(value)) { if (v !== null && v !== undefined) node.dataset[k] = v; }
    else if (name === "class") node.className = value;
    else if (value === true) node.setAttribute(name, "");
    else node.setAttribute(name, String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/** A stand-in for `node` in a tree given to patch(): the live node is put there untouched. */
export function keep(node, key) {
  const stand = document.createElement(node.tagName);
  stand[USE] = node;
  stand[KEY] = key;
  stand.setAttribute("data-patch-keep", "");
  return stand;
}

// A new subtree goes in whole: put the kept live nodes in place of their stand-ins first.
function resolve(node) {
  if (node.nodeType !== Node.ELEMENT_NODE) return node;
  for (const stand of node.querySelectorAll("[data-patch-keep]")) stand.replaceWith(stand[USE]);
  return node;
}

/** Make the children of `parent` look like `children`, reusing the nodes already there. */
export function patch(parent, ...children) {
  patchChildren(parent, children.flat().filter((c) => c !== null && c !== undefined && c !== false));
}

function same(a, b) {
  return a.nodeType === b.nodeType && a.nodeName === b.nodeName && a[KEY] === b[KEY];
}

function patchChildren(parent, wanted) {
  const old = Array.from(parent.childNodes);
  const keyed = new Map();
  for (const node of old) if (node[KEY] !== undefined) keyed.set(node[KEY], node);
  const used = new Set();
  let cursor = 0; // unkeyed nodes match in order
  const result = wanted.map((want) => {
    if (want[USE]) { used.add(want[USE]); return want[USE]; }
    let match = null;
    if (want[KEY] !== undefined) {
      const found = keyed.get(want[KEY]);
      if (found && !used.has(found) && same(found, want)) match = found;
    } else {
      for (let i = cursor; i < old.length; i += 1) {
        if (old[i][KEY] === undefined && !used.has(old[i]) && same(old[i], want)) { match = old[i]; cursor = i + 1; break; }
      }
    }
    if (!match) return resolve(want);
    used.add(match);
    morph(match, want);
    return match;
  });
  for (const node of old) if (!used.has(node)) node.remove();
  // Move only what is out of place: moving a node would take the focus away from it.
  let next = parent.firstChild;
  for (const node of result) {
    if (node === next) next = next.nextSibling;
    else parent.insertBefore(node, next);
  }
}

function morph(node, want) {
  if (node.nodeType !== Node.ELEMENT_NODE) {
    if (node.nodeValue !== want.nodeValue) node.nodeValue = want.nodeValue;
    return;
  }
  for (const { name } of Array.from(node.attributes)) if (!want.hasAttribute(name)) node.removeAttribute(name);
  for (const { name, value } of Array.from(want.attributes)) {
    // The style attribute can't be set under the page's CSP; the CSSOM can (a poll's bars).
    if (name === "style") { if (node.style.cssText !== want.style.cssText) node.style.cssText = want.style.cssText; }
    else if (node.getAttribute(name) !== value) node.setAttribute(name, value);
  }
  for (const [type, handler] of Object.entries(want[ON] || {})) listen(node, type, handler);
  for (const type of Object.keys(node[ON] || {})) if (!want[ON]?.[type]) node[ON][type] = null;
  patchChildren(node, Array.from(want.childNodes));
}
