package io.undercurrent.server.http;

import com.sun.management.UnixOperatingSystemMXBean;
import io.undercurrent.server.config.Config;
import io.undercurrent.server.config.ConfigException;
import io.undercurrent.server.config.ServerSettings;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.OptionalLong;

/**
 * Splits the process's file descriptors between client connections and everything else. Without a
 * cap, a flood of idle connections took every descriptor and with it the whole process: accepts
 * failed, the rules folder became unreadable and the embedded Kafka shut down ("all log dirs have
 * failed"). The HTTP listener therefore holds at most {@code http.max-connections}, and that cap must
 * leave {@link #RESERVE} descriptors for the rest; checked once, at start.
 */
public final class DescriptorBudget {

    /**
     * Descriptors kept for everything but client connections: Kafka's log segments and sockets (the
     * embedded broker's too), database pools, the rules folder, the JVM's own files, and the
     * connections the listener accepts only to close them when the cap is reached.
     */
    public static final int RESERVE = 1024;

    static final int DEFAULT_MAX_CONNECTIONS = 10_000;

    private DescriptorBudget() {}

    /** The HTTP limits of this process, its descriptor limit read from the operating system. */
    public static HttpLimits httpLimits(Config config) throws ConfigException {
        return httpLimits(config, processLimit());
    }

    /**
     * @param descriptorLimit the most descriptors the process may open, or empty where the platform does not say
     * @throws ConfigException when {@code http.max-connections} does not fit the budget, or nothing is left for connections
     */
    static HttpLimits httpLimits(Config config, OptionalLong descriptorLimit) throws ConfigException {
        Integer configured = config.get(ServerSettings.HTTP_MAX_CONNECTIONS);
        long budget = descriptorLimit.isPresent() ? descriptorLimit.getAsLong() - RESERVE : Long.MAX_VALUE;
        String key = ServerSettings.HTTP_MAX_CONNECTIONS.key();
        String limit = "the file-descriptor limit (ulimit -n) is " + descriptorLimit.orElse(0) + " and " + RESERVE
                + " descriptors are kept for Kafka, the rules and database connections";
        int max;
        if (configured != null) {
            if (configured > budget) {
                throw new ConfigException(List.of("'" + key + "' = " + configured + " does not fit: " + limit
                        + (budget >= 1 ? "; set it to at most " + budget : "")
                        + ", or raise the limit (ulimit -n) to at least "
                        + ((long) configured + RESERVE)));
            }
            max = configured;
        } else if (budget < 1) {
            throw new ConfigException(List.of("no file descriptors are left for connections: " + limit
                    + "; raise the limit (ulimit -n) to at least " + (RESERVE + DEFAULT_MAX_CONNECTIONS)));
        } else {
            max = (int) Math.min(DEFAULT_MAX_CONNECTIONS, budget);
        }
        return new HttpLimits(max, config.get(ServerSettings.HTTP_REQUEST_TIMEOUT));
    }

    /** The most descriptors this process may open, or empty where the platform does not say (not Unix). */
    static OptionalLong processLimit() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof UnixOperatingSystemMXBean unix) {
            return OptionalLong.of(unix.getMaxFileDescriptorCount());
        }
        return OptionalLong.empty();
    }
}
