package io.runledger.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.runledger.core.testing.TestDatabase;
import io.runledger.server.testing.Http;
import io.runledger.server.testing.LogCapture;
import io.runledger.server.testing.ServerTestBase;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tenant's input schema must not make the server fetch a URL or read a file: every
 * reference outside the schema is refused at registration, nothing is fetched, and the
 * content of what it pointed at appears neither in the answer nor in the log.
 */
class SchemaReferenceTest extends ServerTestBase {
    private static final String SECRET = "rla_not-json-secret-4f1d";

    private HttpServer target;
    private final AtomicInteger fetches = new AtomicInteger();
    private String base;
    @TempDir
    Path dir;
    private Path secretFile;

    @BeforeEach
    void schemaHost() throws IOException {
        target = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        target.createContext("/", exchange -> {
            fetches.incrementAndGet();
            byte[] body = ("{\"type\":\"string\",\"description\":\"" + SECRET + "\"}").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        target.start();
        base = "http://127.0.0.1:" + target.getAddress().getPort();
        secretFile = Files.writeString(dir.resolve("admin.key"), SECRET + "\n");
    }

    @AfterEach
    void stopHost() {
        target.stop(0);
    }

    @Test
    void referencesOutsideTheSchemaAreRefusedAndNeverFetched() {
        String file = secretFile.toUri().toString();
        List<String> attacks = List.of(
                "{\"$ref\":\"" + base + "/s.json\"}",
                "{\"$id\":\"" + base + "/dir/root.json\",\"$ref\":\"s.json\"}",
                "{\"$id\":\"" + base + "/dir/root.json\",\"properties\":{\"a\":{\"$ref\":\"s.json#/x\"}}}",
                "{\"$schema\":\"" + base + "/meta.json\",\"type\":\"object\"}",
                "{\"$ref\":\"" + file + "\"}",
                "{\"properties\":{\"a\":{\"$ref\":\"" + file + "\"}}}",
                "{\"properties\":{\"enum\":{\"$ref\":\"" + file + "\"}}}",
                "{\"$defs\":{\"x\":{\"$id\":\"" + dir.toUri() + "\",\"$ref\":\"admin.key\"}}}",
                "{\"$dynamicRef\":\"" + base + "/d.json#meta\"}",
                "{\"items\":[{\"$ref\":\"classpath:logback-test.xml\"}]}",
                "{\"$schema\":\"file:///etc/passwd\"}");
        try (LogCapture log = LogCapture.start()) {
            for (String schema : attacks) {
                Http.Reply r = api.put(P + "/services/evil", "{\"maxAttempts\":1,\"leaseTtlSeconds\":30,\"inputSchema\":"
                        + schema + "}");
                assertThat(r.status()).as(schema + " -> " + r).isEqualTo(400);
                assertThat(r.json().get("code").asText()).as(r.toString()).isEqualTo("invalid_argument");
                assertThat(r.response().body()).doesNotContain(SECRET);
            }
            assertThat(log.all()).doesNotContain(SECRET);
        }
        assertThat(fetches.get()).isZero();
        assertThat(count("services where service = 'evil'")).isZero();
    }

    @Test
    void selfContainedSchemasStillWork() {
        String schema = "{\"$schema\":\"http://json-schema.org/draft-07/schema#\",\"$id\":\"" + base + "/order.json\","
                + "\"definitions\":{\"qty\":{\"type\":\"integer\",\"minimum\":1}},"
                + "\"type\":\"object\",\"properties\":{\"qty\":{\"$ref\":\"#/definitions/qty\"},"
                + "\"same\":{\"$ref\":\"" + base + "/order.json#/definitions/qty\"}},\"required\":[\"qty\"]}";
        Http.Reply put = api.put(P + "/services/orders", "{\"maxAttempts\":1,\"leaseTtlSeconds\":30,\"inputSchema\":"
                + schema + "}");
        assertThat(put.status()).as(put.toString()).isEqualTo(200);
        assertThat(api.post(P + "/services/orders/runs", "{\"input\":{\"qty\":2,\"same\":3}}").status()).isEqualTo(202);
        Http.Reply bad = api.post(P + "/services/orders/runs", "{\"input\":{\"qty\":0}}");
        assertThat(bad.status()).as(bad.toString()).isEqualTo(422);
        assertThat(fetches.get()).isZero();
    }

    /** A schema stored before the check (written here straight into the table) fails cleanly. */
    @Test
    void aStoredSchemaWithAnOutsideReferenceNeverAnswers500() {
        TestDatabase.sql("update services set input_schema = '{\"properties\":{\"a\":{\"$ref\":\""
                + base + "/s.json\"}}}' where service = '" + SERVICE + "'");
        try (LogCapture log = LogCapture.start()) {
            Http.Reply trigger = trigger("{\"input\":{\"a\":1}}");
            assertThat(trigger.status()).as(trigger.toString()).isEqualTo(400);
            assertThat(trigger.json().get("code").asText()).isEqualTo("invalid_argument");
            Http.Reply validate = api.post(P + "/services/" + SERVICE + "/runs:validate", "{\"input\":{\"a\":1}}");
            assertThat(validate.status()).as(validate.toString()).isLessThan(500);
            assertThat(log.all()).doesNotContain(SECRET);
        }
        assertThat(fetches.get()).isZero();
        assertThat(count("runs")).isZero();
    }
}
