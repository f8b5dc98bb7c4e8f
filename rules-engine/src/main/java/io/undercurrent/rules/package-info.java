/**
 * Access rules: which rows, and which of their fields, a subscriber may read.
 *
 * <p>What other modules use: {@link io.undercurrent.rules.RulesEngine} (load, validate, hot-reload
 * a rules folder), {@link io.undercurrent.rules.RuleSet} (an immutable snapshot that judges rows:
 * {@code access} and {@code explain}; and, before any row, which columns a subscriber certainly sees,
 * whether it may read a table at all, and its read rule as a {@link io.undercurrent.rules.RowCondition}),
 * {@link io.undercurrent.rules.Access} (the outcome), the
 * options, listener, status and problem types, and {@link io.undercurrent.rules.RulesTool} (the
 * {@code undercurrent rules validate|test|explain} commands as plain methods with exit codes).
 *
 * <p>Semantics in one paragraph: {@code auth} is null for an anonymous subscriber; a missing claim
 * or column is null; a comparison involving null, or values of different kinds, is unknown; unknown
 * never grants, and negating it does not make it grant. A table without a rule is denied; a rule
 * that fails at run time denies. The rule author's guide is {@code rules-engine/README.md}.
 *
 * <p>Everything in {@code io.undercurrent.rules.internal} is implementation: not for other modules,
 * free to change.
 */
package io.undercurrent.rules;
