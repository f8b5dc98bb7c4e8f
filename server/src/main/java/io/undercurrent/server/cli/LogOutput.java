package io.undercurrent.server.cli;

import io.undercurrent.server.config.LogFormat;
import org.apache.logging.log4j.core.config.Configurator;

/**
 * Switches the log output to the configured {@link LogFormat}. log4j2.xml picks its console layout
 * by the system property {@value #PROPERTY}; the settings are read after logging has started, so
 * the switch sets the property and has log4j read its configuration again. Lines logged before the
 * switch (none of Undercurrent's own) keep the text layout.
 */
final class LogOutput {

    static final String PROPERTY = "undercurrent.log.format";

    private LogOutput() {}

    static void use(LogFormat format) {
        String wanted = format.name().toLowerCase(java.util.Locale.ROOT);
        if (wanted.equals(System.getProperty(PROPERTY, "text"))) {
            return;
        }
        System.setProperty(PROPERTY, wanted);
        Configurator.reconfigure();
    }
}
