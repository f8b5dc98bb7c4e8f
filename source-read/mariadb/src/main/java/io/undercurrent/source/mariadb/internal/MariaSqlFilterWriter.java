package io.undercurrent.source.mariadb.internal;

import io.undercurrent.change.value.CanonicalTemporal;
import io.undercurrent.change.value.NonFinite;
import io.undercurrent.query.ColumnType;
import io.undercurrent.query.Filter;
import io.undercurrent.query.TableSchema;
import io.undercurrent.query.TableSchema.Column;
import io.undercurrent.source.jdbc.SqlFilterWriter;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Base64;
import java.util.List;

/**
 * A filter in MariaDB ({@link SqlFilterWriter} writes its structure). The care is in constants
 * MariaDB cannot hold or would compare differently:
 *
 * <ul>
 *   <li>A constant no value of the column can reach (NaN and ±Infinity for numbers, which MariaDB
 *       does not store; dates outside years 0..9999; {@code infinity}) decides the comparison alone:
 *       it becomes {@code CASE WHEN col IS NULL THEN NULL ELSE TRUE|FALSE END}, keeping NULL's
 *       UNKNOWN.</li>
 *   <li>An exact number past MariaDB's 65 digits (38 after the point) would be read as a double;
 *       it is rounded to a bound that no stored value lies between (see {@link #exactNumber}).</li>
 *   <li>A single-precision {@code FLOAT} compares with a float bound ({@link FloatBounds}).</li>
 *   <li>{@code in}/{@code nin} become a disjunction of equalities, which is what SQL's {@code IN}
 *       means, so each element can take the care above.</li>
 * </ul>
 *
 * Not thread-safe: one instance per statement.
 */
final class MariaSqlFilterWriter extends SqlFilterWriter {
    private static final int MAX_DIGITS = 65;
    private static final int MAX_SCALE = 38;
    /** Dates and date-times MariaDB can hold: years 0 to 9999. */
    private static final long MIN_DAY = CanonicalTemporal.epochDay(0, 1, 1);

    private static final long END_DAY = CanonicalTemporal.epochDay(10_000, 1, 1);

    MariaSqlFilterWriter(MariaDbDialect dialect, TableSchema schema, StringBuilder sql, List<Object> params) {
        super(dialect, schema, sql, params);
    }

    @Override
    protected String unknown() {
        return "NULL";
    }

    /** A JSON {@code null} (MySQL's JSON type) reads as Java null, so the matcher takes it for NULL; so does this. */
    @Override
    protected String jsonDocumentNull(Column column, String quoted, boolean isNull) {
        return "JSON_TYPE(" + quoted + (isNull ? ") = 'NULL'" : ") <> 'NULL'");
    }

    /** {@code x IN (a, b)} is {@code x = a OR x = b} in SQL, NULLs included. */
    @Override
    protected void in(Column column, boolean negated, List<Object> canonicals) {
        sql.append(negated ? "(NOT (" : "((");
        for (int i = 0; i < canonicals.size(); i++) {
            if (i > 0) {
                sql.append(" OR ");
            }
            if (canonicals.get(i) == null) {
                sql.append("NULL");
            } else {
                compare(column, Filter.Operator.EQ, canonicals.get(i));
            }
        }
        sql.append("))");
    }

    @Override
    protected void compare(Column column, Filter.Operator op, Object canonical) {
        switch (column.type()) {
            case INTEGER, DECIMAL -> {
                if (canonical instanceof String special) {
                    decided(column, op, nonFiniteSide(special));
                } else if (canonical instanceof BigDecimal d) {
                    exactNumber(column, op, d);
                } else {
                    plain(column, op, canonical);
                }
            }
            case FLOAT -> {
                if (canonical instanceof String special) {
                    decided(column, op, nonFiniteSide(special));
                } else if (MariaDbTypes.isSinglePrecision(column.dbType())) {
                    singleFloat(column, op, NonFinite.toDouble(canonical));
                } else {
                    plain(column, op, NonFinite.toDouble(canonical));
                }
            }
            case DATE -> {
                long day = CanonicalTemporal.parseDate((String) canonical);
                if (day < MIN_DAY || day >= END_DAY) {
                    decided(column, op, day < MIN_DAY ? 1 : -1);
                } else {
                    plain(column, op, canonical);
                }
            }
            case TIMESTAMP, TIMESTAMPTZ -> {
                String text = (String) canonical;
                long micros = column.type() == ColumnType.TIMESTAMP
                        ? CanonicalTemporal.parseTimestamp(text)
                        : CanonicalTemporal.parseTimestamptz(text);
                if (micros < CanonicalTemporal.dayStartMicros(MIN_DAY)
                        || micros >= CanonicalTemporal.dayStartMicros(END_DAY)) {
                    decided(column, op, micros < CanonicalTemporal.dayStartMicros(MIN_DAY) ? 1 : -1);
                } else {
                    // The canonical UTC (or local) date-time without its zone: the session's zone is UTC.
                    String local = CanonicalTemporal.formatTimestamp(micros).replace('T', ' ');
                    plain(column, op, local);
                }
            }
            case BYTES -> plain(column, op, Base64.getDecoder().decode((String) canonical));
            default -> plain(column, op, canonical);
        }
    }

    private void plain(Column column, Filter.Operator op, Object parameter) {
        sql.append('(')
                .append(MariaSqlText.columnExpression(column))
                .append(' ')
                .append(op.sql())
                .append(' ')
                .append(MariaSqlText.placeholder(column))
                .append(')');
        params.add(parameter);
    }

    /**
     * An exact constant with more digits than a MariaDB decimal holds. Past 65 integer digits it is
     * beyond every stored value. Otherwise a value with more than {@code s = min(38, 65 - integer
     * digits)} digits after the point has fewer integer digits than the constant, so it is far from
     * it, and no value lies strictly between the constant's floor and ceiling at scale {@code s}:
     * {@code x < c} is {@code x < ceil(c)}, {@code x > c} is {@code x > floor(c)}, {@code x = c} never.
     */
    private void exactNumber(Column column, Filter.Operator op, BigDecimal c) {
        BigDecimal d = c.stripTrailingZeros();
        int integerDigits = Math.max(0, d.precision() - d.scale());
        if (integerDigits > MAX_DIGITS) {
            decided(column, op, -d.signum());
            return;
        }
        int scale = Math.min(MAX_SCALE, MAX_DIGITS - integerDigits);
        if (d.scale() <= scale) {
            plain(column, op, d.scale() < 0 ? d.setScale(0) : d);
            return;
        }
        switch (op) {
            case EQ -> decided(column, op, 1);
            case NE -> decided(column, op, 1);
            case LT, LTE -> plain(column, Filter.Operator.LT, d.setScale(scale, RoundingMode.CEILING));
            case GT, GTE -> plain(column, Filter.Operator.GT, d.setScale(scale, RoundingMode.FLOOR));
        }
    }

    /** A single-precision column against a double constant, through the float bounds of {@link FloatBounds}. */
    private void singleFloat(Column column, Filter.Operator op, double c) {
        switch (op) {
            case EQ, NE -> {
                Float f = FloatBounds.equal(c);
                if (f == null) {
                    decided(column, op, 1);
                } else {
                    plain(column, op, (double) f);
                }
            }
            case LT, GTE -> {
                Float f = FloatBounds.atLeast(c);
                if (f == null) {
                    decided(column, op, -1); // every float is below c
                } else {
                    plain(column, op, (double) f);
                }
            }
            case LTE, GT -> {
                Float f = FloatBounds.atMost(c);
                if (f == null) {
                    decided(column, op, 1); // every float is above c
                } else {
                    plain(column, op, (double) f);
                }
            }
        }
    }

    /**
     * A comparison every non-NULL value of the column answers alike, because each lies on side
     * {@code sign} of the constant (the sign of value minus constant).
     */
    private void decided(Column column, Filter.Operator op, int sign) {
        sql.append("(CASE WHEN ")
                .append(dialect.quote(column.name()))
                .append(" IS NULL THEN NULL ELSE ")
                .append(op.test(sign) ? "TRUE" : "FALSE")
                .append(" END)");
    }

    /** Stored numbers are finite: below {@code Infinity} and {@code NaN}, above {@code -Infinity}. */
    private static int nonFiniteSide(String special) {
        return NonFinite.rank(special) == NonFinite.NEG_INFINITY ? 1 : -1;
    }
}
