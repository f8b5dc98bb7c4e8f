/**
 * Implementation of the rules engine; not an API. The pipeline of one expression:
 * {@code Lexer} → {@code Parser} → {@code Checker} (the language's own grammar and rules, with
 * file:line:col problems) → {@code Renderer} (negation normal form, calls on {@code Frame}, constant
 * pool) → {@code MvelGuard} + {@code MvelCompiler} (grammar check of the rendered text, locked-down
 * MVEL compile, compiled-tree check, bytecode up front) → {@code Condition}. Around it: YAML reading
 * ({@code RuleFileReader}, {@code ScalarPositions}), the loaded rules ({@code RulesLoader},
 * {@code LoadedRules}, {@code CompiledRule}, {@code Decision}), hot reload ({@code Reloader},
 * {@code WatchLoop}, {@code Fingerprint}), rule tests ({@code RuleTests}) and explain
 * ({@code ExplainPlan}).
 */
package io.undercurrent.rules.internal;
