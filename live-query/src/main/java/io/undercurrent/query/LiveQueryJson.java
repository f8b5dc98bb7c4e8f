package io.undercurrent.query;

import com.fasterxml.jackson.databind.Module;
import com.fasterxml.jackson.databind.module.SimpleModule;
import io.undercurrent.query.internal.FilterJson;

/**
 * The JSON form of live queries for Jackson: register {@link #module()} on any mapper that reads or
 * writes a {@link Filter} or a {@link LiveQuery}. Kept out of {@code Filter} so the model does not
 * depend on its codec.
 */
public final class LiveQueryJson {

    private LiveQueryJson() {}

    /** The codec of {@link Filter} (the {@code where} language), as a Jackson module. */
    public static Module module() {
        return new SimpleModule("undercurrent-live-query")
                .addSerializer(Filter.class, new FilterJson.Writer())
                .addDeserializer(Filter.class, new FilterJson.Reader());
    }
}
