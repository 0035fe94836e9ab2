// The built-in dashboard in Firefox (Debian's firefox-esr, driven over
// WebDriver BiDi by puppeteer-core): sign in, every view drawn from the API,
// no policy violation or script error. The full behaviour is specified in
// dashboard.test.mjs (Chromium); this checks the page works in the other
// engine users run.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import puppeteer from "puppeteer-core";
import { api, base, percent, shots, token, viewIsDrawn } from "./support.mjs";

let browser, page, profile;
const problems = [];

async function viewDrawn(name) {
  await page.waitForFunction(viewIsDrawn, {}, name);
}

before(async () => {
  profile = mkdtempSync(join(tmpdir(), "achilles-firefox-"));
  browser = await puppeteer.launch({ browser: "firefox", executablePath: "/usr/bin/firefox-esr", headless: true, userDataDir: profile });
  page = await browser.newPage();
  await page.setViewport({ width: 1366, height: 900 });
  page.on("console", (m) => {
    if (/Content[- ]Security[- ]Policy|blocked/i.test(m.text())) problems.push(m.text());
  });
  page.on("pageerror", (e) => problems.push(e.message));
  await page.goto(`${base}/`);
});

after(async () => {
  await browser?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

test("Firefox: signing in shows the API's headline score", async () => {
  await page.waitForSelector("#token");
  await page.type("#token", token);
  await page.click("#sign-in-form button[type=submit]");
  await viewDrawn("overview");
  const score = await api("/api/analytics/defense-score", { from: "now-30d", scoringMode: "all-stages" });
  assert.equal(await page.$eval("#score-combined-all-stages", (e) => e.textContent), percent(score.score));
  await page.screenshot({ path: join(shots, "firefox-overview.png"), fullPage: true });
});

test("Firefox: every view draws from the API", async () => {
  await page.click('a[href="#techniques"]');
  await viewDrawn("techniques");
  const techniques = await api("/api/analytics/defense-score/by-technique", { from: "now-30d" });
  assert.equal(await page.$$eval(".tile", (tiles) => tiles.length), techniques.length);
  await page.screenshot({ path: join(shots, "firefox-techniques.png"), fullPage: true });

  await page.click('a[href="#breakdowns"]');
  await viewDrawn("breakdowns");
  await page.click('a[href="#executions"]');
  await viewDrawn("executions");
  await page.click("#page-next");
  await page.waitForFunction(() => document.querySelector("#page-indicator")?.textContent.startsWith("Page 2 "));
  const second = await api("/api/analytics/executions/paginated", { from: "now-30d", page: 2, pageSize: 25 });
  assert.equal(await page.$eval("table.executions tbody tr td:nth-child(2)", (e) => e.textContent), second.data[0].test_name);
  await page.screenshot({ path: join(shots, "firefox-executions.png"), fullPage: true });

  await page.click('a[href="#defender"]');
  await viewDrawn("defender");
  const rate = await api("/api/analytics/defender/correlation/detection-rate", { days: 30 });
  assert.equal(await page.$eval("#detection-rate", (e) => e.textContent), percent(rate.overall.detectionRate));
});

test("Firefox: signing out returns to the sign-in view, and nothing broke the policy or threw", async () => {
  await page.click("#sign-out");
  await page.waitForFunction(() => !document.querySelector("#sign-in").hidden);
  assert.equal(await page.evaluate(() => sessionStorage.getItem("achilles.token")), null);
  assert.deepEqual(problems, []);
});
