// The public results page: each activity's results drawn from the public record in the page,
// by its kind's module, as the screen and the console draw them. Without scripts the page
// still lists every activity with its title, the account and the follow-ups.

import { localize } from "./i18n.js";
import { kindOf, ready } from "./kinds.js";
import { el as h } from "./patch.js";

const lang = document.body.dataset.lang;
const fallback = document.body.dataset.meetingLang;
const text = (value) => localize(value, lang, fallback);
const activities = JSON.parse(document.getElementById("record").textContent);

function draw() {
  for (const section of document.querySelectorAll("[data-result]")) {
    const activity = activities.find((a) => a.id === section.dataset.result);
    const drawn = activity ? kindOf(activity).results?.(activity, { h, text }) : null;
    // An activity with nothing to count (a text slide) has no results to show.
    if (drawn) section.querySelector(".result-body").replaceChildren(drawn);
    else section.hidden = true;
  }
}

ready.then(draw);
