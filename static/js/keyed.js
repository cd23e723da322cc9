// Keyed, minimal DOM updates for the console: describe the wanted content with `h`, and `patch`
// makes the page match it while keeping the nodes already there. The button the facilitator
// just pressed stays the same node, so it keeps the focus, and a screen reader hears only what
// changed. Text always goes in as text (textContent), never as HTML.

// Handlers are element properties (onclick, onchange…), not listeners, so a kept node can take
// the new closure of the same control: the one that knows the latest view.
const HANDLERS = ["onclick", "onchange", "oninput", "onsubmit", "onkeydown"];
// Properties a person changes by using the control; the attributes alone don't follow them.
const LIVE = ["checked", "value", "disabled"];

/**
 * h("button", {class: "primary", onclick: fn, key: "n42", dataset: {testid: "x"}}, "Label", …)
 * `key` identifies a child among its siblings across updates (a note's id); children without
 * one are matched by tag, in order. Strings and numbers become text; null/false are skipped.
 */
export function h(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (HANDLERS.includes(name)) node[name] = value;
    else if (name === "key") node.dataset.key = String(value);
    else if (name === "dataset") Object.assign(node.dataset, value);
    else if (name === "class") node.className = value;
    else if (LIVE.includes(name)) { node[name] = value; if (value === true) node.setAttribute(name, ""); }
    else if (value === true) node.setAttribute(name, "");
    else node.setAttribute(name, String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

const keyOf = (node) => (node.nodeType === Node.ELEMENT_NODE ? node.dataset.key : undefined);
const same = (a, b) => a.nodeType === b.nodeType && a.nodeName === b.nodeName && keyOf(a) === keyOf(b);

/** Make `parent`'s children match `children`, keeping (and updating) the nodes that match. */
export function patch(parent, ...children) {
  const wanted = children.flat(Infinity).filter((c) => c !== null && c !== undefined && c !== false)
    .map((c) => (c instanceof Node ? c : document.createTextNode(String(c))));
  const old = [...parent.childNodes];
  const byKey = new Map(old.filter((n) => keyOf(n) !== undefined).map((n) => [keyOf(n), n]));
  const used = new Set();
  let cursor = 0;
  const pairs = wanted.map((next) => {
    const key = keyOf(next);
    let match = key !== undefined ? byKey.get(key) : undefined;
    if (key === undefined) {
      for (let i = cursor; i < old.length; i++) {
        if (!used.has(old[i]) && keyOf(old[i]) === undefined && same(old[i], next)) { match = old[i]; cursor = i + 1; break; }
      }
    }
    if (match && !same(match, next)) match = undefined;
    if (match) used.add(match);
    return [match, next];
  });
  // Remove first, then place: a kept node is moved only when its order really changed, so
  // the focused one is not taken out of the page (which would drop the focus).
  for (const node of old) if (!used.has(node)) node.remove();
  pairs.forEach(([match, next], index) => {
    const node = match ? update(match, next) : next;
    const here = parent.childNodes[index];
    if (here !== node) parent.insertBefore(node, here || null);
  });
}

function update(node, next) {
  if (node.nodeType !== Node.ELEMENT_NODE) {
    if (node.nodeValue !== next.nodeValue) node.nodeValue = next.nodeValue;
    return node;
  }
  for (const { name } of [...node.attributes]) {
    if (!next.hasAttribute(name)) node.removeAttribute(name);
  }
  for (const { name, value } of [...next.attributes]) {
    // The style attribute can't be set under the page's CSP; the CSSOM can.
    if (name === "style") { if (node.style.cssText !== next.style.cssText) node.style.cssText = next.style.cssText; }
    else if (node.getAttribute(name) !== value) node.setAttribute(name, value);
  }
  if (!next.hasAttribute("style") && node.hasAttribute("style")) node.removeAttribute("style");
  for (const name of HANDLERS) if (node[name] !== next[name]) node[name] = next[name];
  if (node instanceof HTMLInputElement) {
    if (node.checked !== next.checked) node.checked = next.checked;
    if (node.disabled !== next.disabled) node.disabled = next.disabled;
  } else if (node instanceof HTMLButtonElement && node.disabled !== next.disabled) node.disabled = next.disabled;
  patch(node, ...next.childNodes);
  return node;
}
