// The start page: create a meeting from a plan or from an agenda written here.

const errorBox = document.getElementById("start-error");
const list = document.getElementById("activities");
const template = document.getElementById("activity-template");
const kindNames = Object.fromEntries([...document.querySelectorAll("[data-add]")].map((b) => [b.dataset.add, b.textContent.replace(/^\+\s*/, "")]));

async function create(body) {
  errorBox.hidden = true;
  const headers = { "Content-Type": "application/json" };
  const token = document.getElementById("admin-token")?.value;
  if (token) headers.Authorization = `Bearer ${token}`;
  let response;
  try {
    response = await fetch("/api/meetings", { method: "POST", headers, body: JSON.stringify(body) });
  } catch (error) {
    return fail(error.message);
  }
  const data = await response.json().catch(() => ({}));
  if (!response.ok) {
    const details = (data.problems || []).map((p) => `${p.field}: ${p.message}`);
    return fail([data.error || response.statusText, ...details].join("\n"));
  }
  // Relative links: the console opens on the address this page was opened on.
  const consolePath = new URL(data.facilitator_url).pathname + new URL(data.facilitator_url).hash;
  const screenPath = new URL(data.screen_url).pathname + new URL(data.screen_url).hash;
  document.querySelector("[data-testid=created-code]").textContent = data.code;
  document.getElementById("console-url").value = new URL(consolePath, location.href).href;
  document.getElementById("screen-url").value = new URL(screenPath, location.href).href;
  document.getElementById("open-console").href = consolePath;
  const created = document.getElementById("created");
  created.hidden = false;
  created.scrollIntoView({ behavior: "smooth" });
}

function fail(message) {
  errorBox.textContent = message;
  errorBox.hidden = false;
  errorBox.scrollIntoView({ behavior: "smooth" });
}

for (const button of document.querySelectorAll("[data-plan]")) {
  button.addEventListener("click", () => create({ plan: button.dataset.plan }));
}

function addActivity(kind) {
  const item = template.content.firstElementChild.cloneNode(true);
  item.dataset.kind = kind;
  item.querySelector(".kind-label").textContent = kindNames[kind];
  for (const part of item.querySelectorAll("[data-for]")) part.hidden = !part.dataset.for.split(" ").includes(kind);
  item.querySelector("[data-remove]").addEventListener("click", () => item.remove());
  list.append(item);
  item.querySelector("input[name=title]").focus();
}

for (const button of document.querySelectorAll("[data-add]")) {
  button.addEventListener("click", () => addActivity(button.dataset.add));
}

const lines = (value) => value.split("\n").map((l) => l.trim()).filter(Boolean);

document.getElementById("agenda-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const activities = [...list.children].map((item) => {
    const field = (name) => item.querySelector(`[name=${name}]`);
    const activity = { kind: item.dataset.kind, title: field("title").value.trim() };
    if (field("text").value.trim()) activity.text = field("text").value.trim();
    if (activity.kind !== "info" && field("reveal").checked) activity.results = "reveal";
    if (activity.kind === "poll") {
      activity.options = lines(field("options").value);
      activity.multiple = field("multiple").checked;
      activity.none_option = field("none_option").checked;
    }
    if (activity.kind === "notes" && lines(field("columns").value).length) activity.columns = lines(field("columns").value);
    if (activity.kind === "painjoy") activity.dots = Number(field("dots").value) || 3;
    return activity;
  });
  // By id: every activity row has its own field called "title" too.
  const title = document.getElementById("agenda-title").value.trim();
  create({ title, language: document.getElementById("agenda-language").value, activities });
});
