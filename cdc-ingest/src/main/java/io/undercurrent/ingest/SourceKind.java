package io.undercurrent.ingest;

/** The databases ingest can capture. */
public enum SourceKind {
    POSTGRES
}
