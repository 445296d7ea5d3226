// HTTP load driver for the RunLedger benchmarks (S1 drain, S2 trigger rate, S4 trigger -> start latency).
//
//   node bench/runledger.mjs s1|s2|s4|all        (normally started by bench/run.sh)
//
// Node >= 20, no dependencies: node:http with one keep-alive agent. Every measurement is printed as
//   RESULT runledger <scenario> <variant> key=value ...
// and appended to $BENCH_TMP/results.txt (default /tmp/runledger-bench/results.txt).
//
// API calls made (scope "bench", service "noop" unless RUNLEDGER_SCOPE / RUNLEDGER_SERVICE say otherwise):
//   setup, with RUNLEDGER_ADMIN_KEY: PUT /v1/scopes/{scope}, PUT .../services/{service}
//          {maxAttempts: 1, leaseTtlSeconds: 300}, POST /v1/scopes/{scope}/keys -> {key} (used for the rest;
//          or pass an existing scope key in RUNLEDGER_KEY)
//   trigger   POST /v1/scopes/{scope}/services/{service}/runs     {input}
//   batch     POST /v1/scopes/{scope}/services/{service}/batches  {items: [{input}]}   (1..1000 items)
//   lease     POST /v1/scopes/{scope}/workers/lease  {workerId, services, max, waitSeconds}  (long poll)
//   complete  POST /v1/scopes/{scope}/runs/{runId}/complete  {leaseToken, output}          (COMPLETE=single)
//             POST /v1/scopes/{scope}/runs:complete  {items: [{runId, leaseToken, output}]}
//               -> 200 {items: [...]}, one result per item, in order                      (COMPLETE=batch)
//
// Knobs (environment): see bench/README.md.
import http from "node:http";
import { performance } from "node:perf_hooks";
import { appendFileSync, mkdirSync } from "node:fs";

// ---------------------------------------------------------------- settings
const env = (k, d) => (process.env[k] === undefined || process.env[k] === "" ? d : process.env[k]);
const envInt = (k, d) => {
  const v = Number.parseInt(env(k, String(d)), 10);
  if (!Number.isFinite(v)) throw new Error(`${k} must be an integer`);
  return v;
};
const ints = (k, d) => env(k, d).trim().split(/\s+/).map((x) => {
  const v = Number.parseInt(x, 10);
  if (!Number.isFinite(v) || v < 1) throw new Error(`${k}: not a positive integer: ${x}`);
  return v;
});

const SYSTEM = env("SYSTEM_LABEL", "runledger");
const BASE = new URL(env("RUNLEDGER_URL", "http://127.0.0.1:7070"));
const SCOPE = env("RUNLEDGER_SCOPE", "bench");
const SERVICE = env("RUNLEDGER_SERVICE", "noop");
const ADMIN_KEY = env("RUNLEDGER_ADMIN_KEY", "");
let KEY = env("RUNLEDGER_KEY", "");
const BENCH_TMP = env("BENCH_TMP", "/tmp/runledger-bench");

const CONCURRENCY = envInt("CONCURRENCY", 24);
const S1_JOBS = envInt("S1_JOBS", 50_000);
const S1_LEASE_MAX = ints("S1_LEASE_MAX", "25 1000");
const S1_CAP_S = envInt("S1_CAP_S", 120);
const INSERT_CHUNK = envInt("INSERT_CHUNK", 1_000);
const COMPLETE = env("COMPLETE", "batch");
const S2_SINGLE_JOBS = envInt("S2_SINGLE_JOBS", 10_000);
const S2_BULK_JOBS = envInt("S2_BULK_JOBS", 50_000);
const S2_BULK_SIZES = ints("S2_BULK_SIZES", "100 1000");
const S4_JOBS = envInt("S4_JOBS", 200);
const S4_GAP_MS = envInt("S4_GAP_MS", 10);
const S4_JITTER_MS = envInt("S4_JITTER_MS", 20);
const REQUEST_TIMEOUT_MS = envInt("REQUEST_TIMEOUT_MS", 120_000);

if (COMPLETE !== "batch" && COMPLETE !== "single") throw new Error("COMPLETE must be batch or single");
for (const s of S2_BULK_SIZES) if (s > 1000) throw new Error("S2_BULK_SIZES: a batch holds at most 1000 items");
if (INSERT_CHUNK < 1 || INSERT_CHUNK > 1000) throw new Error("INSERT_CHUNK must be 1..1000");

const enc = encodeURIComponent;
const P = {
  trigger: `/v1/scopes/${enc(SCOPE)}/services/${enc(SERVICE)}/runs`,
  batch: `/v1/scopes/${enc(SCOPE)}/services/${enc(SERVICE)}/batches`,
  lease: `/v1/scopes/${enc(SCOPE)}/workers/lease`,
  complete: (runId) => `/v1/scopes/${enc(SCOPE)}/runs/${enc(runId)}/complete`,
  completeMany: `/v1/scopes/${enc(SCOPE)}/runs:complete`,
  runs: `/v1/scopes/${enc(SCOPE)}/runs`,
};

// ---------------------------------------------------------------- helpers
/** Wall clock in ms with sub-ms resolution. */
const now = () => performance.timeOrigin + performance.now();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function withTimeout(promise, ms, what) {
  let timer;
  const limit = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms);
  });
  return Promise.race([promise, limit]).finally(() => clearTimeout(timer));
}

/** Nearest-rank percentile of an ascending array. */
function percentile(sorted, p) {
  if (!sorted.length) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

function stats(values) {
  const s = [...values].sort((a, b) => a - b);
  return {
    n: s.length,
    p50: percentile(s, 50),
    p90: percentile(s, 90),
    p99: percentile(s, 99),
    max: s[s.length - 1],
    mean: s.reduce((a, b) => a + b, 0) / (s.length || 1),
  };
}

function format(v) {
  if (typeof v !== "number") return String(v);
  if (Number.isInteger(v)) return String(v);
  return v >= 100 ? v.toFixed(0) : v.toFixed(2);
}

/** One RESULT line on stdout, appended to $BENCH_TMP/results.txt as well. */
function result(scenario, variant, fields) {
  const kv = Object.entries(fields).map(([k, v]) => `${k}=${format(v)}`).join(" ");
  const line = `RESULT ${SYSTEM} ${scenario} ${variant} ${kv}`;
  console.log(line);
  mkdirSync(BENCH_TMP, { recursive: true });
  appendFileSync(`${BENCH_TMP}/results.txt`, line + "\n");
}

class HttpError extends Error {
  constructor(method, path, status, text) {
    super(`${method} ${path} -> ${status} ${text.slice(0, 300)}`);
    this.status = status;
  }
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 128 });

/** One JSON request; resolves with the parsed body of a 2xx answer, rejects with HttpError otherwise. */
function call(method, path, body, key = KEY) {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? null : Buffer.from(JSON.stringify(body));
    const headers = {};
    if (key) headers.authorization = `Bearer ${key}`;
    if (data) {
      headers["content-type"] = "application/json";
      headers["content-length"] = data.length;
    }
    const req = http.request({ agent, host: BASE.hostname, port: BASE.port, method, path, headers }, (res) => {
      const chunks = [];
      res.on("data", (c) => chunks.push(c));
      res.on("end", () => {
        const text = Buffer.concat(chunks).toString();
        if (res.statusCode < 200 || res.statusCode >= 300) {
          reject(new HttpError(method, path, res.statusCode, text));
          return;
        }
        try {
          resolve(text ? JSON.parse(text) : null);
        } catch {
          reject(new Error(`${method} ${path} -> ${res.statusCode}, body is not JSON: ${text.slice(0, 200)}`));
        }
      });
      res.on("error", reject);
    });
    req.setTimeout(REQUEST_TIMEOUT_MS, () => req.destroy(new Error(`${method} ${path}: no answer in ${REQUEST_TIMEOUT_MS} ms`)));
    req.on("error", reject);
    if (data) req.write(data);
    req.end();
  });
}

// ---------------------------------------------------------------- API steps
async function setup() {
  if (ADMIN_KEY) {
    await call("PUT", `/v1/scopes/${enc(SCOPE)}`, {}, ADMIN_KEY);
    await call("PUT", `/v1/scopes/${enc(SCOPE)}/services/${enc(SERVICE)}`, { maxAttempts: 1, leaseTtlSeconds: 300 }, ADMIN_KEY);
    if (!KEY) KEY = (await call("POST", `/v1/scopes/${enc(SCOPE)}/keys`, { name: "bench" }, ADMIN_KEY)).key;
  }
  if (!KEY) throw new Error("set RUNLEDGER_ADMIN_KEY (setup through the admin key) or RUNLEDGER_KEY (a key of the scope)");
}

const lease = (workerId, max, waitSeconds) =>
  call("POST", P.lease, { workerId, services: [SERVICE], max, waitSeconds }).then((r) => r.leases);

/** True when one entry of a runs:complete answer reports a failure for its item. */
function itemFailed(item) {
  if (item === null || typeof item !== "object") return true;
  for (const k of ["error", "problem"]) if (item[k] !== undefined && item[k] !== null) return true;
  if (item.ok === false) return true;
  for (const k of ["status", "code"]) if (typeof item[k] === "number" && (item[k] < 200 || item[k] >= 300)) return true;
  return false;
}

/**
 * Completes the given leases, COMPLETE=batch in one runs:complete call, COMPLETE=single one call each.
 * Returns one {runId, ok, error} per lease, in order. Refusals of single items are returned, not thrown;
 * a refused call (batch) or a transport error is thrown.
 */
async function completeAll(leases, mode = COMPLETE) {
  if (mode === "batch") {
    let answer;
    try {
      answer = await call("POST", P.completeMany, {
        items: leases.map((l) => ({ runId: l.runId, leaseToken: l.leaseToken, output: null })),
      });
    } catch (e) {
      if (e instanceof HttpError && (e.status === 404 || e.status === 405)) {
        e.message += "\n(this server has no runs:complete; run with COMPLETE=single)";
      }
      throw e;
    }
    const items = answer?.items;
    if (!Array.isArray(items) || items.length !== leases.length) {
      throw new Error(`runs:complete answered ${Array.isArray(items) ? items.length : "no"} items for ${leases.length}: ` +
        JSON.stringify(answer).slice(0, 300));
    }
    return leases.map((l, i) => ({
      runId: l.runId,
      ok: !itemFailed(items[i]),
      error: itemFailed(items[i]) ? JSON.stringify(items[i]).slice(0, 300) : null,
    }));
  }
  const out = [];
  for (const l of leases) {
    try {
      await call("POST", P.complete(l.runId), { leaseToken: l.leaseToken, output: null });
      out.push({ runId: l.runId, ok: true, error: null });
    } catch (e) {
      if (!(e instanceof HttpError)) throw e;
      out.push({ runId: l.runId, ok: false, error: e.message });
    }
  }
  return out;
}

/** Leases and completes whatever is still queued, so a scenario starts from an empty queue (untimed). */
async function drainLeftovers() {
  const t = now();
  let n = 0;
  await Promise.all(Array.from({ length: CONCURRENCY }, async (_, w) => {
    for (;;) {
      const leases = await lease(`bench-cleaner-${w}`, 100, 0);
      if (!leases.length) return;
      const done = COMPLETE === "batch"
        ? await completeAll(leases, "batch")
        : (await Promise.all(leases.map((l) => completeAll([l], "single")))).flat();
      const bad = done.filter((d) => !d.ok);
      if (bad.length) throw new Error(`could not complete a leftover run: ${bad[0].error}`);
      n += leases.length;
    }
  }));
  if (n) console.error(`(completed ${n} queued runs before the next measurement, ${((now() - t) / 1000).toFixed(1)} s, untimed)`);
  return n;
}

/** Registers n runs through batches of `chunk`; returns their run ids. */
async function bulkTrigger(n, chunk, input = (i) => ({ i })) {
  const ids = [];
  for (let i = 0; i < n; i += chunk) {
    const items = [];
    for (let j = i; j < Math.min(n, i + chunk); j++) items.push({ input: input(j) });
    const r = await call("POST", P.batch, { items });
    if (!Array.isArray(r?.runIds) || r.runIds.length !== items.length) {
      throw new Error(`batch of ${items.length} answered ${JSON.stringify(r).slice(0, 200)}`);
    }
    for (const id of r.runIds) ids.push(id);
  }
  return ids;
}

/** Runs of the service left in a status other than succeeded (server side, one small query per status). */
async function unsettledOnServer() {
  const left = {};
  for (const status of ["accepted", "scheduled", "running", "waiting", "failed", "cancelled", "expired"]) {
    const q = `?service=${enc(SERVICE)}&status=${status}&limit=1`;
    const r = await call("GET", P.runs + q);
    if (r.items.length) left[status] = r.items[0].runId ?? "?";
  }
  return left;
}

// ---------------------------------------------------------------- S1: drain pre-inserted runs
async function s1(leaseMax) {
  const variant = `w${CONCURRENCY}-lease${leaseMax}${COMPLETE === "batch" ? "-cbatch" : ""}`;
  await drainLeftovers();

  const ti = now();
  const inserted = await bulkTrigger(S1_JOBS, INSERT_CHUNK);
  const insertS = (now() - ti) / 1000;
  const expected = new Set(inserted);
  if (expected.size !== S1_JOBS) throw new Error(`S1: the pre-insert returned ${expected.size} distinct run ids for ${S1_JOBS}`);

  const leasedOnce = new Set(); // run ids leased at least once
  const finished = new Set(); // run ids whose completion was answered (accepted or refused)
  const completedOk = new Map(); // run id -> successful completions
  let duplicates = 0, unknown = 0, completions = 0, errors = 0, first = 0, tDone = 0;
  const errorSamples = [];

  const t0 = now(), deadline = t0 + S1_CAP_S * 1000;
  await Promise.all(Array.from({ length: CONCURRENCY }, async (_, w) => {
    while (finished.size < S1_JOBS && now() < deadline) {
      const leases = await lease(`bench-w${w}`, leaseMax, 1);
      if (!leases.length) continue;
      if (!first) first = now();
      for (const l of leases) {
        if (leasedOnce.has(l.runId)) duplicates++;
        else leasedOnce.add(l.runId);
        if (!expected.has(l.runId)) unknown++;
      }
      for (const d of await completeAll(leases)) {
        finished.add(d.runId);
        if (d.ok) {
          completions++;
          completedOk.set(d.runId, (completedOk.get(d.runId) ?? 0) + 1);
        } else {
          errors++;
          if (errorSamples.length < 5) errorSamples.push(`${d.runId}: ${d.error}`);
        }
      }
      if (finished.size >= S1_JOBS && !tDone) tDone = now(); // other workers may still sit in a long poll
    }
  }));
  const tEnd = tDone || now();
  const drainS = first ? (tEnd - first) / 1000 : NaN;

  // Exactly once: every pre-inserted run completed once, nothing else completed, nothing left behind.
  const problems = [];
  if (completions !== S1_JOBS) problems.push(`${completions} completions acknowledged for ${S1_JOBS} runs`);
  if (duplicates) problems.push(`${duplicates} duplicate leases`);
  if (unknown) problems.push(`${unknown} leases of runs that were not pre-inserted`);
  if (errors) problems.push(`${errors} completions refused, e.g. ${errorSamples.join(" | ")}`);
  const twice = [...completedOk.values()].filter((c) => c > 1).length;
  if (twice) problems.push(`${twice} runs completed more than once`);
  const missing = inserted.filter((id) => !completedOk.has(id)).length;
  if (missing) problems.push(`${missing} pre-inserted runs never completed${now() >= deadline ? ` (stopped at S1_CAP_S=${S1_CAP_S}s)` : ""}`);
  const left = await unsettledOnServer();
  if (Object.keys(left).length) problems.push(`runs left on the server: ${JSON.stringify(left)}`);

  result("S1", variant, {
    jobs: S1_JOBS, completed: completions, complete_errors: errors, duplicates,
    verified: problems.length ? "no" : "yes", concurrency: CONCURRENCY, lease_max: leaseMax, complete: COMPLETE,
    drain_s: drainS, jobs_per_s: completions / drainS, startup_ms: first ? first - t0 : NaN,
    preinsert_jobs_per_s: S1_JOBS / insertS,
  });
  if (problems.length) {
    console.error(`\nS1 ${variant} FAILED the exactly-once check:\n  - ${problems.join("\n  - ")}\n`);
    return false;
  }
  return true;
}

// ---------------------------------------------------------------- S2: trigger rate on an idle server
async function s2() {
  await drainLeftovers();
  let t = now();
  for (let i = 0; i < S2_SINGLE_JOBS; i++) await call("POST", P.trigger, { input: { i } });
  let s = (now() - t) / 1000;
  result("S2", "single-c1", { jobs: S2_SINGLE_JOBS, seconds: s, jobs_per_s: S2_SINGLE_JOBS / s });

  await drainLeftovers();
  let next = 0;
  t = now();
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (next < S2_SINGLE_JOBS) {
      const i = next++;
      await call("POST", P.trigger, { input: { i } });
    }
  }));
  s = (now() - t) / 1000;
  result("S2", `single-c${CONCURRENCY}`, { jobs: S2_SINGLE_JOBS, seconds: s, jobs_per_s: S2_SINGLE_JOBS / s });

  for (const size of S2_BULK_SIZES) {
    await drainLeftovers();
    t = now();
    await bulkTrigger(S2_BULK_JOBS, size);
    s = (now() - t) / 1000;
    result("S2", `bulk-b${size}`, { jobs: S2_BULK_JOBS, batch: size, seconds: s, jobs_per_s: S2_BULK_JOBS / s });
  }
  return true; // the runs registered last stay queued: the next scenario drains them first (run.sh empties the database)
}

// ---------------------------------------------------------------- S4: trigger -> handler start latency
async function s4() {
  await drainLeftovers();
  let wake = null, stop = false;
  const latencies = [];
  const worker = (async () => {
    while (!stop) {
      const leases = await lease("bench-latency", 1, 2);
      for (const l of leases) {
        latencies.push(now() - l.input.sentAt); // the handler would start here: lease in hand
        wake?.();
        const [d] = await completeAll([l], "single");
        if (!d.ok) throw new Error(`S4: completion refused: ${d.error}`);
      }
    }
  })();
  await sleep(1000); // the worker is waiting in its long poll before the first trigger
  const acks = [];
  for (let i = 0; i < S4_JOBS; i++) {
    const started = new Promise((r) => (wake = r));
    const sentAt = now();
    await call("POST", P.trigger, { input: { sentAt } });
    acks.push(now() - sentAt);
    await withTimeout(started, 30_000, `S4: run ${i} was not leased`);
    await sleep(S4_GAP_MS + Math.random() * S4_JITTER_MS);
  }
  stop = true;
  await worker;
  const l = stats(latencies), a = stats(acks);
  result("S4", "long-poll", {
    jobs: l.n, p50_ms: l.p50, p90_ms: l.p90, p99_ms: l.p99, max_ms: l.max, mean_ms: l.mean,
    gap_ms: `${S4_GAP_MS}+U(0,${S4_JITTER_MS})`, ack_p50_ms: a.p50, ack_p99_ms: a.p99,
  });
  return true;
}

// ---------------------------------------------------------------- main
const which = process.argv[2] || "all";
if (!["s1", "s2", "s4", "all"].includes(which)) {
  console.error("usage: node bench/runledger.mjs s1|s2|s4|all");
  process.exit(2);
}
let ok = true;
try {
  await setup();
  if (which === "s1" || which === "all") for (const m of S1_LEASE_MAX) ok = (await s1(m)) && ok;
  if (which === "s2" || which === "all") ok = (await s2()) && ok;
  if (which === "s4" || which === "all") ok = (await s4()) && ok;
} catch (e) {
  console.error(`runledger.mjs ${which}: ${e instanceof HttpError ? e.message : e.stack || e.message}`);
  ok = false;
}
agent.destroy();
process.exit(ok ? 0 : 1);
