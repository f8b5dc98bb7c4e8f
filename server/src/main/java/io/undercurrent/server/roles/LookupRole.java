package io.undercurrent.server.roles;

import io.undercurrent.change.Topics;
import io.undercurrent.router.LookupSync;
import io.undercurrent.rules.LookupStore;
import io.undercurrent.rules.TableRef;
import io.undercurrent.server.config.Config;
import io.undercurrent.server.config.ServerSettings;
import io.undercurrent.server.lookups.LookupFeeder;
import io.undercurrent.source.SourceReader;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.apache.kafka.clients.CommonClientConfigs;

/**
 * Keeps the tables rules look up in memory wherever rules are judged (a process running a router or an
 * edge): a {@link LookupFeeder} over the process's {@link LookupStore}, with source readers of its own.
 */
public final class LookupRole implements Service {

    private final Map<String, SourceReader> readers;
    private final LookupFeeder feeder;
    private final List<Consumer<Set<TableRef>>> listeners = new CopyOnWriteArrayList<>();

    /** @param rules the rules in force, which say whom a looked-up row concerns */
    public LookupRole(
            Config config, LookupStore store, java.util.function.Supplier<io.undercurrent.rules.RuleSet> rules) {
        this.readers = SourceReaders.open(config);
        Map<String, Object> consumer = new HashMap<>(config.kafkaProperties());
        consumer.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, config.get(ServerSettings.KAFKA_BOOTSTRAP));
        this.feeder = new LookupFeeder(
                store,
                readers,
                new Topics(config.get(ServerSettings.TOPIC_PREFIX)),
                consumer,
                tables -> listeners.forEach(l -> l.accept(tables)),
                rules);
    }

    public void start() {
        feeder.start();
    }

    /** The feeder, for metrics. */
    public LookupFeeder feeder() {
        return feeder;
    }

    /** What edges ask whether a read judged by lookups used the lookups as of the read. */
    public io.undercurrent.edge.LookupReads reads() {
        return feeder;
    }

    /** What routers wait on before judging changes whose rules look something up. */
    public LookupSync sync() {
        return feeder;
    }

    /** Hears, on the feeder's thread, which looked-up tables changed or became ready. */
    public void onChange(Consumer<Set<TableRef>> listener) {
        listeners.add(listener);
    }

    @Override
    public String name() {
        return feeder.name();
    }

    @Override
    public boolean healthy() {
        return feeder.healthy();
    }

    @Override
    public Object status() {
        return feeder.status();
    }

    @Override
    public void close() {
        feeder.close();
        readers.values().forEach(SourceReader::close);
    }
}
