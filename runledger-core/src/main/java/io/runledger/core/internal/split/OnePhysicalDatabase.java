package io.runledger.core.internal.split;

import org.jdbi.v3.core.Jdbi;

/**
 * The boot check of a split: the main and the runs database must be two databases. Two URLs
 * may reach one (another host name, an address, a pooler in front): the PostgreSQL cluster's
 * system identifier (fixed at initdb, the same for every connection to that cluster) and the
 * database name together say which database a connection reaches, whatever the URL.
 */
public final class OnePhysicalDatabase {
    private OnePhysicalDatabase() {
    }

    /** The cluster's system identifier and the database name, e.g. {@code 7312…/runledger}. */
    public static String identity(Jdbi db) {
        return db.withHandle(h -> h.createQuery("select system_identifier::text || '/' || current_database()"
                + " from pg_control_system()").mapTo(String.class).one());
    }

    /**
     * Refuses to go on when both reach one database.
     *
     * @throws IllegalStateException naming the database both reach
     */
    public static void refuse(Jdbi main, Jdbi runs) {
        String a = identity(main);
        String b = identity(runs);
        if (a.equals(b)) {
            String database = a.substring(a.indexOf('/') + 1);
            throw new IllegalStateException("the runs database URL reaches the same database as the main database URL"
                    + " (database " + database + " of the PostgreSQL cluster with system identifier "
                    + a.substring(0, a.indexOf('/')) + "); give --runs-database-url a database of its own, or"
                    + " leave it out to keep the runs in the main database");
        }
    }
}
