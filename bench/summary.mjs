// RESULT lines -> one markdown table.
//   node bench/summary.mjs                      the whole of $BENCH_TMP/results.txt (default /tmp/runledger-bench)
//   node bench/summary.mjs FILE                 another results file
//   ... | node bench/summary.mjs -              RESULT lines from stdin
// Lines that do not start with "RESULT " are skipped.
import { readFileSync } from "node:fs";

const arg = process.argv[2];
const file = arg === "-" ? 0 : arg || `${process.env.BENCH_TMP || "/tmp/runledger-bench"}/results.txt`;
const text = readFileSync(file, "utf8");

const rows = text.split("\n").filter((l) => l.startsWith("RESULT ")).map((line) => {
  const [, system, scenario, variant, ...pairs] = line.trim().split(/\s+/);
  const f = {};
  for (const p of pairs) {
    const i = p.indexOf("=");
    if (i > 0) f[p.slice(0, i)] = p.slice(i + 1);
  }
  return { system, scenario, variant, f };
});

function main({ scenario, f }) {
  if (scenario === "S4") return `p50 ${f.p50_ms} / p99 ${f.p99_ms} / max ${f.max_ms} ms`;
  return `${f.jobs_per_s}/s`;
}

function details({ scenario, f }) {
  if (scenario === "S1") {
    const bits = [`${f.completed}/${f.jobs} completed`, `lease max ${f.lease_max}`, `complete ${f.complete ?? "?"}`,
      `duplicates ${f.duplicates}`];
    if (f.complete_errors && f.complete_errors !== "0") bits.push(`complete errors ${f.complete_errors}`);
    bits.push(f.verified === "yes" ? "exactly once: yes" : `exactly once: **NO**`);
    return bits.join(", ");
  }
  if (scenario === "S2") return `${f.jobs} runs in ${f.seconds} s` + (f.batch ? `, ${f.batch} per call` : "");
  if (scenario === "S4") return `${f.jobs} runs, gap ${f.gap_ms} ms, trigger ack p50 ${f.ack_p50_ms} / p99 ${f.ack_p99_ms} ms`;
  return Object.entries(f).map(([k, v]) => `${k}=${v}`).join(" ");
}

if (!rows.length) {
  console.log("(no RESULT lines)");
  process.exit(0);
}
console.log("| system | scenario | variant | result | details |");
console.log("|---|---|---|---|---|");
for (const r of rows) console.log(`| ${r.system} | ${r.scenario} | ${r.variant} | ${main(r)} | ${details(r)} |`);
