package io.undercurrent.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.undercurrent.rules.RuleSet;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The metered rules answer every question the rules do: a method of {@link RuleSet} it does not
 * override would answer with the interface's default (nothing looked up, no channel rule's lookups)
 * instead of the rules in force.
 */
class MeteredRuleSetTest {

    @Test
    void everyMethodOfTheRulesIsPassedOn() {
        List<String> missing = new ArrayList<>();
        for (Method method : RuleSet.class.getMethods()) {
            if (Modifier.isStatic(method.getModifiers())) {
                continue;
            }
            try {
                MeteredRuleSet.class.getDeclaredMethod(method.getName(), method.getParameterTypes());
            } catch (NoSuchMethodException e) {
                missing.add(method.toString());
            }
        }
        assertThat(missing).isEmpty();
    }
}
