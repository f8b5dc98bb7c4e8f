package io.undercurrent.bus;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.undercurrent.change.ChangeEventCodec;
import io.undercurrent.query.LiveQueryJson;
import java.io.IOException;

/** JSON form of the records routers and edges exchange. Thread-safe. */
public final class BusCodec {

    private final ObjectMapper mapper = ChangeEventCodec.canonicalMapper().registerModule(LiveQueryJson.module());

    public ObjectMapper mapper() {
        return mapper;
    }

    public byte[] encode(Object record) {
        try {
            return mapper.writeValueAsBytes(record);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(
                    "cannot encode " + record.getClass().getSimpleName() + ": " + e.getOriginalMessage(), e);
        }
    }

    public <T> T decode(byte[] bytes, Class<T> type) {
        try {
            return mapper.readValue(bytes, type);
        } catch (IOException e) {
            throw new IllegalArgumentException("not a " + type.getSimpleName() + ": " + e.getMessage(), e);
        }
    }
}
