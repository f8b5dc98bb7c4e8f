package io.undercurrent.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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

    /**
     * The embedded database and broker start side by side, each picking its port before binding it:
     * picks from two threads at once must never be the same port, however often the kernel would hand
     * a just-released one out again.
     */
    @Test
    void portsPickedSideBySideAreNeverTheSame() throws Exception {
        Callable<List<Integer>> picks = () -> {
            List<Integer> ports = new java.util.ArrayList<>();
            for (int i = 0; i < 200; i++) {
                ports.add(Ports.pickFree());
            }
            return ports;
        };
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            Future<List<Integer>> first = threads.submit(picks);
            Future<List<Integer>> second = threads.submit(picks);
            Set<Integer> distinct = new HashSet<>(first.get());
            distinct.addAll(second.get());
            assertThat(distinct).hasSize(400);
        } finally {
            threads.shutdown();
        }
    }
}
