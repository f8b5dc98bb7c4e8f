package io.undercurrent.change;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Names of the Kafka topics Undercurrent uses, all under one configurable prefix so several
 * deployments can share a cluster.
 *
 * <ul>
 *   <li>{@code <prefix>.changes.<source>}: change events of one source database</li>
 *   <li>{@code <prefix>.subscriptions}: live subscriptions (compacted), read by every router</li>
 *   <li>{@code <prefix>.edge.<edgeId>}: deliveries for the clients of one edge node</li>
 *   <li>{@code <prefix>.offsets.<source>}: the source's replication offsets (compacted)</li>
 *   <li>{@code <prefix>.transactions.<source>}: the end marker of each source transaction ({@link TransactionMarker})</li>
 *   <li>{@code <prefix>.schema-history.<source>}: MySQL/MariaDB table definitions over time (one partition,
 *       kept forever); ingest needs it to read the binlog</li>
 * </ul>
 */
public record Topics(String prefix) {

    private static final Pattern LEGAL = Pattern.compile("[A-Za-z0-9._-]+");

    public Topics {
        Objects.requireNonNull(prefix, "prefix");
        requireLegal("topic prefix", prefix);
    }

    public String changes(String source) {
        requireLegal("source name", source);
        return prefix + ".changes." + source;
    }

    public Pattern allChanges() {
        return Pattern.compile(Pattern.quote(prefix + ".changes.") + ".+");
    }

    public String subscriptions() {
        return prefix + ".subscriptions";
    }

    public String edge(String edgeId) {
        requireLegal("edge id", edgeId);
        return prefix + ".edge." + edgeId;
    }

    public String offsets(String source) {
        requireLegal("source name", source);
        return prefix + ".offsets." + source;
    }

    public String transactions(String source) {
        requireLegal("source name", source);
        return prefix + ".transactions." + source;
    }

    public String schemaHistory(String source) {
        requireLegal("source name", source);
        return prefix + ".schema-history." + source;
    }

    private static void requireLegal(String what, String name) {
        if (name == null || !LEGAL.matcher(name).matches() || name.length() > 200) {
            throw new IllegalArgumentException(
                    what + " '" + name + "' may only hold letters, digits, '.', '_' and '-'");
        }
    }
}
