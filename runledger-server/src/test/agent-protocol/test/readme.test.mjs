// The SDK example of the README, run as written (only its URL points at the test's server).
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const MARKER = "<!-- agent-protocol-sdk -->";
const README_URL = "http://127.0.0.1:7070/v1/scopes/demo/ap";

test("the README's SDK example streams an answer", async () => {
  const readme = readFileSync(process.env.RUNLEDGER_README, "utf8");
  const at = readme.indexOf(MARKER);
  assert.ok(at >= 0, `the README has ${MARKER}`);
  const block = /```js\n([\s\S]*?)```/.exec(readme.slice(at));
  assert.ok(block, "a js block follows the marker");
  const code = block[1];
  assert.ok(code.split("\n").filter((l) => l.trim()).length <= 10, "the example has at most 10 lines");
  assert.ok(code.includes(README_URL), `the example talks to ${README_URL}`);
  const file = fileURLToPath(new URL("../readme-example.mjs", import.meta.url));
  writeFileSync(file, code.replace(README_URL, process.env.RUNLEDGER_AP_URL));
  const { stdout } = await promisify(execFile)(process.execPath, [file], {
    env: { ...process.env }, timeout: 60_000 });
  console.log(stdout);
  assert.match(stdout, /RunLedger keeps every run of "What is RunLedger\?" in its ledger\./);
  assert.match(stdout, /"role":"assistant"/);
});
