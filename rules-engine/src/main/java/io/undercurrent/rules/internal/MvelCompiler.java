package io.undercurrent.rules.internal;

import java.io.Serializable;
import java.util.Map;
import org.mvel2.MVEL;
import org.mvel2.ParserContext;
import org.mvel2.ast.ASTNode;
import org.mvel2.ast.BooleanNode;
import org.mvel2.ast.Substatement;
import org.mvel2.compiler.ExecutableAccessor;
import org.mvel2.compiler.ExecutableStatement;
import org.mvel2.optimizers.AccessorOptimizer;
import org.mvel2.optimizers.OptimizerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compiles rendered rule code with MVEL, once per expression, inside the guard. The parser context
 * is locked down: strong typing against {@link Frame} as {@code this} (so MVEL itself refuses any
 * method Frame does not have), no imports, no variables, no inputs but {@code this}.
 *
 * <p>Each helper call is then compiled to bytecode right away with MVEL's ASM optimizer. Left to
 * itself, MVEL would run new code reflectively (allocating argument arrays) until some 50 calls
 * came within 100 ms, then swap in bytecode behind an extra wrapper, and later de-optimize the
 * oldest of all such wrappers in the JVM once there are 1500 of them. Compiling up front makes
 * evaluation allocation-free and equally fast from the first call, and leaves no lazy optimisation
 * to race between router threads.
 */
final class MvelCompiler {

    private static final Logger LOG = LoggerFactory.getLogger(MvelCompiler.class);

    private MvelCompiler() {}

    /**
     * A compiled condition; evaluate with {@code getValue(frame, null)}, yields a Boolean.
     *
     * @param constants the rule's constant pool so far (the code's indexes must be in it)
     */
    static ExecutableStatement condition(String rendered, Object[] constants) {
        MvelGuard.checkConditionText(rendered);
        return compile(rendered, true, constants);
    }

    /** A compiled value (explain only). */
    static ExecutableStatement value(String rendered, Object[] constants) {
        MvelGuard.checkValueText(rendered);
        return compile(rendered, false, constants);
    }

    private static ExecutableStatement compile(String rendered, boolean condition, Object[] constants) {
        ParserContext context = new ParserContext();
        context.setStrictTypeEnforcement(true);
        context.setStrongTyping(true);
        context.addInput("this", Frame.class);
        // Generated accessors get their own loader under this one, whatever the calling thread's context
        // loader is; they become unloadable with the rule that holds them.
        context.getParserConfiguration().setClassLoader(Frame.class.getClassLoader());
        Serializable compiled = MVEL.compileExpression(rendered, context);
        if (context.getParserConfiguration().hasImports()
                || !context.getVariables().isEmpty()
                || context.getInputs().size() != 1) {
            throw new MvelGuard.GuardException("compiling '" + rendered + "' declared imports or variables");
        }
        MvelGuard.checkCompiled(compiled, condition);
        precompile(compiled, context, constants);
        return (ExecutableStatement) compiled;
    }

    /** Gives every helper call its bytecode accessor now (see the class comment). */
    private static void precompile(Object compiled, ParserContext context, Object[] constants) {
        if (!(compiled instanceof ExecutableAccessor accessor)) {
            return;
        }
        // MVEL's optimizer runs the code once as it compiles it: against no row, no claims and empty lookups.
        Frame frame = new Frame().bind(constants, Map.of(), Map.of(), 0, (index, key) -> java.util.List.of());
        try {
            precompile(accessor.getNode(), context, frame);
        } catch (RuntimeException | LinkageError e) {
            // Still correct: MVEL optimises lazily instead. Only slower until it does.
            LOG.debug("Could not precompile rule code; MVEL will optimise it on first use", e);
        }
    }

    private static void precompile(ASTNode node, ParserContext context, Frame frame) {
        if (node instanceof BooleanNode logical) {
            precompile(logical.getLeft(), context, frame);
            precompile(logical.getRight(), context, frame);
        } else if (node instanceof Substatement substatement) {
            if (substatement.getStatement() instanceof ExecutableAccessor inner) {
                precompile(inner.getNode(), context, frame);
            }
        } else if (node.getClass() == ASTNode.class) {
            AccessorOptimizer optimizer = OptimizerFactory.getAccessorCompiler("ASM");
            node.setAccessor(optimizer.optimizeAccessor(
                    context,
                    node.getExpr(),
                    node.getStart(),
                    node.getOffset(),
                    frame,
                    frame,
                    null,
                    true,
                    node.getEgressType()));
        }
    }
}
