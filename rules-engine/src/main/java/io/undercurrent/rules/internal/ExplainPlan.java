package io.undercurrent.rules.internal;

import io.undercurrent.rules.Explanation;
import io.undercurrent.rules.Explanation.Verdict;
import io.undercurrent.rules.LookupTables;
import io.undercurrent.rules.LookupUnavailableException;
import io.undercurrent.rules.RuleSet;
import io.undercurrent.rules.TableRef;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mvel2.compiler.ExecutableStatement;

/**
 * What {@link RuleSet#explain} evaluates for one rule, compiled on first use: the read condition,
 * each of its top-level parts and each mask, every one both as written and negated (true, false or,
 * when neither holds, unknown), plus the values each part refers to. Compiled through the same
 * renderer and guard as the rule itself, so it judges exactly as {@code access} does.
 */
final class ExplainPlan {

    private final CompiledRule rule;
    private final Object[] constants;
    private final Check read;
    private final List<Check> parts;
    private final List<Check> masks;

    private ExplainPlan(CompiledRule rule, Object[] constants, Check read, List<Check> parts, List<Check> masks) {
        this.rule = rule;
        this.constants = constants;
        this.read = read;
        this.parts = parts;
        this.masks = masks;
    }

    static ExplainPlan of(CompiledRule rule) {
        Renderer renderer = new Renderer(rule.lookups());
        Condition condition = rule.read();
        Check read = Check.of(renderer, condition.text(), condition.tree());
        List<Check> parts = new ArrayList<>();
        for (Expr part : topLevelParts(condition.tree())) {
            parts.add(Check.of(renderer, condition.text(), part));
        }
        List<Check> masks = new ArrayList<>();
        for (int i = 0; i < rule.maskSpecs().size(); i++) {
            Condition mask = rule.mask(i);
            masks.add(Check.of(renderer, mask.text(), mask.tree()));
        }
        return new ExplainPlan(rule, renderer.constants(), read, parts, masks);
    }

    /** A null row is judged as an empty one but, as in {@code access}, never allowed. */
    Explanation explain(Frames frames, Map<String, ?> auth, Map<String, ?> row, long now, LookupTables lookups) {
        Frame frame = frames.acquire().bind(constants, auth, row == null ? Map.of() : row, now, lookups);
        try {
            Outcome readOutcome = read.judge(frame);
            boolean allowed = row != null && readOutcome.verdict == Verdict.TRUE;
            List<Explanation.Part> judgedParts = new ArrayList<>();
            for (Check part : parts) {
                Outcome outcome = part.judge(frame);
                judgedParts.add(
                        new Explanation.Part(part.text, outcome.verdict, outcome.detail, part.inputs(frame, lookups)));
            }
            List<Explanation.Field> fields = new ArrayList<>();
            for (int i = 0; i < masks.size(); i++) {
                Check mask = masks.get(i);
                Outcome outcome = mask.judge(frame);
                fields.add(new Explanation.Field(
                        rule.maskColumn(i),
                        mask.text,
                        outcome.verdict,
                        allowed && outcome.verdict == Verdict.TRUE,
                        mask.inputs(frame, lookups)));
            }
            return new Explanation(
                    rule.table(),
                    rule.location(),
                    allowed,
                    readOutcome.verdict,
                    rule.read().text(),
                    judgedParts,
                    fields);
        } finally {
            frame.release();
        }
    }

    static Explanation noRule(TableRef table) {
        return new Explanation(table, null, false, Verdict.FALSE, null, List.of(), List.of());
    }

    private static List<Expr> topLevelParts(Expr tree) {
        List<Expr> parts = new ArrayList<>();
        if (tree instanceof Expr.Bin bin && bin.op().isLogical()) {
            flatten(bin, bin.op(), parts);
        } else {
            parts.add(tree);
        }
        return parts;
    }

    private static void flatten(Expr expr, Expr.Op op, List<Expr> into) {
        if (expr instanceof Expr.Bin bin && bin.op() == op) {
            flatten(bin.left(), op, into);
            flatten(bin.right(), op, into);
        } else {
            into.add(expr);
        }
    }

    private record Outcome(Verdict verdict, String detail) {}

    /** An exists/lookup call: its lookup and its key values, compiled, to show what it found. */
    private record Probe(RuleSpec.Lookup lookup, List<ExecutableStatement> key) {

        Explanation.LookupFound find(Frame frame, LookupTables lookups) {
            Object[] values = new Object[key.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = key.get(i).getValue(frame, null);
            }
            List<Object> shown = java.util.Arrays.asList(values.clone());
            for (Object value : values) {
                if (LookupKeys.canonical(value) == null) {
                    return new Explanation.LookupFound(lookup.name(), lookup.index(), shown, 0, null, null);
                }
            }
            try {
                List<Map<String, ?>> rows = lookups.rows(lookup.index(), values);
                return new Explanation.LookupFound(
                        lookup.name(), lookup.index(), shown, rows.size(), rows.size() == 1 ? rows.get(0) : null, null);
            } catch (LookupUnavailableException e) {
                return new Explanation.LookupFound(lookup.name(), lookup.index(), shown, -1, null, e.getMessage());
            }
        }
    }

    /** A condition compiled both ways, and the values it refers to. */
    private record Check(
            String text,
            ExecutableStatement positive,
            ExecutableStatement negative,
            Map<String, ExecutableStatement> values,
            Map<String, Probe> probes) {

        static Check of(Renderer renderer, String source, Expr tree) {
            Map<String, ExecutableStatement> values = new LinkedHashMap<>();
            for (Expr input : Inputs.of(tree)) {
                String rendered = renderer.value(input);
                values.putIfAbsent(
                        source.substring(input.start(), input.end()),
                        MvelCompiler.value(rendered, renderer.constants()));
            }
            Map<String, Probe> probes = new LinkedHashMap<>();
            for (Expr.Call call : Inputs.lookupCalls(tree)) {
                List<ExecutableStatement> key = new ArrayList<>();
                for (Expr arg : call.args().subList(1, call.args().size())) {
                    key.add(MvelCompiler.value(renderer.value(arg), renderer.constants()));
                }
                probes.putIfAbsent(source.substring(call.start(), call.end()), new Probe(renderer.lookup(call), key));
            }
            String positive = renderer.condition(tree);
            String negative = renderer.negatedCondition(tree);
            return new Check(
                    source.substring(tree.start(), tree.end()),
                    MvelCompiler.condition(positive, renderer.constants()),
                    MvelCompiler.condition(negative, renderer.constants()),
                    values,
                    probes);
        }

        Outcome judge(Frame frame) {
            try {
                if ((Boolean) positive.getValue(frame, null)) {
                    return new Outcome(Verdict.TRUE, null);
                }
                return new Outcome((Boolean) negative.getValue(frame, null) ? Verdict.FALSE : Verdict.UNKNOWN, null);
            } catch (Throwable failure) {
                CompiledRule.rethrowIfFatal(failure);
                return new Outcome(Verdict.ERROR, RuleErrors.describe(failure));
            }
        }

        Map<String, Object> inputs(Frame frame, LookupTables lookups) {
            Map<String, Object> inputs = new LinkedHashMap<>();
            for (Map.Entry<String, ExecutableStatement> value : values.entrySet()) {
                Object result;
                try {
                    result = value.getValue().getValue(frame, null);
                } catch (Throwable failure) {
                    CompiledRule.rethrowIfFatal(failure);
                    result = "(error: " + RuleErrors.describe(failure) + ")";
                }
                inputs.put(value.getKey(), result);
            }
            for (Map.Entry<String, Probe> probe : probes.entrySet()) {
                Object result;
                try {
                    result = probe.getValue().find(frame, lookups);
                } catch (Throwable failure) {
                    CompiledRule.rethrowIfFatal(failure);
                    result = "(error: " + RuleErrors.describe(failure) + ")";
                }
                inputs.put(probe.getKey(), result);
            }
            return inputs;
        }
    }
}
