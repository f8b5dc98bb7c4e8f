package io.undercurrent.router.internal;

import io.undercurrent.bus.SubscriptionId;
import io.undercurrent.bus.SubscriptionRecord;
import io.undercurrent.rules.TableRef;
import java.util.List;
import java.util.Map;

/**
 * A registered subscription, compiled for matching, with what its judgment of a change depends on
 * ({@code judgment}: subscriptions with equal keys are judged once per change). Thread-confined to the
 * router loop.
 */
record ActiveSubscription(SubscriptionRecord record, CompiledQuery query, TableRef table, JudgmentKey judgment) {

    ActiveSubscription(SubscriptionRecord record, CompiledQuery query, TableRef table) {
        this(record, query, table, JudgmentKey.of(table, record.schema(), query.live(), record.auth()));
    }

    SubscriptionId id() {
        return record.id();
    }

    Map<String, Object> auth() {
        return record.auth();
    }

    long generation() {
        return record.generation();
    }

    List<String> keyColumns() {
        return record.schema().primaryKey();
    }
}
