package io.runledger.core.internal.split;

import io.runledger.core.internal.notify.PgListener;
import java.util.List;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Copies the control plane (scopes, services, scope keys, webhook endpoints) from the main
 * database into the runs database, so that the statements of the runs database find what
 * they join and reference: a run's service and its settings, the endpoints the outbox trigger
 * writes deliveries for, the key a run access token belongs to. The main database stays the
 * only place they are written by the API; this copy follows it.
 *
 * <p>A sync copies every row (the tables are small), changing only rows that differ, and
 * deletes keys and endpoints gone from main (a revoked key's run access tokens go with it,
 * by their foreign key). It runs after every control-plane write made through this instance,
 * at start, and every few seconds (for writes made through instances started without the
 * runs database). Syncs of several instances take turns on an advisory lock.
 */
public final class ControlPlaneMirror {
    /** In the order their foreign keys need. */
    private static final List<String> TABLES = List.of("scopes", "services", "scope_keys", "webhooks");
    /** Rows gone from main are deleted from these; scopes and services are never deleted. */
    private static final List<String> DELETED = List.of("scope_keys", "webhooks");

    private final Jdbi main;
    private final Jdbi runs;
    /** Each table's statements, built once from the schema (both databases run the same migrations). */
    private List<Table> tables;

    /** How one table is read from main and written into the runs database. */
    private record Table(String read, String upsert, String delete) {
    }

    public ControlPlaneMirror(Jdbi main, Jdbi runs) {
        this.main = main;
        this.runs = runs;
    }

    /** Copies main's control plane into the runs database now. */
    public synchronized void sync() {
        if (tables == null) {
            tables = runs.withHandle(h -> TABLES.stream().map(t -> table(h, t)).toList());
        }
        List<String> rows = main.inTransaction(h -> tables.stream()
                .map(t -> h.createQuery(t.read()).mapTo(String.class).one()).toList());
        runs.useTransaction(h -> {
            h.execute("select pg_advisory_xact_lock(hashtext('runledger.control_plane_mirror'))");
            for (int i = 0; i < tables.size(); i++) {
                Table t = tables.get(i);
                // a query, not an update: the services' upsert answers the count of its notifications
                h.createQuery(t.upsert()).bind("rows", rows.get(i)).mapTo(Long.class).one();
                if (t.delete() != null) {
                    h.createUpdate(t.delete()).bind("rows", rows.get(i)).execute();
                }
            }
        });
    }

    private static Table table(Handle h, String table) {
        List<String> key = primaryKey(h, table);
        List<String> columns = h.createQuery("select column_name from information_schema.columns"
                        + " where table_schema = current_schema() and table_name = :table order by ordinal_position")
                .bind("table", table).mapTo(String.class).list();
        List<String> rest = columns.stream().filter(c -> !key.contains(c)).toList();
        String read = "select coalesce(json_agg(t order by " + String.join(", ", key) + "), '[]')::text from "
                + table + " t";
        String source = "json_populate_recordset(null::" + table + ", cast(:rows as json))";
        String update = rest.isEmpty() ? "do nothing"
                : "do update set (" + String.join(", ", rest) + ") = row(" + rest.stream().map(c -> "excluded." + c)
                .collect(Collectors.joining(", ")) + ") where (" + rest.stream().map(c -> table + "." + c)
                .collect(Collectors.joining(", ")) + ") is distinct from (" + rest.stream().map(c -> "excluded." + c)
                .collect(Collectors.joining(", ")) + ")";
        String insert = "insert into " + table + " (" + String.join(", ", columns) + ") select "
                + String.join(", ", columns) + " from " + source + " on conflict (" + String.join(", ", key) + ") "
                + update;
        // The runs engine caches services and drops an entry on a notification, as the main
        // engine's instances do on a change there: a changed copy notifies the same way, and
        // wakes the scope's lease polls (a resumed service's queue is leasable again).
        String upsert = table.equals("services")
                ? "with changed as (" + insert + " returning scope_id, service)"
                + " select count(pg_notify('" + PgListener.CHANNEL + "', 's|' || scope_id || '|' || service))"
                + " + count(pg_notify('" + PgListener.CHANNEL + "', 'w|' || scope_id)) from changed"
                : "with copied as (" + insert + " returning 1) select count(*) from copied";
        String delete = !DELETED.contains(table) ? null
                : "delete from " + table + " t where not exists (select 1 from " + source + " r where "
                + key.stream().map(c -> "r." + c + " = t." + c).collect(Collectors.joining(" and ")) + ")";
        return new Table(read, upsert, delete);
    }

    private static List<String> primaryKey(Handle h, String table) {
        return h.createQuery("select a.attname from pg_index i join pg_attribute a on a.attrelid = i.indrelid"
                        + " and a.attnum = any(i.indkey) where i.indrelid = cast(:table as regclass) and i.indisprimary"
                        + " order by array_position(cast(i.indkey as int2[]), a.attnum)")
                .bind("table", table).mapTo(String.class).list();
    }
}
