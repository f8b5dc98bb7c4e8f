package io.undercurrent.router.internal;

import io.undercurrent.change.ChangeEvent;
import io.undercurrent.change.trace.ChangeStage;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;

/**
 * Lets Kafka's acknowledgement of a delivery record be stamped as a {@link ChangeStage}: while a
 * recording wants stages, a change's delivery records carry its transaction and commit time in two
 * headers, which the acknowledgement callback reads back. Without a recording nothing is added and
 * no callback is made. Edges ignore the headers.
 */
final class DeliveryStages {

    private static final String TX = "undercurrent.stage.tx";
    private static final String COMMIT = "undercurrent.stage.commit";

    private DeliveryStages() {}

    static void tag(List<ProducerRecord<byte[], byte[]>> records, ChangeEvent change) {
        if (records.isEmpty() || change.txId() == null || !ChangeStage.recording()) {
            return;
        }
        byte[] tx = change.txId().getBytes(StandardCharsets.UTF_8);
        byte[] commit = Long.toString(change.commitTimeMs()).getBytes(StandardCharsets.UTF_8);
        for (ProducerRecord<byte[], byte[]> record : records) {
            record.headers().add(TX, tx).add(COMMIT, commit);
        }
    }

    /** The callback that stamps the record's acknowledgement, or null when the record carries no stage. */
    static Callback acknowledged(ProducerRecord<byte[], byte[]> record) {
        Header tx = record.headers().lastHeader(TX);
        Header commit = record.headers().lastHeader(COMMIT);
        if (tx == null || commit == null) {
            return null;
        }
        String txId = new String(tx.value(), StandardCharsets.UTF_8);
        long commitTime = Long.parseLong(new String(commit.value(), StandardCharsets.UTF_8));
        return (metadata, error) -> {
            if (error == null) {
                ChangeStage.reached(ChangeStage.ROUTER_ACKNOWLEDGED, txId, commitTime);
            }
        };
    }
}
