// Statements (after Pol.is): the phone answers one statement at a time (agree, disagree or
// pass) and may propose its own, which wait for the facilitator; the results are where most
// agree, where opinions split, and the groups of opinion with what sets each apart.

import { characters, t } from "../i18n.js";

const STANCES = ["agree", "disagree", "pass"];
const APART = 3; // statements per group shown as setting it apart
const LISTED = 4; // statements shown where most agree and where opinions split
const forms = new Map(); // activity id -> its proposal form, kept so typing survives updates
const opened = new Set(); // activity ids whose list of answers this phone has opened

const word = (stance) => ({ agree: t("statements.agree"), disagree: t("statements.disagree"), pass: t("statements.pass") })[stance];
// An agenda statement's text is a plan text; a participant's is the words they wrote.
const textOf = (statement, { text }) => (statement.proposed ? statement.text : text(statement.text));
const percent = (part, whole) => `${whole ? Math.round((100 * part) / whole) : 0}%`;

// The stances as shown: the server's, with this phone's answers not yet saved on top.
function stancesOf(activity, ctx) {
  const stances = { ...(ctx.own(activity).stances || {}) };
  for (const command of ctx.waiting(activity, "stance")) stances[command.statement] = command.stance;
  return stances;
}

/** Agree, disagree and pass for one statement; the chosen one is pressed. */
function stanceButtons(activity, statement, chosen, ctx, label) {
  const { h } = ctx;
  return h("div", { key: `stances-${label}`, class: "choices stances", role: "group", "aria-labelledby": label },
    STANCES.map((stance) => h("button", {
      key: stance, type: "button", class: "choice", "aria-pressed": chosen === stance ? "true" : "false", disabled: !activity.open,
      onclick: () => ctx.send("stance", { activity: activity.id, statement: statement.id, stance }),
      dataset: { testid: `stance-${stance}`, stance },
    }, h("span", { class: "tick", "aria-hidden": "true" }), word(stance))));
}

/** The next statement this phone has not answered, big, with its three answers. */
function current(activity, stances, ctx) {
  const { h } = ctx;
  const list = activity.statements;
  const next = list.find((s) => !(s.id in stances));
  if (!list.length) return h("p", { key: "none", class: "muted" }, t("statements.none_yet"));
  if (!next) return h("p", { key: "done", class: "confirm", dataset: { testid: "statements-done" } }, t("statements.done"));
  const label = `statement-${activity.id}`;
  // Keyed the same for every statement: the buttons stay, and with them the focus.
  return h("div", { key: "current", class: "current-statement", dataset: { testid: "current-statement", statement: next.id } },
    h("p", { class: "hint" }, t("statements.progress", { n: list.filter((s) => s.id in stances).length + 1, total: list.length })),
    // Read out when it changes, so the next statement is heard after an answer.
    h("p", { id: label, class: "big-text", dir: "auto", "aria-live": "polite", dataset: { testid: "statement-text" } }, textOf(next, ctx)),
    stanceButtons(activity, next, null, ctx, label));
}

/** The statements this phone has answered, folded away, each answer still changeable. */
function answered(activity, stances, ctx) {
  const { h } = ctx;
  const done = activity.statements.filter((s) => s.id in stances);
  if (!done.length) return null;
  const toggle = (event) => { if (event.target.open) opened.add(activity.id); else opened.delete(activity.id); };
  return h("details", { key: "answered", class: "answered", open: opened.has(activity.id), ontoggle: toggle, dataset: { testid: "answered" } },
    h("summary", {}, `${t("statements.yours")} (${done.length})`),
    h("ul", { class: "my-notes" }, done.map((s) => {
      const label = `answered-${activity.id}-${s.id}`;
      return h("li", { key: s.id, dataset: { statement: s.id, testid: "answered-statement" } },
        h("p", { id: label, dir: "auto" }, textOf(s, ctx)),
        stanceButtons(activity, s, stances[s.id], ctx, label));
    })));
}

/** The form for a statement of this phone's own, built once and kept while typing. */
function proposer(activity, ctx) {
  const { h } = ctx;
  let form = forms.get(activity.id);
  if (!form) {
    const area = h("textarea", { name: "text", rows: 2, dir: "auto", placeholder: t("statements.propose_placeholder"), "aria-label": t("statements.propose_placeholder"), "aria-describedby": `propose-counter-${activity.id}`, dataset: { testid: "propose-text" } });
    const counter = h("p", { id: `propose-counter-${activity.id}`, class: "small muted counter", dataset: { testid: "propose-counter" } });
    const update = () => {
      const left = activity.max_length - characters(area.value.trim());
      counter.textContent = left < 0 ? t("phone.chars_over", { n: -left }) : t("phone.chars_left", { n: left });
      counter.classList.toggle("error", left < 0);
      counter.classList.toggle("muted", left >= 0);
      area.setAttribute("aria-invalid", String(left < 0));
    };
    area.addEventListener("input", update);
    update();
    form = h("form", { class: "composer", dataset: { testid: "proposer" } },
      h("h2", {}, t("statements.propose_title")),
      h("p", { class: "hint" }, t("statements.propose_hint")),
      area, counter,
      h("button", { type: "submit", class: "primary big", dataset: { testid: "propose" } }, t("statements.propose")));
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const value = area.value.trim();
      if (!value) { ctx.say(t("statements.propose_placeholder")); area.focus(); return; }
      if (characters(value) > activity.max_length) { ctx.say(t("statements.too_long", { limit: activity.max_length })); area.focus(); return; }
      ctx.send("propose", { activity: activity.id, text: value });
      area.value = "";
      update();
      area.focus();
    });
    forms.set(activity.id, form);
  }
  form.querySelectorAll("button, textarea").forEach((node) => { node.disabled = !activity.open; });
  return ctx.keep(form, "proposer");
}

// Moderation is never silent to the person it touches: a proposal says whether it waits, is
// answered by everyone now, or was hidden, and why.
function proposalState(h, item) {
  if (item.status === "sending") return h("small", { class: "note-state" }, h("strong", {}, t("phone.note_waiting")));
  if (item.status === "pending") return h("small", { class: "note-state" }, h("strong", {}, t("phone.held")));
  if (item.status === "approved") return h("small", { class: "note-state confirm" }, t("statements.approved"));
  return h("small", { class: "note-state" }, h("strong", {}, t("phone.hidden")),
    item.reason ? [" ", t("phone.reason"), " ", h("bdi", { dataset: { testid: "proposal-reason" } }, item.reason)] : null);
}

/** This phone's own statements: the server's, then those sent and not yet saved. */
function proposals(activity, ctx) {
  const { h } = ctx;
  const kept = ctx.own(activity).proposals || [];
  const sending = ctx.waiting(activity, "propose").map((c) => ({ id: `sent-${c.id}`, text: c.text, status: "sending" }));
  const items = [...kept, ...sending];
  if (!items.length) return null;
  return h("section", { key: "proposals", class: "my-notes" }, h("h2", {}, t("statements.your_proposals")),
    h("ul", { dataset: { testid: "my-proposals" } }, items.map((item) => h("li", { key: item.id, class: `sticky ${item.status}`, dataset: { testid: "my-proposal", status: item.status } },
      h("span", { class: "sticky-text", dir: "auto" }, item.text), proposalState(h, item)))));
}

/** Where this phone stands: its group, and what sets the group apart, once results are shown. */
function myGroup(activity, ctx) {
  const { h } = ctx;
  const label = ctx.own(activity).group;
  const group = activity.opinions.groups.find((g) => g.label === label);
  if (!group) return null;
  return h("section", { key: "my-group", class: "my-group", dataset: { testid: "my-group", group: label } },
    h("h3", {}, t("statements.your_group", { label })),
    group.apart.length ? [h("p", { class: "small" }, t("statements.group_differs")), apartList(activity, group, ctx)] : null);
}

/** The statements that set a group apart, with its share and everyone else's. */
function apartList(activity, group, ctx) {
  const { h } = ctx;
  const byId = new Map(activity.statements.map((s) => [s.id, s]));
  const items = group.apart.filter((d) => byId.has(d.statement)).slice(0, APART);
  return h("ul", { class: "apart" }, items.map((d) => h("li", { key: `${d.statement}-${d.side}`, dataset: { statement: d.statement, side: d.side } },
    h("bdi", {}, textOf(byId.get(d.statement), ctx)), " ",
    h("small", {}, apartWords(d)))));
}

// How a group's share on a statement compares with everyone else's.
function apartWords(d) {
  const shares = { group: `${d.share}%`, rest: `${d.rest}%` };
  return d.side === "agree" ? t("statements.apart_agree", shares) : t("statements.apart_disagree", shares);
}

/** One statement as a bar of the share that agrees, with how it splits (or `said`) in words. */
function statementBar(h, statement, tally, ctx, said) {
  const voters = tally.agree + tally.disagree + tally.pass;
  const fill = h("span", { class: "bar-fill" });
  fill.style.width = percent(tally.agree, voters); // the CSSOM: the page's CSP refuses style attributes
  return h("li", { key: statement.id, class: "bar-row", dataset: { statement: statement.id, testid: "statement-result", agree: String(tally.agree), disagree: String(tally.disagree), pass: String(tally.pass) } },
    h("span", { class: "bar-label" }, h("bdi", {}, textOf(statement, ctx)), h("br"),
      h("small", { class: "muted" }, said ?? t("statements.split", { agree: percent(tally.agree, voters), disagree: percent(tally.disagree, voters) }))),
    h("span", { class: "bar-track" }, fill),
    h("span", { class: "bar-count" }, percent(tally.agree, voters)));
}

/** The results: where most agree, where opinions split, and the groups; null until shown. */
function results(activity, ctx) {
  const { h } = ctx;
  const found = activity.opinions;
  if (!found) return null;
  const byId = new Map(activity.statements.map((s) => [s.id, s]));
  const tallies = new Map(found.tallies.map((tally) => [tally.statement, tally]));
  const listed = (id) => byId.has(id) && tallies.has(id);
  if (!found.voters) return h("p", { class: "muted", dataset: { testid: "opinions" } }, t("statements.nothing"));
  const consensus = found.consensus.filter((c) => listed(c.statement)).slice(0, LISTED);
  const divisive = found.divisive.filter(listed).slice(0, LISTED);
  const groups = found.groups.length
    ? found.groups.map((group) => h("section", { key: group.label, class: "group", dataset: { testid: `group-${group.label}`, size: String(group.size) } },
      h("h4", {}, t("statements.group", { label: group.label }), " ", h("small", { class: "muted" }, t("statements.people", { n: group.size }))),
      apartList(activity, group, ctx)))
    : h("p", { class: "muted", dataset: { testid: "no-groups" } }, t("statements.no_group", { n: found.min_people, k: found.min_answered }));
  return h("div", { class: "results opinions", dataset: { testid: "opinions" } },
    h("section", { key: "consensus", class: "opinion-part", dataset: { testid: "consensus" } },
      h("h3", {}, t("statements.consensus")),
      consensus.length
        ? h("ol", { class: "bars" }, consensus.map((c) => statementBar(h, byId.get(c.statement), tallies.get(c.statement), ctx,
          c.side === "agree" ? t("statements.agree_share", { share: `${c.share}%` }) : t("statements.disagree_share", { share: `${c.share}%` }))))
        : h("p", { class: "muted" }, t("statements.nothing"))),
    h("section", { key: "divisive", class: "opinion-part", dataset: { testid: "divisive" } },
      h("h3", {}, t("statements.divisive")),
      divisive.length
        ? h("ol", { class: "bars" }, divisive.map((id) => statementBar(h, byId.get(id), tallies.get(id), ctx)))
        : h("p", { class: "muted" }, t("statements.nothing"))),
    h("section", { key: "groups", class: "opinion-part", dataset: { testid: "groups" } },
      h("h3", {}, t("statements.groups")), groups));
}

function phone(activity, ctx) {
  const { h } = ctx;
  const stances = stancesOf(activity, ctx);
  const sending = ctx.waiting(activity, "stance").length;
  return h("div", { key: "statements" },
    current(activity, stances, ctx),
    // Sent, not yet saved: said honestly, never "saved" in green.
    sending ? h("p", { key: "sending", class: "confirm pending", dataset: { testid: "stance-state", state: "waiting" } }, t(ctx.connected() ? "phone.vote_sending" : "phone.vote_waiting")) : null,
    answered(activity, stances, ctx),
    activity.allow_new ? proposer(activity, ctx) : null,
    proposals(activity, ctx),
    activity.opinions ? h("section", { key: "results" }, h("h2", {}, t("phone.results")), myGroup(activity, ctx), results(activity, ctx)) : null);
}

/** What the live region says once the server has saved a command of this phone. */
function saved(command, activity, ctx) {
  if (command.type === "propose") return t("statements.proposed");
  const stances = stancesOf(activity, ctx);
  const left = activity.statements.filter((s) => !(s.id in stances)).length;
  return left ? t("statements.saved", { n: left }) : t("statements.saved_last");
}

/** The console: every statement's answers, and the participants' statements to moderate. */
function consoleView(activity, ctx) {
  const { h, send } = ctx;
  const found = activity.opinions;
  const tallies = new Map(found.tallies.map((tally) => [tally.statement, tally]));
  const hide = (item) => {
    const reason = prompt(t("console.statements_hide_reason"), "");
    if (reason !== null) send("hide_statement", { activity: activity.id, statement: item.id, reason });
  };
  const approve = (item) => send("approve_statement", { activity: activity.id, statement: item.id });
  const waiting = activity.proposals.filter((p) => p.status === "pending");
  const order = [...waiting, ...activity.proposals.filter((p) => p.status !== "pending")];
  // The statements waiting for the facilitator first: nobody can answer them until then.
  return h("div", { key: "statements", class: "statements-console" },
    h("section", { key: "proposals", dataset: { testid: "proposals" } },
      h("h3", {}, t("console.statements_proposals"), " ", activity.pending ? h("span", { class: "pill warn", dataset: { testid: "waiting-count" } }, t("console.statements_waiting_count", { n: activity.pending })) : null),
      order.length ? h("ul", { class: "moderation" }, order.map((item) => h("li", { key: item.id, class: `mod-note ${item.status}`, dataset: { statement: item.id, testid: "mod-statement", status: item.status } },
        h("span", { class: "sticky-text", dir: "auto" }, item.text),
        h("small", { class: "muted" }, item.status === "pending" ? t("console.waiting") : item.status === "approved" ? t("console.statements_is_approved") : t("console.hidden"),
          item.status === "hidden" && item.reason ? [": ", h("bdi", {}, item.reason)] : null),
        h("span", { class: "mod-actions" },
          item.status === "approved" ? null : h("button", { type: "button", class: "small primary", onclick: () => approve(item), "aria-label": t("console.statements_approve_named", { text: item.text }), dataset: { testid: "approve" } }, t("console.statements_approve")),
          item.status === "hidden" ? null : h("button", { type: "button", class: "small", onclick: () => hide(item), "aria-label": t("console.hide_note", { note: item.text }), dataset: { testid: "hide-statement" } }, t("console.hide"))))))
        : h("p", { class: "muted" }, t("console.statements_no_proposals"))),
    results(activity, ctx),
    h("section", { key: "all" },
      h("h3", {}, t("console.statements_all")),
      h("ol", { class: "bars" }, activity.statements.map((s) => statementBar(h, s, tallies.get(s.id) || { agree: 0, disagree: 0, pass: 0 }, ctx)))));
}

export default {
  input: true,
  phone,
  saved,
  results,
  console: consoleView,
};
