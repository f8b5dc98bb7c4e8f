package io.undercurrent.query.spi;

import io.undercurrent.query.ColumnType;
import io.undercurrent.query.InvalidQueryException;
import io.undercurrent.query.TableSchema.Column;

/**
 * Checks shared by the parser, the matcher and every source's query writer, so that each refuses
 * exactly what the others refuse. Stateless.
 */
public final class FilterChecks {

    private FilterChecks() {}

    /**
     * Refuses operators the column's kind has no agreed semantics for.
     *
     * @param column   the column, or {@code null} when there is no schema to check against (nothing is checked)
     * @param op       the operator as the client wrote it ({@code eq}, {@code in}, ...), for the message
     * @param ordering whether the operator orders ({@code lt}, {@code gte}, ...) rather than only equates
     * @param path     the JSON path of the operator, for the message
     * @throws InvalidQueryException when the operator does not apply to the column's kind
     */
    public static void checkApplies(Column column, String op, boolean ordering, String path) {
        if (column == null) {
            return;
        }
        ColumnType type = column.type();
        boolean ok = ordering ? type.isOrdered() : type.isEquatable();
        if (!ok) {
            String allowed = type.isEquatable() ? "eq, ne, in, nin or isNull" : "isNull";
            throw new InvalidQueryException(
                    path,
                    "operator \"" + op + "\" does not apply to column \"" + column.name() + "\" ("
                            + TypeNames.display(column.dbType()) + "); use " + allowed + " on it");
        }
    }
}
