package io.runledger.core.internal.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runledger.core.internal.secret.SecretFileException;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded PostgreSQL is reachable by its owner only: a connection without the
 * password, or with a wrong one, is refused; the password file is private; there is no
 * unix socket and no trust rule; and a data directory from a version that trusted every
 * local user is secured in place with its rows kept.
 */
class EmbeddedPostgresAccessTest {

    @Test
    void aNewClusterRefusesConnectionsWithoutItsPassword(@TempDir Path dir) throws Exception {
        try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(dir)) {
            assertLockedDown(server, dir);
        }
    }

    @Test
    void aTrustClusterFromAnOlderVersionIsSecuredInPlaceAndKeepsItsRows(@TempDir Path dir) throws Exception {
        Path pgData = dir.resolve("pgdata");
        // What the previous version made: the library's defaults, trust, a socket in /tmp.
        try (EmbeddedPostgres old = EmbeddedPostgres.builder().setDataDirectory(pgData).setCleanDataDirectory(false)
                .setRegisterShutdownHook(false).start();
             Connection c = old.getPostgresDatabase().getConnection(); Statement st = c.createStatement()) {
            st.execute("create table kept (v text); insert into kept values ('a'), ('b')");
        }
        assertThat(Files.readString(pgData.resolve("pg_hba.conf"))).containsPattern("(?m)^host.*trust");
        assertThat(dir.resolve(EmbeddedPostgresServer.PASSWORD_FILE)).doesNotExist();

        try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(dir)) {
            assertLockedDown(server, dir);
            assertThat(count(server, "select count(*) from kept")).isEqualTo(2);
        }
        // and the next start finds it secured and starts as usual
        try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(dir)) {
            assertLockedDown(server, dir);
            assertThat(count(server, "select count(*) from kept")).isEqualTo(2);
        }
    }

    @Test
    void aPasswordFileOthersMayReadIsRefused(@TempDir Path dir) throws Exception {
        try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(dir)) {
            assertThat(server.password()).isNotBlank();
        }
        Path file = dir.resolve(EmbeddedPostgresServer.PASSWORD_FILE);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        assertThatThrownBy(() -> EmbeddedPostgresServer.start(dir)).isInstanceOf(SecretFileException.class)
                .hasMessageContaining("chmod 600");
    }

    private static void assertLockedDown(EmbeddedPostgresServer server, Path dir) throws Exception {
        String url = server.jdbcUrl();
        assertThatThrownBy(() -> DriverManager.getConnection(url, "postgres", null).close())
                .isInstanceOf(SQLException.class).hasMessageContaining("password");
        assertThatThrownBy(() -> DriverManager.getConnection(url, "postgres", "wrong").close())
                .isInstanceOf(SQLException.class).hasMessageContaining("password authentication failed");
        assertThat(count(server, "select 1")).isEqualTo(1);

        Path file = dir.resolve(EmbeddedPostgresServer.PASSWORD_FILE);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(Files.readString(file).strip()).isEqualTo(server.password()).hasSizeGreaterThanOrEqualTo(40);

        String hba = Files.readString(dir.resolve("pgdata/pg_hba.conf"));
        assertThat(hba).doesNotContainPattern("(?m)^[^#].*trust").doesNotContainPattern("(?m)^local");
        List<String> rules = hba.lines().filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
        assertThat(rules).allMatch(l -> l.startsWith("host ") && l.endsWith(" scram-sha-256"))
                .allMatch(l -> l.contains(" 127.0.0.1/32 ") || l.contains(" ::1/128 "));

        assertThat(Path.of("/tmp/.s.PGSQL." + server.port())).doesNotExist();
        try (Stream<Path> sockets = Files.find(dir, 5, (p, a) -> a.isOther())) {
            assertThat(sockets).isEmpty();
        }
        assertThat(setting(server, "unix_socket_directories")).isEmpty();
        assertThat(setting(server, "listen_addresses")).isEqualTo("127.0.0.1");
        assertThat(setting(server, "password_encryption")).isEqualTo("scram-sha-256");
    }

    private static long count(EmbeddedPostgresServer server, String query) throws SQLException {
        try (Connection c = DriverManager.getConnection(server.jdbcUrl(), server.user(), server.password());
             Statement st = c.createStatement(); var rs = st.executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static String setting(EmbeddedPostgresServer server, String name) throws SQLException {
        try (Connection c = DriverManager.getConnection(server.jdbcUrl(), server.user(), server.password());
             Statement st = c.createStatement(); var rs = st.executeQuery("show " + name)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
