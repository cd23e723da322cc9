// The console's part in a citizen promise process: which process and step this meeting is in,
// or a form to join one with the process's id and key. The console holds the meeting's key,
// never the process key, so it links to no process page (docs/processes.md).

import { t } from "./i18n.js";

const code = document.body.dataset.code;
const key = new URLSearchParams(location.hash.slice(1)).get("key");
const said = document.getElementById("process-state");
const form = document.getElementById("process-join");
const problem = document.getElementById("process-error");
const stepName = (step) => form.querySelector(`option[value="${step}"]`)?.textContent || step;

function show(found) {
  if (found) {
    said.textContent = t("console.process_in", { title: found.title, step: stepName(found.step) });
    form.hidden = true;
  } else {
    said.textContent = t("console.process_none");
    form.hidden = false;
  }
}

async function load() {
  if (!key) return;
  const response = await fetch(`/api/meetings/${code}/process`, { headers: { Authorization: `Bearer ${key}` } });
  if (response.ok) show((await response.json()).process);
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const data = Object.fromEntries(new FormData(form));
  const processId = data.id.trim();
  try {
    const response = await fetch(`/api/processes/${encodeURIComponent(processId)}/meetings`, {
      method: "POST",
      headers: { Authorization: `Bearer ${data.key.trim()}`, "Content-Type": "application/json" },
      body: JSON.stringify({ meeting: code, facilitator_key: key, step: data.step }),
    });
    const body = await response.json().catch(() => null);
    if (!response.ok) throw new Error((body?.problems || []).map((p) => p.message).join("\n") || body?.error || String(response.status));
    problem.hidden = true;
    form.reset();
    await load();
    said.textContent = `${t("console.process_joined")} ${said.textContent}`;
  } catch (error) {
    problem.textContent = error.message;
    problem.hidden = false;
  }
});

load();
