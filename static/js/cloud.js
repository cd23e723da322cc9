// The word cloud on the projector: where each word goes (layout) and putting the words on the
// page (renderCloud). layout() is pure: sizes come from an injected measure(text, fontSize), so
// it touches no DOM, uses no randomness and gives the same placements for the same input. Words
// come from participants: they go into the page as text (textContent), never as HTML.

const LINE_HEIGHT = 1.2; // a word's box, as a share of its font size: room for accents and descenders
const SHRINK = 0.85; // each retry's sizes, as a share of the last one's, when the words don't fit
const FILL = 0.75; // the share of the box the words' own boxes can cover before they stop fitting
const TAU = 2 * Math.PI;
// How a try keeps a previous layout's centres (see order()).
const FRESH = null;
const UNCHANGED = "unchanged";
const BIGGEST = "biggest";

/**
 * layout(words, box, options) -> {placements, dropped, scale}
 *
 * words: [{text, count}], in the order they were first sent (ties keep it). A text given twice
 *   is one word (the counts add up); a count of 0 or less is no word at all.
 * box: {width, height} in px.
 * options.measure(text, fontSize) -> {width, height} in px: required (canvasMeasure() makes one).
 * options.minSize, options.maxSize: font sizes (px) of a word said once and of the most said
 *   word; by default a 30th and a 6th of the box's height.
 * options.padding: px kept free around each word and along the box's edges (a 5th of minSize
 *   by default).
 * options.minScale: how far the sizes may shrink before words are dropped (0.5 by default).
 * options.previous: the last result of layout() for this cloud. The words keep their centres
 *   where there is room and the sizes stay as they were, so one more vote moves little (see
 *   order() for when the cloud shrinks, grows or is laid out afresh).
 *
 * placements: [{text, count, fontSize, x, y, width, height}], x and y the top-left corner in the
 *   box, most said first. No two overlap and all lie inside the box.
 * dropped: [{text, count}], the words that found no room, most said first: never lost, so the
 *   screen can say how many more there are. Words are placed most said first, so these are the
 *   least said ones, except that a short word may still fit where a longer one said more did not.
 * scale: how much of the range between minSize and maxSize was used (1: all of it).
 */
export function layout(words, box, options = {}) {
  const { measure } = options;
  if (typeof measure !== "function") throw new TypeError("layout() needs options.measure(text, fontSize)");
  const width = Math.max(0, Math.floor(box.width));
  const height = Math.max(0, Math.floor(box.height));
  const minSize = options.minSize ?? Math.max(10, Math.round(height / 30));
  const maxSize = Math.max(minSize, options.maxSize ?? Math.round(height / 6));
  const cell = Math.max(2, Math.round(Math.min(width, height) / 200));
  const frame = {
    width, height, minSize, maxSize, cell,
    padding: options.padding ?? Math.max(1, Math.round(minSize / 5)),
    measure: cached(measure),
    path: spiralPath(width, height, cell),
  };
  const minScale = Math.min(1, Math.max(0, options.minScale ?? 0.5));
  const { list, blank } = tidy(words);
  const previous = centres(options.previous);
  const scales = [];
  for (let scale = 1; scale > minScale; scale *= SHRINK) scales.push(scale);
  scales.push(minScale);
  // Sizes whose words would cover more of the box than a layout ever fills are not worth a try.
  const hopeful = scales.findIndex((scale) => ink(list, scale, frame) <= FILL * width * height);
  const first = hopeful === -1 ? scales.length - 1 : hopeful;

  // Tries before the smallest scale give up at the first word without room; the smallest
  // scale's place what they can, and the one that shows the most words is kept (a kept
  // layout unless a fresh one shows more than one word in 20 more).
  let best = null;
  for (const [index, keep] of order(scales.length, previous && start(scales, options.previous.scale))) {
    if (index < first) continue;
    const last = index === scales.length - 1;
    const tried = attempt(list, scales[index], keep && previous, keep, frame, !last);
    if (tried && !tried.dropped.length) return finish(tried, blank);
    const shown = best ? best.placements.length : 0;
    if (tried && (!best || tried.placements.length > shown + Math.ceil(shown / 20))) best = tried;
  }
  return finish(best, blank);
}

/**
 * The tries, biggest sizes first, as [index of the scale, how the previous centres are kept].
 * Without a previous layout: each scale afresh. With one (at scale index `from`), stability
 * first, in this order:
 *   the same sizes, every word at its centre (the words whose size did not change first, so a
 *     word that grew moves rather than push a neighbour off its spot);
 *   every size one step smaller, every word at its centre (the cloud shrinks in place);
 *   the same sizes, biggest first (a grown word may push a smaller neighbour aside);
 *   afresh at the same sizes, then one step smaller, then on down as without one.
 * A fresh layout at bigger sizes comes before all that only if it is at least two steps bigger:
 * the cloud grows back after words are gone, but does not reshuffle itself for a small gain.
 */
function order(count, from) {
  const tries = [];
  if (from === null) {
    for (let index = 0; index < count; index += 1) tries.push([index, FRESH]);
    return tries;
  }
  for (let index = 0; index < from - 1; index += 1) tries.push([index, FRESH]);
  const next = Math.min(from + 1, count - 1);
  // One step smaller every size changes, so "unchanged first" would be "biggest first" again.
  tries.push([from, UNCHANGED]);
  if (next !== from) tries.push([next, BIGGEST]);
  tries.push([from, BIGGEST]);
  tries.push([from, FRESH]);
  if (next !== from) tries.push([next, FRESH]);
  for (let index = from + 2; index < count; index += 1) tries.push([index, BIGGEST], [index, FRESH]);
  return tries;
}

// The scale in `scales` nearest to a previous layout's (the biggest when it is not known).
function start(scales, scale) {
  if (!Number.isFinite(scale)) return 0;
  let nearest = 0;
  scales.forEach((s, index) => { if (Math.abs(s - scale) < Math.abs(scales[nearest] - scale)) nearest = index; });
  return nearest;
}

function finish(result, blank) {
  return { ...result, dropped: [...result.dropped, ...blank].sort((a, b) => b.count - a.count) };
}

// Merged by text, most said first; ties keep the order given (Array.sort is stable).
function tidy(words) {
  const merged = new Map();
  for (const word of words) {
    const count = Number(word.count);
    if (!Number.isFinite(count)) throw new TypeError(`a word's count must be a number, not ${word.count}`);
    if (count <= 0) continue;
    const text = String(word.text ?? "");
    merged.set(text, (merged.get(text) ?? 0) + count);
  }
  const all = [...merged].map(([text, count]) => ({ text, count }));
  // A text of nothing but spaces can't be seen: reported as dropped rather than shown as a hole.
  const blank = all.filter((word) => !word.text.trim()).sort((a, b) => b.count - a.count);
  const list = all.filter((word) => word.text.trim()).sort((a, b) => b.count - a.count);
  return { list, blank };
}

// The centre and size of each word in a previous layout, by text; null without one.
function centres(previous) {
  if (!previous) return null;
  const found = new Map();
  for (const p of previous.placements ?? []) {
    const { width, height } = p;
    found.set(String(p.text), { x: p.x + width / 2, y: p.y + height / 2, width, height });
  }
  return found;
}

// measure() is called again for the same word on each retry: ask the page once per size.
function cached(measure) {
  const known = new Map();
  return (text, fontSize) => {
    const key = `${fontSize}\u0000${text}`;
    let size = known.get(key);
    if (!size) {
      const measured = measure(text, fontSize);
      size = { width: Math.ceil(measured.width), height: Math.ceil(measured.height) };
      known.set(key, size);
    }
    return size;
  };
}

/**
 * Taken cells of the box. A cell is taken if any word covers part of it and a spot fits when
 * no cell under it (padding included) is taken, so rounding only ever leaves more room between
 * words, never less. Each row keeps running totals: checking a spot costs one subtraction per row.
 */
class Grid {
  constructor(width, height, cell) {
    this.width = width;
    this.height = height;
    this.cell = cell;
    this.columns = Math.ceil(width / cell);
    this.rows = Math.ceil(height / cell);
    this.taken = new Uint8Array(this.columns * this.rows);
    this.totals = new Int32Array((this.columns + 1) * this.rows); // taken cells before each column
  }

  fits(x, y, w, h, padding) {
    // The padding holds at the box's edges too: a projector may cut off the edge of the picture.
    if (x < padding || y < padding) return false;
    if (x + w > this.width - padding || y + h > this.height - padding) return false;
    const { cell, columns } = this;
    const first = Math.max(0, Math.floor((x - padding) / cell));
    const last = Math.min(columns, Math.ceil((x + w + padding) / cell));
    const top = Math.max(0, Math.floor((y - padding) / cell));
    const bottom = Math.min(this.rows, Math.ceil((y + h + padding) / cell));
    for (let row = top; row < bottom; row += 1) {
      const base = row * (columns + 1);
      if (this.totals[base + last] !== this.totals[base + first]) return false;
    }
    return true;
  }

  take(x, y, w, h) {
    const { cell, columns } = this;
    const first = Math.floor(x / cell);
    const last = Math.ceil((x + w) / cell);
    const bottom = Math.ceil((y + h) / cell);
    for (let row = Math.floor(y / cell); row < bottom; row += 1) {
      const cells = row * columns;
      for (let column = first; column < last; column += 1) this.taken[cells + column] = 1;
      const base = row * (columns + 1);
      for (let column = first; column < columns; column += 1) {
        this.totals[base + column + 1] = this.totals[base + column] + this.taken[cells + column];
      }
    }
  }
}

// The font size of each word at `scale`: its area grows with the count, so the size with the
// count's square root, between minSize and a top that shrinks towards it with the scale.
function sizes(list, scale, frame) {
  const { minSize, maxSize, measure } = frame;
  const top = minSize + (maxSize - minSize) * scale;
  const most = list.length ? list[0].count : 1;
  return list.map((word) => {
    const fontSize = Math.round(minSize + (top - minSize) * Math.sqrt(word.count / most));
    return { ...word, fontSize, ...measure(word.text, fontSize) };
  });
}

function ink(list, scale, frame) {
  return sizes(list, scale, frame).reduce((sum, word) => sum + word.width * word.height, 0);
}

/**
 * One try at one scale: each word placed or dropped, most said first. With `giveUp`, null as
 * soon as one word finds no room (a smaller scale will be tried).
 */
function attempt(list, scale, previous, keep, frame, giveUp) {
  const { width, height, padding } = frame;
  const grid = new Grid(width, height, frame.cell);
  const sized = sizes(list, scale, frame);
  const spots = new Array(sized.length).fill(null);

  // Words that were on the screen keep their centre if it is still free, biggest first; or first
  // those whose size did not change, then the ones that grew or shrank: these are changing
  // anyway, so where they no longer fit they move, rather than push a neighbour off its spot.
  if (previous) {
    const resized = (word) => {
      const was = previous.get(word.text);
      return was.width !== word.width || was.height !== word.height;
    };
    const kept = sized.map((word, index) => index).filter((index) => previous.has(sized[index].text));
    const turns = keep === UNCHANGED
      ? [...kept.filter((i) => !resized(sized[i])), ...kept.filter((i) => resized(sized[i]))]
      : kept;
    for (const index of turns) {
      const word = sized[index];
      const centre = previous.get(word.text);
      const x = Math.round(centre.x - word.width / 2);
      const y = Math.round(centre.y - word.height / 2);
      if (grid.fits(x, y, word.width, word.height, padding)) {
        grid.take(x, y, word.width, word.height);
        spots[index] = { x, y };
      }
    }
  }

  // The others spiral out from their last centre, or from the middle of the box. The grid only
  // fills up, so where a word found no room, no word at least as wide and as tall finds any:
  // such a word skips that part of the middle's spiral (all of any spiral if the other found no
  // room at all), which keeps a crowded cloud from walking the same taken spots again.
  const middle = { x: width / 2, y: height / 2 };
  const rejected = []; // [{width, height, upTo: the steps of the middle's spiral it walked}]
  for (const [index, word] of sized.entries()) {
    if (spots[index]) continue;
    const centre = previous?.get(word.text);
    let from = 0;
    for (const r of rejected) {
      const larger = r.width <= word.width && r.height <= word.height;
      if (larger && (!centre || r.upTo === Infinity)) from = Math.max(from, r.upTo);
    }
    const spot = from === Infinity ? null : spiral(grid, word, centre ?? middle, frame, from);
    if (!spot || !centre) rejected.push({ width: word.width, height: word.height, upTo: spot ? spot.step : Infinity });
    if (spot) {
      grid.take(spot.x, spot.y, word.width, word.height);
      spots[index] = spot;
    } else if (giveUp) return null;
  }

  const placements = [];
  const dropped = [];
  sized.forEach((word, index) => {
    const spot = spots[index];
    const { text, count, fontSize } = word;
    if (spot) placements.push({ text, count, fontSize, x: spot.x, y: spot.y, width: word.width, height: word.height });
    else dropped.push({ text, count });
  });
  return { placements, dropped, scale };
}

// An Archimedean spiral: offsets from its centre, stretched to the box's shape (a wide box fills
// sideways as fast as up and down), about two grid cells apart along the curve and between
// turns. Long enough to reach every corner from anywhere in the box. The same for every word
// and try, so it is worked out once per box.
let lastPath = null;

function spiralPath(width, height, cell) {
  const same = lastPath && lastPath.width === width && lastPath.height === height && lastPath.cell === cell;
  if (same) return lastPath;
  const stretch = height > 0 ? width / height : 1;
  const gap = cell * 2;
  const reach = Math.hypot(width / stretch, height);
  const xs = [];
  const ys = [];
  const radii = [];
  for (let theta = 0; ; ) {
    const radius = (gap * theta) / TAU;
    if (radius > reach) break;
    const dx = Math.round(radius * stretch * Math.cos(theta));
    const dy = Math.round(radius * Math.sin(theta));
    if (dx !== xs[xs.length - 1] || dy !== ys[ys.length - 1]) {
      xs.push(dx);
      ys.push(dy);
      radii.push(radius);
    }
    theta += gap / Math.max(radius * stretch, gap);
  }
  lastPath = {
    width, height, cell, stretch,
    xs: Int32Array.from(xs), ys: Int32Array.from(ys), radii: Float64Array.from(radii),
  };
  return lastPath;
}

/** The first free spot for `word` on the spiral around `centre`, from step `from` on; or null. */
function spiral(grid, word, centre, frame, from) {
  const { width, height, padding, path } = frame;
  let reach = 0; // the spiral's radius that has passed every corner of the box
  for (const [cx, cy] of [[0, 0], [width, 0], [0, height], [width, height]]) {
    reach = Math.max(reach, Math.hypot((cx - centre.x) / path.stretch, cy - centre.y));
  }
  const left = Math.round(centre.x - word.width / 2);
  const top = Math.round(centre.y - word.height / 2);
  const { xs, ys, radii } = path;
  for (let step = from; step < xs.length && radii[step] <= reach; step += 1) {
    const x = left + xs[step];
    const y = top + ys[step];
    if (grid.fits(x, y, word.width, word.height, padding)) return { x, y, step };
  }
  return null;
}

/**
 * A measure(text, fontSize) for layout() that asks a canvas, in the font of `element` (its
 * family, weight and style; renderCloud's words inherit them from the container, so measure
 * the container). The height is the line box renderCloud gives a word, or the ink if taller.
 */
export function canvasMeasure(element, lineHeight = LINE_HEIGHT) {
  const style = getComputedStyle(element);
  const font = [style.fontStyle, style.fontWeight];
  const family = style.fontFamily;
  const context = document.createElement("canvas").getContext("2d");
  return (text, fontSize) => {
    context.font = `${font.join(" ")} ${fontSize}px ${family}`;
    const metrics = context.measureText(text);
    const drawn = metrics.actualBoundingBoxAscent + metrics.actualBoundingBoxDescent;
    return { width: metrics.width, height: Math.max(fontSize * lineHeight, drawn) };
  };
}

const NODES = new WeakMap(); // container -> Map(text -> its span)

/**
 * Put `placements` (layout()'s) into `container` as absolutely positioned spans, one per word,
 * keyed by the word's text: a word already shown keeps its node and only moves or resizes, a
 * word no longer placed loses its node. The container holds the cloud only, and should be
 * positioned (relative) with the box's size; the words inherit its font.
 */
export function renderCloud(container, placements) {
  let nodes = NODES.get(container);
  if (!nodes) {
    nodes = new Map();
    NODES.set(container, nodes);
  }
  const wanted = new Set(placements.map((p) => p.text));
  for (const [text, node] of nodes) {
    if (!wanted.has(text)) {
      node.remove();
      nodes.delete(text);
    }
  }
  placements.forEach((p, index) => {
    let node = nodes.get(p.text);
    if (!node || node.parentNode !== container) {
      node = document.createElement("span");
      node.className = "cloud-word";
      node.dir = "auto"; // right-to-left words read right to left, in their own box
      node.dataset.testid = "cloud-word";
      node.textContent = p.text;
      // Through the CSSOM: a page's CSP may forbid style attributes, never this.
      node.style.position = "absolute";
      node.style.whiteSpace = "pre";
      nodes.set(p.text, node);
    }
    setStyle(node, "left", `${p.x}px`);
    setStyle(node, "top", `${p.y}px`);
    setStyle(node, "fontSize", `${p.fontSize}px`);
    setStyle(node, "lineHeight", `${p.height}px`);
    node.dataset.count = String(p.count);
    // Most said first in the page too, moving a node only when its place in that order changed.
    const here = container.children[index];
    if (here !== node) container.insertBefore(node, here ?? null);
  });
}

function setStyle(node, name, value) {
  if (node.style[name] !== value) node.style[name] = value;
}
