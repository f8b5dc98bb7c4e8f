package io.undercurrent.server.config;

/** How log lines are written to standard output. */
public enum LogFormat {
    /** One human-readable line per event: time, level, logger, message. */
    TEXT,
    /** One JSON object per line (Elastic Common Schema field names), for log pipelines. */
    JSON
}
