package io.undercurrent.ingest;

import java.util.Locale;

/**
 * How ingest compresses the change events it writes to Kafka. {@link #NONE} suits a broker on the
 * same machine or a fast network and the small batches of a steady stream: Kafka's compressors
 * allocate their buffers for every batch, however small. {@link #LZ4} or {@link #ZSTD} save network
 * and disk when large batches cross a slow link.
 */
public enum Compression {
    NONE,
    GZIP,
    SNAPPY,
    LZ4,
    ZSTD;

    /** Kafka's name for it ({@code compression.type}). */
    public String kafkaName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
