package io.undercurrent.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProbeLogTest {

    @Test
    void aTransactionIsNamedByPostgresXidOrByTheSequenceNumberOfAMariaDbGtid() {
        assertThat(ProbeLog.txKey("742")).isEqualTo(742);
        assertThat(ProbeLog.txKey("0-1-10457")).isEqualTo(10457);
    }
}
