// The built-in dashboard, as a user sees it in Chromium: what it shows must
// be what the public API answers for the same filters.
// Run by scripts/check_dashboard.sh (ACHILLES_URL, ACHILLES_TOKEN, SCREENSHOT_DIR).
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createRequire } from "node:module";
import { chromium } from "playwright-core";
import { api, base, percent, shots, token, viewIsDrawn } from "./support.mjs";

// axe-core, the accessibility rules engine, evaluated in the page through the
// DevTools protocol (the page's policy would refuse it as a script).
const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

let context, page, profile;
const policyViolations = [];
const pageErrors = [];

async function viewDrawn(name) {
  await page.waitForFunction(viewIsDrawn, name);
}

async function signIn(secret = token) {
  await page.fill("#token", secret);
  await page.click("#sign-in-form button[type=submit]");
}

before(async () => {
  profile = mkdtempSync(join(tmpdir(), "achilles-chromium-"));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: "/usr/bin/chromium",
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
           "--disable-component-update", "--disable-sync", "--no-first-run"],
    viewport: { width: 1366, height: 900 },
    acceptDownloads: true,
  });
  page = context.pages()[0] ?? (await context.newPage());
  page.on("console", (m) => {
    if (/Content Security Policy|Refused to/i.test(m.text())) policyViolations.push(m.text());
  });
  page.on("pageerror", (e) => pageErrors.push(e.message));
  await page.goto(`${base}/`);
});

after(async () => {
  await context?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

test("the page arrives under a strict Content-Security-Policy", async () => {
  const response = await fetch(`${base}/`);
  const policy = response.headers.get("content-security-policy");
  assert.match(policy, /script-src 'self'/);
  assert.doesNotMatch(policy, /unsafe-inline|unsafe-eval/);
  assert.match(response.headers.get("content-type"), /^text\/html/);
});

test("a token the server refuses keeps the sign-in view, with the reason", async () => {
  await page.waitForSelector("#sign-in:not([hidden])");
  await signIn("not-a-token-the-server-knows");
  await page.waitForFunction(() => document.querySelector("#sign-in-error").textContent.includes("did not accept"));
  assert.equal(await page.isHidden("#app"), true);
  await page.screenshot({ path: join(shots, "sign-in.png") });
});

test("signing in by keyboard alone shows the headline scores the API gives for the default 30 days", async () => {
  await page.reload();
  await page.waitForSelector("#sign-in:not([hidden])");
  // The token field has focus and a label; Enter signs in.
  assert.equal(await page.evaluate(() => document.activeElement.id), "token");
  assert.equal(await page.evaluate(() => document.querySelector("label[for=token]").textContent), "Bearer token");
  await page.keyboard.type(token);
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement.textContent), "Sign in");
  await page.keyboard.press("Enter");
  await viewDrawn("overview");
  const allStages = await api("/api/analytics/defense-score", { from: "now-30d", scoringMode: "all-stages" });
  const anyStage = await api("/api/analytics/defense-score", { from: "now-30d", scoringMode: "any-stage" });
  const errors = await api("/api/analytics/error-rate", { from: "now-30d" });
  assert.ok(allStages.totalExecutions > 0, "the demo data has executions in the last 30 days");
  assert.equal(await page.textContent("#score-combined-all-stages"), percent(allStages.score));
  assert.equal(await page.textContent("#score-strict-all-stages"), percent(allStages.realScore));
  assert.equal(await page.textContent("#score-combined-any-stage"), percent(anyStage.score));
  assert.equal(await page.textContent("#score-strict-any-stage"), percent(anyStage.realScore));
  assert.equal(await page.textContent("#error-rate"), percent(errors.errorRate));
  assert.ok(await page.isVisible("#view-overview svg.line-chart"), "the trend is drawn");
  await page.screenshot({ path: join(shots, "overview.png"), fullPage: true });
});

test("the token is kept in sessionStorage only: not in the URL, not in a cookie", async () => {
  assert.equal(await page.evaluate(() => sessionStorage.getItem("achilles.token")), token);
  assert.equal(await page.evaluate(() => localStorage.length), 0);
  assert.equal((await context.cookies()).length, 0);
  assert.ok(!page.url().includes(token));
});

test("choosing an organisation and a shorter range changes the numbers to the API's for them", async () => {
  const before = await page.textContent("#score-combined-all-stages");
  const orgs = await api("/api/analytics/organizations");
  const scores = await Promise.all(orgs.map((o) => api("/api/analytics/defense-score", { from: "now-7d", org: o.uuid, scoringMode: "all-stages" })));
  // An organisation whose 7-day score differs from the 30-day score of all.
  const pick = orgs.findIndex((_, i) => scores[i].totalExecutions > 0 && percent(scores[i].score) !== before);
  assert.ok(pick >= 0, "some organisation scores differently");
  await page.selectOption("#range", "7d");
  await viewDrawn("overview");
  await page.selectOption("#org", orgs[pick].uuid);
  await page.waitForFunction((want) => document.querySelector("#score-combined-all-stages")?.textContent === want
                                       && !document.querySelector("#view-overview").hasAttribute("aria-busy"),
                             percent(scores[pick].score));
  assert.notEqual(await page.textContent("#score-combined-all-stages"), before);
  await page.selectOption("#org", "");
  await page.selectOption("#range", "30d");
  await viewDrawn("overview");
});

test("all time means all time, not the API's 7-day default", async () => {
  const all = await api("/api/analytics/defense-score", { from: "1970-01-01", scoringMode: "all-stages" });
  const week = await api("/api/analytics/defense-score", { scoringMode: "all-stages" });
  assert.ok(all.totalExecutions > week.totalExecutions);
  await page.selectOption("#range", "all");
  await page.waitForFunction((want) => document.querySelector("#score-combined-all-stages")?.parentElement
                                         .querySelector(".card-detail").textContent.endsWith(` of ${want}`),
                             all.totalExecutions.toLocaleString("en-US"));
  await page.selectOption("#range", "30d");
  await viewDrawn("overview");
});

test("the technique matrix has a tile per tested technique, with the API's score", async () => {
  await page.click('a[href="#techniques"]');
  await viewDrawn("techniques");
  const techniques = await api("/api/analytics/defense-score/by-technique", { from: "now-30d" });
  assert.ok(techniques.length < 50, "by-technique is not cut at its 50 buckets here");
  assert.equal(await page.locator(".tile").count(), techniques.length);
  const first = techniques[0];
  const label = await page.getAttribute(`.tile:has(.tile-id:text-is("${first.name}"))`, "aria-label");
  assert.equal(label, `${first.name}: ${percent(first.score)}, ${first.protected} of ${first.count} protected`);
  await page.screenshot({ path: join(shots, "techniques.png"), fullPage: true });
});

test("hosts, organisations and categories are drawn from their breakdowns", async () => {
  await page.click('a[href="#breakdowns"]');
  await viewDrawn("breakdowns");
  const orgs = await api("/api/analytics/defense-score/by-org", { from: "now-30d" });
  const bars = page.locator('ol[aria-label="Defense score by organisation"] li');
  assert.equal(await bars.count(), orgs.length);
  assert.equal(await bars.nth(0).locator(".bar-value").textContent(), percent(orgs[0].score));
  await page.screenshot({ path: join(shots, "breakdowns.png"), fullPage: true });
});

test("the executions table pages, sorts and groups as the API does", async () => {
  await page.click('a[href="#executions"]');
  await viewDrawn("executions");
  const first = await api("/api/analytics/executions/paginated", { from: "now-30d", page: 1, pageSize: 25 });
  assert.equal(await page.textContent("#page-indicator"),
               `Page 1 of ${first.pagination.totalPages} · ${first.pagination.totalItems.toLocaleString("en-US")} executions`);
  assert.equal(await page.locator("table.executions tbody tr").count(), 25);
  await page.screenshot({ path: join(shots, "executions.png"), fullPage: true });

  // A double click moves one page, and keyboard focus stays on Next.
  await page.focus("#page-next");
  await page.dblclick("#page-next");
  await page.waitForFunction(() => document.querySelector("#page-indicator")?.textContent.startsWith("Page 2 "));
  await viewDrawn("executions");
  assert.match(await page.textContent("#page-indicator"), /^Page 2 /);
  assert.equal(await page.evaluate(() => document.activeElement.id), "page-next");
  const second = await api("/api/analytics/executions/paginated", { from: "now-30d", page: 2, pageSize: 25 });
  assert.equal(await page.textContent("table.executions tbody tr:first-child td:nth-child(2)"), second.data[0].test_name);
  assert.equal(await page.textContent("table.executions tbody tr:first-child td:nth-child(3)"), second.data[0].hostname);

  await page.click('th button:text-is("Test")');
  await page.waitForSelector('th[aria-sort="descending"] button:text-matches("^Test")');
  const sorted = await api("/api/analytics/executions/paginated",
                           { from: "now-30d", page: 1, pageSize: 25, sortField: "f0rtika.test_name", sortOrder: "desc" });
  assert.equal(await page.textContent("table.executions tbody tr:first-child td:nth-child(2)"), sorted.data[0].test_name);

  await page.check("#grouped");
  const grouped = await api("/api/analytics/executions/paginated",
                            { from: "now-30d", page: 1, pageSize: 25, sortField: "f0rtika.test_name", sortOrder: "desc", grouped: "true" });
  await page.waitForFunction((want) => document.querySelector("#page-indicator")?.textContent.endsWith(want),
                             `${grouped.pagination.totalGroups.toLocaleString("en-US")} runs`);
  await page.uncheck("#grouped");
  await viewDrawn("executions");
});

test("the Defender view shows the detection rate by technique", async () => {
  await page.click('a[href="#defender"]');
  await viewDrawn("defender");
  const rate = await api("/api/analytics/defender/correlation/detection-rate", { days: 30 });
  assert.ok(rate.overall.totalExecutions > 0, "the demo data has Defender alerts");
  assert.equal(await page.textContent("#detection-rate"), percent(rate.overall.detectionRate));
  assert.equal(await page.locator('ol[aria-label="Detection rate by technique"] li').count(), rate.byTechnique.length);
  await page.screenshot({ path: join(shots, "defender.png"), fullPage: true });
});

test("every view passes axe's WCAG 2 A and AA rules (labels, contrast, keyboard)", async () => {
  const problems = [];
  for (const name of ["overview", "techniques", "breakdowns", "executions", "defender"]) {
    await page.click(`a[href="#${name}"]`);
    await viewDrawn(name);
    if (!(await page.evaluate(() => typeof window.axe !== "undefined"))) await page.evaluate(axeSource);
    const result = await page.evaluate(() => window.axe.run(document, { runOnly: ["wcag2a", "wcag2aa"] }));
    assert.ok(result.passes.length > 10, `axe checked ${name}`);
    for (const v of result.violations)
      problems.push(`${name}: ${v.id} (${v.help}) at ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ")}`);
  }
  assert.deepEqual(problems, []);
});

test("without Defender configured (the API's 400), the Defender view says so instead of an error", async () => {
  await page.route("**/api/analytics/defender/correlation/detection-rate*", (route) =>
    route.fulfill({ status: 400, contentType: "application/json",
                    body: JSON.stringify({ success: false, error: "Defender integration is not configured" }) }));
  await page.click('a[href="#overview"]');
  await viewDrawn("overview");
  await page.click('a[href="#defender"]');
  await viewDrawn("defender");
  assert.match(await page.textContent("#no-defender"), /^No Defender data: Defender integration is not configured/);
  assert.equal(await page.textContent("#status"), "Defender updated.");
  await page.unroute("**/api/analytics/defender/correlation/detection-rate*");
});

test("the ATT&CK Navigator layer downloads with the filters' scores", async () => {
  const [download] = await Promise.all([page.waitForEvent("download"), page.click("#export-layer")]);
  const layer = JSON.parse(readFileSync(await download.path(), "utf8"));
  assert.equal(layer.domain, "enterprise-attack");
  assert.equal(layer.versions.layer, "4.5");
  const techniques = await api("/api/analytics/defense-score/by-technique", { from: "now-30d" });
  // Scored entries are the tested techniques; unscored ones only expand a
  // tested sub-technique's parent.
  const scored = layer.techniques.filter((t) => "score" in t);
  assert.deepEqual(scored.map((t) => [t.techniqueID, t.score]).sort(),
                   techniques.map((t) => [t.name, t.score]).sort());
  for (const t of scored) assert.ok(t.score >= 0 && t.score <= 100);
});

test("the executions CSV downloads with one row per execution", async () => {
  const [download] = await Promise.all([page.waitForEvent("download"), page.click("#export-csv")]);
  assert.equal(download.suggestedFilename(), "achilles-executions.csv");
  const text = readFileSync(await download.path(), "utf8");
  const executions = await api("/api/analytics/executions/paginated", { from: "now-30d", pageSize: 1 });
  // The demo data's cells hold no line breaks: one line per row.
  const lines = text.trimEnd().split("\r\n");
  assert.equal(lines.length - 1, executions.pagination.totalItems);
});

test("signing out forgets the token and leaves nothing of the session on the page", async () => {
  await page.click("#sign-out");
  await page.waitForSelector("#sign-in:not([hidden])");
  assert.equal(await page.evaluate(() => sessionStorage.getItem("achilles.token")), null);
  assert.equal(await page.evaluate(() => [...document.querySelectorAll("main section")].every((s) => s.childElementCount === 0)), true);
  assert.equal(await page.locator("#org option").count(), 1);
  assert.equal(await page.locator("#hostnames option").count(), 0);
});

test("a key without the analytics permission signs in, and each view shows the server's 403", async () => {
  const forbidden = (route) => route.fulfill({ status: 403, contentType: "application/json",
                                               body: JSON.stringify({ success: false, error: "Insufficient permissions" }) });
  await page.route("**/api/analytics/**", forbidden);
  await signIn("a-key-that-may-not-read-analytics");
  await page.waitForSelector("#app:not([hidden])");
  await page.waitForFunction(() => document.querySelector("main section:not([hidden]) .error")?.textContent.includes("403"));
  assert.equal(await page.textContent("main section:not([hidden]) .error"), "The server refused: Insufficient permissions (403)");
  await page.unroute("**/api/analytics/**", forbidden);
  await page.click("#sign-out");
  await page.waitForSelector("#sign-in:not([hidden])");
});

test("a token the server stops accepting returns to the sign-in view (401)", async () => {
  await page.evaluate(() => sessionStorage.setItem("achilles.token", "revoked-or-expired-token"));
  await page.reload();
  await page.waitForFunction(() => document.querySelector("#sign-in-error").textContent.includes("401"));
  assert.equal(await page.isHidden("#app"), true);
  assert.equal(await page.evaluate(() => sessionStorage.getItem("achilles.token")), null);
});

test("nothing broke the page's policy or threw", () => {
  assert.deepEqual(policyViolations, []);
  assert.deepEqual(pageErrors, []);
});
