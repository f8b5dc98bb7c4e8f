package io.undercurrent.router.internal;

/**
 * The router's Kafka for one span from opening to failure: {@link KafkaRouterBus}, or an in-memory
 * fake in tests. Opened by the loop, closed when the loop fails or stops.
 */
interface RouterBus extends AutoCloseable {

    /** Creates the topics the router needs and opens its clients; the subscriptions log reads from its start. */
    void open();

    SubscriptionLog subscriptions();

    ChangeLog changes();

    DeliveryLog deliveries();

    @Override
    void close();
}
