// The organiser's process page: the steps with their meetings and what came out of them, the
// follow-up items, the draft citizen promise. The process key lives in the URL fragment, which
// browsers never send; every request sends it as a bearer token and the server checks it.

import { h, patch } from "./keyed.js";
import { t } from "./i18n.js";

const id = document.body.dataset.process;
// The steps and statuses as [key, label] pairs in the method's order (a JSON object's keys
// would arrive sorted), each kept as a Map: lookups by key, and options in that order.
const labels = Object.fromEntries(Object.entries(JSON.parse(document.getElementById("labels").textContent))
  .map(([name, pairs]) => [name, new Map(pairs)]));
const key = new URLSearchParams(location.hash.slice(1)).get("key");
const keyProblem = document.getElementById("key-refused");
const stepsNode = document.getElementById("steps");
const itemsNode = document.getElementById("items");

// The language switcher: the key lives in the fragment, which a plain ?lang= link drops.
for (const link of document.querySelectorAll(".languages a[lang]")) {
  link.href = `?lang=${encodeURIComponent(link.lang)}${location.hash}`;
}

function say(node, message) {
  node.textContent = message || "";
  node.hidden = !message;
}

// Refusals said in the page's language, by the code the API gives; others in the server's words.
const REFUSALS = {
  empty_text: () => t("process.error.empty_text"),
  too_long_text: () => t("process.error.too_long_text"),
  in_another_process: () => t("process.error.in_another_process"),
  unknown_meeting: () => t("process.error.unknown_meeting"),
  bad_code: () => t("process.error.bad_code"),
  wrong_key: () => t("process.error.wrong_key"),
  missing_key: () => t("process.error.missing_key"),
};
const said = (code, fallback) => (REFUSALS[code] ? REFUSALS[code]() : fallback);

// A refusal's message, with the field it is about when the server located it.
function reason(body, status) {
  if (status === 401 && !body?.code) return t("process.no_key");
  if (status === 403 && !body?.code) return t("process.wrong_key");
  const problems = body?.problems || [];
  if (problems.length) return problems.map((p) => `${p.field ? `${p.field}: ` : ""}${said(p.code, p.message)}`).join("\n");
  return said(body?.code, body?.error || String(status));
}

async function call(path, method = "GET", data = undefined) {
  const headers = { Authorization: `Bearer ${key}` };
  if (data !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(`/api/processes/${id}${path}`, { method, headers, body: data === undefined ? undefined : JSON.stringify(data) });
  const body = await response.json().catch(() => null);
  if (!response.ok) throw new Error(reason(body, response.status));
  return body;
}

const date = (iso) => (iso ? new Date(iso).toLocaleDateString(document.documentElement.lang) : "");

function meeting(m) {
  return h("li", { key: m.code, class: "meeting", dataset: { testid: "process-meeting" } },
    h("p", {},
      h("strong", { dir: "auto" }, m.title), " ",
      h("span", { class: "muted" }, `· ${m.date || date(m.created_at)} · ${t("process.took_part", { n: m.participants })}`)),
    h("p", { class: "small" },
      m.results_url ? h("a", { href: m.results_url }, t("process.results")) : h("span", { class: "muted" }, t("process.not_published")),
      " ",
      h("label", { class: "move" }, `${t("process.move")} `,
        h("select", { onchange: (event) => move(m.code, event.target.value), "aria-label": t("process.move_meeting", { title: m.title }) },
          [...labels.steps].map(([value, label]) => h("option", { value, selected: value === m.step }, label))))),
    m.outcomes.length
      ? h("ul", { class: "outcomes" }, m.outcomes.map((o) => h("li", { key: o.activity },
        h("span", { dir: "auto" }, o.title), ": ", o.items.map((entry, n) => [n ? "; " : "", h("bdi", {}, entry)]))))
      : null);
}

function step(s, number) {
  const takesIn = s.takes_in.flatMap((o) => o.items);
  return h("li", { key: s.step, class: "step", dataset: { testid: `step-${s.step}` } },
    h("h3", {}, `${number}. ${labels.steps.get(s.step)}`),
    s.meetings.length ? h("ul", { class: "meetings" }, s.meetings.map(meeting)) : h("p", { class: "muted small" }, t("process.no_meetings")),
    takesIn.length
      ? h("p", { class: "small takes-in" }, h("strong", {}, t("process.takes_in")), " ", takesIn.map((entry, n) => [n ? "; " : "", h("bdi", {}, entry)]))
      : null);
}

function item(i) {
  const status = h("select", { name: "status", "aria-label": t("process.status_of", { title: i.title }) },
    [...labels.statuses].map(([value, label]) => h("option", { value, selected: value === i.status }, label)));
  const note = h("textarea", { name: "note", rows: "2", maxlength: "2000", dir: "auto", "aria-label": t("process.update_of", { title: i.title }) });
  const problem = h("p", { class: "error", role: "alert", hidden: true });
  // The form on the page: a later draw keeps its nodes and gives it this handler, so the
  // handler reads that form's fields, never the ones made here (which a draw discards).
  const save = async (event) => {
    event.preventDefault();
    const shown = event.currentTarget;
    const { status: chosen, note: written } = shown.elements;
    const errorNode = shown.querySelector(".error");
    try {
      draw((await call(`/followups/${i.id}`, "PATCH", { status: chosen.value, note: written.value })).process);
      written.value = "";
      say(errorNode, "");
    } catch (error) { say(errorNode, error.message); }
  };
  return h("li", { key: i.id, class: "item", dataset: { testid: "process-item" } },
    h("h3", { dir: "auto" }, i.title, " ", h("span", { class: `status-badge status-${i.status}` }, labels.statuses.get(i.status))),
    i.updates.length ? h("ul", { class: "updates" }, i.updates.map((u, n) => h("li", { key: String(n) }, `${date(u.at)} · `, h("span", { dir: "auto", class: "prewrap" }, u.text)))) : null,
    h("form", { class: "item-edit", onsubmit: save }, status, note, problem, h("button", { type: "submit" }, t("process.save"))));
}

function draw(view) {
  document.getElementById("process-title").textContent = view.title;
  document.title = `${view.title} – facilitate`;
  say(document.getElementById("process-description"), view.description);
  patch(stepsNode, ...view.steps.map((s, index) => step(s, index + 1)));
  patch(itemsNode, ...(view.followups.length ? view.followups.map(item) : [h("li", { class: "muted", key: "none" }, t("process.no_items"))]));
}

async function load() {
  if (!key) { say(keyProblem, t("process.no_key")); return; }
  try { draw(await call("")); } catch (error) { say(keyProblem, error.message); }
}

async function move(code, value) {
  try { draw((await call(`/meetings/${code}`, "PATCH", { step: value })).process); } catch (error) { say(keyProblem, error.message); }
}

function form(node, path, errorNode) {
  node.addEventListener("submit", async (event) => {
    event.preventDefault();
    const data = Object.fromEntries(new FormData(node));
    if (data.meeting !== undefined) data.meeting = data.meeting.replace(/[\s.-]/g, "");
    if (data.note === "") delete data.note;
    try {
      draw((await call(path, "POST", data)).process);
      node.reset();
      say(errorNode, "");
    } catch (error) { say(errorNode, error.message); }
  });
}

form(document.getElementById("join-form"), "/meetings", document.getElementById("join-error"));
form(document.getElementById("item-form"), "/followups", document.getElementById("item-error"));

document.getElementById("import").addEventListener("click", async () => {
  const outcome = document.getElementById("import-said");
  try {
    const body = await call("/followups/import", "POST");
    draw(body.process);
    outcome.textContent = t("process.imported", { n: body.changed });
  } catch (error) { outcome.textContent = error.message; }
});

for (const button of document.querySelectorAll("[data-promise]")) {
  button.addEventListener("click", async () => {
    try {
      const response = await fetch(`/api/processes/${id}/promise.${button.dataset.promise}`, { headers: { Authorization: `Bearer ${key}` } });
      if (!response.ok) throw new Error(reason(await response.json().catch(() => null), response.status));
      const named = /filename="([^"]+)"/.exec(response.headers.get("Content-Disposition") || "");
      const url = URL.createObjectURL(await response.blob());
      const link = h("a", { href: url, download: named ? named[1] : `promise.${button.dataset.promise}` });
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
    } catch (error) { say(keyProblem, error.message); }
  });
}

load();
