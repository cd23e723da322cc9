// The start page: create a meeting from a plan or from an agenda written here.

import { t } from "./i18n.js";

const errorBox = document.getElementById("start-error");
const statusLine = document.getElementById("start-status");
const copyStatus = document.getElementById("copy-status");
const list = document.getElementById("activities");
const template = document.getElementById("activity-template");
const kindNames = Object.fromEntries([...document.querySelectorAll("[data-add]")].map((b) => [b.dataset.add, b.textContent.replace(/^\+\s*/, "")]));
// Kinds whose top items a later activity can take (`items_from`), as the page marks them.
const giving = new Set([...document.querySelectorAll("[data-add][data-gives-items]")].map((b) => b.dataset.add));
const createButtons = [...document.querySelectorAll("[data-plan], [data-testid=create-agenda]")];

// What the server says is wrong with an agenda (a problem's `code`), in the page's words.
const PROBLEMS = {
  required: "start.problem_required",
  empty: "start.problem_required",
  too_long: "start.problem_too_long",
  options_count: "start.problem_options",
  items_count: "start.problem_items",
  scale_steps: "start.problem_steps",
  scale_labels: "start.problem_ends",
  bad_axis: "start.problem_axis",
  columns_count: "start.problem_columns",
  whole_number: "start.problem_number",
  no_dots: "start.problem_no_dots",
  items_or_items_from: "start.problem_no_items",
  bad_items_from: "start.problem_items_from",
  items_from_unknown: "start.problem_items_from_unknown",
  no_activities: "start.problem_no_activities",
  too_many_activities: "start.problem_too_many",
};
// Where a problem's `key` is on the page: a field of the agenda itself (an activity's fields
// are named after their keys, or list them in data-problems).
const AGENDA_FIELDS = { title: "agenda-title", language: "agenda-language", activities: "add-row" };

// The agenda being written survives a reload and a change of the page's language (a new
// page): kept in this tab until the meeting is made.
const DRAFT = "facilitate.agenda";

// One key per attempt: a resend after a lost answer gets the same meeting, not a second one.
let attempt = null;

function newKey() {
  // crypto.randomUUID needs a secure context; the hall's plain http is not one.
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

async function create(body) {
  if (createButtons.some((b) => b.disabled)) return; // one meeting at a time
  clearProblems();
  const payload = JSON.stringify(body);
  if (attempt?.payload !== payload) attempt = { payload, key: newKey() };
  const headers = { "Content-Type": "application/json", "Idempotency-Key": attempt.key };
  const token = document.getElementById("admin-token")?.value;
  if (token) headers.Authorization = `Bearer ${token}`;
  setBusy(true);
  let response;
  let data;
  try {
    response = await fetch("/api/meetings", { method: "POST", headers, body: payload });
    data = await response.json().catch(() => ({}));
  } catch {
    return fail(t("start.offline"));
  } finally {
    setBusy(false);
  }
  if (!response.ok) {
    attempt = null; // refused: a corrected agenda is a new attempt
    return refused(response.status, data);
  }
  attempt = null; // created: the next click is another meeting
  try { sessionStorage.removeItem(DRAFT); } catch { /* nothing kept */ }
  show(data);
}

function setBusy(busy) {
  for (const button of createButtons) {
    button.disabled = busy;
    button.setAttribute("aria-busy", String(busy));
  }
  statusLine.textContent = busy ? t("start.creating") : "";
}

function show(data) {
  // Relative links: the console opens on the address this page was opened on.
  const consoleUrl = new URL(data.facilitator_url);
  const screenUrl = new URL(data.screen_url);
  const consolePath = consoleUrl.pathname + consoleUrl.hash;
  document.querySelector("[data-testid=created-code]").textContent = data.code;
  document.getElementById("console-url").value = new URL(consolePath, location.href).href;
  document.getElementById("screen-url").value = new URL(screenUrl.pathname + screenUrl.hash, location.href).href;
  document.getElementById("open-console").href = consolePath;
  copyStatus.textContent = "";
  const created = document.getElementById("created");
  created.hidden = false;
  statusLine.textContent = t("start.ready", { code: data.code });
  document.getElementById("created-heading").focus();
}

function refused(status, data) {
  const problems = data.problems || [];
  // Each problem once, next to its field; one the form has no field for (it cannot make those
  // itself) is said in the box, as the server said it.
  const elsewhere = problems.filter((problem) => !placeProblem(problem));
  if (problems.length > elsewhere.length) {
    fail([t("start.invalid"), ...elsewhere.map((p) => `${p.field}: ${p.message}`)].join("\n"), false);
    document.querySelector("[aria-invalid=true]")?.focus();
    return;
  }
  const known = { 401: "start.token", 429: "start.too_many", 507: "start.full" };
  if (known[status]) return fail(t(known[status]));
  const reason = elsewhere.length ? elsewhere.map((p) => `${p.field}: ${p.message}`).join("; ") : data.error || String(status);
  fail(t("start.failed", { reason }));
}

/** Puts a problem next to its field, in the page's words; false when it has no place here. */
function placeProblem(problem) {
  const params = problem.params || {};
  const message = PROBLEMS[problem.code] ? t(PROBLEMS[problem.code], params) : t("start.problem_other");
  let field;
  let text = message;
  if (params.activity) {
    const item = list.children[params.activity - 1];
    if (!item) return false;
    field = [...item.querySelectorAll("[name]")].find((f) => f.name === params.key || f.dataset.problems?.split(" ").includes(params.key))
      || item.querySelector("[name=title]");
    if (params.item && params.key === "options") text = t("start.in_option", { n: params.activity, item: params.item, problem: message });
    else if (params.item && params.key === "columns") text = t("start.in_column", { n: params.activity, item: params.item, problem: message });
    else text = t("start.in_activity", { n: params.activity, problem: message });
  } else {
    field = document.getElementById(AGENDA_FIELDS[params.key] || "");
  }
  if (!field) return false;
  const id = `problem-${field.id || `${params.activity}-${field.name}`}`;
  let note = document.getElementById(id);
  if (note) {
    if (!note.textContent.split("\n").includes(text)) note.textContent += `\n${text}`;
    return true;
  }
  note = document.createElement("p");
  note.id = id;
  note.className = "error field-problem";
  note.dataset.testid = "field-problem";
  note.textContent = text;
  const holder = field.closest("p") || field;
  holder.after(note);
  if (field.matches("input, textarea, select")) {
    field.setAttribute("aria-invalid", "true");
    field.setAttribute("aria-describedby", id);
    field.addEventListener("input", () => clearProblem(field), { once: true });
  }
  return true;
}

function clearProblem(field) {
  document.getElementById(field.getAttribute("aria-describedby"))?.remove();
  field.removeAttribute("aria-invalid");
  field.removeAttribute("aria-describedby");
}

function clearProblems() {
  errorBox.hidden = true;
  errorBox.textContent = "";
  for (const field of document.querySelectorAll("[aria-invalid=true]")) clearProblem(field);
  for (const note of document.querySelectorAll(".field-problem")) note.remove();
}

function fail(message, focus = true) {
  errorBox.textContent = message;
  errorBox.hidden = false;
  if (focus) {
    errorBox.tabIndex = -1;
    errorBox.focus();
  }
}

async function copy(input) {
  let copied = false;
  if (navigator.clipboard && window.isSecureContext) {
    try {
      await navigator.clipboard.writeText(input.value);
      copied = true;
    } catch {
      copied = false; // not allowed here: select it and copy the old way
    }
  }
  if (!copied) {
    input.focus();
    input.select();
    try {
      copied = document.execCommand("copy");
    } catch {
      copied = false;
    }
  }
  copyStatus.textContent = copied ? t("start.copied") : t("start.copy_by_hand");
}

for (const button of document.querySelectorAll("[data-copy]")) {
  button.addEventListener("click", () => copy(document.getElementById(button.dataset.copy)));
}

for (const button of document.querySelectorAll("[data-plan]")) {
  button.addEventListener("click", () => create({ plan: button.dataset.plan }));
}

let rows = 0; // each row's own key: an earlier activity is chosen by its row, not its place

// A row of the agenda: the fields every activity has, and its kind's own (templates/kinds/).
function addActivity(kind, activity = null) {
  const item = template.content.firstElementChild.cloneNode(true);
  item.dataset.kind = kind;
  item.dataset.row = String(++rows);
  item.querySelector(".kind-label").textContent = kindNames[kind];
  item.querySelector(".kind-fields").replaceWith(document.querySelector(`template[data-fields="${kind}"]`).content.cloneNode(true));
  item.querySelector("[data-remove]").addEventListener("click", () => { item.remove(); refreshSources(); keepDraft(); });
  // A choice between parts of the row (typed items or another activity's): radios of one
  // group per row, each showing its part and hiding the others.
  item.querySelectorAll("[data-choice]").forEach((choice, n) => {
    for (const radio of choice.querySelectorAll("[data-choose]")) {
      radio.name = `choice-${item.dataset.row}-${n}`;
      radio.addEventListener("change", () => choose(choice, radio.dataset.choose));
    }
  });
  list.append(item);
  refreshSources();
  if (activity) write(item, activity);
  else item.querySelector("input[name=title]").focus();
  return item;
}

/** Shows the part of a choice named `part` (its data-when) and hides the others. */
function choose(choice, part) {
  for (const radio of choice.querySelectorAll("[data-choose]")) radio.checked = radio.dataset.choose === part;
  for (const when of choice.querySelectorAll("[data-when]")) when.hidden = when.dataset.when !== part;
}

// The id the server gives an activity of the agenda: its kind and its place ("painjoy-1").
const idOf = (item) => `${item.dataset.kind}-${[...list.children].indexOf(item) + 1}`;

/** Lists, in each row's data-sources select, the activities above it with items to give;
 *  what was chosen stays chosen while it is still above. */
function refreshSources() {
  const items = [...list.children];
  items.forEach((item, index) => {
    const earlier = items.slice(0, index).filter((other) => giving.has(other.dataset.kind));
    for (const select of item.querySelectorAll("select[data-sources]")) {
      const options = earlier.map((other) => {
        const title = other.querySelector("input[name=title]").value.trim() || kindNames[other.dataset.kind];
        return [other.dataset.row, `${items.indexOf(other) + 1}. ${title}`];
      });
      const shown = [...select.options].slice(1).map((o) => [o.value, o.textContent]);
      if (JSON.stringify(shown) !== JSON.stringify(options)) {
        const chosen = select.value;
        select.replaceChildren(select.options[0], ...options.map(([value, text]) => new Option(text, value)));
        select.value = options.some(([value]) => value === chosen) ? chosen : "";
      }
      const none = select.closest("[data-when]")?.querySelector("[data-no-sources]");
      if (none) none.hidden = earlier.length > 0;
    }
  });
}

const lines = (value) => value.split("\n").map((l) => l.trim()).filter(Boolean);

// An outline: a line of its own is an entry's text, the lines under it that start with "-"
// its options ([{text, options: [...]}]); and back.
function outline(value) {
  const entries = [];
  for (const line of lines(value)) {
    if (line.startsWith("-")) entries[entries.length - 1]?.options.push(line.slice(1).trim());
    else entries.push({ text: line, options: [] });
  }
  return entries;
}
const unoutline = (entries) => entries.map((e) => [e.text, ...(e.options || []).map((o) => `- ${o.text ?? o}`)].join("\n")).join("\n");

// The fields of a row, each named after its key in the agenda's JSON (a dotted name after a
// key of a table in it: "x.label"): a textarea marked
// data-lines is a list, one item a line (data-outline: entries with options, see outline()); a checkbox with a value gives that value when ticked,
// one without gives true or false; a number is a number; a data-sources select gives the id
// of the activity chosen; an empty list or field is left out (the server's default), and so
// is every field of a part of a choice (data-when) that is not chosen.
function read(item) {
  const activity = { kind: item.dataset.kind };
  for (const field of item.querySelectorAll("[name]")) {
    if (field.dataset.choose !== undefined || field.closest("[data-when][hidden]")) continue;
    let value;
    if (field.type === "checkbox") value = field.hasAttribute("value") ? (field.checked ? field.value : undefined) : field.checked;
    else if (field.dataset.sources !== undefined) value = sourceId(field.value);
    else if (field.dataset.lines !== undefined) value = lines(field.value);
    else if (field.dataset.outline !== undefined) value = outline(field.value);
    else value = field.type === "number" && field.value !== "" ? Number(field.value) : field.value.trim();
    if (value === undefined || value === "" || value.length === 0) continue;
    // A dotted name is a field of a table: "x.label" is the label of the activity's x.
    const [name, inner] = field.name.split(".");
    if (inner) activity[name] = { ...activity[name], [inner]: value };
    else activity[name] = value;
  }
  return activity;
}

function sourceId(row) {
  const source = [...list.children].find((item) => item.dataset.row === row);
  return source ? idOf(source) : undefined;
}

/** An activity of the agenda's JSON into its row: the other way round. A choice shows the
 *  first part whose fields the activity gives. */
function write(item, activity) {
  for (const choice of item.querySelectorAll("[data-choice]")) {
    const parts = [...choice.querySelectorAll("[data-when]")];
    const given = parts.find((part) => [...part.querySelectorAll("[name]")].some((f) => activity[f.name.split(".")[0]] !== undefined));
    choose(choice, (given || parts[0]).dataset.when);
  }
  for (const field of item.querySelectorAll("[name]")) {
    if (field.dataset.choose !== undefined) continue;
    const [name, inner] = field.name.split(".");
    const value = inner ? activity[name]?.[inner] : activity[name];
    if (field.type === "checkbox") field.checked = field.hasAttribute("value") ? value === field.value : value ?? field.defaultChecked;
    else if (field.dataset.sources !== undefined) field.value = [...list.children].find((other) => other !== item && idOf(other) === value)?.dataset.row ?? "";
    else if (field.dataset.outline !== undefined && Array.isArray(value)) field.value = unoutline(value);
    else if (value !== undefined) field.value = Array.isArray(value) ? value.join("\n") : String(value);
  }
}

function agenda() {
  // By id: every activity row has its own field called "title" too.
  const title = document.getElementById("agenda-title").value.trim();
  return { title, language: document.getElementById("agenda-language").value, activities: [...list.children].map(read) };
}

function keepDraft() {
  try { sessionStorage.setItem(DRAFT, JSON.stringify(agenda())); } catch { /* private mode: not kept */ }
}
function restoreDraft() {
  let draft = null;
  try { draft = JSON.parse(sessionStorage.getItem(DRAFT) || "null"); } catch { draft = null; }
  if (!draft) return;
  document.getElementById("agenda-title").value = draft.title || "";
  if (draft.language) document.getElementById("agenda-language").value = draft.language;
  for (const activity of draft.activities || []) if (kindNames[activity.kind]) addActivity(activity.kind, activity);
}

const form = document.getElementById("agenda-form");
form.addEventListener("input", (event) => {
  if (event.target.name === "title") refreshSources(); // the earlier activities' names
  keepDraft();
});
form.addEventListener("change", keepDraft);
form.addEventListener("submit", (event) => {
  event.preventDefault();
  create(agenda());
});

for (const button of document.querySelectorAll("[data-add]")) {
  button.addEventListener("click", () => { addActivity(button.dataset.add); keepDraft(); });
}
restoreDraft();
