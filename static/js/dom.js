// Building DOM nodes. Text always goes in as text (textContent), never as HTML.

/**
 * h("button", {class: "primary", onclick: fn, dataset: {testid: "x"}}, "Label", child, ...)
 * Strings and numbers become text nodes; null/false children are skipped.
 */
export function h(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith("on") && typeof value === "function") node.addEventListener(name.slice(2), value);
    else if (name === "dataset") Object.assign(node.dataset, value);
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

/** Replace everything inside `parent` with `children`. */
export function fill(parent, ...children) {
  parent.replaceChildren(...children.flat().filter((c) => c !== null && c !== undefined && c !== false));
}

/** A horizontal bar chart row: label, bar, count. Used by screen, phone and console. */
export function bar(label, count, total, extra = {}) {
  const share = total ? Math.round((100 * count) / total) : 0;
  const fillNode = h("span", { class: "bar-fill" });
  fillNode.style.width = `${share}%`;
  return h("li", { class: "bar-row", ...extra },
    h("span", { class: "bar-label", dir: "auto" }, label),
    h("span", { class: "bar-track" }, fillNode),
    h("span", { class: "bar-count" }, `${count}`, h("small", {}, ` ${share}%`)));
}
