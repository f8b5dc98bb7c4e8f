package io.undercurrent.rules;

import java.util.List;

/** The rules could not be loaded; carries every problem found, not just the first. */
public class RulesException extends Exception {

    private static final long serialVersionUID = 1L;

    private final transient List<RuleProblem> problems;

    /** @param problems at least one problem; copied */
    public RulesException(List<RuleProblem> problems) {
        super(describe(problems));
        this.problems = List.copyOf(problems);
    }

    /** Every problem, in file order; never empty. */
    public List<RuleProblem> problems() {
        return problems;
    }

    private static String describe(List<RuleProblem> problems) {
        StringBuilder text = new StringBuilder()
                .append(problems.size() == 1 ? "1 problem" : problems.size() + " problems")
                .append(" in the rules; nothing was loaded:");
        for (RuleProblem problem : problems) {
            text.append(System.lineSeparator()).append("  ").append(problem);
        }
        return text.toString();
    }
}
