package io.runledger.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.runledger.core.testing.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/**
 * The engine's transactions run READ COMMITTED because the pool sets it on every connection,
 * not because each transaction asks for it (which cost three statements per transaction):
 * also on a server whose default is another level.
 */
class TransactionIsolationTest {

    @Test
    void poolConnectionsAreReadCommittedWhateverTheServerDefault() throws Exception {
        String serializableByDefault = TestDatabase.jdbcUrl()
                + "?options=-c%20default_transaction_isolation%3Dserializable";
        try (RunLedger ledger = RunLedger.builder().databaseUrl(serializableByDefault)
                .databaseUser(TestDatabase.user()).databasePassword(TestDatabase.password()).poolSize(2).backgroundLoops(false).build();
             Connection c = ledger.dataSource().getConnection();
             Statement st = c.createStatement()) {
            c.setAutoCommit(false);
            try (ResultSet rs = st.executeQuery("show transaction_isolation")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("read committed");
            }
            c.rollback();
        }
    }
}
