package io.undercurrent.change;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.UntypedObjectDeserializer;
import java.io.IOException;

/**
 * Reads untyped JSON values with integers as {@code Long}, and as {@code BigInteger} past 64 bits
 * (a MySQL {@code BIGINT UNSIGNED}, a Postgres {@code numeric} integer), which Jackson's
 * {@code USE_LONG_FOR_INTS} alone rejects.
 */
final class CanonicalNumbers extends UntypedObjectDeserializer {

    private static final long serialVersionUID = 1L;

    CanonicalNumbers() {
        super((com.fasterxml.jackson.databind.JavaType) null, (com.fasterxml.jackson.databind.JavaType) null);
    }

    @Override
    protected Object _coerceIntegral(JsonParser p, DeserializationContext ctxt) throws IOException {
        if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
            return p.getBigIntegerValue();
        }
        return super._coerceIntegral(p, ctxt);
    }
}
