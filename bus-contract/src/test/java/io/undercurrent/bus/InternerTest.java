package io.undercurrent.bus;

import static org.assertj.core.api.Assertions.assertThat;

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
        Interner<Map<String, Object>> interner = new Interner<>();
        Map<String, Object> first = interner.intern(claims("alice"));
        Map<String, Object> again = interner.intern(claims("alice"));
        Map<String, Object> other = interner.intern(claims("bob"));

        assertThat(again).isSameAs(first);
        assertThat(other).isNotSameAs(first).isEqualTo(claims("bob"));
        assertThat(interner.size()).isEqualTo(2);
        assertThat(interner.intern(null)).isNull();
    }

    @Test
    void equalQueryTreesBecomeOneInstance() throws Exception {
        Interner<JsonNode> interner = new Interner<>();
        JsonNode first = interner.intern(JSON.readTree("{\"table\":\"todos\",\"where\":{\"done\":{\"eq\":false}}}"));
        JsonNode again = interner.intern(JSON.readTree("{\"table\":\"todos\",\"where\":{\"done\":{\"eq\":false}}}"));
        JsonNode other = interner.intern(JSON.readTree("{\"table\":\"todos\",\"where\":{\"done\":{\"eq\":true}}}"));

        assertThat(again).isSameAs(first);
        assertThat(other).isNotSameAs(first);
    }

    @Test
    void aValueNobodyHoldsAnyMoreIsNotKept() {
        Interner<Map<String, Object>> interner = new Interner<>();
        WeakReference<Map<String, Object>> held = new WeakReference<>(interner.intern(claims("carol")));

        Awaitility.await("the interner lets go of a value nobody else holds")
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> {
                    System.gc();
                    return held.get() == null;
                });
        assertThat(interner.intern(claims("carol"))).isNotNull().isEqualTo(claims("carol"));
    }

    private static Map<String, Object> claims(String sub) {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("sub", sub);
        claims.put("role", "member");
        claims.put("exp", 1_800_000_000L);
        return claims;
    }
}
