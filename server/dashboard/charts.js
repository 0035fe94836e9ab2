// Pictures drawn with the DOM and SVG only (no library, no inline style
// attribute: the page's policy forbids them; CSSOM properties are allowed).
const SVG = "http://www.w3.org/2000/svg";

export function element(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "class") el.className = value;
    else if (key === "text") el.textContent = value;
    else el.setAttribute(key, value === true ? "" : String(value));
  }
  el.append(...children.filter((c) => c !== null && c !== undefined));
  return el;
}

function svg(tag, attrs = {}) {
  const el = document.createElementNS(SVG, tag);
  for (const [key, value] of Object.entries(attrs)) el.setAttribute(key, String(value));
  return el;
}

export const percent = (value) => (value === null || value === undefined ? "–" : `${Number(value).toFixed(2).replace(/\.?0+$/, "")}%`);

// Red (0) through amber to green (100); light enough for dark text to keep
// a contrast above 7:1.
export function scoreColour(score) {
  const clamped = Math.max(0, Math.min(100, Number(score) || 0));
  return `hsl(${Math.round(clamped * 1.2)}, 70%, 78%)`;
}

// A line chart of `points` ({label, value} with value 0..100 or null),
// with a text alternative listing the values.
export function lineChart(points, { title, valueLabel = "score" }) {
  const width = 720, height = 220, left = 44, right = 12, top = 12, bottom = 28;
  const chart = svg("svg", { viewBox: `0 0 ${width} ${height}`, role: "img", "aria-label": title, class: "line-chart" });
  const x = (i) => left + (points.length <= 1 ? (width - left - right) / 2 : (i * (width - left - right)) / (points.length - 1));
  const y = (v) => top + ((100 - v) * (height - top - bottom)) / 100;
  for (const tick of [0, 25, 50, 75, 100]) {
    chart.append(svg("line", { x1: left, x2: width - right, y1: y(tick), y2: y(tick), class: "grid" }));
    const label = svg("text", { x: left - 6, y: y(tick) + 4, class: "axis", "text-anchor": "end" });
    label.textContent = `${tick}%`;
    chart.append(label);
  }
  // About eight labels; the last point's label replaces a neighbour too close to it.
  const step = Math.max(1, Math.ceil(points.length / 8));
  const labelled = new Set(points.map((_, i) => i).filter((i) => i % step === 0));
  const last = points.length - 1;
  if (last > 0 && !labelled.has(last)) {
    if (last % step < step / 2) labelled.delete(last - (last % step));
    labelled.add(last);
  }
  points.forEach((p, i) => {
    if (!labelled.has(i)) return;
    const label = svg("text", { x: x(i), y: height - 8, class: "axis", "text-anchor": "middle" });
    label.textContent = p.label;
    chart.append(label);
  });
  let path = "";
  points.forEach((p, i) => {
    if (p.value === null || p.value === undefined) return;
    path += `${path && points[i - 1]?.value != null ? "L" : "M"}${x(i).toFixed(1)},${y(p.value).toFixed(1)}`;
  });
  if (path) chart.append(svg("path", { d: path, class: "line" }));
  points.forEach((p, i) => {
    if (p.value === null || p.value === undefined) return;
    const dot = svg("circle", { cx: x(i), cy: y(p.value), r: 3, class: "dot" });
    const tip = svg("title");
    tip.textContent = `${p.label}: ${percent(p.value)}${p.detail ? ` (${p.detail})` : ""}`;
    dot.append(tip);
    chart.append(dot);
  });
  const figure = element("figure", { class: "chart" }, chart);
  const list = element("ul", { class: "visually-hidden" });
  for (const p of points) list.append(element("li", { text: `${p.label}: ${valueLabel} ${percent(p.value)}` }));
  figure.append(list);
  return figure;
}

// Horizontal bars, one per row ({label, score, detail}), coloured by score.
export function scoreBars(rows, { title }) {
  const list = element("ol", { class: "bars", "aria-label": title });
  for (const row of rows) {
    const bar = element("span", { class: "bar-fill" });
    bar.style.width = `${Math.max(0, Math.min(100, row.score))}%`;
    bar.style.backgroundColor = scoreColour(row.score);
    list.append(
      element("li", {},
        element("span", { class: "bar-label", text: row.label, title: row.label }),
        element("span", { class: "bar-track" }, bar),
        element("span", { class: "bar-value", text: `${percent(row.score)}` }),
        element("span", { class: "bar-detail", text: row.detail ?? "" })));
  }
  if (!rows.length) list.append(element("li", { class: "empty", text: "No executions match the filters." }));
  return list;
}

// Techniques as tiles grouped under their parent technique, like a column
// of MITRE's matrix; each tile's colour is its defense score.
export function techniqueMatrix(techniques) {
  const groups = new Map();
  for (const t of techniques) {
    const parent = t.name.split(".")[0];
    if (!groups.has(parent)) groups.set(parent, []);
    groups.get(parent).push(t);
  }
  const matrix = element("div", { class: "matrix", role: "list", "aria-label": "Defense score by technique" });
  for (const parent of [...groups.keys()].sort(compareTechniques)) {
    const members = groups.get(parent).sort((a, b) => compareTechniques(a.name, b.name));
    const column = element("div", { class: "matrix-group", role: "listitem" });
    for (const t of members) {
      const tile = element("div", { class: t.name.includes(".") ? "tile sub" : "tile", tabindex: 0,
                                    "aria-label": `${t.name}: ${percent(t.score)}, ${t.protected} of ${t.count} protected` },
        element("span", { class: "tile-id", text: t.name }),
        element("span", { class: "tile-score", text: percent(t.score) }),
        element("span", { class: "tile-count", text: `${t.protected}/${t.count}` }));
      tile.style.backgroundColor = scoreColour(t.score);
      tile.title = `${t.name}: ${t.protected} protected of ${t.count} executions`;
      column.append(tile);
    }
    matrix.append(column);
  }
  if (!techniques.length) matrix.append(element("p", { class: "empty", text: "No technique was tested under these filters." }));
  return matrix;
}

function compareTechniques(a, b) {
  const [pa, sa = "0"] = a.replace(/^T/, "").split(".");
  const [pb, sb = "0"] = b.replace(/^T/, "").split(".");
  return Number(pa) - Number(pb) || Number(sa) - Number(sb) || a.localeCompare(b);
}

export function legend() {
  const scale = element("div", { class: "legend", "aria-hidden": "true" });
  for (const score of [0, 25, 50, 75, 100]) {
    const swatch = element("span", { class: "swatch", text: `${score}%` });
    swatch.style.backgroundColor = scoreColour(score);
    scale.append(swatch);
  }
  return scale;
}
