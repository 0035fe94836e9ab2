// The dashboard's views. Each reads the public API with the shared filters
// and draws into its section; nothing here is private to the dashboard.
import { getJson } from "./api_client.js";
import { element, legend, lineChart, percent, scoreBars, techniqueMatrix } from "./charts.js";

const A = "/api/analytics";
const count = (n) => Number(n ?? 0).toLocaleString("en-US");

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

export async function techniques(section, filters) {
  const rows = await getJson(`${A}/defense-score/by-technique`, filters.params());
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
      const button = element("button", { type: "button", class: "sort", text: `${label}${sorted ? (table.sortOrder === "asc" ? " ▲" : " ▼") : ""}` });
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
    element("td", { text: extra ? `${r.bundle_name || r.test_name} ${extra}` : r.test_name }),
    element("td", { text: r.hostname }),
    element("td", { text: r.org }),
    element("td", { class: r.is_protected ? "ok" : r.error_code === 101 ? "bad" : "", text: outcome(r) }),
    element("td", { text: r.severity }),
    element("td", { text: (r.techniques ?? []).join(", ") }),
    element("td", { text: r.defender_detected ? "Detected" : "–" }));
  if (table.grouped) {
    for (const g of data.groups)
      body.append(rowOf({ ...g.representative, is_protected: g.unprotectedCount === 0 && g.protectedCount > 0, defender_detected: g.defenderDetected },
                        `(${g.protectedCount} of ${g.totalCount} protected)`));
  } else {
    for (const r of data.data) body.append(rowOf(r));
  }
  const total = table.grouped ? pagination.totalGroups : pagination.totalItems;
  const pager = element("nav", { class: "pager", "aria-label": "Executions pages" });
  const previous = element("button", { type: "button", id: "page-previous", text: "Previous", disabled: !pagination.hasPrevious });
  const next = element("button", { type: "button", id: "page-next", text: "Next", disabled: !pagination.hasNext });
  previous.addEventListener("click", () => { table.page -= 1; redraw(); });
  next.addEventListener("click", () => { table.page += 1; redraw(); });
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
  const rate = await getJson(`${A}/defender/correlation/detection-rate`, { days: filters.days() });
  const heading = element("h2", { text: "Did Defender see our simulated attacks?" });
  if (!rate.overall.totalExecutions) {
    section.replaceChildren(heading, element("p", { class: "empty", id: "no-defender",
      text: "No Defender data yet: connect Microsoft Defender (Integrations) and sync, or no execution falls in the range." }));
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
