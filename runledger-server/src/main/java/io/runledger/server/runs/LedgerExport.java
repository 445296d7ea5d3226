package io.runledger.server.runs;

import io.javalin.http.Context;
import io.runledger.api.EventPage;
import io.runledger.api.RunEvent;
import io.runledger.api.Runs;
import io.runledger.server.http.ServerJson;
import io.runledger.server.http.Views;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * The whole ledger of a run as JSON Lines ({@code Accept: application/x-ndjson}), read and
 * written one page at a time so the server's memory stays flat however long the ledger.
 */
public final class LedgerExport {
    public static final String NDJSON = "application/x-ndjson";
    private static final int PAGE = 1000;

    private LedgerExport() {
    }

    public static boolean wanted(Context ctx) {
        String accept = ctx.header("Accept");
        return accept != null && accept.contains(NDJSON);
    }

    public static void write(Context ctx, Runs runs, String scope, String runId) {
        // The first page is read before anything is written, so an unknown run is still a 404.
        EventPage page = runs.events(scope, runId, 0, PAGE);
        ctx.status(200).contentType(NDJSON);
        ctx.header("Content-Disposition", "attachment; filename=\"" + runId + ".jsonl\"");
        try {
            OutputStream out = new BufferedOutputStream(ctx.res().getOutputStream(), 64 * 1024);
            while (!page.items().isEmpty()) {
                for (RunEvent e : page.items()) {
                    out.write(ServerJson.bytes(Views.event(e)));
                    out.write('\n');
                }
                out.flush();
                if (page.items().size() < PAGE) {
                    break;
                }
                page = runs.events(scope, runId, page.nextAfter(), PAGE);
            }
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("the client went away during the export", e);
        }
    }
}
