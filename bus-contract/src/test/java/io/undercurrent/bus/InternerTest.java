package io.undercurrent.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

class InternerTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void equalClaimsBecomeOneInstanceAndOthersStayApart() {
        Interner<Map<String, Object>> interner = new Interner<>(64);
        Map<String, Object> first = interner.intern(claims("alice"));
        Map<String, Object> again = interner.intern(claims("alice"));
        Map<String, Object> other = interner.intern(claims("bob"));

        assertThat(again).isSameAs(first);
        assertThat(other).isNotSameAs(first).isEqualTo(claims("bob"));
        assertThat(interner.intern(null)).isNull();
    }

    @Test
    void equalQueryTreesBecomeOneInstance() throws Exception {
        Interner<JsonNode> interner = new Interner<>(64);
        JsonNode first = interner.intern(JSON.readTree("{\"table\":\"todos\",\"where\":{\"done\":{\"eq\":false}}}"));
        JsonNode again = interner.intern(JSON.readTree("{\"table\":\"todos\",\"where\":{\"done\":{\"eq\":false}}}"));
        JsonNode other = interner.intern(JSON.readTree("{\"table\":\"todos\",\"where\":{\"done\":{\"eq\":true}}}"));

        assertThat(again).isSameAs(first);
        assertThat(other).isNotSameAs(first);
    }

    @Test
    void itKeepsAtMostItsSlotsAndLetsGoOfAValueWhoseSlotWasTaken() {
        Interner<Map<String, Object>> interner = new Interner<>(1);
        WeakReference<Map<String, Object>> first = new WeakReference<>(interner.intern(claims("carol")));
        Map<String, Object> second = interner.intern(claims("dave"));

        assertThat(interner.size()).isEqualTo(1);
        assertThat(interner.intern(claims("dave"))).isSameAs(second);
        Awaitility.await("the value that lost its slot is no longer kept")
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> {
                    System.gc();
                    return first.get() == null;
                });
    }

    @Test
    void manyDistinctValuesSharingFewSlotsAreEachAnsweredWithThemselves() {
        Interner<Map<String, Object>> interner = new Interner<>(16);
        for (int i = 0; i < 1_000; i++) {
            Map<String, Object> value = claims("user-" + i);
            assertThat(interner.intern(value))
                    .as("never another value of its slot")
                    .isSameAs(value);
            assertThat(interner.intern(claims("user-" + i)))
                    .as("an equal value is answered with the one kept")
                    .isSameAs(value);
        }
        assertThat(interner.size()).isLessThanOrEqualTo(16);
    }

    @Test
    void theTableIsAPowerOfTwo() {
        assertThatThrownBy(() -> new Interner<>(100)).hasMessageContaining("power of two");
    }

    private static Map<String, Object> claims(String sub) {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("sub", sub);
        claims.put("role", "member");
        claims.put("exp", 1_800_000_000L);
        return claims;
    }
}
