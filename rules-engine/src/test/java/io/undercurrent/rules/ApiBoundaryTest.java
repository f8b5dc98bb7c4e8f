package io.undercurrent.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Other modules code against io.undercurrent.rules only: no internal type may show in its API. */
class ApiBoundaryTest {

    private static final List<Class<?>> API = List.of(
            TableRef.class,
            RuleSet.class,
            Access.class,
            Explanation.class,
            Explanation.Part.class,
            Explanation.Field.class,
            Explanation.Verdict.class,
            RulesEngine.class,
            RulesOptions.class,
            RulesListener.class,
            RuleProblem.class,
            RulesException.class,
            RulesStatus.class,
            RulesStatus.Outcome.class,
            RulesTool.class,
            RowCondition.class,
            RowCondition.Constant.class,
            RowCondition.And.class,
            RowCondition.Or.class,
            RowCondition.Compare.class,
            RowCondition.IsNull.class,
            RowCondition.Opaque.class,
            RowCondition.Comparison.class,
            Explanation.LookupFound.class,
            LookupIndex.class,
            LookupTables.class,
            LookupStore.class,
            LookupLimits.class,
            LookupLimitException.class,
            LookupUnavailableException.class);

    @Test
    void publicSignaturesMentionNoInternalType() {
        List<String> leaks = new ArrayList<>();
        for (Class<?> type : API) {
            List<Executable> members = new ArrayList<>(List.of(type.getDeclaredMethods()));
            members.addAll(List.<Constructor<?>>of(type.getDeclaredConstructors()));
            for (Executable member : members) {
                if (!Modifier.isPublic(member.getModifiers())) {
                    continue;
                }
                List<Type> types = new ArrayList<>(List.of(member.getGenericParameterTypes()));
                if (member instanceof Method method) {
                    types.add(method.getGenericReturnType());
                }
                for (Type used : types) {
                    if (used.getTypeName().contains(".internal.")) {
                        leaks.add(type.getSimpleName() + "." + member.getName() + " uses " + used.getTypeName());
                    }
                }
            }
        }
        assertThat(leaks).isEmpty();
    }

    @Test
    void theApiPackageHoldsOnlyTheApi() {
        assertThat(RulesEngine.class.getPackageName()).isEqualTo("io.undercurrent.rules");
        for (Class<?> type : API) {
            assertThat(type.getPackageName()).isEqualTo("io.undercurrent.rules");
        }
    }
}
