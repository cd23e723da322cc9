// A kiosk: the phone's page on a tablet at a stand, one person after another
// (docs/without-a-phone.md). Each person is a fresh anonymous participant: this module makes
// their token before the phone's own script (participant.js) connects, and starts over, with a
// new page load and a new token, when they press "Done" or leave the tablet untouched for a
// while ("Still there?" first, with a countdown). Nothing of a person outlives their page: what
// they typed, their own input as the page drew it, the scroll position and the focus go with it,
// and their token and any unsent commands are taken out of storage once the server has them.
// Only the kiosk page loads this module: an ordinary phone's first load pays nothing for it.

const body = document.body;
const code = body.dataset.code;
const IDLE = Number(body.dataset.kioskIdle) * 1000; // ms without a touch before "Still there?"
const COUNTDOWN = Number(body.dataset.kioskCountdown) * 1000; // ms of "Still there?"
const RESTART = body.dataset.kioskRestart; // this kiosk's address, without the person's language
const EXPLAIN_AFTER = 8000; // ms of waiting for the server before the cover says why
const PREFIX = "kiosk-"; // a kiosk's token (facilitate/web/ws.py, KIOSK_TOKEN)
// What live.js and participant.js keep in localStorage for a phone: its token, its outbox
// (commands not yet answered) and what the page has told it; and here, when this person last
// touched. In sessionStorage, survey.js keeps where a survey has got to.
const TOKEN = `facilitate.token.${code}`;
const OUTBOX = `facilitate.outbox.${code}.participant`;
const OWN = `facilitate:${code}:`;
const TOUCHED = `${OWN}kiosk-touched`;
const SURVEY = `facilitate.survey.${code}`;

const pill = document.querySelector("[data-testid=status]"); // the connection, as live.js shows it
const still = document.getElementById("kiosk-still"); // "Still there?"
const next = document.getElementById("kiosk-next"); // the cover while it starts afresh
const seconds = document.getElementById("kiosk-seconds"); // the countdown, in seconds

function storage(kind = "localStorage") {
  try { return window[kind]; } catch { return null; } // private mode: live.js keeps it in memory
}

function unsent() {
  try { return JSON.parse(storage()?.getItem(OUTBOX) || "[]").length; } catch { return 0; }
}

/** Take this meeting's phone out of storage: the person's token, outbox and notices, and
 *  their place in a survey. */
function forget() {
  for (const store of [storage(), storage("sessionStorage")]) {
    for (const key of Object.keys(store || {})) {
      if (key === TOKEN || key === OUTBOX || key === SURVEY || key.startsWith(OWN)) store.removeItem(key);
    }
  }
}

function newToken() {
  const bytes = new Uint8Array(18);
  crypto.getRandomValues(bytes);
  const text = btoa(String.fromCharCode(...bytes));
  return PREFIX + text.replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

// -- starting over -------------------------------------------------------------------------

let leaving = false;
let idle = null;
let countdown = null;

/** The person is done: cover the page at once, wait until the server has everything they
 *  sent and can be reached (a page load without it would leave the tablet on the browser's
 *  error page), then load the kiosk afresh for the next person. */
function leave() {
  if (leaving) return;
  leaving = true;
  clearTimeout(idle);
  clearTimeout(countdown);
  if (still.open) still.close();
  document.activeElement?.blur?.();
  next.showModal();
  const began = Date.now();
  const wait = () => {
    if (!unsent() && ["saved", "online"].includes(pill?.dataset.state)) { restart(); return; }
    if (Date.now() - began > EXPLAIN_AFTER) document.getElementById("kiosk-unsent").hidden = false;
    setTimeout(wait, 200);
  };
  wait();
}

function restart() {
  forget();
  window.location.replace(RESTART); // replace: "Back" never shows the person before
}

// The cover stays until the page goes: Escape does not lift it.
next.addEventListener("cancel", (event) => event.preventDefault());
next.addEventListener("close", () => { if (leaving) next.showModal(); });
document.getElementById("kiosk-done").addEventListener("click", leave);
document.getElementById("kiosk-leave").addEventListener("click", leave);

// -- a while without a touch ------------------------------------------------------------------

let lastTouch = 0; // when the person last did something; 0: nobody since the page loaded

/** The person did something: the idle clock starts again. */
function touched() {
  if (leaving) return;
  lastTouch = Date.now();
  try { storage()?.setItem(TOUCHED, String(lastTouch)); } catch { /* full or private: fine */ }
  clearTimeout(idle);
  idle = setTimeout(ask, IDLE);
}

/** "Still there?", counting down to a fresh start unless the person answers. */
function ask() {
  const end = Date.now() + COUNTDOWN;
  still.showModal();
  const tick = () => {
    const left = Math.ceil((end - Date.now()) / 1000);
    if (left <= 0) { leave(); return; }
    seconds.textContent = String(left);
    countdown = setTimeout(tick, 250);
  };
  tick();
}

document.getElementById("kiosk-stay").addEventListener("click", () => still.close());
still.addEventListener("close", () => { // "Yes, I'm still here", or Escape
  clearTimeout(countdown);
  if (!leaving) touched();
});
// A tablet that slept through the idle time and the countdown (its timers held back) wakes up
// ready for the next person, without first showing the one before.
document.addEventListener("visibilitychange", () => {
  if (document.visibilityState === "visible" && lastTouch && Date.now() - lastTouch > IDLE + COUNTDOWN) leave();
});
for (const type of ["pointerdown", "keydown", "input", "wheel", "touchstart"]) {
  document.addEventListener(type, touched, { capture: true, passive: true });
}

// Nothing typed here may turn up as a suggestion for the next person.
const stage = document.getElementById("stage");
new MutationObserver(() => {
  for (const field of stage.querySelectorAll("input:not([autocomplete]), textarea:not([autocomplete])")) field.autocomplete = "off";
}).observe(stage, { childList: true, subtree: true });

// -- who is in front of the tablet ------------------------------------------------------------

// The same person when the page loads again within the idle time (they chose another language,
// say): their token stays and the clock runs on. Anyone else is a new person, unless the one
// before left answers unsent: those go first, under the cover, then the kiosk starts afresh.
const store = storage();
const last = Number(store?.getItem(TOUCHED) || 0);
const same = (store?.getItem(TOKEN) || "").startsWith(PREFIX) && Date.now() - last < IDLE;
if (same) {
  touched();
} else if (unsent()) {
  leave();
} else {
  forget();
  try { store?.setItem(TOKEN, newToken()); } catch { /* the server makes one instead */ }
}

import("./participant.js");
