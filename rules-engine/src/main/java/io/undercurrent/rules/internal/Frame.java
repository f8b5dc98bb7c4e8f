package io.undercurrent.rules.internal;

import io.undercurrent.rules.LookupIndex;
import io.undercurrent.rules.LookupTables;
import java.util.List;
import java.util.Map;

/**
 * The only thing compiled rule code can reach. Every rule is rendered to MVEL that calls these
 * methods and nothing else (no variables, no property access, no other classes), so this class is
 * the sandbox's whole surface: keep every method total over canonical values, side-effect free, and
 * unable to hand out an object on which MVEL could call further methods (the maps never leave).
 *
 * <p>Naming: {@code v*} yield values, {@code fn*} compute values, {@code op*} are conditions (true
 * only when definitely true; see {@link Values}). Integer arguments index the rule's constant pool;
 * the {@code op*R} forms take packed operands instead (a literal, {@code row.col}, {@code auth.claim}
 * or {@code now}), so the common comparison is one MVEL node rather than three: MVEL dispatches
 * each node through megamorphic calls, and that dispatch, not the comparison, is the cost.
 *
 * <p>Public only because MVEL's generated accessors live in another class loader. One frame per
 * thread is reused ({@link Frames}), so evaluation allocates nothing; not thread-safe by design.
 */
public final class Frame {

    private Object[] constants;
    private Map<String, ?> auth;
    private Map<String, ?> row;
    private long now;
    private Long boxedNow;
    private LookupTables lookups = LookupTables.NONE;
    private boolean busy;
    /** Reused key arrays, one per arity: {@link LookupTables#rows} must not keep them. */
    private final Object[][] keys = {null, new Object[1], new Object[2], new Object[3], new Object[4]};

    Frame() {}

    /** Marks the frame in use ({@link Frames#acquire}); false when it already was, until {@link #release}. */
    boolean claim() {
        if (busy) {
            return false;
        }
        busy = true;
        return true;
    }

    Frame bind(Object[] constants, Map<String, ?> auth, Map<String, ?> row, long now) {
        return bind(constants, auth, row, now, LookupTables.NONE);
    }

    Frame bind(Object[] constants, Map<String, ?> auth, Map<String, ?> row, long now, LookupTables lookups) {
        this.constants = constants;
        this.auth = auth;
        this.row = row;
        this.now = now;
        this.boxedNow = null;
        this.lookups = lookups;
        return this;
    }

    /** Drops the references so the frame keeps no row or token alive between evaluations. */
    void release() {
        constants = null;
        auth = null;
        row = null;
        boxedNow = null;
        lookups = LookupTables.NONE;
        for (Object[] key : keys) {
            if (key != null) {
                java.util.Arrays.fill(key, null);
            }
        }
        busy = false;
    }

    // ---- operands packed into one int: (constant index << 2) | kind, resolved without an MVEL node each

    static final int REF_LITERAL = 0;
    static final int REF_COLUMN = 1;
    static final int REF_CLAIM = 2;
    static final int REF_NOW = 3;

    private Object ref(int ref) {
        Object key = constants[ref >>> 2];
        switch (ref & 3) {
            case REF_LITERAL:
                return key;
            case REF_COLUMN:
                return row.get(key);
            case REF_CLAIM:
                Map<String, ?> claims = auth;
                return claims == null ? null : claims.get(key);
            default:
                return vNow();
        }
    }

    // ---- values

    public Object vCol(int key) {
        return row.get(constants[key]);
    }

    public Object vClaim(int key) {
        Map<String, ?> claims = auth;
        return claims == null ? null : claims.get(constants[key]);
    }

    public Object vColAt(Object key) {
        return Values.at(row, key);
    }

    public Object vClaimAt(Object key) {
        return Values.at(auth, key);
    }

    public Object vKey(Object target, int key) {
        return Values.at(target, constants[key]);
    }

    public Object vAt(Object target, Object key) {
        return Values.at(target, key);
    }

    public Object vLit(int index) {
        return constants[index];
    }

    public Object vNow() {
        Long boxed = boxedNow;
        if (boxed == null) {
            boxed = boxedNow = now;
        }
        return boxed;
    }

    // ---- computed values

    public Object fnAdd(Object a, Object b) {
        return Numbers.add(a, b);
    }

    public Object fnSub(Object a, Object b) {
        return Numbers.subtract(a, b);
    }

    public Object fnMul(Object a, Object b) {
        return Numbers.multiply(a, b);
    }

    public Object fnDiv(Object a, Object b) {
        return Numbers.divide(a, b);
    }

    public Object fnMod(Object a, Object b) {
        return Numbers.remainder(a, b);
    }

    public Object fnNeg(Object a) {
        return Numbers.negate(a);
    }

    public Object fnSize(Object a) {
        return Values.size(a);
    }

    public Object fnLower(Object a) {
        return a instanceof String text ? text.toLowerCase(java.util.Locale.ROOT) : null;
    }

    public Object fnUpper(Object a) {
        return a instanceof String text ? text.toUpperCase(java.util.Locale.ROOT) : null;
    }

    public Object fnStr(Object a) {
        return Values.str(a);
    }

    public Object fnNum(Object a) {
        return Numbers.parse(a);
    }

    public Object fnMillis(Object a) {
        return Numbers.millis(a);
    }

    // ---- conditions

    public boolean opEq(Object a, Object b) {
        return Values.eq(a, b);
    }

    public boolean opNe(Object a, Object b) {
        return Values.ne(a, b);
    }

    public boolean opLt(Object a, Object b) {
        return Values.lt(a, b);
    }

    public boolean opLe(Object a, Object b) {
        return Values.le(a, b);
    }

    public boolean opGt(Object a, Object b) {
        return Values.gt(a, b);
    }

    public boolean opGe(Object a, Object b) {
        return Values.ge(a, b);
    }

    public boolean opNull(Object a) {
        return a == null;
    }

    public boolean opNotNull(Object a) {
        return a != null;
    }

    public boolean opTrue(Object a) {
        return Boolean.TRUE.equals(a);
    }

    public boolean opFalse(Object a) {
        return Boolean.FALSE.equals(a);
    }

    public boolean opHas(Object container, Object item) {
        return Values.has(container, item);
    }

    public boolean opHasNot(Object container, Object item) {
        return Values.hasNot(container, item);
    }

    public boolean opStarts(Object text, Object prefix) {
        return Values.startsWith(text, prefix, true);
    }

    public boolean opNotStarts(Object text, Object prefix) {
        return Values.startsWith(text, prefix, false);
    }

    public boolean opEnds(Object text, Object suffix) {
        return Values.endsWith(text, suffix, true);
    }

    public boolean opNotEnds(Object text, Object suffix) {
        return Values.endsWith(text, suffix, false);
    }

    public boolean opEqR(int a, int b) {
        return Values.eq(ref(a), ref(b));
    }

    public boolean opNeR(int a, int b) {
        return Values.ne(ref(a), ref(b));
    }

    public boolean opLtR(int a, int b) {
        return Values.lt(ref(a), ref(b));
    }

    public boolean opLeR(int a, int b) {
        return Values.le(ref(a), ref(b));
    }

    public boolean opGtR(int a, int b) {
        return Values.gt(ref(a), ref(b));
    }

    public boolean opGeR(int a, int b) {
        return Values.ge(ref(a), ref(b));
    }

    public boolean opNullR(int a) {
        return ref(a) == null;
    }

    public boolean opNotNullR(int a) {
        return ref(a) != null;
    }

    public boolean opTrueR(int a) {
        return Boolean.TRUE.equals(ref(a));
    }

    public boolean opFalseR(int a) {
        return Boolean.FALSE.equals(ref(a));
    }

    public boolean opHasR(int container, int item) {
        return Values.has(ref(container), ref(item));
    }

    public boolean opHasNotR(int container, int item) {
        return Values.hasNot(ref(container), ref(item));
    }

    public boolean opAnon() {
        return auth == null;
    }

    public boolean opSignedIn() {
        return auth != null;
    }

    // ---- lookups: data from the lookup store, never code. Rows come back as immutable maps and, like
    // json values, only ever reach other helpers of this class (vKey, opEq, ...), never MVEL itself.

    /** Helper names spell the key's arity in letters ({@code opExistsTwo}): rendered names are letters only. */
    static final String[] ARITY = {"", "One", "Two", "Three", "Four"};

    /** Key arities with a packed ({@code R}) form. */
    static final int PACKED_LOOKUP_KEYS = 2;

    private List<Map<String, ?>> rows(int index, Object[] key) {
        return lookups.rows((LookupIndex) constants[index], key);
    }

    /** Whether every key value can match: null, lists and objects make the lookup unknown. */
    private static boolean definite(Object[] key) {
        for (Object value : key) {
            if (LookupKeys.canonical(value) == null) {
                return false;
            }
        }
        return true;
    }

    private boolean exists(int index, Object[] key) {
        return definite(key) && !rows(index, key).isEmpty();
    }

    /** Definitely absent: the key is definite and no row has it (unknown is neither present nor absent). */
    private boolean absent(int index, Object[] key) {
        return definite(key) && rows(index, key).isEmpty();
    }

    /** The one row with this key; null when none, or when several share it (ambiguous fails closed). */
    private Object row(int index, Object[] key) {
        if (!definite(key)) {
            return null;
        }
        List<Map<String, ?>> found = rows(index, key);
        return found.size() == 1 ? found.get(0) : null;
    }

    private Object[] key(Object a) {
        Object[] key = keys[1];
        key[0] = a;
        return key;
    }

    private Object[] key(Object a, Object b) {
        Object[] key = keys[2];
        key[0] = a;
        key[1] = b;
        return key;
    }

    private Object[] key(Object a, Object b, Object c) {
        Object[] key = keys[3];
        key[0] = a;
        key[1] = b;
        key[2] = c;
        return key;
    }

    private Object[] key(Object a, Object b, Object c, Object d) {
        Object[] key = keys[4];
        key[0] = a;
        key[1] = b;
        key[2] = c;
        key[3] = d;
        return key;
    }

    public boolean opExistsOneR(int index, int a) {
        return exists(index, key(ref(a)));
    }

    public boolean opExistsTwoR(int index, int a, int b) {
        return exists(index, key(ref(a), ref(b)));
    }

    public boolean opNotExistsOneR(int index, int a) {
        return absent(index, key(ref(a)));
    }

    public boolean opNotExistsTwoR(int index, int a, int b) {
        return absent(index, key(ref(a), ref(b)));
    }

    public boolean opExistsOne(int index, Object a) {
        return exists(index, key(a));
    }

    public boolean opExistsTwo(int index, Object a, Object b) {
        return exists(index, key(a, b));
    }

    public boolean opExistsThree(int index, Object a, Object b, Object c) {
        return exists(index, key(a, b, c));
    }

    public boolean opExistsFour(int index, Object a, Object b, Object c, Object d) {
        return exists(index, key(a, b, c, d));
    }

    public boolean opNotExistsOne(int index, Object a) {
        return absent(index, key(a));
    }

    public boolean opNotExistsTwo(int index, Object a, Object b) {
        return absent(index, key(a, b));
    }

    public boolean opNotExistsThree(int index, Object a, Object b, Object c) {
        return absent(index, key(a, b, c));
    }

    public boolean opNotExistsFour(int index, Object a, Object b, Object c, Object d) {
        return absent(index, key(a, b, c, d));
    }

    public Object fnLookupOne(int index, Object a) {
        return row(index, key(a));
    }

    public Object fnLookupTwo(int index, Object a, Object b) {
        return row(index, key(a, b));
    }

    public Object fnLookupThree(int index, Object a, Object b, Object c) {
        return row(index, key(a, b, c));
    }

    public Object fnLookupFour(int index, Object a, Object b, Object c, Object d) {
        return row(index, key(a, b, c, d));
    }
}
