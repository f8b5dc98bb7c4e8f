package io.undercurrent.bus;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.SerializerProvider;
import io.undercurrent.change.ChangeEventCodec;
import java.io.IOException;

/**
 * The JSON form of a subscription's query on the bus, so that every router reads back exactly the
 * query the edge checked. The canonical mapper alone does not: it spells decimals out digit by digit
 * ({@code 1e400} became a 401-digit integer) and refuses integers past 64 bits, so a query the edge
 * accepted could be unreadable to every router.
 */
final class QueryJson {

    /** Integers past 64 bits read exactly (as big integers) rather than failing. */
    private static final ObjectReader TREES =
            ChangeEventCodec.canonicalMapper().reader().without(DeserializationFeature.USE_LONG_FOR_INTS);

    private QueryJson() {}

    /** Writes decimals in their short form ({@code 1E+400}), which reads back as the same decimal. */
    static final class Writer extends JsonSerializer<JsonNode> {
        @Override
        public void serialize(JsonNode query, JsonGenerator gen, SerializerProvider serializers) throws IOException {
            boolean plain = gen.isEnabled(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN);
            gen.disable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN);
            try {
                serializers.defaultSerializeValue(query, gen);
            } finally {
                if (plain) {
                    gen.enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN);
                }
            }
        }
    }

    static final class Reader extends JsonDeserializer<JsonNode> {
        @Override
        public JsonNode deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            return TREES.readTree(parser);
        }
    }
}
