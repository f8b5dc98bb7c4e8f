package io.undercurrent.query.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.undercurrent.query.Filter;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.List;

/**
 * The JSON form of a {@link Filter}: exactly the {@code where} language of the wire
 * protocol, so a filter written here reads back equal. Numbers are read exactly
 * (as {@code Long} or {@code BigDecimal}) whatever the mapper's settings.
 */
public final class FilterJson {
    private FilterJson() {}

    /** Writes a filter as a {@code where} object. */
    public static final class Writer extends JsonSerializer<Filter> {
        @Override
        public void serialize(Filter filter, JsonGenerator gen, SerializerProvider provider) throws IOException {
            write(filter, gen);
        }

        private static void write(Filter f, JsonGenerator gen) throws IOException {
            gen.writeStartObject();
            if (f instanceof Filter.And and) {
                if (!and.operands().isEmpty()) {
                    operands("and", and.operands(), gen);
                }
            } else if (f instanceof Filter.Or or) {
                operands("or", or.operands(), gen);
            } else if (f instanceof Filter.Not not) {
                gen.writeFieldName("not");
                write(not.operand(), gen);
            } else if (f instanceof Filter.Comparison c) {
                gen.writeObjectFieldStart(c.column());
                gen.writeFieldName(c.operator().jsonName());
                value(c.value(), gen);
                gen.writeEndObject();
            } else if (f instanceof Filter.In in) {
                gen.writeObjectFieldStart(in.column());
                gen.writeArrayFieldStart(in.negated() ? "nin" : "in");
                for (Object v : in.values()) {
                    value(v, gen);
                }
                gen.writeEndArray();
                gen.writeEndObject();
            } else if (f instanceof Filter.IsNull n) {
                gen.writeObjectFieldStart(n.column());
                gen.writeBooleanField("isNull", n.isNull());
                gen.writeEndObject();
            }
            gen.writeEndObject();
        }

        private static void operands(String key, List<Filter> operands, JsonGenerator gen) throws IOException {
            gen.writeArrayFieldStart(key);
            for (Filter o : operands) {
                write(o, gen);
            }
            gen.writeEndArray();
        }

        private static void value(Object v, JsonGenerator gen) throws IOException {
            if (v == null) {
                gen.writeNull();
            } else if (v instanceof Boolean b) {
                gen.writeBoolean(b);
            } else if (v instanceof String s) {
                gen.writeString(s);
            } else if (v instanceof BigDecimal d) {
                gen.writeNumber(d.toPlainString());
            } else if (v instanceof Number n) {
                gen.writeNumber(n.toString());
            } else {
                throw new IllegalArgumentException(
                        "filter value of class " + v.getClass().getName()
                                + " has no JSON form; filters hold null, Boolean, String, Long or BigDecimal");
            }
        }
    }

    /** Reads a {@code where} object structurally; the compilers check it against the table. */
    public static final class Reader extends JsonDeserializer<Filter> {
        @Override
        public Filter deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            return new FilterParser(null, null).parse(readExact(p), "where");
        }

        @Override
        public Filter getNullValue(DeserializationContext ctxt) {
            return Filter.matchAll();
        }
    }

    /** Reads the current value as a tree, keeping decimals exact (no double, no zero stripping). */
    static JsonNode readExact(JsonParser p) throws IOException {
        JsonToken t = p.currentToken() != null ? p.currentToken() : p.nextToken();
        switch (t) {
            case START_OBJECT -> {
                ObjectNode o = JsonNodeFactory.instance.objectNode();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    p.nextToken();
                    o.set(name, readExact(p));
                }
                return o;
            }
            case START_ARRAY -> {
                ArrayNode a = JsonNodeFactory.instance.arrayNode();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    a.add(readExact(p));
                }
                return a;
            }
            case VALUE_NUMBER_INT -> {
                return p.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                        ? DecimalNode.valueOf(new BigDecimal(p.getBigIntegerValue()))
                        : LongNode.valueOf(p.getLongValue());
            }
            case VALUE_NUMBER_FLOAT -> {
                return DecimalNode.valueOf(p.getDecimalValue());
            }
            case VALUE_STRING -> {
                return TextNode.valueOf(p.getText());
            }
            case VALUE_TRUE, VALUE_FALSE -> {
                return BooleanNode.valueOf(t == JsonToken.VALUE_TRUE);
            }
            case VALUE_NULL -> {
                return NullNode.instance;
            }
            default -> throw new IOException("unexpected JSON token " + t + " in a filter");
        }
    }
}
