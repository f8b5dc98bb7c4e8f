package io.undercurrent.rules.internal;

import io.undercurrent.rules.LookupBinding;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The {@link LookupBinding}s of a rule's expressions: every lookup call, with its key columns given claims. */
final class LookupBindings {

    private LookupBindings() {}

    static List<LookupBinding> of(List<Expr> trees, Map<String, RuleSpec.Lookup> lookups) {
        Set<LookupBinding> out = new LinkedHashSet<>();
        for (Expr tree : trees) {
            for (Expr.Call call : Inputs.lookupCalls(tree)) {
                if (call.args().isEmpty() || !(call.args().get(0) instanceof Expr.Var name)) {
                    continue;
                }
                RuleSpec.Lookup lookup = lookups.get(name.name());
                if (lookup == null) {
                    continue;
                }
                List<String> columns = lookup.index().key();
                Map<String, String> claims = new LinkedHashMap<>();
                for (int i = 1; i < call.args().size() && i - 1 < columns.size(); i++) {
                    String claim = claim(call.args().get(i));
                    if (claim != null) {
                        claims.put(columns.get(i - 1), claim);
                    }
                }
                out.add(new LookupBinding(lookup.index().table(), claims));
            }
        }
        return List.copyOf(new ArrayList<>(out));
    }

    /** {@code auth.x} or {@code auth['x']}: the claim's name; null for any other expression. */
    private static String claim(Expr arg) {
        if (arg instanceof Expr.Get get
                && get.target() instanceof Expr.Var var
                && var.name().equals("auth")
                && get.key() instanceof Expr.Lit lit
                && lit.value() instanceof String claim) {
            return claim;
        }
        return null;
    }
}
