package io.undercurrent.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PortsTest {

    /**
     * The kernel often hands a just-released port out again: the broker's controller port once came
     * out equal to its client port, and Kafka refused to start.
     */
    @Test
    void aSecondPortForTheSameServiceIsNeverTheFirst() {
        for (int i = 0; i < 50; i++) {
            int first = Ports.pickFree();
            assertThat(Ports.pickFreeOtherThan(first)).isNotEqualTo(first).isPositive();
        }
    }
}
