package io.runledger.server.bulk;

import static org.assertj.core.api.Assertions.assertThat;

import io.runledger.server.testing.CliTestBase;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** {@code runledger bulk} against a real server whose loops process the actions. */
class BulkCliTest extends CliTestBase {

    @Test
    void cancelReplayGetListAndCancelActionFromTheCommandLine() throws Exception {
        String first = triggerRun();
        String second = triggerRun();
        String after = run(first).get("createdAt").asText();

        Result cancel = cli("bulk", "cancel", "--service", SERVICE, "--created-after", after, "--reason", "cli");
        assertThat(cancel.exit()).as(cancel.err()).isZero();
        String id = cancel.json().get("bulkActionId").asText();
        assertThat(cancel.json().get("matched").asInt()).isEqualTo(1);
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() ->
                cli("bulk", "get", id).json().get("status").asText().equals("completed"));
        assertThat(run(second).get("status").asText()).isEqualTo("cancelled");
        assertThat(run(first).get("status").asText()).isEqualTo("accepted");

        Result replay = cli("bulk", "replay", "--status", "cancelled");
        assertThat(replay.exit()).as(replay.err()).isZero();
        assertThat(replay.json().get("action").asText()).isEqualTo("replay");
        String replayId = replay.json().get("bulkActionId").asText();
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() ->
                cli("bulk", "get", replayId).json().get("processed").asInt() == 1);
        assertThat(cli("bulk", "list", "--limit", "5").json().get("items")).hasSize(2);
        Result stopped = cli("bulk", "cancel-action", replayId);
        assertThat(stopped.exit()).as(stopped.err()).isZero();
        assertThat(stopped.json().get("status").asText()).isEqualTo("completed"); // it had finished

        assertThat(cli("bulk", "get").err()).contains("needs the bulk action id");
        assertThat(cli("bulk", "delete").err()).contains("bulk takes cancel, replay");
        assertThat(cli("bulk", "cancel", "--created-after", "yesterday").err())
                .startsWith("runledger: invalid_argument: ");
        assertThat(cli("bulk", "get", "bulk_nope").err()).startsWith("runledger: bulk_action_not_found: ");
    }
}
