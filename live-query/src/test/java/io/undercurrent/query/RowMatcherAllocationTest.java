package io.undercurrent.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Matching a canonical row allocates nothing: the router runs it for every change and subscription. */
class RowMatcherAllocationTest {

    @Test
    void matchingCanonicalRowsDoesNotAllocate() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assumeTrue(threads.isThreadAllocatedMemorySupported(), "this JVM cannot count allocations");
        threads.setThreadAllocatedMemoryEnabled(true);
        RowMatcher matcher = RowMatcher.compile(
                Schemas.filter("{'owner_id':{'in':[1,2,7]},'score':{'gte':2.5},"
                        + "'or':[{'title':{'gt':'a'}},{'code':{'eq':'ab'}}],'not':{'created_at':{'lt':'2024-01-01T00:00:00Z'}},"
                        + "'ratio':{'ne':'NaN'},'uid':{'ne':'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'},'due':{'lte':'2030-01-01'},"
                        + "'local_at':{'gt':'2000-01-01T00:00:00'},'at_time':{'lt':'23:00'},'done':{'isNull':false}}"),
                Schemas.TODOS);
        Map<String, Object> row = new HashMap<>();
        row.put("owner_id", 7L);
        row.put("score", new BigDecimal("12.50"));
        row.put("title", "zebra");
        row.put("code", "ab   ");
        row.put("created_at", "2024-05-01T12:00:00.123456Z");
        row.put("ratio", 0.5);
        row.put("uid", "b0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");
        row.put("due", "2024-05-01");
        row.put("local_at", "2024-05-01T12:00:00.000000");
        row.put("at_time", "12:00:00.000000");
        row.put("done", false);
        assertThat(matcher.matches(row)).isTrue();
        int calls = 200_000;
        for (int i = 0; i < calls; i++) {
            matcher.matches(row);
        }
        long thread = Thread.currentThread().getId();
        long before = threads.getThreadAllocatedBytes(thread);
        boolean all = true;
        for (int i = 0; i < calls; i++) {
            all &= matcher.matches(row);
        }
        long allocated = threads.getThreadAllocatedBytes(thread) - before;
        assertThat(all).isTrue();
        // A few hundred bytes of slack for the measuring itself; one allocation per call would be megabytes.
        assertThat(allocated).as("bytes allocated by %d matches", calls).isLessThan(4096);
    }
}
