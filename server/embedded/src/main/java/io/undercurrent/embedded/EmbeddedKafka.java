package io.undercurrent.embedded;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntSupplier;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka broker in KRaft mode (combined broker and controller), running inside
 * this JVM on the loopback interface.
 *
 * <p>The first start formats the log directory (new cluster id, {@code meta.properties}); later
 * starts reuse it, so {@link #stop()} followed by {@link #start()} is a broker restart that keeps
 * every topic, record and committed offset, on the same port. The broker is ready when a start
 * method returns: it has answered a describe-cluster request listing itself.
 *
 * <p>Who calls it: the server's embedded default, and integration tests of other modules (one
 * broker per test class: a start costs a few seconds).
 *
 * <p>Threading: all methods are safe to call from any thread; lifecycle calls are serialised.
 *
 * <p>Caveat: this is Kafka's own server code. On a fault it considers fatal (for example a log
 * directory it cannot write) it halts the JVM, as a standalone broker would. Nothing installs a
 * shutdown hook: the owner stops the broker, after the clients that still need it.
 *
 * <pre>{@code
 * try (EmbeddedKafka kafka = EmbeddedKafka.start(EmbeddedKafka.Options.of(dir))) {
 *     producerProps.put("bootstrap.servers", kafka.bootstrapServers());
 *     ...
 * }
 * }</pre>
 */
public final class EmbeddedKafka implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);

    private final Options options;
    /** Chosen on the first start and kept, so clients can reconnect after a restart. */
    private final int port;

    private KafkaRaftServer server;
    private String clusterId;
    private boolean closed;

    private EmbeddedKafka(Options options, IntSupplier pickPort) {
        this.options = options;
        this.port = options.port() == 0 ? pickPort.getAsInt() : options.port();
    }

    /**
     * Starts a broker and returns once it is ready.
     *
     * @throws EmbeddedException if the port is in use, the log dir cannot be used, a broker
     *     property is invalid, or the broker is not ready within the startup timeout
     */
    public static EmbeddedKafka start(Options options) {
        return start(options, Ports::pickFree);
    }

    /** As {@link #start(Options)}, with the port picked by {@code pickPort} when the options say 0. */
    static EmbeddedKafka start(Options options, IntSupplier pickPort) {
        Objects.requireNonNull(options, "options");
        for (int attempt = 1; ; attempt++) {
            EmbeddedKafka kafka = new EmbeddedKafka(options, pickPort);
            try {
                kafka.start();
                return kafka;
            } catch (PortInUseException e) {
                // A port this instance picked itself was taken before the broker bound it: pick again.
                if (options.port() != 0 || attempt == PortInUseException.PICKED_PORT_ATTEMPTS) {
                    throw e;
                }
                LOG.info("Kafka broker: port {} was taken before the broker bound it; picking another", kafka.port);
            }
        }
    }

    /**
     * Starts the broker again after {@link #stop()}, on the same log dir and port. Does nothing
     * if it is running.
     *
     * @throws IllegalStateException after {@link #close()}
     * @throws EmbeddedException as for {@link #start(Options)}
     */
    public synchronized void start() {
        if (closed) {
            throw new IllegalStateException("EmbeddedKafka on port " + port + " is closed; start a new one");
        }
        if (server != null) {
            return;
        }
        long begin = System.nanoTime();
        Ports.requireFree(port, "Kafka broker", "EmbeddedKafka.Options.withPort");
        Properties props = KafkaBrokerProperties.build(
                options.logDir(), port, Ports.pickFreeOtherThan(port), options.brokerProperties());
        KafkaConfig config;
        try {
            config = KafkaConfig.fromProps(props, false);
        } catch (ConfigException e) {
            throw new EmbeddedException(
                    "Kafka broker: invalid broker property: " + e.getMessage()
                            + "; check EmbeddedKafka.Options.withBrokerProperty",
                    e);
        }
        clusterId = KafkaStorage.formatIfNeeded(options.logDir(), KafkaBrokerProperties.NODE_ID);
        KafkaRaftServer candidate;
        try {
            candidate = new KafkaRaftServer(config, Time.SYSTEM);
        } catch (RuntimeException e) {
            // Opening the log dir failed (unreadable meta.properties, metadata in the wrong place).
            throw new EmbeddedException(
                    "Kafka broker: cannot open log dir " + options.logDir() + ": " + e.getMessage()
                            + "; repair it or give EmbeddedKafka.Options a fresh log dir",
                    e);
        }
        try {
            runBounded(candidate::startup, options.startupTimeout(), "start");
            KafkaReadiness.await(
                    bootstrapServers(), KafkaBrokerProperties.NODE_ID, remaining(begin, options.startupTimeout()));
        } catch (RuntimeException e) {
            shutdownQuietly(candidate);
            if (hasCause(e, java.net.BindException.class)) {
                throw Ports.portInUse(port, "Kafka broker", "EmbeddedKafka.Options.withPort", e);
            }
            throw e;
        }
        server = candidate;
        LOG.info(
                "Kafka broker ready on {} (log dir {}, cluster id {}) in {} ms",
                bootstrapServers(),
                options.logDir(),
                clusterId,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin));
    }

    /**
     * Shuts the broker down cleanly, keeping its log dir, within the shutdown timeout. Does
     * nothing if it is not running.
     *
     * @throws EmbeddedException if the broker did not finish shutting down in time; its port may
     *     then still be bound
     */
    public synchronized void stop() {
        if (server == null) {
            return;
        }
        KafkaRaftServer stopping = server;
        server = null;
        long begin = System.nanoTime();
        runBounded(
                () -> {
                    stopping.shutdown();
                    stopping.awaitShutdown();
                },
                options.shutdownTimeout(),
                "stop");
        LOG.info(
                "Kafka broker on {} stopped in {} ms",
                bootstrapServers(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin));
    }

    /** Stops the broker for good. The log dir is left in place; deleting it is the caller's choice. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        stop();
    }

    /** {@code 127.0.0.1:<port>}, valid across restarts. Never null. */
    public String bootstrapServers() {
        return KafkaBrokerProperties.HOST + ":" + port;
    }

    /** The client port, fixed for the life of this instance. */
    public int port() {
        return port;
    }

    /** The log directory given in the options. */
    public Path logDir() {
        return options.logDir();
    }

    /** The cluster id stored in the log dir; null before the first start. */
    public synchronized String clusterId() {
        return clusterId;
    }

    /** True between a successful start and the next stop. */
    public synchronized boolean isRunning() {
        return server != null;
    }

    private void shutdownQuietly(KafkaRaftServer candidate) {
        try {
            runBounded(
                    () -> {
                        candidate.shutdown();
                        candidate.awaitShutdown();
                    },
                    options.shutdownTimeout(),
                    "stop after a failed start");
        } catch (RuntimeException e) {
            LOG.warn("Kafka broker on {} did not shut down cleanly after a failed start", bootstrapServers(), e);
        }
    }

    /**
     * Runs a blocking broker call on its own daemon thread so that a wedged broker cannot block
     * the caller (or keep the JVM alive) past {@code timeout}.
     */
    private void runBounded(Runnable action, Duration timeout, String what) {
        CompletableFuture<Void> done = CompletableFuture.runAsync(action, task -> {
            Thread thread = new Thread(task, "embedded-kafka-" + what.replace(' ', '-'));
            thread.setDaemon(true);
            thread.start();
        });
        try {
            done.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new EmbeddedException(
                    "Kafka broker on " + bootstrapServers() + " did not " + what + " within "
                            + timeout + "; see the broker log, or raise EmbeddedKafka.Options.with"
                            + (what.equals("start") ? "Startup" : "Shutdown") + "Timeout",
                    e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw new EmbeddedException(
                    "Kafka broker on " + bootstrapServers() + " failed to " + what + ": " + cause.getMessage(), cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EmbeddedException("Interrupted while waiting for the Kafka broker to " + what, e);
        }
    }

    private static Duration remaining(long beginNanos, Duration total) {
        Duration left = total.minusNanos(System.nanoTime() - beginNanos);
        return left.isNegative() ? Duration.ZERO : left;
    }

    private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Immutable options of an {@link EmbeddedKafka}. Start from {@link #of(Path)} and derive
     * variants with the {@code with...} methods.
     */
    public static final class Options {

        private final Path logDir;
        private final int port;
        private final Map<String, String> brokerProperties;
        private final Duration startupTimeout;
        private final Duration shutdownTimeout;

        private Options(
                Path logDir,
                int port,
                Map<String, String> brokerProperties,
                Duration startupTimeout,
                Duration shutdownTimeout) {
            this.logDir = logDir;
            this.port = port;
            this.brokerProperties = brokerProperties;
            this.startupTimeout = startupTimeout;
            this.shutdownTimeout = shutdownTimeout;
        }

        /**
         * Options with every default: port 0 (a free one), no extra broker properties, 60 s
         * startup timeout, 30 s shutdown timeout.
         *
         * @param logDir where the broker keeps its data and metadata log; created and formatted
         *     if empty, reused if already formatted. Temporary or persistent is the caller's choice.
         */
        public static Options of(Path logDir) {
            return new Options(
                    Objects.requireNonNull(logDir, "logDir"),
                    0,
                    Map.of(),
                    Duration.ofSeconds(60),
                    Duration.ofSeconds(30));
        }

        /** Client port on 127.0.0.1; 0 (the default) picks a free one, kept across restarts. */
        public Options withPort(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("Kafka port must be 0..65535, was " + port);
            }
            return new Options(logDir, port, brokerProperties, startupTimeout, shutdownTimeout);
        }

        /**
         * Adds or replaces one broker property (Kafka's own name, e.g. {@code log.retention.ms}).
         * These win over the single-node defaults; the listener, quorum, node id and log dir
         * properties are owned by EmbeddedKafka and rejected at start.
         */
        public Options withBrokerProperty(String key, String value) {
            Map<String, String> copy = new LinkedHashMap<>(brokerProperties);
            copy.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
            return new Options(logDir, port, Collections.unmodifiableMap(copy), startupTimeout, shutdownTimeout);
        }

        /** Adds or replaces several broker properties; see {@link #withBrokerProperty}. */
        public Options withBrokerProperties(Map<String, String> properties) {
            Options result = this;
            for (Map.Entry<String, String> e : properties.entrySet()) {
                result = result.withBrokerProperty(e.getKey(), e.getValue());
            }
            return result;
        }

        /** How long a start may take until the broker answers as ready; default 60 s. */
        public Options withStartupTimeout(Duration timeout) {
            return new Options(logDir, port, brokerProperties, positive(timeout), shutdownTimeout);
        }

        /** How long a clean shutdown may take; default 30 s. */
        public Options withShutdownTimeout(Duration timeout) {
            return new Options(logDir, port, brokerProperties, startupTimeout, positive(timeout));
        }

        public Path logDir() {
            return logDir;
        }

        public int port() {
            return port;
        }

        /** Unmodifiable; never null. */
        public Map<String, String> brokerProperties() {
            return brokerProperties;
        }

        public Duration startupTimeout() {
            return startupTimeout;
        }

        public Duration shutdownTimeout() {
            return shutdownTimeout;
        }

        private static Duration positive(Duration timeout) {
            if (timeout == null || timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("timeout must be positive, was " + timeout);
            }
            return timeout;
        }
    }
}
