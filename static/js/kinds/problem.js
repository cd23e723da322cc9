// Problem description and cause analysis (from the Swedish citizen-promise method): the phone
// fills a form one question at a time (what, where, when, who, why five times …), the screen
// draws the problem triangle and the ladder of whys, the console agrees on answers, moderates
// and writes for people without phones (docs/protocol.md, "Problem description").

import { characters, t } from "../i18n.js";

const LABELS = {
  what: () => t("problem.what"), where: () => t("problem.where"), when: () => t("problem.when"),
  offender: () => t("problem.offender"), target: () => t("problem.target"),
  consequences: () => t("problem.consequences"), fixer: () => t("problem.fixer"),
  guardian: () => t("problem.guardian"), handler: () => t("problem.handler"), manager: () => t("problem.manager"),
};
// The triangle: the inner corners (solid: offender, target, place) and the outer roles round
// them (dashed), each with the field it shows.
const CORNERS = [["offender", "offender", "inner"], ["target", "target", "inner"], ["place", "where", "inner"],
  ["handler", "handler", "outer"], ["guardian", "guardian", "outer"], ["manager", "manager", "outer"]];
// Why an answer waits for review (a reason of the privacy screen): the notes' words for it.
const REASONS = ["national_id", "phone", "email", "address", "name"];
export const why = (role, reason) => (REASONS.includes(reason) ? t(`${role}.held_${reason}`) : "");

const isWhy = (name) => name.startsWith("why");
export const label = (name) => (isWhy(name) ? t("problem.why_n", { n: name.slice(3) }) : LABELS[name]());
// The why levels that take answers now; the next one appears once the one before has an answer.
const shownFields = (activity) => activity.fields.filter((name) => !isWhy(name) || Number(name.slice(3)) <= activity.open_whys);

// -- the console and a table's scribe: their own modules, fetched when first drawn -------------

const later = {};
function fetched(name, url) {
  return (activity, ctx, ...more) => {
    if (later[name]) return later[name](activity, ctx, ...more);
    import(url).then((module) => { later[name] = module.default; ctx.refresh(); });
    return null;
  };
}
const consoleView = fetched("console", "./problem_console.js");
const scribeTools = fetched("scribe", "./problem_scribe.js");

// -- the phone ---------------------------------------------------------------------------------

const current = new Map(); // activity id -> the question this phone has open
const forms = new Map(); // "activity/field" -> its form, kept so typing survives updates

/** Open one question of the form: the others stay drawn but hidden, so nothing is rebuilt. */
function show(root, activityId, field, focus = true) {
  current.set(activityId, field);
  for (const part of root.querySelectorAll("[data-field]")) part.hidden = part.dataset.field !== field;
  const select = root.querySelector("select");
  if (select) select.value = field;
  if (focus) root.querySelector(`[data-field="${field}"] h2`)?.focus();
}

/** The form for one question, built once and kept while typing. */
function composer(activity, field, ctx) {
  const { h } = ctx;
  const id = `${activity.id}/${field}`;
  let form = forms.get(id);
  if (!form) {
    const counterId = `problem-counter-${activity.id}-${field}`;
    const area = h("textarea", { name: "text", rows: 2, dir: "auto", placeholder: t("problem.placeholder"), "aria-label": `${label(field)} ${t("problem.placeholder")}`, "aria-describedby": counterId, dataset: { testid: "problem-text" } });
    const counter = h("p", { id: counterId, class: "small muted counter", dataset: { testid: "problem-counter" } });
    const update = () => {
      const left = activity.max_length - characters(area.value.trim());
      counter.textContent = left < 0 ? t("phone.chars_over", { n: -left }) : t("phone.chars_left", { n: left });
      counter.classList.toggle("error", left < 0);
      counter.classList.toggle("muted", left >= 0);
      area.setAttribute("aria-invalid", String(left < 0));
    };
    area.addEventListener("input", update);
    update();
    form = h("form", { class: "composer", dataset: { testid: "problem-form", field } }, area, counter,
      h("button", { type: "submit", class: "primary big", dataset: { testid: "problem-add" } }, t("problem.add")));
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const value = area.value.trim().replace(/\s+/g, " ");
      if (!value) { ctx.say(t("problem.placeholder")); area.focus(); return; }
      if (characters(value) > activity.max_length) { ctx.say(t("problem.too_long", { limit: activity.max_length })); area.focus(); return; }
      ctx.send("contribute", { activity: activity.id, field, text: value });
      area.value = "";
      update();
      area.focus(); // the keyboard stays open for the next answer
    });
    forms.set(id, form);
  }
  form.querySelectorAll("button, textarea").forEach((node) => { node.disabled = !activity.open; });
  return ctx.keep(form, `form-${field}`);
}

/** What a why builds on: the answer agreed one level up (or the newest), or the problem itself. */
function buildsOn(activity, field, ctx) {
  if (!isWhy(field) || !activity.answers) return null;
  const level = Number(field.slice(3));
  const up = level === 1 ? "what" : `why${level - 1}`;
  const above = activity.answers[up];
  const agreed = above?.contributions.find((c) => c.id === above.agreed);
  const text = (agreed || above?.contributions.at(-1))?.text || (level === 1 && activity.focus ? ctx.text(activity.focus) : null);
  const { h } = ctx;
  return text ? h("p", { class: "builds-on", dataset: { testid: "problem-builds-on" } }, h("strong", {}, `${label(up)} `), h("bdi", {}, text)) : null;
}

/** This phone's own answers to a question, with their state: waiting, held, hidden (and why). */
function ownAnswers(activity, field, ctx) {
  const { h } = ctx;
  const sent = ctx.waiting(activity, "contribute").filter((c) => c.field === field).map((c) => ({ id: `sent-${c.id}`, text: c.text, status: "sending" }));
  const items = [...(ctx.own(activity).contributions || []).filter((c) => c.field === field), ...sent];
  if (!items.length) return null;
  const withdraw = (item) => {
    if (confirm(t("problem.withdraw_confirm"))) ctx.send("withdraw_contribution", { activity: activity.id, contribution: item.id });
  };
  const state = (item) => {
    if (item.status === "sending") return h("strong", {}, t("phone.note_waiting"));
    if (item.status === "held") return [h("strong", {}, t("phone.held")), ` ${why("phone", item.held)}`];
    if (item.status === "hidden") return [h("strong", {}, t("phone.hidden")), ...(item.reason ? [" ", t("phone.reason"), " ", h("bdi", {}, item.reason)] : [])];
    if (item.status === "withdrawn") return h("strong", {}, t("phone.qa_withdrawn"));
    return item.agreed ? h("strong", { class: "agreed-mark" }, `✓ ${t("problem.agreed")}`) : null;
  };
  return h("section", { key: "mine", class: "my-notes" }, h("h3", {}, t("problem.yours")),
    h("ul", { dataset: { testid: "problem-mine" } }, items.map((item) => h("li", { key: item.id, class: `sticky ${item.status}`, dataset: { testid: "problem-own", status: item.status } },
      h("span", { class: "sticky-text", dir: "auto" }, item.text),
      h("small", { class: "note-state" }, state(item)),
      (item.status === "visible" || item.status === "held") && activity.open
        ? h("button", { type: "button", class: "link", "aria-label": `${t("phone.withdraw")}: ${item.text}`, onclick: () => withdraw(item), dataset: { testid: "problem-withdraw" } }, t("phone.withdraw"))
        : null))));
}

/** The others' visible answers to a question, the agreed one first and marked. */
function othersAnswers(activity, field, ctx) {
  const { h } = ctx;
  if (!activity.answers) return h("p", { key: "others", class: "muted" }, t("results.hidden"));
  const found = activity.answers[field] || { contributions: [], agreed: null, more: 0 };
  const mine = new Set((ctx.own(activity).contributions || []).map((c) => c.id));
  const agreed = found.contributions.find((c) => c.id === found.agreed);
  const rest = found.contributions.filter((c) => c.id !== found.agreed && !mine.has(c.id));
  return h("section", { key: "others", class: "problem-others" },
    agreed ? h("p", { class: "agreed", dataset: { testid: "problem-agreed" } }, h("strong", {}, `✓ ${t("problem.agreed")}: `), h("bdi", {}, agreed.text)) : null,
    h("h3", {}, t("problem.others")),
    rest.length ? h("ul", { class: "problem-list", dataset: { testid: "problem-others" } }, rest.map((c) => h("li", { key: c.id, dir: "auto" }, c.text,
      c.by === "scribe" ? h("small", { class: "muted" }, ` (${t("problem.scribe")})`) : null)))
      : h("p", { class: "muted" }, t("problem.none_yet")),
    found.more ? h("p", { class: "small muted" }, t("problem.more", { n: found.more })) : null);
}

function phone(activity, ctx) {
  const { h } = ctx;
  const fields = shownFields(activity);
  const open = fields.includes(current.get(activity.id)) ? current.get(activity.id) : fields[0];
  current.set(activity.id, open);
  // The page keeps its own node of this part and swaps in new handlers: they look it up there.
  const go = (field, focus = true) => {
    const live = ctx.stage.querySelector(".problem-phone");
    if (live) show(live, activity.id, field, focus);
  };
  const steps = fields.map((field, index) => h("section", { key: field, class: "problem-step", hidden: field !== open, dataset: { field, testid: "problem-step" } },
    h("p", { class: "hint" }, t("problem.step", { n: index + 1, total: fields.length })),
    h("h2", { tabindex: "-1", id: `problem-${activity.id}-${field}` }, label(field)),
    buildsOn(activity, field, ctx),
    composer(activity, field, ctx),
    activity.scribe ? scribeTools(activity, ctx, field) : null,
    ownAnswers(activity, field, ctx),
    othersAnswers(activity, field, ctx),
    h("p", { class: "problem-nav" },
      h("button", { type: "button", disabled: index === 0, onclick: () => go(fields[index - 1]), dataset: { testid: "problem-previous" } }, `‹ ${t("problem.previous")}`),
      h("button", { type: "button", class: "primary", disabled: index === fields.length - 1, onclick: () => go(fields[index + 1]), dataset: { testid: "problem-next" } }, `${t("problem.next")} ›`))));
  const root = h("div", { key: "problem", class: "problem-phone", dataset: { testid: "problem-phone" } },
    activity.focus ? h("p", { key: "focus", class: "notice problem-focus" }, h("strong", {}, `${t("problem.starting_point")}: `), h("bdi", {}, ctx.text(activity.focus))) : null,
    h("label", { key: "go", class: "problem-go" }, t("problem.go_to"), " ",
      h("select", { onchange: (event) => go(event.target.value, false), dataset: { testid: "problem-go" } },
        fields.map((field, index) => h("option", { key: field, value: field, selected: field === open }, `${index + 1}. ${label(field)}`)))),
    steps);
  return root;
}

// -- the screen and the results page -----------------------------------------------------------

/** Each field's agreed answer and the others, from a live view or the public record. */
function answersOf(activity) {
  if (activity.answers) return activity.answers;
  if (!activity.form) return null;
  const result = {};
  for (const entry of activity.form) {
    const agreed = entry.contributions.find((c) => c.id === entry.agreed) || null;
    result[entry.field] = { agreed, recent: entry.contributions.filter((c) => c !== agreed), count: entry.contributions.length };
  }
  return result;
}

/** One field as the room sees it: the agreed answer, or the newest suggestions, said which. */
function said(h, entry, live) {
  if (!entry || (!entry.agreed && !entry.recent.length)) return h("p", { class: "muted" }, t("problem.none_yet"));
  if (entry.agreed) {
    const others = entry.count - 1;
    return [h("p", { class: "agreed", dataset: { testid: "problem-agreed" } }, h("span", { class: "agreed-mark" }, `✓ ${t("problem.agreed")}: `), h("bdi", {}, entry.agreed.text)),
      live && others > 0 ? h("p", { class: "muted problem-more" }, t("problem.more", { n: others })) : null,
      live ? null : h("ul", { class: "problem-list" }, entry.recent.map((c) => h("li", { key: c.id, dir: "auto" }, c.text)))];
  }
  // The projector shows the newest suggestion and counts the rest; the results page lists all.
  const recent = live ? entry.recent.slice(-1) : entry.recent;
  const more = entry.count - recent.length;
  return [h("p", { class: "suggested" }, t("problem.suggested")),
    h("ul", { class: "problem-list", dataset: { testid: "problem-suggested" } }, recent.map((c) => h("li", { key: c.id, dir: "auto" }, c.text))),
    more > 0 ? h("p", { class: "muted problem-more" }, t("problem.more", { n: more })) : null,
    // Said instead of the suggestions when the projector has no room for them (see fit).
    live ? h("p", { class: "problem-count", hidden: true }, t("problem.suggestions", { n: entry.count })) : null];
}

function results(activity, ctx) {
  const { h } = ctx;
  const answers = answersOf(activity);
  if (!answers) return null;
  const live = Boolean(activity.answers);
  const start = activity.focus || activity.starting_point;
  const whys = Object.keys(answers).filter(isWhy);
  const board = h("div", { class: "problem-board", dataset: { testid: "problem-results" } },
    h("div", { key: "head", class: "problem-head" },
      start ? h("p", { class: "problem-start" }, h("strong", {}, `${t("problem.starting_point")}: `), h("bdi", {}, ctx.text(start))) : null,
      ["what", "when"].map((field) => h("div", { key: field, class: "problem-fact", dataset: { field } }, h("h3", {}, label(field)), said(h, answers[field], live)))),
    h("div", { key: "body", class: "problem-body" },
      h("section", { key: "triangle", class: "problem-triangle", "aria-label": t("problem.triangle"), dataset: { testid: "problem-triangle" } },
        h("div", { class: "tri", "aria-hidden": "true" }),
        CORNERS.map(([corner, field, ring]) => h("div", { key: corner, class: `corner corner-${corner} ${ring}`, dataset: { corner, testid: "problem-corner" } },
          h("h3", {}, label(field)), said(h, answers[field], live)))),
      h("section", { key: "whys", class: "problem-whys", dataset: { testid: "problem-whys" } },
        h("h3", {}, t("problem.whys")),
        h("ol", { class: "why-ladder" }, whys.map((field) => h("li", { key: field, dataset: { field, testid: "problem-why" } }, said(h, answers[field], live)))))),
    live ? null : h("dl", { key: "rest", class: "problem-rest" }, ["where", "offender", "target", "consequences", "fixer", "guardian", "handler", "manager"]
      .filter((field) => answers[field]).flatMap((field) => [h("dt", {}, label(field)), h("dd", {}, said(h, answers[field], live))])));
  if (live) requestAnimationFrame(() => fit(board));
  return board;
}

// On the projector: make the text smaller until the whole board fits the screen. If it still
// does not fit at a size a hall can read, the suggestions not agreed on are counted instead of
// shown (the phones list them), and the text shrinks again. Nothing is cut off. (The corners sit
// in a grid, so they never cover one another.)
function fit(board) {
  if (!board.isConnected) return;
  const stage = (board.closest(".screen-stage") || document.body).getBoundingClientRect();
  const over = () => board.getBoundingClientRect().bottom > stage.bottom + 0.5 || board.scrollWidth > board.clientWidth + 1;
  board.style.fontSize = ""; // the CSSOM: the page's CSP refuses style attributes
  const base = parseFloat(getComputedStyle(board).fontSize); // the size screen.css gives it
  const shrink = (floor) => {
    let size = 100;
    board.style.fontSize = "";
    while (size > floor && over()) {
      size -= 6;
      board.style.fontSize = `${(base * size) / 100}px`;
    }
    return size;
  };
  let size = shrink(64);
  if (over()) {
    for (const node of board.querySelectorAll("[data-testid=problem-suggested], .problem-more")) node.hidden = true;
    for (const node of board.querySelectorAll(".problem-count")) node.hidden = false;
    board.dataset.brief = "true";
    size = shrink(40);
  }
  board.dataset.fitted = String(size);
}

export default { input: true, fills: (activity) => Boolean(activity.answers), phone, results, console: consoleView };
