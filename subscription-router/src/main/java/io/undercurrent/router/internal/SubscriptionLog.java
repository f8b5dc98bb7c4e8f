package io.undercurrent.router.internal;

import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** The compacted subscriptions topic, read whole by every router, outside any group. Loop thread only. */
interface SubscriptionLog {

    /** Every record up to the end of the topic as of now (blocks until read). */
    List<ConsumerRecord<byte[], byte[]>> readToEnd();

    /** What arrived since the last read, without waiting. */
    List<ConsumerRecord<byte[], byte[]>> pollNow();
}
