// The LangGraph SDK, through its public API only, against a real RunLedger server whose runs
// are executed by a real RunLedger worker (LangGraphSdkTest starts both and runs this file).
import { test } from "node:test";
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { Client } from "@langchain/langgraph-sdk";

const apiUrl = process.env.RUNLEDGER_AP_URL;
const apiKey = process.env.RUNLEDGER_KEY;
assert.ok(apiUrl && apiKey, "RUNLEDGER_AP_URL and RUNLEDGER_KEY must be set");
const client = new Client({ apiUrl, apiKey });

/** Every part of a stream, printed as it arrives. */
async function collect(stream, label) {
  const parts = [];
  for await (const part of stream) {
    console.log(`${label} ${part.id ?? "-"} ${part.event} ${JSON.stringify(part.data)}`);
    parts.push(part);
  }
  return parts;
}

async function until(what, check, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

test("assistants.search lists the services as assistants", async () => {
  const assistants = await client.assistants.search({ limit: 100 });
  const ids = assistants.map((a) => a.assistant_id).sort();
  for (const id of ["asker", "echo", "restart", "slow"]) assert.ok(ids.includes(id), `${id} in ${ids}`);
  const echo = await client.assistants.get("echo");
  assert.equal(echo.graph_id, "echo");
  const page = await client.assistants.search({ limit: 1, includePagination: true });
  assert.equal(page.assistants.length, 1);
  assert.equal(page.next, "1");
});

test("threads: create, get, search and getState", async () => {
  const thread = await client.threads.create({ metadata: { suite: "sdk", case: "threads" } });
  assert.equal(thread.status, "idle");
  const got = await client.threads.get(thread.thread_id);
  assert.deepEqual(got.metadata, { suite: "sdk", case: "threads" });
  const found = await client.threads.search({ metadata: { case: "threads" } });
  assert.deepEqual(found.map((t) => t.thread_id), [thread.thread_id]);
  const state = await client.threads.getState(thread.thread_id);
  assert.deepEqual(state.values, {});
  assert.deepEqual(state.next, []);
  const again = await client.threads.create({ threadId: thread.thread_id, ifExists: "do_nothing" });
  assert.equal(again.thread_id, thread.thread_id);
});

test("runs.create then runs.join answers the run's values", async () => {
  const thread = await client.threads.create();
  const run = await client.runs.create(thread.thread_id, "echo", { input: { text: "join me" } });
  // "running" when the test's worker was waiting: the run was handed to it as it was created
  assert.ok(["pending", "running"].includes(run.status), run.status);
  assert.equal(run.thread_id, thread.thread_id);
  const values = await client.runs.join(thread.thread_id, run.run_id);
  assert.equal(values.echo, "join me");
  assert.equal((await client.runs.get(thread.thread_id, run.run_id)).status, "success");
  const state = await client.threads.getState(thread.thread_id);
  assert.equal(state.values.echo, "join me");
});

test("runs.wait answers the values, with and without a thread", async () => {
  const thread = await client.threads.create();
  const values = await client.runs.wait(thread.thread_id, "echo", { input: { text: "wait for me" } });
  assert.equal(values.echo, "wait for me");
  const stateless = await client.runs.wait(null, "echo", { input: { text: "no thread" } });
  assert.equal(stateless.echo, "no thread");
});

test("runs.stream sends the worker's values, updates, messages and custom chunks", async () => {
  const thread = await client.threads.create();
  let created;
  const parts = await collect(client.runs.stream(thread.thread_id, "echo", {
    input: { text: "stream me" },
    streamMode: ["values", "updates", "messages-tuple", "custom"],
    onRunCreated: (meta) => { created = meta; },
  }), "stream");
  assert.deepEqual(created?.thread_id, thread.thread_id);
  const events = parts.map((p) => p.event);
  assert.equal(events[0], "metadata");
  assert.equal(parts[0].data.run_id, created.run_id);
  assert.equal(events.at(-1), "end");
  const text = parts.filter((p) => p.event === "messages").map((p) => p.data[0].content).join("");
  assert.equal(text, "stream me");
  assert.deepEqual(parts.filter((p) => p.event === "updates").map((p) => p.data), [{ echo: { chars: 9 } }]);
  assert.deepEqual(parts.filter((p) => p.event === "custom").map((p) => p.data), [{ progress: "half way" }]);
  const values = parts.filter((p) => p.event === "values").map((p) => p.data);
  assert.deepEqual(values, [{ echo: "" }, { echo: "stream me" }]);
  // one mode alone: only its parts (and metadata, end)
  const onlyCustom = await collect(client.runs.stream(thread.thread_id, "echo", {
    input: { text: "again" }, streamMode: "custom" }), "custom-only");
  assert.deepEqual(onlyCustom.map((p) => p.event), ["metadata", "custom", "end"]);
});

test("multitask_strategy reject gives a conflict, enqueue runs the second after the first", async () => {
  const thread = await client.threads.create();
  const first = await client.runs.create(thread.thread_id, "slow", { input: { ticks: 8 } });
  await assert.rejects(
    client.runs.create(thread.thread_id, "slow", { input: { ticks: 1 }, multitaskStrategy: "reject" }),
    (e) => e.status === 409 && /concurrency_conflict/.test(e.message));
  const second = await client.runs.create(thread.thread_id, "slow", {
    input: { ticks: 1 }, multitaskStrategy: "enqueue" });
  assert.equal(second.status, "pending");
  const firstValues = await client.runs.join(thread.thread_id, first.run_id);
  const secondValues = await client.runs.join(thread.thread_id, second.run_id);
  assert.ok(secondValues.startedAt >= firstValues.finishedAt,
    `second started ${secondValues.startedAt}, first finished ${firstValues.finishedAt}`);
  const runs = await client.runs.list(thread.thread_id);
  assert.deepEqual(runs.map((r) => r.run_id), [second.run_id, first.run_id]);
  assert.deepEqual(runs.map((r) => r.multitask_strategy), ["enqueue", "reject"]);
});

test("an interrupt shows up in threads.getState and a command resume completes it", async () => {
  const thread = await client.threads.create();
  const run = await client.runs.create(thread.thread_id, "asker", { input: { doc: "Q3 budget" } });
  const joined = await client.runs.join(thread.thread_id, run.run_id);
  assert.equal(joined.__interrupt__[0].value.question, "Approve Q3 budget?");
  const state = await client.threads.getState(thread.thread_id);
  console.log("interrupted state", JSON.stringify(state));
  assert.deepEqual(state.next, ["approval"]);
  const interrupt = state.tasks[0].interrupts[0];
  assert.equal(interrupt.value.question, "Approve Q3 budget?");
  assert.equal((await client.threads.get(thread.thread_id)).status, "interrupted");
  assert.equal((await client.runs.get(thread.thread_id, run.run_id)).status, "interrupted");

  const values = await client.runs.wait(thread.thread_id, "asker", { command: { resume: { approved: true } } });
  assert.deepEqual(values, { doc: "Q3 budget", decision: { approved: true } });
  assert.equal((await client.threads.get(thread.thread_id)).status, "idle");
  assert.deepEqual((await client.threads.getState(thread.thread_id)).values, values);
});

test("runs.cancel stops a running run", async () => {
  const thread = await client.threads.create();
  const run = await client.runs.create(thread.thread_id, "slow", { input: { ticks: 600 } });
  await until("the run to be running",
    async () => (await client.runs.get(thread.thread_id, run.run_id)).status === "running");
  const started = Date.now();
  await client.runs.cancel(thread.thread_id, run.run_id, true);
  const after = await client.runs.get(thread.thread_id, run.run_id);
  assert.equal(after.status, "interrupted");
  assert.ok(Date.now() - started < 15_000, "stopped well before its 60 s of work");
  assert.equal((await client.threads.get(thread.thread_id)).status, "idle");
});

test("a stream cut by a server restart resumes with joinStream and the last event id, every part once", async () => {
  const restartRequest = process.env.RUNLEDGER_RESTART_REQUEST;
  assert.ok(restartRequest, "RUNLEDGER_RESTART_REQUEST must be set");
  // The SDK's own fetch, watched: which stream requests it makes, with which Last-Event-ID.
  const streamRequests = [];
  const watched = new Client({ apiUrl, apiKey, callerOptions: { fetch: (url, init) => {
    if (/\/runs\/[^/]+\/stream/.test(String(url))) {
      streamRequests.push(new Headers(init?.headers).get("last-event-id"));
    }
    return fetch(url, init);
  } } });
  const thread = await watched.threads.create();
  const run = await watched.runs.create(thread.thread_id, "restart", {
    input: { before: 5, after: 5 }, streamMode: ["custom", "values"] });
  const parts = [];
  let lastIdBeforeRestart;
  for await (const part of watched.runs.joinStream(thread.thread_id, run.run_id)) {
    console.log(`restart ${part.id ?? "-"} ${part.event} ${JSON.stringify(part.data)}`);
    parts.push(part);
    if (part.event === "custom" && part.data.tick === 5) {
      lastIdBeforeRestart = part.id;
      writeFileSync(restartRequest, String(part.id)); // the JUnit side restarts the server now
    }
  }
  // the server ended the stream when it stopped; the SDK reconnected at its Location, from its last id
  assert.ok(streamRequests.length >= 2, `stream requests: ${JSON.stringify(streamRequests)}`);
  assert.equal(streamRequests[0], null);
  assert.ok(streamRequests.slice(1).every((id) => Number(id) >= Number(lastIdBeforeRestart)),
    `reconnects from ${lastIdBeforeRestart} or later: ${JSON.stringify(streamRequests)}`);
  const ticks = parts.filter((p) => p.event === "custom").map((p) => p.data.tick);
  assert.deepEqual(ticks, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  assert.deepEqual(parts.map((p) => p.event).filter((e) => e !== "custom"), ["metadata", "values", "end"]);
  const ids = parts.map((p) => p.id);
  assert.equal(new Set(ids).size, ids.length, `no part twice: ${ids}`);

  // the same stream joined again from the last id seen before the restart: exactly the rest
  const rest = await collect(client.runs.joinStream(thread.thread_id, run.run_id, {
    lastEventId: lastIdBeforeRestart }), "resumed");
  assert.deepEqual(rest.map((p) => p.event === "custom" ? p.data.tick : p.event),
    [6, 7, 8, 9, 10, "values", "end"]);
  assert.deepEqual(rest.map((p) => p.id), ids.slice(ids.indexOf(lastIdBeforeRestart) + 1));
});
