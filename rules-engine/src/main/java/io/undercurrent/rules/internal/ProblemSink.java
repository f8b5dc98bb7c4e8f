package io.undercurrent.rules.internal;

/** Receives problems found in an expression, at an offset into the expression text. */
@FunctionalInterface
interface ProblemSink {

    void report(int offset, String message);
}
