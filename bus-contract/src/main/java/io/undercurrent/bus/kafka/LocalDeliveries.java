package io.undercurrent.bus.kafka;

import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * An edge in the router's own process, taking the records the router addresses to that edge's
 * delivery topic straight from the router instead of through Kafka. The edge implements it; the
 * server hands it to the router when one process runs both roles. The edge still reads its Kafka
 * topic, where routers in other processes deliver.
 *
 * <p><b>Order across the two paths</b> is kept with fences. A fence is a record the router writes to
 * {@link #topic()} through Kafka; every record handed over after the fence was made waits on the
 * edge until the edge has read that fence from Kafka, so it never overtakes what another router
 * (or this one, through Kafka) wrote to the topic before. The router makes a fence before its first
 * local hand-off, after each change of the partitions it routes, and after it sent records for this
 * edge through Kafka (when {@link #offer} refused them); records handed before a fence are
 * dispatched before anything the edge reads from Kafka after that fence.
 *
 * <p>Called by the router's one thread; the implementation is thread-safe towards its edge.
 */
public interface LocalDeliveries {

    /** The header that marks a fence; its value is opaque to the router. */
    String FENCE_HEADER = "undercurrent.local-fence";

    /** No edge in this process: everything goes through Kafka. */
    LocalDeliveries NONE = new LocalDeliveries() {
        @Override
        public String topic() {
            return null;
        }

        @Override
        public boolean hasRoom(int records) {
            return false;
        }

        @Override
        public ProducerRecord<byte[], byte[]> fence() {
            throw new IllegalStateException("no local edge");
        }

        @Override
        public boolean offer(List<ProducerRecord<byte[], byte[]>> records) {
            return false;
        }
    };

    /** The delivery topic of the local edge, or null when there is none. */
    String topic();

    /** Whether {@link #offer} would take this many records now (nothing but the router adds to it). */
    boolean hasRoom(int records);

    /**
     * Makes a new fence: records offered from now on wait on the edge until it has read the returned
     * record from its topic. The caller writes it to {@link #topic()} through Kafka before it offers
     * anything else, and counts the records offered after it as acknowledged only once Kafka
     * acknowledged the fence.
     */
    ProducerRecord<byte[], byte[]> fence();

    /**
     * Takes the records, in order, all or none, without blocking. Once taken they are the edge's: a
     * taken record counts as acknowledged, like one Kafka acknowledged. An edge that is not running
     * (not yet started, or stopped) takes and drops them, as nobody would read them from its topic.
     *
     * @param records addressed to {@link #topic()}, in the order the router made them
     * @return false when the edge holds too many records not yet dispatched: send these through Kafka
     *     and make a fence before the next offer
     */
    boolean offer(List<ProducerRecord<byte[], byte[]>> records);
}
