package io.undercurrent.server.cli;

import io.undercurrent.server.config.ConfigReference;
import picocli.CommandLine.Command;

/** {@code undercurrent config}: prints the configuration reference. */
@Command(name = "config", description = "Print every setting with its default, environment variable and meaning.")
final class ConfigCommand implements Runnable {
    @Override
    public void run() {
        System.out.print(ConfigReference.markdown());
    }
}
