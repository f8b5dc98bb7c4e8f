package io.undercurrent.edge;

import static org.assertj.core.api.Assertions.assertThat;

import io.undercurrent.settings.Setting;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The server knows this module's settings only through {@link EdgeSettingDeclarations#ALL}: a setting declared but
 * left out of it would be missing from CONFIG.md and refused as unknown at start-up.
 */
class EdgeSettingDeclarationsTest {

    @Test
    void everyDeclaredSettingIsListedOnceAndNamedForThisModule() throws IllegalAccessException {
        List<Setting<?>> declared = new ArrayList<>();
        for (Field field : EdgeSettingDeclarations.class.getDeclaredFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == Setting.class) {
                declared.add((Setting<?>) field.get(null));
            }
        }

        assertThat(declared).isNotEmpty();
        assertThat(EdgeSettingDeclarations.ALL).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(declared);
        assertThat(EdgeSettingDeclarations.ALL)
                .allSatisfy(setting -> assertThat(List.of("edge.", "channel."))
                        .anySatisfy(prefix -> assertThat(setting.key()).startsWith(prefix)));
    }
}
