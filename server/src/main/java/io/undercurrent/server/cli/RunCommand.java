package io.undercurrent.server.cli;

import io.undercurrent.rules.RulesException;
import io.undercurrent.rules.RulesSettingDeclarations;
import io.undercurrent.server.ServerNode;
import io.undercurrent.server.config.Config;
import io.undercurrent.server.config.ConfigException;
import io.undercurrent.server.config.ConfigLoader;
import io.undercurrent.server.config.Role;
import io.undercurrent.server.config.ServerSettings;
import io.undercurrent.settings.Setting;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code undercurrent run}: starts the server until SIGTERM / Ctrl-C. */
@Command(
        name = "run",
        description = "Run the server (the default command). With no configuration it runs the embedded default.")
final class RunCommand implements Callable<Integer> {

    @Option(
            names = "--config",
            paramLabel = "FILE",
            description = "YAML configuration file (environment variables UNDERCURRENT_* override it).")
    Path configFile;

    @Option(names = "--role", paramLabel = "ROLE", description = "all (default), ingest, router or edge.")
    String role;

    @Option(names = "--rules", paramLabel = "DIR", description = "Folder of rule files (default ./rules).")
    Path rules;

    @Override
    public Integer call() {
        long startedAt = System.nanoTime();
        Config config;
        Role chosen;
        try {
            config = new ConfigLoader(System.getenv()).load(configFile);
            Map<Setting<?>, Object> overrides = new HashMap<>();
            if (rules != null) {
                overrides.put(RulesSettingDeclarations.DIR, rules.toString());
            }
            config = config.with(overrides, null, null);
            chosen = role == null ? config.get(ServerSettings.ROLE) : parseRole(role);
            LogOutput.use(config.get(ServerSettings.LOG_FORMAT));
        } catch (ConfigException e) {
            System.err.println(e.getMessage());
            return 2;
        }
        ServerNode node;
        try {
            node = ServerNode.start(config, chosen, Clock.systemUTC());
        } catch (ConfigException e) {
            System.err.println(e.getMessage());
            return 2;
        } catch (RulesException e) {
            System.err.println("cannot start: the rules do not load. Fix:\n  "
                    + String.join(
                            "\n  ", e.problems().stream().map(Object::toString).toList()));
            return 2;
        } catch (RuntimeException e) {
            System.err.println("cannot start: " + e.getMessage());
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            node.close();
                            stopped.countDown();
                        },
                        "shutdown"));
        Banner.print(node, chosen, (System.nanoTime() - startedAt) / 1_000_000, config.get(ServerSettings.LOG_FORMAT));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    private static Role parseRole(String text) throws ConfigException {
        try {
            return Role.valueOf(text.trim().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(
                    java.util.List.of("--role '" + text + "' is invalid: expected one of all, ingest, router, edge"));
        }
    }
}
