// Questions from the floor: phones ask, vote for other people's questions and withdraw their
// own; the moderator approves, puts the one being answered on the screen and marks answers.

import { t } from "../i18n.js";
import { composer } from "../composer.js";

const WORDS = { placeholder: "phone.qa_placeholder", post: "phone.qa_ask", tooLong: "phone.qa_too_long" };
// Why a question of this phone waits (a moderated one says so on its own).
const HELD = {
  national_id: "phone.held_national_id", phone: "phone.held_phone", email: "phone.held_email",
  address: "phone.held_address", name: "phone.held_name", paused: "phone.held_paused",
};
const orders = new Map(); // activity id -> question ids in the order this phone shows them

const byVotes = (questions) => [...questions].sort((a, b) => (b.votes ?? 0) - (a.votes ?? 0));
// A projector shows a few questions, large: at most these, and fewer if they do not fit. Those
// left out are counted ("…and 4 more"), never cut off silently.
const ON_SCREEN = 6;
const ON_SCREEN_WITH_ONE_LARGE = 3;

/** How many wait for the moderator: said on the screen and the phones, so the queue is seen. */
function waiting(h, activity) {
  // Only a live view counts them; the public record has nothing waiting to show.
  if (activity.waiting === undefined || (!activity.waiting && !activity.moderated)) return null;
  return h("p", { key: "waiting", class: "questions-waiting", dataset: { testid: "qa-waiting", count: String(activity.waiting ?? 0) } },
    t("results.qa_waiting", { n: activity.waiting ?? 0 }));
}

/** One question as the room sees it: its text, its votes, and its answer once answered. */
function question(h, q, tail = null, now = false) {
  return h("li", { key: q.id, class: `question${q.answered ? " answered" : ""}${now ? " now" : ""}`, dataset: { note: q.id, testid: "qa-question" } },
    h("span", { class: "question-text", dir: "auto" }, q.text),
    q.votes !== undefined ? h("strong", { class: "question-votes", dataset: { testid: "qa-votes" } }, t("results.qa_votes", { n: q.votes })) : null,
    q.answered ? h("span", { class: "question-answer" }, h("strong", {}, t("results.qa_answered")),
      q.answer ? [" ", h("span", { dir: "auto", dataset: { testid: "qa-answer" } }, q.answer)] : null) : null,
    tail);
}

/** The screen's question being answered, large. */
function spotlight(h, q) {
  return h("section", { key: "now", class: "question-now", dataset: { testid: "qa-now", note: q.id } },
    h("p", { class: "question-now-label" }, t("results.qa_now")),
    h("p", { class: "question-now-text", dir: "auto" }, q.text),
    q.votes !== undefined ? h("p", { class: "question-votes" }, t("results.qa_votes", { n: q.votes })) : null);
}

/** The results: on the screen the queue's size, the question being answered and the open
 * ones by votes; on the results page every approved question by votes, with its answer. */
function results(activity, { h }) {
  const parts = [waiting(h, activity), activity.question ? spotlight(h, activity.question) : null];
  if (!activity.questions) {
    if (!parts.some(Boolean)) return null;
    parts.push(h("p", { class: "screen-wait", dataset: { testid: "results-hidden" } }, t("results.hidden")));
  } else {
    const live = activity.waiting !== undefined; // the projector's view, not the public record
    let listed = byVotes(activity.questions);
    let more = activity.more_questions || 0;
    if (live) {
      const room = activity.question ? ON_SCREEN_WITH_ONE_LARGE : ON_SCREEN;
      more += Math.max(0, listed.length - room);
      listed = listed.slice(0, room);
    }
    const list = h("ol", { class: "questions", dataset: { testid: "qa-list" } }, listed.map((q) => question(h, q)));
    const counted = h("p", { class: "muted", hidden: !more, dataset: { testid: "qa-more" } }, more ? t("results.qa_more", { n: more }) : "");
    parts.push(listed.length || activity.question ? list : h("p", { class: "muted" }, t("results.qa_none")), counted);
    if (live) requestAnimationFrame(() => fit(list, counted, more));
    if (activity.answered_count) parts.push(h("p", { class: "muted", dataset: { testid: "qa-answered-count" } }, t("results.qa_answered_count", { n: activity.answered_count })));
  }
  return h("div", { class: "questions-results", dataset: { testid: "qa-results" } }, parts);
}

// On the projector: take out the lowest questions until the rest and the count fit the screen.
function fit(list, counted, more) {
  if (!list.isConnected) return; // a newer view was drawn meanwhile
  const bottom = (list.closest(".screen-stage") || document.body).getBoundingClientRect().bottom;
  const over = (node) => node.getBoundingClientRect().bottom > bottom + 0.5;
  const items = [...list.children];
  let cut = 0;
  const say = () => {
    counted.hidden = !(more + cut);
    counted.textContent = more + cut ? t("results.qa_more", { n: more + cut }) : "";
  };
  while (items.length && (over(items[items.length - 1]) || (!counted.hidden && over(counted)))) {
    items.pop().hidden = true;
    cut += 1;
    say();
  }
  list.dataset.fitted = "true";
}

// The order under the person's thumb: the room's order in a calm moment, else the one shown
// (new questions at the end, gone ones dropped), so a vote never moves the next button away.
function ordered(activity, calm) {
  const byId = new Map(activity.questions.map((q) => [q.id, q]));
  const shown = orders.get(activity.id);
  const ids = !shown || calm ? activity.questions.map((q) => q.id)
    : [...shown.filter((id) => byId.has(id)), ...activity.questions.map((q) => q.id).filter((id) => !shown.includes(id))];
  orders.set(activity.id, ids);
  return ids.map((id) => byId.get(id));
}

// The questions this phone has voted for: the server's word, then its votes not yet answered.
function votedFor(activity, ctx) {
  const voted = new Set(ctx.own(activity).upvoted || []);
  for (const c of ctx.waiting(activity, "upvote")) if (c.up === false) voted.delete(c.note); else voted.add(c.note);
  return voted;
}

function voting(activity, ctx) {
  const { h } = ctx;
  const mineIds = new Set((ctx.own(activity).notes || []).map((n) => n.id));
  const voted = votedFor(activity, ctx);
  const pending = new Set(ctx.waiting(activity, "upvote").map((c) => c.note));
  const items = ordered(activity, ctx.calm()).map((q) => {
    const own = mineIds.has(q.id);
    const on = voted.has(q.id);
    // aria-disabled, not disabled: a disabled button drops the focus to the page.
    const vote = own ? h("span", { class: "pill", dataset: { testid: "qa-own" } }, t("phone.qa_yours"))
      : h("button", { type: "button", class: `question-vote${pending.has(q.id) ? " pending" : ""}`, "aria-pressed": on ? "true" : "false", "aria-disabled": activity.open ? "false" : "true",
        "aria-label": t("phone.qa_vote_for", { question: q.text }), dataset: { testid: "qa-vote" },
        onclick: () => { if (activity.open) ctx.send("upvote", { activity: activity.id, note: q.id, up: !on }); } },
      h("span", { "aria-hidden": "true" }, "▲ "), t("phone.qa_vote"));
    return question(h, q, vote, q.id === activity.highlighted);
  });
  return h("section", { key: "list", class: "questions-phone" },
    activity.questions.length ? [h("p", { class: "hint" }, t("phone.qa_hint")), h("ol", { class: "questions", dataset: { testid: "qa-list" } }, items)]
      : h("p", { class: "muted" }, t("results.qa_none")));
}

/** This phone's own questions: waiting, on the list, answered, hidden (and why) or withdrawn. */
function mine(activity, ctx) {
  const { h } = ctx;
  const sent = ctx.unsaved(activity).map((c) => ({ id: `sent-${c.id}`, text: c.text, status: "waiting" }));
  const notes = [...(ctx.own(activity).notes || []), ...sent];
  if (!notes.length) return null;
  const answered = new Set((activity.answered || []).map((q) => q.id));
  const withdraw = (n) => {
    if (confirm(t("phone.qa_withdraw_confirm"))) ctx.send("withdraw_question", { activity: activity.id, note: n.id });
  };
  const state = (n) => {
    if (n.status === "waiting") return h("strong", {}, t("phone.note_waiting"));
    if (n.held === "moderated" && n.status === "held") return h("strong", {}, t("phone.held_moderated"));
    if (n.status === "held") return [h("strong", {}, t("phone.held")), HELD[n.held] ? ` ${t(HELD[n.held])}` : ""];
    if (n.status === "hidden") return [h("strong", {}, t("phone.hidden")), n.reason ? [" ", t("phone.reason"), " ", h("bdi", {}, n.reason)] : null];
    if (n.status === "withdrawn") return h("strong", {}, t("phone.qa_withdrawn"));
    return answered.has(n.id) ? h("strong", {}, t("results.qa_answered")) : null;
  };
  return h("section", { key: "mine", class: "my-notes" }, h("h2", {}, t("phone.qa_your_questions")),
    h("ul", { dataset: { testid: "my-notes" } }, notes.map((n) => h("li", { key: n.id, class: `sticky ${n.status}`, dataset: { testid: "my-note", status: n.status } },
      h("span", { class: "sticky-text", dir: "auto" }, n.text),
      h("small", { class: "note-state", dataset: { testid: "note-state" } }, state(n)),
      (n.status === "visible" || n.status === "held") && !answered.has(n.id) && activity.open
        ? h("button", { type: "button", class: "link", "aria-label": t("phone.qa_withdraw_question", { question: n.text }), onclick: () => withdraw(n), dataset: { testid: "qa-withdraw" } }, t("phone.qa_withdraw"))
        : null))));
}

function phone(activity, ctx) {
  const { h } = ctx;
  const now = activity.questions.find((q) => q.id === activity.highlighted);
  return h("div", { key: "qa" },
    composer(activity, ctx, { picker: () => null, pick: () => ({}), words: WORDS }),
    waiting(h, activity),
    now ? h("p", { key: "now", class: "notice question-now-phone", dataset: { testid: "qa-now" } }, `${t("results.qa_now")}: `, h("bdi", {}, now.text)) : null,
    voting(activity, ctx),
    activity.answered.length ? h("section", { key: "answered" }, h("h2", {}, t("results.qa_answered")),
      h("ol", { class: "questions", dataset: { testid: "qa-answered" } }, activity.answered.map((q) => question(h, q)))) : null,
    mine(activity, ctx));
}

function saved(command, activity) {
  if (command.type === "note") return t(activity?.moderated ? "phone.qa_sent_moderated" : "phone.qa_sent");
  if (command.type === "upvote") return t(command.up === false ? "phone.qa_unvoted" : "phone.qa_voted");
  return command.type === "withdraw_question" ? t("phone.qa_withdrawn_say") : null;
}

// -- the console ----------------------------------------------------------------------------

// Why a question waits for the facilitator, in the console's words.
const WAITS = {
  national_id: "console.held_national_id", phone: "console.held_phone", email: "console.held_email",
  address: "console.held_address", name: "console.held_name", paused: "console.held_paused",
  moderated: "console.held_moderated",
};

/** The console's part: the queue to approve, the list to put up and mark answered, the
 * answered and the hidden ones. */
function moderate(activity, { h, send }) {
  const at = { activity: activity.id };
  const named = (key, q) => t(key, { question: q.text });
  const button = (label, aria, onclick, testid, cls = "small") => h("button", { type: "button", class: cls, "aria-label": aria, onclick, dataset: { testid } }, label);
  const hide = (q) => {
    const reason = prompt(t("console.qa_hide_reason"), "");
    if (reason !== null) send("hide", { ...at, note: q.id, reason });
  };
  const answer = (q) => {
    const note = prompt(t("console.qa_answer_prompt"), q.answer || "");
    if (note !== null) send("mark_answered", { ...at, note: q.id, answer: note });
  };
  const hideButton = (q) => button(t("console.hide"), t("console.hide_note", { note: q.text }), () => hide(q), "hide");
  const row = (q, ...actions) => h("li", { key: q.id, class: `mod-note ${q.status}${q.id === activity.highlighted ? " now" : ""}`, dataset: { note: q.id, testid: "mod-note", status: q.status } },
    h("span", { class: "sticky-text", dir: "auto" }, q.text),
    h("small", { class: "muted" }, q.status === "held" ? (WAITS[q.held] ? t(WAITS[q.held]) : "") : t("results.qa_votes", { n: q.votes }),
      q.status === "hidden" ? [` · ${t("console.hidden")}`, q.reason ? [": ", h("bdi", {}, q.reason)] : null] : "",
      q.answer ? [" · ", h("bdi", {}, q.answer)] : ""),
    h("span", { class: "mod-actions" }, actions));
  const list = (key, heading, items, draw) => (items.length
    ? h("section", { key, class: "questions-part", dataset: { testid: `qa-${key}` } }, h("h3", {}, heading), h("ul", { class: "moderation" }, items.map(draw)))
    : null);
  return h("div", { key: "qa", class: "questions-console" },
    activity.queue.length ? h("section", { key: "queue", class: "held-notes", dataset: { testid: "qa-queue" } },
      h("h3", {}, t("console.qa_queue", { n: activity.held })),
      h("p", { class: "small" }, t("console.qa_queue_intro")),
      h("ul", { class: "moderation" }, activity.queue.map((q) => row(q,
        button(t("console.qa_approve"), named("console.qa_approve_question", q), () => send("release", { ...at, note: q.id }), "release", "small primary"),
        hideButton(q))))) : null,
    h("section", { key: "list", class: "questions-part", dataset: { testid: "qa-list" } }, h("h3", {}, t("console.qa_list")),
      activity.questions.length ? h("ul", { class: "moderation" }, activity.questions.map((q) => row(q,
        q.id === activity.highlighted
          ? [h("span", { class: "pill ok" }, t("console.qa_on_screen")), button(t("console.qa_unshow"), null, () => send("highlight", { ...at, note: null }), "unshow")]
          : button(t("console.qa_show"), named("console.qa_show_question", q), () => send("highlight", { ...at, note: q.id }), "show"),
        button(t("console.qa_mark"), named("console.qa_mark_question", q), () => answer(q), "mark-answered", "small primary"),
        hideButton(q)))) : h("p", { class: "muted" }, t("console.nothing_yet"))),
    list("answered", t("results.qa_answered"), activity.answered, (q) => row(q,
      button(t("console.qa_edit"), named("console.qa_edit_question", q), () => answer(q), "edit-answer"),
      button(t("console.qa_reopen"), named("console.qa_reopen_question", q), () => send("unmark_answered", { ...at, note: q.id }), "reopen"))),
    list("hidden", t("console.hidden"), activity.hidden, (q) => row(q,
      button(t("console.restore"), t("console.restore_note", { note: q.text }), () => send("restore", { ...at, note: q.id }), "restore"))),
    activity.withdrawn ? h("p", { key: "withdrawn", class: "small muted" }, t("console.qa_withdrawn", { n: activity.withdrawn })) : null);
}

export default { input: true, phone, saved, results, console: moderate };
