// About you: a few questions on who is in the room (age band, area, how you came), answered
// anonymously. The results are groups of at least `k` people, the smaller ones merged into
// "others", shown only once input is closed (facilitate/core/kinds/about.py says why).

import { t } from "../i18n.js";

const NOT_SAID = "not_said";

/** The phone: each question's options as buttons; a tap answers, a second tap takes it back. */
function phone(activity, ctx) {
  const { h } = ctx;
  const sent = ctx.waiting(activity, "describe").reduce((all, c) => ({ ...all, ...c.answers }), {});
  const given = { ...(ctx.own(activity).answers || {}), ...sent };
  const answer = (question, option) => ctx.send("describe", { activity: activity.id, answers: { [question]: given[question] === option ? null : option } });
  return h("div", { class: "about-phone", dataset: { testid: "about-phone" } },
    h("p", { class: "hint" }, t("about.private", { k: activity.k })),
    activity.profile.map((question) => h("fieldset", { key: question.id, class: "about-question", dataset: { testid: "about-question", question: question.id } },
      h("legend", { dir: "auto" }, ctx.text(question.text)),
      h("div", { class: "choices" }, question.options.map((option) => h("button", {
        key: option.id, type: "button", class: "choice", "aria-pressed": String(given[question.id] === option.id), disabled: !activity.open,
        onclick: () => answer(question.id, option.id), dataset: { option: option.id, testid: "about-option" },
      }, h("span", { class: "tick", "aria-hidden": "true" }), h("span", { dir: "auto" }, ctx.text(option.text))))))),
    results(activity, ctx));
}

/** Each question's groups, as bars with the people in each; "too few" where fewer answered. */
function results(activity, { h, text }) {
  if (!activity.groups) return activity.open ? null : h("p", { class: "muted", dataset: { testid: "about-later" } }, t("about.later"));
  const questions = Object.fromEntries(activity.profile.map((q) => [q.id, q]));
  return h("div", { class: "results about-results", dataset: { testid: "about-results" } },
    activity.groups.map((entry) => {
      const question = questions[entry.question];
      const labels = Object.fromEntries((question?.options || []).map((o) => [o.id, text(o.text)]));
      labels[NOT_SAID] = t("about.not_said");
      const rows = [...entry.groups.map((g) => [labels[g.option] ?? g.option, g.count, g.option]), ...(entry.others ? [[t("about.others"), entry.others, "others"]] : [])];
      return h("section", { key: entry.question, dataset: { testid: "about-groups", question: entry.question } },
        h("h3", { dir: "auto" }, question ? text(question.text) : entry.question),
        entry.total
          ? h("ol", { class: "bars" }, rows.map(([label, count, id]) => {
            const share = Math.round((100 * count) / entry.total);
            const fill = h("span", { class: "bar-fill" });
            fill.style.width = `${share}%`; // the CSSOM: the page's CSP refuses style attributes
            return h("li", { key: id, class: "bar-row", dataset: { testid: "about-group", option: id, count: String(count) } },
              h("span", { class: "bar-label", dir: "auto" }, label), h("span", { class: "bar-track" }, fill),
              h("span", { class: "bar-count" }, `${count}`, h("small", {}, ` ${share}%`)));
          }))
          : h("p", { class: "muted", dataset: { testid: "about-too-few" } }, t("about.too_few", { k: activity.k })));
    }),
    h("p", { class: "small muted" }, t("about.how", { k: activity.k })));
}

export default { input: true, phone, results, console: results };
