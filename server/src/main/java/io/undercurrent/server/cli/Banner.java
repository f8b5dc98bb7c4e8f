package io.undercurrent.server.cli;

import io.undercurrent.server.ServerNode;
import io.undercurrent.server.config.LogFormat;
import io.undercurrent.server.config.Role;
import io.undercurrent.server.config.ServerSettings;
import io.undercurrent.server.roles.EmbeddedInfrastructure;

/** What a newcomer needs to see once the server is up. */
final class Banner {

    private Banner() {}

    /** Prints the banner; with JSON log lines it is logged as one line instead, so standard output stays JSON. */
    static void print(ServerNode node, Role role, long startMillis, LogFormat format) {
        StringBuilder out = new StringBuilder();
        out.append("\nUndercurrent is running (role ")
                .append(role.name().toLowerCase(java.util.Locale.ROOT))
                .append(", started in ")
                .append(startMillis)
                .append(" ms)\n");
        out.append("  live queries:  ")
                .append(node.http().address().replace("http", "ws"))
                .append("/v1/live\n");
        out.append("  health:        ").append(node.http().address()).append("/health\n");
        EmbeddedInfrastructure embedded = node.embedded();
        if (embedded != null) {
            if (node.mintsDevTokens() && embedded.hasDemo()) {
                out.append("  example app:   ").append(node.http().address()).append("/\n");
                out.append("  group chat:    ").append(node.http().address()).append("/chat/\n");
            }
            if (embedded.hasDemo()) {
                out.append("  database:      psql ").append(embedded.psqlUrl()).append('\n');
            }
            out.append("  kafka:         ")
                    .append(node.config().get(ServerSettings.KAFKA_BOOTSTRAP))
                    .append('\n');
            if (node.mintsDevTokens()) {
                out.append("  dev JWT secret (HS256, for testing only): ")
                        .append(embedded.devSecret())
                        .append('\n');
            }
            if (embedded.hasDemo()) {
                out.append("  try:  psql ")
                        .append(embedded.psqlUrl())
                        .append(" -c \"insert into todos(owner_id, title) values ('alice', 'hello')\"\n");
            }
        }
        out.append("Stop with Ctrl-C.\n");
        if (format == LogFormat.JSON) {
            org.slf4j.LoggerFactory.getLogger(Banner.class).info(out.toString().strip());
        } else {
            System.out.println(out);
        }
    }
}
