package io.undercurrent.rules.internal;

import java.io.Serializable;
import org.mvel2.MVEL;
import org.mvel2.ParserContext;
import org.mvel2.compiler.ExecutableStatement;

/**
 * Compiles rendered rule code with MVEL, once per expression, inside the guard. The parser context
 * is locked down: strong typing against {@link Frame} as {@code this} (so MVEL itself refuses any
 * method Frame does not have), no imports, no variables, no inputs but {@code this}.
 */
final class MvelCompiler {

  private MvelCompiler() {}

  /** A compiled condition; evaluate with {@code getValue(frame, null)}, yields a Boolean. */
  static ExecutableStatement condition(String rendered) {
    MvelGuard.checkConditionText(rendered);
    return compile(rendered, true);
  }

  /** A compiled value (explain only). */
  static ExecutableStatement value(String rendered) {
    MvelGuard.checkValueText(rendered);
    return compile(rendered, false);
  }

  private static ExecutableStatement compile(String rendered, boolean condition) {
    ParserContext context = new ParserContext();
    context.setStrictTypeEnforcement(true);
    context.setStrongTyping(true);
    context.addInput("this", Frame.class);
    Serializable compiled = MVEL.compileExpression(rendered, context);
    if (context.getParserConfiguration().hasImports() || !context.getVariables().isEmpty()
        || context.getInputs().size() != 1) {
      throw new MvelGuard.GuardException("compiling '" + rendered + "' declared imports or variables");
    }
    MvelGuard.checkCompiled(compiled, condition);
    return (ExecutableStatement) compiled;
  }
}
