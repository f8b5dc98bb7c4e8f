package io.undercurrent.change;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.NumericNode;
import java.io.IOException;

/**
 * Reads JSON trees with integers as {@code LongNode}, and as {@code BigIntegerNode} past 64 bits,
 * which Jackson's {@code USE_LONG_FOR_INTS} alone rejects as "out of range of long". Without it, a
 * client's filter value {@code 18446744073709551616} would be refused as malformed JSON, and a
 * decimal such as {@code 1e30} (written plain, as an integer, when a subscription record carries it
 * to the routers) could not be read back. Decimals are read as {@link CanonicalNumbers} reads them.
 * A number that cannot be read at all is a {@link JsonParseException}, like any other malformed
 * JSON, never a {@code NumberFormatException}.
 */
final class CanonicalTrees extends StdDeserializer<JsonNode> {

    private static final long serialVersionUID = 1L;

    /** Jackson's own tree reader, without USE_LONG_FOR_INTS; small integers still become LongNode. */
    private static final ObjectMapper TREES = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .nodeFactory(new LongIntegers())
            .build();

    CanonicalTrees() {
        super(JsonNode.class);
    }

    @Override
    public JsonNode deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
        JsonNode tree;
        try {
            tree = TREES.readTree(p);
        } catch (NumberFormatException e) {
            // Jackson lets this escape for a number such as 1e309223372036854775808 (an exponent past
            // 32 bits); its message names Java classes, so it is not passed on.
            throw new JsonParseException(p, "a number is out of range (too many digits, or too large an exponent)", e);
        }
        return tree == null ? NullNode.instance : tree;
    }

    /** An explicit JSON {@code null} is a {@code NullNode}, as Jackson's own tree reader makes it. */
    @Override
    public JsonNode getNullValue(DeserializationContext ctxt) {
        return NullNode.instance;
    }

    /** A missing property is Java {@code null}, as Jackson's own tree reader makes it. */
    @Override
    public Object getAbsentValue(DeserializationContext ctxt) {
        return null;
    }

    private static final class LongIntegers extends JsonNodeFactory {
        private static final long serialVersionUID = 1L;

        @Override
        public NumericNode numberNode(byte v) {
            return LongNode.valueOf(v);
        }

        @Override
        public NumericNode numberNode(short v) {
            return LongNode.valueOf(v);
        }

        @Override
        public NumericNode numberNode(int v) {
            return LongNode.valueOf(v);
        }
    }
}
