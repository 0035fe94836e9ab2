// The dashboard's views. Each reads the public API with the shared filters
// and draws into its section; nothing here is private to the dashboard.
import { ApiError, getJson } from "./api_client.js";
import { element, legend, lineChart, percent, scoreBars, techniqueMatrix } from "./charts.js";

const A = "/api/analytics";
const count = (n) => Number(n ?? 0).toLocaleString("en-US");
// Keyword fields come as stored: missing, null, one string or an array.
const text = (value) => [].concat(value ?? []).join(", ");

function card(title, value, detail, id) {
  return element("article", { class: "card", "aria-labelledby": `${id}-title` },
    element("h3", { id: `${id}-title`, text: title }),
    element("p", { class: "card-value", id, text: value }),
    element("p", { class: "card-detail", text: detail }));
}

export async function overview(section, filters) {
  const params = filters.params();
  const [allStages, anyStage, trend, errors] = await Promise.all([
    getJson(`${A}/defense-score`, { ...params, scoringMode: "all-stages" }),
    getJson(`${A}/defense-score`, { ...params, scoringMode: "any-stage" }),
    getJson(`${A}/defense-score/trend`, { ...params, interval: filters.interval() }),
    getJson(`${A}/error-rate`, params),
  ]);
  const scores = element("div", { class: "cards" },
    card("Defense score, every execution", percent(allStages.score),
         `${count(allStages.protectedCount)} protected + ${count(allStages.detectedCount)} detected by Defender of ${count(allStages.totalExecutions)}`,
         "score-combined-all-stages"),
    card("Protected only, every execution", percent(allStages.realScore),
         `${count(allStages.protectedCount)} protected of ${count(allStages.totalExecutions)}`, "score-strict-all-stages"),
    card("Defense score, bundles by any stage", percent(anyStage.score),
         `${count(anyStage.protectedCount)} protected + ${count(anyStage.detectedCount)} detected of ${count(anyStage.totalExecutions)}`,
         "score-combined-any-stage"),
    card("Protected only, bundles by any stage", percent(anyStage.realScore),
         `${count(anyStage.protectedCount)} protected of ${count(anyStage.totalExecutions)}`, "score-strict-any-stage"),
    card("Error rate", percent(errors.errorRate),
         `${count(errors.errorCount)} errors in ${count(errors.totalTestActivity)} test runs`, "error-rate"));
  const points = trend.map((t) => ({
    label: t.timestamp.slice(0, filters.interval() === "hour" ? 16 : 10).replace("T", " "),
    value: t.total > 0 ? t.score : null,
    detail: `${t.protected} of ${t.total}`,
  }));
  section.replaceChildren(
    element("h2", { text: "Overview" }),
    scores,
    element("h3", { text: "Defense score over time" }),
    points.length ? lineChart(points, { title: "Defense score over time" }) : element("p", { class: "empty", text: "No executions in this range." }));
}

// Every tested technique: the Navigator layer's scored entries (by-technique
// stops at 50), with their executions and protected counts.
export async function techniques(section, filters) {
  const layer = await getJson(`${A}/export/attack-navigator`, filters.params());
  const meta = (t, name) => Number(t.metadata?.find((m) => m.name === name)?.value ?? 0);
  const rows = layer.techniques.filter((t) => typeof t.score === "number")
    .map((t) => ({ name: t.techniqueID, score: t.score, count: meta(t, "executions"), protected: meta(t, "protected") }));
  section.replaceChildren(
    element("h2", { text: "Score by technique" }),
    element("p", { class: "hint", text: `${rows.length} techniques tested. Colour: defense score, red 0% to green 100%. Sub-techniques are indented under their parent technique, one column per parent.` }),
    legend(),
    techniqueMatrix(rows));
}

export async function breakdowns(section, filters) {
  const params = filters.params();
  const [hosts, orgs, categories] = await Promise.all([
    getJson(`${A}/defense-score/by-hostname`, { ...params, limit: 25 }),
    getJson(`${A}/defense-score/by-org`, params),
    getJson(`${A}/defense-score/by-category`, params),
  ]);
  section.replaceChildren(
    element("h2", { text: "Hosts, organisations and categories" }),
    element("div", { class: "columns" },
      element("div", {}, element("h3", { text: "By host (25 with most executions)" }),
        scoreBars(hosts.map((h) => ({ label: h.hostname, score: h.score, detail: `${h.protected}/${h.total}` })), { title: "Defense score by host" })),
      element("div", {}, element("h3", { text: "By organisation" }),
        element("p", { class: "hint", text: "As the original, this breakdown follows the time range only." }),
        scoreBars(orgs.map((o) => ({ label: o.orgName || o.org, score: o.score, detail: `${o.protected}/${o.count}` })), { title: "Defense score by organisation" }),
        element("h3", { text: "By category" }),
        scoreBars(categories.map((c) => ({ label: c.category, score: c.score, detail: `${c.protected}/${c.count}` })), { title: "Defense score by category" }))));
}

// The executions table keeps its own paging and sorting between redraws.
const table = { page: 1, pageSize: 25, sortField: "routing.event_time", sortOrder: "desc", grouped: false };
const COLUMNS = [
  ["routing.event_time", "Time"],
  ["f0rtika.test_name", "Test"],
  ["routing.hostname", "Host"],
  [null, "Organisation"],
  ["f0rtika.is_protected", "Result"],
  ["f0rtika.severity", "Severity"],
  [null, "Techniques"],
  [null, "Defender"],
];

function outcome(row) {
  if (row.is_protected) return "Protected";
  if (row.error_code === 101) return "Unprotected";
  return `Inconclusive (${row.error_name || row.error_code})`;
}

export function resetExecutionPaging() {
  table.page = 1;
}

// A new session starts from the default table.
export function resetExecutionState() {
  Object.assign(table, { page: 1, pageSize: 25, sortField: "routing.event_time", sortOrder: "desc", grouped: false });
}

export async function executions(section, filters, redraw) {
  const data = await getJson(`${A}/executions/paginated`, {
    ...filters.params(), page: table.page, pageSize: table.pageSize, sortField: table.sortField,
    sortOrder: table.sortOrder, grouped: table.grouped ? "true" : undefined,
  });
  const pagination = data.pagination;
  const head = element("tr");
  for (const [field, label] of COLUMNS) {
    const sorted = field === table.sortField;
    const th = element("th", { scope: "col", "aria-sort": sorted ? (table.sortOrder === "asc" ? "ascending" : "descending") : undefined });
    if (field) {
      const button = element("button", { type: "button", class: "sort", id: `sort-${field}`, text: `${label}${sorted ? (table.sortOrder === "asc" ? " ▲" : " ▼") : ""}` });
      button.addEventListener("click", () => {
        table.sortOrder = sorted && table.sortOrder === "desc" ? "asc" : "desc";
        table.sortField = field;
        table.page = 1;
        redraw();
      });
      th.append(button);
    } else {
      th.textContent = label;
    }
    head.append(th);
  }
  const body = element("tbody");
  const rowOf = (r, extra) => element("tr", {},
    element("td", { text: r.timestamp.replace("T", " ").replace(/\.\d+/, "").replace("Z", " UTC") }),
    element("td", { text: extra ? `${text(r.bundle_name) || text(r.test_name)} ${extra}` : text(r.test_name) }),
    element("td", { text: text(r.hostname) }),
    element("td", { text: r.org }),
    element("td", { class: r.outcome === "Protected" ? "ok" : r.outcome === "Unprotected" ? "bad" : "", text: r.outcome }),
    element("td", { text: text(r.severity) }),
    element("td", { text: text(r.techniques) }),
    element("td", { text: r.defender_detected ? "Detected" : "–" }));
  if (table.grouped) {
    // A run's result is its members' (any unprotected member makes it unprotected), not its first member's.
    for (const g of data.groups) {
      const result = g.unprotectedCount > 0 ? "Unprotected" : g.protectedCount > 0 ? "Protected" : "Inconclusive";
      body.append(rowOf({ ...g.representative, outcome: result, defender_detected: g.defenderDetected },
                        `(${g.protectedCount} of ${g.totalCount} protected)`));
    }
  } else {
    for (const r of data.data) body.append(rowOf({ ...r, outcome: outcome(r) }));
  }
  const total = table.grouped ? pagination.totalGroups : pagination.totalItems;
  const pager = element("nav", { class: "pager", "aria-label": "Executions pages" });
  const previous = element("button", { type: "button", id: "page-previous", text: "Previous", disabled: !pagination.hasPrevious });
  const next = element("button", { type: "button", id: "page-next", text: "Next", disabled: !pagination.hasNext });
  // From the page shown, and once: a double click must not skip a page.
  const go = (page) => {
    previous.disabled = next.disabled = true;
    table.page = page;
    redraw();
  };
  previous.addEventListener("click", () => go(pagination.page - 1));
  next.addEventListener("click", () => go(pagination.page + 1));
  const size = element("select", { id: "page-size", "aria-label": "Rows per page" });
  for (const n of [25, 50, 100]) size.add(new Option(`${n} per page`, n, false, n === table.pageSize));
  size.addEventListener("change", () => { table.pageSize = Number(size.value); table.page = 1; redraw(); });
  const grouped = element("input", { type: "checkbox", id: "grouped", checked: table.grouped });
  grouped.addEventListener("change", () => { table.grouped = grouped.checked; table.page = 1; redraw(); });
  pager.append(previous,
    element("span", { id: "page-indicator", text: `Page ${pagination.page} of ${Math.max(1, pagination.totalPages)} · ${count(total)} ${table.grouped ? "runs" : "executions"}` }),
    next, size, element("label", { for: "grouped" }, grouped, " Group bundle runs"));
  section.replaceChildren(
    element("h2", { text: "Executions" }),
    pager,
    element("div", { class: "table-scroll" },
      element("table", { class: "executions" },
        element("caption", { class: "visually-hidden", text: "Executions matching the filters" }),
        element("thead", {}, head), body)));
}

export async function defender(section, filters) {
  const heading = element("h2", { text: "Did Defender see our simulated attacks?" });
  const nothing = (why) => section.replaceChildren(heading, element("p", { class: "empty", id: "no-defender", text: why }));
  let rate;
  try {
    rate = await getJson(`${A}/defender/correlation/detection-rate`, { days: filters.days() });
  } catch (error) {
    // 400: the integration is not configured.
    if (!(error instanceof ApiError) || error.status !== 400) throw error;
    nothing(`No Defender data: ${error.message}. Connect Microsoft Defender (POST /api/integrations/defender) and sync.`);
    return;
  }
  if (!rate.overall.totalExecutions) {
    nothing("No execution with a technique falls in the range, or Defender has not been synced yet.");
    return;
  }
  const o = rate.overall;
  section.replaceChildren(heading,
    element("div", { class: "cards" },
      card("Detection rate", percent(o.detectionRate), `${count(o.correlatedExecutions)} of ${count(o.totalExecutions)} executions raised an alert`, "detection-rate"),
      card("Techniques detected", `${o.detectedTechniques} of ${o.testedTechniques}`, "techniques with at least one correlated alert", "techniques-detected")),
    element("h3", { text: "Detection rate by technique" }),
    scoreBars(rate.byTechnique.map((t) => ({
      label: t.technique,
      score: t.testExecutions ? (100 * t.correlatedExecutions) / t.testExecutions : 0,
      detail: `${t.correlatedExecutions}/${t.testExecutions}`,
    })), { title: "Detection rate by technique" }),
    element("p", { class: "hint", text: "The detection rate looks back whole days (the time range's preset), whatever the other filters say: Defender correlation takes no filters." }));
}
