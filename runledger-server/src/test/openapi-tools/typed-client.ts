// A small typed client of the RunLedger API, compiled (never run) with tsc --strict against the
// types openapi-typescript generates from /openapi.json (./api.d.ts). It compiles only if the
// document gives receipts, runs and pages their real types: the @ts-expect-error lines must be
// errors, which they are not if a type is any, and the Exact checks fail if it is unknown or wider.
import type { components, operations } from "./api";

type Schemas = components["schemas"];
type RunStatus = "accepted" | "scheduled" | "running" | "waiting" | "succeeded" | "failed" | "cancelled" | "expired";
type Exact<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

type TriggerBody = operations["triggerRun"]["requestBody"]["content"]["application/json"];
type Receipt = operations["triggerRun"]["responses"][202]["content"]["application/json"];
type Replayed = operations["triggerRun"]["responses"][200]["content"]["application/json"];
type Run = operations["getRun"]["responses"][200]["content"]["application/json"];
type RunPage = operations["listRuns"]["responses"][200]["content"]["application/json"];
type ListQuery = NonNullable<operations["listRuns"]["parameters"]["query"]>;
type Problem = operations["getRun"]["responses"][404]["content"]["application/problem+json"];
type Leases = operations["leaseRuns"]["responses"][200]["content"]["application/json"];

class RunLedgerError extends Error {
  constructor(readonly problem: Problem) {
    super(`${problem.status} ${problem.code}: ${problem.detail}`);
  }
}

class RunLedger {
  constructor(private readonly url: string, private readonly key: string) {}

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(this.url + path, {
      method,
      headers: { Authorization: `Bearer ${this.key}`, "Content-Type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok) {
      throw new RunLedgerError((await res.json()) as Problem);
    }
    return (await res.json()) as T;
  }

  trigger(scope: string, service: string, body: TriggerBody): Promise<Receipt | Replayed> {
    return this.call("POST", `/v1/scopes/${scope}/services/${service}/runs`, body);
  }

  run(scope: string, runId: string): Promise<Run> {
    return this.call("GET", `/v1/scopes/${scope}/runs/${encodeURIComponent(runId)}`);
  }

  list(scope: string, query: ListQuery): Promise<RunPage> {
    const params = new URLSearchParams();
    for (const [name, value] of Object.entries(query)) {
      if (value !== undefined) {
        params.set(name, String(value));
      }
    }
    return this.call("GET", `/v1/scopes/${scope}/runs?${params}`);
  }
}

export async function example(url: string, key: string): Promise<RunStatus[]> {
  const client = new RunLedger(url, key);
  const receipt = await client.trigger("acme", "work", { input: { n: 1 }, onConflict: "enqueue", priority: 5 });
  const runId: string = receipt.runId;
  const run = await client.run("acme", runId);
  const status: RunStatus = run.status;
  const attempt: number = run.attempt;
  const finishedAt: string | null = run.finishedAt;
  const page = await client.list("acme", { status: "running", limit: 50 });
  const statuses: RunStatus[] = page.items.map((r) => r.status);
  const next: string | null = page.nextCursor;
  const leases: Leases = { leases: [] };
  const token: string | undefined = leases.leases[0]?.leaseToken;
  console.log(status, attempt, finishedAt, next, token);

  // The exact types, not merely assignable ones.
  const exactStatus: Exact<Run["status"], RunStatus> = true;
  const exactItemStatus: Exact<RunPage["items"][number]["status"], RunStatus> = true;
  const exactRunId: Exact<Receipt["runId"], string> = true;
  const exactFinished: Exact<Run["finishedAt"], string | null> = true;
  const exactLimit: Exact<ListQuery["limit"], number | undefined> = true;
  const exactSchema: Exact<Schemas["RunStatus"], RunStatus> = true;
  console.log(exactStatus, exactItemStatus, exactRunId, exactFinished, exactLimit, exactSchema);

  // @ts-expect-error a status is one of its wire names, not a number
  const statusAsNumber: number = run.status;
  // @ts-expect-error "done" is no status
  const notAStatus: Run["status"] = "done";
  // @ts-expect-error a run id is a string
  const idAsNumber: number = receipt.runId;
  // @ts-expect-error an item's status is no number either
  const itemStatusAsNumber: number = page.items[0].status;
  // @ts-expect-error limit is a number
  const limitAsText: ListQuery = { limit: "50" };
  // @ts-expect-error onConflict is reject, enqueue or interrupt
  const badConflict: TriggerBody = { input: 1, onConflict: "sometimes" };
  // @ts-expect-error input is required (it may be null)
  const noInput: TriggerBody = {};
  console.log(statusAsNumber, notAStatus, idAsNumber, itemStatusAsNumber, limitAsText, badConflict, noInput);
  return statuses;
}
