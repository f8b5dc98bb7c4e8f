package io.undercurrent.ingest;

import static io.undercurrent.settings.Parsers.duration;
import static io.undercurrent.settings.Parsers.integer;
import static io.undercurrent.settings.Parsers.oneOf;

import io.undercurrent.settings.Setting;
import java.time.Duration;
import java.util.List;

/**
 * The settings of the ingest role ({@code ingest.*}), declared once beside the code that uses them;
 * the server composes them into its configuration reference.
 */
public final class IngestSettingDeclarations {

    private IngestSettingDeclarations() {}

    public static final Setting<Duration> POLL_INTERVAL = Setting.of(
            "ingest.poll-interval",
            "duration",
            Duration.ofMillis(5),
            duration(Duration.ofMillis(1), Duration.ofSeconds(10)),
            "How long Debezium pauses when the database has sent nothing; MySQL, MariaDB and MongoDB changes also wait up to this "
                    + "long for a batch to fill (PostgreSQL changes are handed over at once). Shorter reads changes sooner on a "
                    + "quiet database and costs CPU while idle.");

    public static final Setting<Integer> MAX_BATCH = Setting.of(
            "ingest.max-batch-size", "integer", 2048, integer(1, 100_000), "Most changes ingest publishes per batch.");

    public static final Setting<Duration> OFFSET_FLUSH = Setting.of(
            "ingest.offset-flush-interval",
            "duration",
            Duration.ofSeconds(1),
            duration(Duration.ofMillis(100), Duration.ofMinutes(10)),
            "How often acknowledged source positions are committed; a crash replays at most this much.");

    public static final Setting<Duration> RETRY_BACKOFF = Setting.of(
            "ingest.retry-backoff",
            "duration",
            Duration.ofMillis(500),
            duration(Duration.ofMillis(10), Duration.ofMinutes(5)),
            "Pause before ingest restarts a source after a failure; it doubles on each failure in a row up to ingest.retry-backoff-max.");

    public static final Setting<Duration> RETRY_BACKOFF_MAX = Setting.of(
            "ingest.retry-backoff-max",
            "duration",
            Duration.ofSeconds(30),
            duration(Duration.ofMillis(10), Duration.ofHours(1)),
            "Longest pause between restarts of a failing source; a source that needs action (permissions, configuration) is "
                    + "retried this often.");

    public static final Setting<Duration> PUBLISH_TIMEOUT = Setting.of(
            "ingest.publish-timeout",
            "duration",
            IngestSettings.DEFAULT_PUBLISH_TIMEOUT,
            duration(Duration.ofSeconds(5), Duration.ofMinutes(30)),
            "Longest ingest waits for Kafka to acknowledge its oldest batch in flight; then the source fails and restarts "
                    + "from its last committed position (nothing is lost, changes since are read again).");

    public static final Setting<Compression> COMPRESSION = Setting.of(
            "ingest.compression",
            "none / gzip / snappy / lz4 / zstd",
            Compression.NONE,
            oneOf(Compression.class),
            "How ingest compresses change events in Kafka. none suits a broker on the same machine or a fast network: Kafka's "
                    + "compressors allocate their buffers for every batch, and a steady stream sends small ones. lz4 or zstd save "
                    + "network and disk when large batches cross a slow link.");

    public static final Setting<Duration> WATERMARK_INTERVAL = Setting.of(
            "ingest.watermark-interval",
            "duration",
            Duration.ofMillis(100),
            raw -> "0".equals(String.valueOf(raw).trim())
                    ? Duration.ZERO
                    : duration(Duration.ZERO, Duration.ofMinutes(1)).parse(raw),
            "How often ingest writes a watermark into a PostgreSQL source's log (a logical decoding message holding "
                    + "pg_current_snapshot()) and publishes it to every partition of the change topic. Readers that judge "
                    + "rules with lookups wait for a watermark after their read before they answer, so this bounds that "
                    + "wait; 0 writes none, and such reads then fall back to a grace period that is not exact. MySQL, "
                    + "MariaDB and MongoDB sources write none yet.");

    /** Every setting above, in documentation order. */
    public static final List<Setting<?>> ALL = List.of(
            POLL_INTERVAL,
            MAX_BATCH,
            OFFSET_FLUSH,
            RETRY_BACKOFF,
            RETRY_BACKOFF_MAX,
            PUBLISH_TIMEOUT,
            COMPRESSION,
            WATERMARK_INTERVAL);
}
