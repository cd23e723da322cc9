// The live connection: hello, snapshot, commands with ids, an outbox that survives reloads and
// dropped Wi-Fi, and reconnection with backoff. Shared by phone, screen and console.

const MIN_DELAY = 500;
const ACK_TIMEOUT = 8000; // no answer this long: the connection is dead even if it looks open
const MAX_DELAY = 10000;
const FATAL = new Set([4403, 4404, 4400]); // forbidden, unknown meeting, bad hello: do not retry

function storage() {
  try {
    const probe = "__facilitate";
    window.localStorage.setItem(probe, "1");
    window.localStorage.removeItem(probe);
    return window.localStorage;
  } catch {
    const memory = new Map(); // private mode on old phones: keep going, just not across reloads
    return { getItem: (k) => memory.get(k) ?? null, setItem: (k, v) => memory.set(k, v), removeItem: (k) => memory.delete(k) };
  }
}

function newId() {
  const bytes = new Uint8Array(12);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * An ack's change to one activity merged into the phone's whole `mine`: `own` is that
 * activity's entry without its notes; `note`, if any, is the note the command posted (added at
 * the end, or in place of the one with its id). A new object: the page may compare it with the last.
 */
function mergeOwn(mine, { activity, own, note }) {
  const entry = { ...own };
  let notes = mine[activity]?.notes ?? [];
  if (note) {
    notes = notes.some((n) => n.id === note.id)
      ? notes.map((n) => (n.id === note.id ? note : n))
      : [...notes, note];
  }
  if (notes.length) entry.notes = notes;
  const merged = { ...mine };
  if (Object.keys(entry).length) merged[activity] = entry;
  else delete merged[activity];
  return merged;
}

/**
 * connect({code, role, key, lang, handlers}) -> {send(type, data) -> id, pending() -> n, queued()}
 * handlers: view(view, isSnapshot), mine(mine), ack(id, command), error(err, command),
 *           status(state, pending, refusal) with state in connecting | online | offline |
 *           refused | gone | forbidden; `refused` (and `connecting` after it) carries the
 *           server's own message (already in the page's language) for why it closed
 */
export function connect({ code, role, key = null, lang = null, handlers }) {
  const store = storage();
  const outboxKey = `facilitate.outbox.${code}.${role}`;
  const tokenKey = `facilitate.token.${code}`;
  let outbox = [];
  try { outbox = JSON.parse(store.getItem(outboxKey) || "[]"); } catch { outbox = []; }
  let socket = null;
  let ready = false;
  let delay = MIN_DELAY;
  let stopped = false;
  let retry = null;
  // The error a server sends before it closes a connection it will not take (too many new
  // phones from this network just now, too many connections): why we wait, until a snapshot.
  let refusal = null;

  // The phone's own input as the server last told it (snapshot, `mine`, acks merged in).
  let mine = {};
  const setMine = (next) => { mine = next; handlers.mine?.(mine); };

  let watchdog = null;
  const save = () => store.setItem(outboxKey, JSON.stringify(outbox));

  // Venue Wi-Fi drops connections silently: a socket can look open while nothing gets through.
  // If a command waits too long for its ack, start over; the outbox is resent after the snapshot.
  function watch() {
    clearTimeout(watchdog);
    if (!outbox.length || !ready) return;
    watchdog = setTimeout(() => { if (outbox.length) abandon(); }, ACK_TIMEOUT);
  }
  const status = (state) => handlers.status?.(state, outbox.length, refusal?.message ?? null);

  function open() {
    if (stopped) return;
    status("connecting");
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    const current = new WebSocket(`${scheme}://${location.host}/${code}/ws`);
    socket = current;
    socket.onopen = () => {
      const hello = { type: "hello", role, lang };
      if (role === "participant") hello.token = store.getItem(tokenKey);
      else hello.key = key;
      socket.send(JSON.stringify(hello));
    };
    socket.onmessage = (event) => { if (socket === current) receive(JSON.parse(event.data)); };
    socket.onclose = (event) => lost(current, event.code);
    socket.onerror = () => current.close();
  }

  // The connection is gone: say so, and try again after a while.
  function lost(current, closeCode) {
    if (socket !== current) return; // an old socket closing late
    socket = null;
    ready = false;
    clearTimeout(watchdog);
    if (FATAL.has(closeCode)) {
      stopped = true;
      status(closeCode === 4404 ? "gone" : "forbidden");
      return;
    }
    status(refusal ? "refused" : "offline");
    const wait = delay * (0.75 + Math.random() * 0.5); // jitter: not every phone at once
    delay = Math.min(MAX_DELAY, delay * 2);
    retry = setTimeout(open, wait);
  }

  // Give up on the connection now, without waiting for its close: a socket whose network has
  // gone closes only when the browser's closing handshake times out, up to a minute later.
  function abandon() {
    const current = socket;
    if (!current) return;
    lost(current, 1006);
    current.close();
  }

  function receive(message) {
    switch (message.type) {
      case "welcome":
        if (message.token) store.setItem(tokenKey, message.token);
        break;
      case "snapshot":
        ready = true;
        delay = MIN_DELAY;
        refusal = null;
        status("online");
        handlers.view?.(message.view, true);
        if (message.mine) setMine(message.mine);
        for (const command of outbox) socket.send(JSON.stringify(command)); // resend, same ids
        watch();
        break;
      case "view":
        handlers.view?.(message.view, false);
        break;
      case "mine":
        setMine(message.mine);
        break;
      case "ack": {
        // The phone's own input rides along: what this command changed (`own` and `note`, see
        // docs/protocol.md), merged here into the whole `mine` the page is given; or, from an
        // older server and in rare cases, the whole `mine`.
        if (message.mine) setMine(message.mine);
        else if (message.activity) setMine(mergeOwn(mine, message));
        const command = settle(message.id);
        handlers.ack?.(message.id, command);
        status("online");
        break;
      }
      case "error": {
        if (message.code === "slow_down") { // not refused, only too fast: send it again soon
          const command = outbox.find((c) => c.id === message.id);
          if (command) setTimeout(() => { if (ready && outbox.includes(command)) socket.send(JSON.stringify(command)); }, 1500 + Math.random() * 1500);
          break;
        }
        const command = message.id ? settle(message.id) : null;
        if (!ready && !message.id) refusal = message; // before the snapshot: the server is closing
        handlers.error?.(message, command);
        if (command) status(ready ? "online" : "offline"); // refused is answered: not "Saving…"
        break;
      }
      default:
        throw new Error(`unknown message type ${message.type}`);
    }
  }

  function settle(id) {
    const index = outbox.findIndex((c) => c.id === id);
    if (index < 0) return null;
    const [command] = outbox.splice(index, 1);
    save();
    watch();
    return command;
  }

  /** Queue a command; it is sent now if connected, else after reconnecting. Returns its id. */
  function send(type, data = {}) {
    const command = { type, id: newId(), ...data };
    outbox.push(command);
    save();
    if (ready && socket?.readyState === WebSocket.OPEN) socket.send(JSON.stringify(command));
    status(ready ? "saving" : "offline");
    if (outbox.length === 1) watch();
    return command.id;
  }

  // The browser knows before the socket does: drop at once when offline, retry at once when back.
  window.addEventListener("offline", abandon);
  window.addEventListener("online", () => {
    delay = MIN_DELAY;
    if (ready || stopped) return;
    clearTimeout(retry);
    if (!socket || socket.readyState === WebSocket.CLOSED) open();
  });
  open();
  // queued(): the commands still waiting in the outbox (also from before a reload), as sent.
  return { send, pending: () => outbox.length, queued: () => outbox.map((c) => ({ ...c })) };
}

/** The status pill: connected / reconnecting / saving / saved, in words and colour. */
export function showStatus(node, t, { saves = true } = {}) {
  let sent = false; // "Saved" is a claim about something sent: "Connected" until then
  return (state, pending, refusal) => {
    if (!node) return;
    if (pending) sent = true;
    if (refusal && state === "connecting") state = "refused"; // still the same wait: no flicker
    const online = saves && sent ? t("status.saved") : t("status.online");
    const words = {
      connecting: t("status.connecting"), online: pending ? t("status.saving") : online,
      saving: t("status.saving"), offline: t("status.offline"), gone: t("status.gone"),
      forbidden: t("console.bad_key"), refused: t("status.refused"),
    };
    node.textContent = state === "offline" && pending ? `${words.offline} ${t("status.pending", { n: pending })}` : words[state];
    node.dataset.state = state === "online" && !pending ? "saved" : state;
  };
}
