package io.runledger.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The start-up line names the database, never a password given in its URL. */
class DatabaseUrlLogTest {

    @Test
    void aPasswordInTheUrlIsNotLogged() {
        assertThat(RunLedger.Builder.redacted("jdbc:postgresql://db:5432/rl?user=app&password=s3cr%26t&ssl=true"))
                .isEqualTo("jdbc:postgresql://db:5432/rl?user=app&password=***&ssl=true");
        assertThat(RunLedger.Builder.redacted("jdbc:postgresql://db/rl?PASSWORD=x")).isEqualTo("jdbc:postgresql://db/rl?PASSWORD=***");
        assertThat(RunLedger.Builder.redacted("jdbc:postgresql://db/rl?user=app")).isEqualTo("jdbc:postgresql://db/rl?user=app");
    }
}
