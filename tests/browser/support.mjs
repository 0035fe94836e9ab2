// What both browser tests share: the server they were given, its API as the
// test reads it, and the dashboard's way of writing numbers.
import assert from "node:assert/strict";

export const base = process.env.ACHILLES_URL;
export const token = process.env.ACHILLES_TOKEN;
export const shots = process.env.SCREENSHOT_DIR;
assert.ok(base && token && shots, "ACHILLES_URL, ACHILLES_TOKEN and SCREENSHOT_DIR are needed");

// A GET of the public API with the test's token; it must answer 200.
export async function api(path, params = {}) {
  const query = new URLSearchParams(params).toString();
  const response = await fetch(`${base}${path}${query ? `?${query}` : ""}`, { headers: { Authorization: `Bearer ${token}` } });
  assert.equal(response.status, 200, `${path} answered ${response.status}`);
  return response.json();
}

// The dashboard's way of writing a percentage (charts.js `percent`).
export const percent = (v) => `${Number(v).toFixed(2).replace(/\.?0+$/, "")}%`;

// Runs in the page: the view is shown, drawn, and not loading.
export function viewIsDrawn(name) {
  const section = document.querySelector(`#view-${name}`);
  return !section.hidden && section.childElementCount > 0 && !section.hasAttribute("aria-busy");
}
