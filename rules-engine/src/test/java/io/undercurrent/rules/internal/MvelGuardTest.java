package io.undercurrent.rules.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mvel2.MVEL;
import org.mvel2.ParserContext;

/**
 * The walls behind the parser, each tested on its own: the rendered-text grammar, the compiled-tree
 * check and the surface of {@link Frame}. If the parser ever let something through, these still hold.
 */
class MvelGuardTest {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "opEq(vCol(0), vClaim(1))",
                "opEq(vCol(0), vClaim(1)) || opEq(vClaim(2), vLit(3))",
                "(opEq(vCol(0), vLit(1)) || opTrue(vCol(2))) && opNotNull(vKey(vClaim(3), 4))",
                "true",
                "opHas(vAt(vColAt(vLit(0)), fnAdd(vNow(), vLit(1))), vLit(2))"
            })
    void acceptsWhatTheRendererEmits(String rendered) {
        assertThatCode(() -> MvelCompiler.condition(rendered, new Object[] {"a", "b", "c", "d", "e"}))
                .doesNotThrowAnyException();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "System.exit(1)",
                "opEq(vCol(0), System.exit(1))",
                "opEq(vCol(0).getClass(), vLit(1))",
                "opEq(vLit(0), 'x')",
                "opEq(vLit(0), \"x\")",
                "new java.io.File('x')",
                "opEq(vLit(0), vLit(1)); System.exit(1)",
                "opEq(vLit(0), vLit(1)) || x = 1",
                "vCol(0)",
                "opEq(opEq(vLit(0), vLit(1)), vLit(2))",
                "opEq(vLit(0), vLit(1)) == true",
                "!opEq(vLit(0), vLit(1))",
                "opEq(vLit(0), vLit(1.5))",
                "opEq(vLit(0), vLit(-1))",
                "opEq(vLit(0), vLit(0x1))",
                "opEq(vLit(0),vLit(1))\nSystem.exit(1)",
                "truex",
                "getClass()",
                "wait()",
                "opEq(vLit(0), vLit(1234567))",
                "opEq(vLit(0) , vLit(1)) ) || (true"
            })
    void refusesAnyOtherTextBeforeMvelSeesIt(String text) {
        assertThatThrownBy(() -> MvelGuard.checkConditionText(text)).isInstanceOf(MvelGuard.GuardException.class);
    }

    /** Harmless, but outside the grammar: compiled by MVEL directly (never run), then refused. */
    @ParameterizedTest
    @ValueSource(
            strings = {
                "new java.util.ArrayList()",
                "java.lang.Math.abs(1)",
                "String.valueOf(1)",
                "x = 1",
                "def f() { 1 }; f()",
                "[1, 2, 3]",
                "'text'",
                "1 + 2",
                "foo.bar",
                "vCol(0).hashCode()"
            })
    void refusesCompiledTreesTheGrammarCannotProduce(String text) {
        Object compiled = MVEL.compileExpression(text, new ParserContext());
        assertThatThrownBy(() -> MvelGuard.checkCompiled(compiled, true)).isInstanceOf(MvelGuard.GuardException.class);
    }

    @Test
    void helperCallsAreCompiledToBytecodeBeforeFirstUse() {
        Object[] constants = {"owner_id", "sub", "role", "admin"};
        org.mvel2.compiler.ExecutableAccessor compiled = (org.mvel2.compiler.ExecutableAccessor)
                MvelCompiler.condition("opEqR(1, 6) || opEq(vClaim(2), fnLower(vLit(3)))", constants);
        org.mvel2.ast.BooleanNode or = (org.mvel2.ast.BooleanNode) compiled.getNode();
        for (org.mvel2.ast.ASTNode call : List.of(or.getLeft(), or.getRight())) {
            assertThat(call.getAccessor())
                    .as(call.getName())
                    .isNotNull()
                    .isNotInstanceOf(org.mvel2.optimizers.dynamic.DynamicAccessor.class)
                    .isNotInstanceOf(org.mvel2.optimizers.impl.refl.nodes.MethodAccessor.class);
        }
        Frame frame = new Frame().bind(constants, Map.of("sub", "u1", "role", "ADMIN"), Map.of("owner_id", "u2"), 0);
        assertThat(compiled.getValue(frame, null)).isEqualTo(Boolean.FALSE);
        frame.bind(constants, Map.of("sub", "u1", "role", "admin"), Map.of("owner_id", "u2"), 0);
        assertThat(compiled.getValue(frame, null)).isEqualTo(Boolean.TRUE);
    }

    @Test
    void strongTypingMakesMvelRefuseMethodsFrameDoesNotHave() {
        assertThatThrownBy(() -> MvelCompiler.condition("opEvil(vLit(0))", new Object[] {"a"}))
                .isInstanceOf(RuntimeException.class);
    }

    @Test
    void frameOffersOnlyValueAndConditionHelpers() {
        Set<Class<?>> parameterTypes = Set.of(Object.class, int.class);
        for (Method method : Frame.class.getDeclaredMethods()) {
            if (!Modifier.isPublic(method.getModifiers())) {
                continue;
            }
            assertThat(Modifier.isStatic(method.getModifiers()))
                    .as(method.toString())
                    .isFalse();
            assertThat(method.getName()).as(method.toString()).matches("(op|v|fn)[A-Z][A-Za-z]*");
            assertThat(method.getReturnType())
                    .as(method.toString())
                    .isEqualTo(method.getName().startsWith("op") ? boolean.class : Object.class);
            assertThat(Arrays.asList(method.getParameterTypes()))
                    .as(method.toString())
                    .allMatch(parameterTypes::contains);
        }
        assertThat(Modifier.isFinal(Frame.class.getModifiers())).isTrue();
        assertThat(Frame.class.getConstructors()).as("public constructors").isEmpty();
    }

    @Test
    void everyHelperTheRulesNameRendersToAFrameMethod() throws NoSuchMethodException {
        for (Functions.Fn fn : Functions.ALL.values()) {
            if (fn.isLookup()) {
                // exists / lookup: the lookup's index in the pool, then one value per key column.
                for (int arity = 1; arity <= LookupDeclarations.MAX_KEY_COLUMNS; arity++) {
                    Class<?>[] parameters = new Class<?>[arity + 1];
                    Arrays.fill(parameters, Object.class);
                    parameters[0] = int.class;
                    assertThat(Frame.class.getMethod(fn.frameMethod() + Frame.ARITY[arity], parameters))
                            .isNotNull();
                    if (fn.isCondition()) {
                        assertThat(Frame.class.getMethod(fn.negatedMethod() + Frame.ARITY[arity], parameters))
                                .isNotNull();
                    }
                }
                continue;
            }
            Class<?>[] parameters = new Class<?>[fn.arity()];
            Arrays.fill(parameters, Object.class);
            assertThat(Frame.class.getMethod(fn.frameMethod(), parameters)).isNotNull();
            if (fn.isCondition()) {
                assertThat(Frame.class.getMethod(fn.negatedMethod(), parameters))
                        .isNotNull();
            }
        }
    }
}
