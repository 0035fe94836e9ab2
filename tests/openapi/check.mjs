// Checks the API description the server serves:
// 1. GET /api/openapi.json is a valid OpenAPI 3.1 document (a standard
//    validator: @seriousme/openapi-schema-validator);
// 2. every GET operation, called on the running server with its example
//    queries, answers a status the document declares, with a body that
//    validates against the schema declared for it (Ajv, JSON Schema 2020-12).
// Usage: node check.mjs BASE_URL TOKEN
import { Validator } from "@seriousme/openapi-schema-validator";
import Ajv2020 from "ajv/dist/2020.js";

const [base, token] = process.argv.slice(2);
const doc = await (await fetch(`${base}/api/openapi.json`)).json();

const validation = await new Validator().validate(doc);
if (!validation.valid) {
  console.error("check_openapi: the document is not valid OpenAPI 3.1:", JSON.stringify(validation.errors, null, 1));
  process.exit(1);
}
console.log(`check_openapi: valid OpenAPI ${doc.openapi}, ${Object.keys(doc.paths).length} paths`);

const ajv = new Ajv2020({ strict: false, allErrors: true });
ajv.addSchema(doc, "openapi.json");
const pointer = (...parts) => parts.map((p) => String(p).replaceAll("~", "~0").replaceAll("/", "~1")).join("/");

let failures = 0, checked = 0;
for (const [path, item] of Object.entries(doc.paths)) {
  const op = item.get;
  if (!op) continue;
  const concrete = path.replace(/\{[^}]+\}/g, "no-such-id");
  for (const query of op["x-example-queries"] ?? ["", "?from=now-30d"]) {
    const response = await fetch(base + concrete + query, { headers: { Authorization: `Bearer ${token}` } });
    const status = String(response.status);
    const text = await response.text();
    let declared = op.responses[status];
    let where = pointer("paths", path, "get", "responses", status);
    if (declared?.$ref) {
      where = declared.$ref.slice(2);  // "#/components/responses/X" → "components/responses/X"
      declared = declared.$ref.split("/").slice(1).reduce((o, k) => o[k], doc);
    }
    checked++;
    if (!declared) {
      console.error(`check_openapi: GET ${concrete}${query} answered ${status}, which the document does not declare`);
      failures++;
      continue;
    }
    const media = Object.keys(declared.content ?? {})[0];
    if (media !== "application/json") continue;  // /metrics: text
    const validate = ajv.getSchema(`openapi.json#/${where}/content/${pointer("application/json")}/schema`);
    let body;
    try { body = JSON.parse(text); } catch { body = undefined; }
    if (body === undefined || !validate(body)) {
      console.error(`check_openapi: GET ${concrete}${query} (${status}) does not match its schema:`,
                    JSON.stringify(validate?.errors?.slice(0, 5) ?? "not JSON"));
      failures++;
    }
  }
}
console.log(`check_openapi: ${checked} responses of ${Object.values(doc.paths).filter((i) => i.get).length} GET operations checked, ${failures} failing`);
process.exit(failures ? 1 : 0);
