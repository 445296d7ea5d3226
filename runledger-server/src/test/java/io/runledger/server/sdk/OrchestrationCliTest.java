package io.runledger.server.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import io.runledger.server.testing.CliTestBase;
import org.junit.jupiter.api.Test;

/** {@code runledger waitpoints}, {@code replay} and {@code get}'s children and steps, against the real server. */
class OrchestrationCliTest extends CliTestBase {

    @Test
    void waitpointsCreateGetCompleteList() throws Exception {
        Result created = cli("waitpoints", "create", "--timeout-seconds", "600", "--idempotency-key", "k1");
        assertThat(created.exit()).as(created.err()).isZero();
        String wp = created.json().get("waitpointId").asText();
        String url = created.json().get("callbackUrl").asText();
        assertThat(url).startsWith(server.server.url() + "/v1/callbacks/wpc_");
        assertThat(created.err()).contains(url);

        Result again = cli("waitpoints", "create", "--idempotency-key", "k1");
        assertThat(again.json().get("waitpointId").asText()).isEqualTo(wp);
        assertThat(again.json().has("callbackUrl")).isFalse();

        assertThat(cli("waitpoints", "get", wp).json().get("status").asText()).isEqualTo("pending");
        Result done = cli("waitpoints", "complete", wp, "--data", "{\"ok\":true}");
        assertThat(done.exit()).as(done.err()).isZero();
        assertThat(done.json().get("status").asText()).isEqualTo("completed");
        assertThat(done.json().get("data").get("ok").asBoolean()).isTrue();

        Result conflict = cli("waitpoints", "complete", wp, "--data", "2");
        assertThat(conflict.exit()).isEqualTo(1);
        assertThat(conflict.err()).startsWith("runledger: waitpoint_already_completed: ").hasLineCount(1);
        assertThat(cli("waitpoints", "list", "--status", "completed").json().get("items")).hasSize(1);
        assertThat(cli("waitpoints", "get").err()).contains("needs the waitpoint id");
        assertThat(cli("waitpoints", "get", "wp_nope").err()).startsWith("runledger: waitpoint_not_found: ");
    }

    @Test
    void replayAndGetShowTheRunsTree() throws Exception {
        String parent = triggerRun();
        String token = leaseOne("w1").get("leaseToken").asText();
        String child = api.post(P + "/runs/" + parent + "/children", "{\"leaseToken\":\"" + token
                + "\",\"step\":\"kid\",\"service\":\"" + SERVICE + "\",\"input\":2}").json().get("runId").asText();
        api.post(P + "/runs/" + parent + "/steps/one", "{\"leaseToken\":\"" + token + "\",\"output\":{\"v\":1}}");

        Result got = cli("get", parent);
        assertThat(got.exit()).as(got.err()).isZero();
        assertThat(got.json().get("runId").asText()).isEqualTo(parent);
        assertThat(got.json().get("children")).extracting(c -> c.get("runId").asText()).containsExactly(child);
        assertThat(got.json().get("moreChildren").asBoolean()).isFalse();
        assertThat(got.json().get("steps")).extracting(s -> s.get("step").asText()).containsExactly("one");
        assertThat(got.json().get("steps").get(0).get("output").get("v").asInt()).isEqualTo(1);

        Result replay = cli("replay", parent, "--input", "{\"n\":9}");
        assertThat(replay.exit()).as(replay.err()).isZero();
        String copy = replay.json().get("runId").asText();
        assertThat(run(copy).get("replayOf").asText()).isEqualTo(parent);
        assertThat(run(copy).get("input").get("n").asInt()).isEqualTo(9);
        assertThat(cli("replay", "run_nope").err()).startsWith("runledger: run_not_found: ");
    }
}
