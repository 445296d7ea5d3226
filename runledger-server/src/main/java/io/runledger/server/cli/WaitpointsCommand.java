package io.runledger.server.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.runledger.api.NewWaitpoint;
import io.runledger.api.Page;
import io.runledger.api.Waitpoint;
import io.runledger.api.WaitpointCreate;
import io.runledger.api.WaitpointFilter;
import io.runledger.api.WaitpointStatus;
import io.runledger.api.Waitpoints;
import io.runledger.client.RunLedgerClient;
import io.runledger.server.http.ServerJson;
import io.runledger.server.http.Views;
import io.runledger.server.wire.PageView;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code runledger waitpoints create|get|complete|list}: token waitpoints. One command with an
 * action (not picocli subcommands), so {@code --url}, {@code --key} and {@code --scope} go
 * anywhere on the line.
 */
@Command(name = "waitpoints", mixinStandardHelpOptions = true,
        description = {"Token waitpoints:",
            "  create [--timeout-seconds N] [--idempotency-key K] [--tag T]  prints it with its callback URL (once)",
            "  get ID",
            "  complete ID [--data JSON]",
            "  list [--status S] [--run-id RUN] [--limit N]"})
public final class WaitpointsCommand implements Callable<Integer> {
    /** What the command does. */
    public enum Action { create, get, complete, list }

    @Mixin
    ClientOptions options;

    @Parameters(index = "0", description = "create, get, complete or list.")
    Action action;

    @Parameters(index = "1", arity = "0..1", description = "The waitpoint id (get, complete).")
    String waitpointId;

    @Option(names = "--timeout-seconds", description = "create: time out after this many seconds.")
    Long timeoutSeconds;

    @Option(names = "--idempotency-key", description = "create: a repeat with this key answers the first token.")
    String idempotencyKey;

    @Option(names = "--tag", description = "create: a tag (repeatable).")
    List<String> tags;

    @Option(names = "--data", description = "complete: the data JSON (default null); @file reads a file, @- stdin.")
    String data;

    @Option(names = "--status", description = "list: pending, completed or timed_out.")
    String status;

    @Option(names = "--run-id", description = "list: the waitpoints of this run.")
    String runId;

    @Option(names = "--limit", defaultValue = "50", description = "list: at most this many (1..200).")
    int limit;

    @Override
    public Integer call() throws Exception {
        return ClientOptions.reportErrors(this::execute);
    }

    private Integer execute() throws Exception {
        if ((action == Action.get || action == Action.complete) == (waitpointId == null)) {
            throw new IllegalArgumentException(action == Action.get || action == Action.complete
                    ? "waitpoints " + action + " needs the waitpoint id" : "waitpoints " + action + " takes no id");
        }
        try (RunLedgerClient client = options.client()) {
            Waitpoints waitpoints = client.waitpoints();
            String scope = options.scope();
            switch (action) {
                case create -> create(waitpoints, scope);
                case get -> print(ServerJson.tree(Views.waitpoint(waitpoints.get(scope, waitpointId))));
                case complete -> print(ServerJson.tree(Views.waitpoint(waitpoints.complete(scope, waitpointId,
                        data == null ? null : TriggerCommand.readJson(data)))));
                case list -> list(waitpoints, scope);
            }
            return 0;
        }
    }

    private void create(Waitpoints waitpoints, String scope) {
        NewWaitpoint created = waitpoints.create(scope,
                new WaitpointCreate(timeoutSeconds, idempotencyKey, tags == null ? List.of() : tags, null));
        ObjectNode view = ServerJson.tree(Views.waitpoint(created.waitpoint()));
        if (created.callbackUrl() != null) {
            // The server answers an absolute URL; an engine in process only knows the path.
            String url = created.callbackUrl().startsWith("/") ? options.url.replaceAll("/+$", "")
                    + created.callbackUrl() : created.callbackUrl();
            view.put("callbackUrl", url);
            System.err.println("callback URL (shown once; a POST of any JSON there completes the token): " + url);
        } else {
            System.err.println("an earlier create with this idempotency key: its callback URL was shown then");
        }
        print(view);
    }

    private void list(Waitpoints waitpoints, String scope) {
        Page<Waitpoint> page = waitpoints.list(scope, new WaitpointFilter(
                status == null ? null : WaitpointStatus.fromWire(status), runId, limit, null));
        print(ServerJson.tree(new PageView<>(page.items().stream().map(Views::waitpoint).toList(),
                page.nextCursor())));
    }

    private static void print(ObjectNode node) {
        System.out.println(ServerJson.text(node));
    }
}
