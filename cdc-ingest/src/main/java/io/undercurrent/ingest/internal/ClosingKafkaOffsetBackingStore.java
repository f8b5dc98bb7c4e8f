package io.undercurrent.ingest.internal;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.json.JsonConverterConfig;
import org.apache.kafka.connect.runtime.WorkerConfig;
import org.apache.kafka.connect.storage.KafkaOffsetBackingStore;
import org.apache.kafka.connect.util.SharedTopicAdmin;
import org.apache.kafka.connect.util.TopicAdmin;

/**
 * Kafka Connect's offset store in a Kafka topic, built as Debezium's engine builds it for
 * {@code offset.storage=KafkaOffsetBackingStore} (same admin settings, client ids and key converter),
 * except that it closes its admin client when it stops.
 *
 * <p>Debezium 3.5 ({@code KafkaConnectUtil.kafkaOffsetBackingStore}) gives the store a
 * {@link SharedTopicAdmin} that nobody closes: Kafka Connect's store leaves closing a shared admin to
 * whoever made it, and Debezium's engine does not. Every engine started (one per source, again after
 * each retry) therefore left an admin client ({@code debezium-servershared-admin}) behind, which after
 * Kafka went away kept reconnecting about once a second for the rest of the JVM. The engine builds any
 * other {@code offset.storage} class by its no-argument constructor, which this class has.
 * Used by one engine; not thread-safe beyond what the engine needs.
 */
public final class ClosingKafkaOffsetBackingStore extends KafkaOffsetBackingStore {

    /** Debezium's client id base for the store's producer and consumer. */
    private static final String CLIENT_ID = "debezium-server";

    private final StoreAdmin admin;

    /** Called by Debezium's engine, by reflection. */
    public ClosingKafkaOffsetBackingStore() {
        this(new StoreAdmin());
    }

    private ClosingKafkaOffsetBackingStore(StoreAdmin admin) {
        super(admin, () -> CLIENT_ID, keyConverter());
        this.admin = admin;
    }

    @Override
    public void configure(WorkerConfig config) {
        Map<String, Object> adminProps = new HashMap<>(config.originals());
        adminProps.put(CommonClientConfigs.CLIENT_ID_CONFIG, CLIENT_ID + "shared-admin");
        admin.open(new SharedTopicAdmin(adminProps));
        super.configure(config);
    }

    @Override
    public void stop() {
        try {
            super.stop();
        } finally {
            admin.close();
        }
    }

    /** Offsets are keyed by JSON without schemas, as Debezium's engine writes them. */
    private static JsonConverter keyConverter() {
        JsonConverter converter = new JsonConverter();
        converter.configure(Map.of(JsonConverterConfig.SCHEMAS_ENABLE_CONFIG, "false"), true);
        return converter;
    }

    /** The store's admin client: made when the store is configured (the store asks for it then), closed when it stops. */
    private static final class StoreAdmin implements Supplier<TopicAdmin> {

        private volatile SharedTopicAdmin shared;

        void open(SharedTopicAdmin admin) {
            close();
            shared = admin;
        }

        @Override
        public TopicAdmin get() {
            SharedTopicAdmin admin = shared;
            if (admin == null) {
                throw new IllegalStateException("the offset store was used before it was configured");
            }
            return admin.get();
        }

        void close() {
            SharedTopicAdmin admin = shared;
            if (admin != null) {
                admin.close();
            }
        }
    }
}
