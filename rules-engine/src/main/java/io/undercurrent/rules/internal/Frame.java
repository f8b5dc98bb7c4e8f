package io.undercurrent.rules.internal;

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
 * thread is reused ({@link #acquire()}), so evaluation allocates nothing; not thread-safe by design.
 */
public final class Frame {

    private static final ThreadLocal<Frame> PER_THREAD = ThreadLocal.withInitial(Frame::new);

    private Object[] constants;
    private Map<String, ?> auth;
    private Map<String, ?> row;
    private long now;
    private Long boxedNow;
    private boolean busy;

    Frame() {}

    /** This thread's frame, or a fresh one if it is already in use (a row map that calls back in). */
    static Frame acquire() {
        Frame frame = PER_THREAD.get();
        if (frame.busy) {
            frame = new Frame();
        }
        frame.busy = true;
        return frame;
    }

    Frame bind(Object[] constants, Map<String, ?> auth, Map<String, ?> row, long now) {
        this.constants = constants;
        this.auth = auth;
        this.row = row;
        this.now = now;
        this.boxedNow = null;
        return this;
    }

    /** Drops the references so the frame keeps no row or token alive between evaluations. */
    void release() {
        constants = null;
        auth = null;
        row = null;
        boxedNow = null;
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
}
