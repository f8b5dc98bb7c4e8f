package io.undercurrent.rules.internal;

import io.undercurrent.rules.RuleProblem;
import io.undercurrent.rules.TableRef;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.mvel2.compiler.ExecutableStatement;

/**
 * Compiles a {@link RuleSpec}: each expression is parsed and checked by this module's own grammar
 * (the first wall: MVEL never sees anything outside it), rendered, guarded and compiled by MVEL.
 */
final class RuleCompiler {

    /** Longer than any sensible condition; keeps parsing and compiling cheap and bounded. */
    static final int MAX_LENGTH = 4000;

    private RuleCompiler() {}

    /** The compiled rule, or null when a problem was added. */
    static CompiledRule compile(RuleSpec spec, List<RuleProblem> problems) {
        Renderer renderer = new Renderer(spec.lookups());
        LookupUses uses = new LookupUses(spec.lookups());
        Condition read = condition(spec.read(), renderer, uses, problems);
        List<Condition> masks = new ArrayList<>();
        for (RuleSpec.Mask mask : spec.masks()) {
            masks.add(condition(mask.when(), renderer, uses, problems));
        }
        if (read == null || masks.contains(null)) {
            return null;
        }
        return new CompiledRule(
                new TableRef(spec.source(), spec.table()),
                location(spec),
                read,
                spec.masks(),
                masks,
                renderer.constants(),
                spec.lookups());
    }

    /** Reports the problems of expressions whose rule is broken anyway; compiles nothing it keeps. */
    static void checkOnly(
            RuleSpec.Text read,
            List<RuleSpec.Mask> masks,
            Map<String, RuleSpec.Lookup> lookups,
            java.util.Set<String> brokenLookups,
            List<RuleProblem> problems) {
        Renderer scratch = new Renderer(lookups);
        LookupUses uses = new LookupUses(lookups, brokenLookups);
        if (read != null) {
            condition(read, scratch, uses, problems);
        }
        for (RuleSpec.Mask mask : masks) {
            condition(mask.when(), scratch, uses, problems);
        }
    }

    /** The compiled channel rule, or null when a problem was added. */
    static ChannelRule compileChannel(ChannelSpec spec, List<RuleProblem> problems) {
        Renderer renderer = new Renderer(spec.lookups());
        LookupUses uses = new LookupUses(spec.lookups());
        Condition join = condition(spec.join(), renderer, uses, true, problems);
        Condition publish = spec.publish() == null ? null : condition(spec.publish(), renderer, uses, true, problems);
        if (join == null || (spec.publish() != null && publish == null)) {
            return null;
        }
        return new ChannelRule(spec, spec.file().locate(spec.patternOffset()), join, publish, renderer.constants());
    }

    /** Reports the problems of a broken channel rule's expressions. */
    static void checkChannelOnly(
            RuleSpec.Text join,
            RuleSpec.Text publish,
            Map<String, RuleSpec.Lookup> lookups,
            java.util.Set<String> brokenLookups,
            List<RuleProblem> problems) {
        Renderer scratch = new Renderer(lookups);
        LookupUses uses = new LookupUses(lookups, brokenLookups);
        for (RuleSpec.Text text : java.util.Arrays.asList(join, publish)) {
            if (text != null) {
                condition(text, scratch, uses, true, problems);
            }
        }
    }

    static String location(RuleSpec spec) {
        return spec.file().locate(spec.tableOffset());
    }

    /** Content that decides whether a rule changed: table, read and masks as written. */
    static String content(RuleSpec spec) {
        StringBuilder content = new StringBuilder(new TableRef(spec.source(), spec.table()).toString())
                .append('\n')
                .append(spec.read().value());
        for (RuleSpec.Mask mask : spec.masks()) {
            content.append('\n')
                    .append(mask.column())
                    .append(": ")
                    .append(mask.when().value());
        }
        for (RuleSpec.Lookup lookup : spec.lookups().values()) {
            content.append("\nlookup ").append(lookup.describe());
        }
        return content.toString();
    }

    private static Condition condition(
            RuleSpec.Text text, Renderer renderer, LookupUses uses, List<RuleProblem> problems) {
        return condition(text, renderer, uses, false, problems);
    }

    /** @param channel whether the expression is a channel rule's, which reads {@code channel} as its row */
    private static Condition condition(
            RuleSpec.Text text, Renderer renderer, LookupUses uses, boolean channel, List<RuleProblem> problems) {
        ProblemSink sink = text.positions().sink(problems);
        if (text.value().length() > MAX_LENGTH) {
            sink.report(
                    0, "expression too long (" + text.value().length() + " characters, at most " + MAX_LENGTH + ")");
            return null;
        }
        Expr tree = Parser.parse(text.value(), sink);
        if (channel && tree != null) {
            tree = ChannelExpressions.rewrite(tree, sink);
        }
        if (tree == null || !Checker.check(tree, sink, uses)) {
            return null;
        }
        String rendered = renderer.condition(tree);
        try {
            ExecutableStatement compiled = MvelCompiler.condition(rendered, renderer.constants());
            return new Condition(text.value(), tree, text.positions(), compiled);
        } catch (RuntimeException e) {
            sink.report(
                    0,
                    "could not be compiled (" + RuleErrors.describe(e) + "); this is a bug in Undercurrent:"
                            + " please report it with this rule");
            return null;
        }
    }
}
