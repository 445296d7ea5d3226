package io.runledger.server.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.runledger.api.BulkAction;
import io.runledger.api.BulkActionKind;
import io.runledger.api.BulkActionRequest;
import io.runledger.api.BulkActions;
import io.runledger.api.BulkFilter;
import io.runledger.api.Page;
import io.runledger.api.RunStatus;
import io.runledger.client.RunLedgerClient;
import io.runledger.server.bulk.BulkActionRoutes;
import io.runledger.server.http.Params;
import io.runledger.server.http.ServerJson;
import io.runledger.server.wire.PageView;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code runledger bulk cancel|replay|get|list|cancel-action}: bulk actions. One command with
 * an action (not picocli subcommands), so {@code --url}, {@code --key} and {@code --scope} go
 * anywhere on the line.
 */
@Command(name = "bulk", mixinStandardHelpOptions = true,
        description = {"Bulk actions over the runs a filter matches now:",
            "  cancel [filters] [--reason R]   cancel them (running ones are asked to stop)",
            "  replay [filters]                replay each of them as a new run",
            "  get ID                          the action and its progress",
            "  list [--limit N]                the scope's actions, newest first",
            "  cancel-action ID                stop the action before its next page",
            "Filters: --service, --status, --concurrency-key, --tag, --parent-run-id,",
            "  --created-after, --created-before (RFC 3339)."})
public final class BulkCommand implements Callable<Integer> {
    @Mixin
    ClientOptions options;

    @Parameters(index = "0", description = "cancel, replay, get, list or cancel-action.")
    String action;

    @Parameters(index = "1", arity = "0..1", description = "The bulk action id (get, cancel-action).")
    String bulkActionId;

    @Option(names = "--service", description = "Only runs of this service.")
    String service;

    @Option(names = "--status", description = "Only runs of this status.")
    String status;

    @Option(names = "--concurrency-key", description = "Only runs with this concurrency key.")
    String concurrencyKey;

    @Option(names = "--tag", description = "Only runs with this tag.")
    String tag;

    @Option(names = "--parent-run-id", description = "Only children of this run.")
    String parentRunId;

    @Option(names = "--created-after", description = "Only runs created after this time (RFC 3339).")
    String createdAfter;

    @Option(names = "--created-before", description = "Only runs created before this time (RFC 3339).")
    String createdBefore;

    @Option(names = "--reason", description = "cancel: the reason the runs record.")
    String reason;

    @Option(names = "--limit", defaultValue = "50", description = "list: at most this many (1..200).")
    int limit;

    @Override
    public Integer call() throws Exception {
        return ClientOptions.reportErrors(this::execute);
    }

    private Integer execute() throws Exception {
        boolean takesId = action.equals("get") || action.equals("cancel-action");
        if (!takesId && !action.equals("cancel") && !action.equals("replay") && !action.equals("list")) {
            throw new IllegalArgumentException("bulk takes cancel, replay, get, list or cancel-action, not '"
                    + action + "'");
        }
        if (takesId == (bulkActionId == null)) {
            throw new IllegalArgumentException(takesId ? "bulk " + action + " needs the bulk action id"
                    : "bulk " + action + " takes no id");
        }
        try (RunLedgerClient client = options.client()) {
            BulkActions bulk = client.bulkActions();
            String scope = options.scope();
            switch (action) {
                case "cancel", "replay" -> print(ServerJson.tree(BulkActionRoutes.view(bulk.create(scope,
                        new BulkActionRequest(BulkActionKind.fromWire(action), filter(), reason)))));
                case "get" -> print(ServerJson.tree(BulkActionRoutes.view(bulk.get(scope, bulkActionId))));
                case "cancel-action" ->
                        print(ServerJson.tree(BulkActionRoutes.view(bulk.cancel(scope, bulkActionId))));
                default -> list(bulk, scope);
            }
            return 0;
        }
    }

    private BulkFilter filter() {
        return new BulkFilter(service, status == null ? null : RunStatus.fromWire(status), concurrencyKey, tag,
                parentRunId, createdAfter == null ? null : Params.parseInstant("--created-after", createdAfter),
                createdBefore == null ? null : Params.parseInstant("--created-before", createdBefore));
    }

    private void list(BulkActions bulk, String scope) {
        Page<BulkAction> page = bulk.list(scope, limit, null);
        print(ServerJson.tree(new PageView<>(page.items().stream().map(BulkActionRoutes::view).toList(),
                page.nextCursor())));
    }

    private static void print(ObjectNode node) {
        System.out.println(ServerJson.text(node));
    }
}
