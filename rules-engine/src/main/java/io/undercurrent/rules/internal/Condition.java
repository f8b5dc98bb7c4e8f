package io.undercurrent.rules.internal;

import org.mvel2.compiler.ExecutableStatement;

/**
 * One compiled condition (a rule's read or a field mask) with what it was compiled from.
 *
 * @param text the expression as the author wrote it
 * @param tree its syntax tree (explain walks it)
 * @param positions where each character of {@code text} is in the file
 * @param compiled the MVEL statement; thread-safe once compiled
 */
record Condition(String text, Expr tree, ScalarPositions positions, ExecutableStatement compiled) {

    /** True only when definitely true. May throw (a rule error); the caller decides what that means. */
    boolean test(Frame frame) {
        return (Boolean) compiled.getValue(frame, null);
    }
}
