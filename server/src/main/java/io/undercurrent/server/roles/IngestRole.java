package io.undercurrent.server.roles;

import io.undercurrent.bus.kafka.LocalChanges;
import io.undercurrent.change.Topics;
import io.undercurrent.ingest.IngestSettingDeclarations;
import io.undercurrent.ingest.IngestSettings;
import io.undercurrent.ingest.SourceHealth;
import io.undercurrent.ingest.SourceIngestor;
import io.undercurrent.ingest.SourceSettings;
import io.undercurrent.server.config.Config;
import io.undercurrent.server.config.ServerSettings;
import io.undercurrent.server.config.SourceConfig;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The ingest role: one supervised Debezium engine per configured source. */
public final class IngestRole implements Service {

    private final List<SourceIngestor> ingestors = new ArrayList<>();

    public IngestRole(Config config, Clock clock) {
        this(config, clock, LocalChanges.NONE);
    }

    /** @param localRouter the router in this process, offered every change Kafka acknowledged; or {@link LocalChanges#NONE} */
    public IngestRole(Config config, Clock clock, LocalChanges localRouter) {
        IngestSettings settings = settings(config);
        for (SourceConfig source : config.sources().values()) {
            ingestors.add(new SourceIngestor(
                    new SourceSettings(
                            source.name(),
                            source.kind(),
                            source.host(),
                            source.port(),
                            source.database(),
                            source.user(),
                            source.password(),
                            source.tables(),
                            Map.of(),
                            source.connectionString()),
                    settings,
                    clock,
                    localRouter));
        }
    }

    /** Ingest's settings as the configuration gives them, shared by every source. */
    public static IngestSettings settings(Config config) {
        return IngestSettings.builder(
                        config.get(ServerSettings.KAFKA_BOOTSTRAP), new Topics(config.get(ServerSettings.TOPIC_PREFIX)))
                .changePartitions(config.get(ServerSettings.CHANGE_PARTITIONS))
                .replicationFactor(config.get(ServerSettings.REPLICATION_FACTOR).shortValue())
                .offsetFlushInterval(config.get(IngestSettingDeclarations.OFFSET_FLUSH))
                .pollInterval(config.get(IngestSettingDeclarations.POLL_INTERVAL))
                .maxBatchSize(config.get(IngestSettingDeclarations.MAX_BATCH))
                .retryBackoff(
                        config.get(IngestSettingDeclarations.RETRY_BACKOFF),
                        config.get(IngestSettingDeclarations.RETRY_BACKOFF_MAX))
                .kafkaOverrides(config.kafkaProperties())
                .compression(config.get(IngestSettingDeclarations.COMPRESSION))
                .publishTimeout(config.get(IngestSettingDeclarations.PUBLISH_TIMEOUT))
                .watermarkInterval(config.get(IngestSettingDeclarations.WATERMARK_INTERVAL))
                .build();
    }

    public void start() {
        ingestors.forEach(SourceIngestor::start);
    }

    /** Each source's health, read afresh on every call. */
    public List<java.util.function.Supplier<SourceHealth>> sources() {
        return ingestors.stream()
                .<java.util.function.Supplier<SourceHealth>>map(i -> i::health)
                .toList();
    }

    /**
     * Waits until every source streams, or {@code timeout} has passed; returns as soon as the last one
     * does.
     *
     * @return whether every source streams
     */
    public boolean awaitStreaming(java.time.Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (SourceIngestor ingestor : ingestors) {
            if (!ingestor.awaitStreaming(java.time.Duration.ofNanos(Math.max(0, deadline - System.nanoTime())))) {
                return false;
            }
        }
        return true;
    }

    /** True once every source streams; used to report readiness at start. */
    public boolean allRunning() {
        return ingestors.stream().allMatch(i -> i.health().state() == SourceHealth.State.RUNNING);
    }

    @Override
    public String name() {
        return "ingest";
    }

    @Override
    public boolean healthy() {
        return ingestors.stream().allMatch(i -> i.health().healthy());
    }

    @Override
    public Object status() {
        Map<String, Object> out = new LinkedHashMap<>();
        for (SourceIngestor i : ingestors) {
            SourceHealth h = i.health();
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("state", h.state().name().toLowerCase(java.util.Locale.ROOT));
            s.put("changesPublished", h.changesPublished());
            s.put("restarts", h.restarts());
            if (h.changesSkipped() > 0) {
                s.put("changesSkipped", h.changesSkipped()); // each logged with its source position
            }
            if (h.lastError() != null) {
                s.put("lastError", h.lastError());
            }
            out.put(h.source(), s);
        }
        return out;
    }

    @Override
    public void close() {
        ingestors.forEach(SourceIngestor::close);
    }
}
