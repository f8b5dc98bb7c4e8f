package io.undercurrent.router.internal;

import io.undercurrent.bus.SubscriptionId;
import io.undercurrent.bus.SubscriptionRecord;
import io.undercurrent.rules.TableRef;
import java.util.List;
import java.util.Map;

/** A registered subscription, compiled for matching. Thread-confined to the router loop. */
record ActiveSubscription(SubscriptionRecord record, CompiledQuery query, TableRef table) {

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
