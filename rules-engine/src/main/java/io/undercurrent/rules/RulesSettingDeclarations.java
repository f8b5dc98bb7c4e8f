package io.undercurrent.rules;

import static io.undercurrent.settings.Parsers.bool;
import static io.undercurrent.settings.Parsers.bytes;
import static io.undercurrent.settings.Parsers.integer;
import static io.undercurrent.settings.Parsers.string;

import io.undercurrent.settings.Setting;
import java.util.List;

/**
 * The settings of the rules engine ({@code rules.*}), declared once beside the code that uses them;
 * the server composes them into its configuration reference.
 */
public final class RulesSettingDeclarations {

    private RulesSettingDeclarations() {}

    public static final Setting<String> DIR = Setting.of(
            "rules.dir",
            "path",
            "./rules",
            string(),
            "Folder of rule files (*.yaml). The command line's --rules overrides it.");

    public static final Setting<Boolean> HOT_RELOAD = Setting.of(
            "rules.hot-reload",
            "boolean",
            true,
            bool(),
            "Pick up edited rule files while running. A bad edit is reported and never goes live.");

    public static final Setting<Integer> LOOKUPS_MAX_ROWS = Setting.of(
            LookupLimits.MAX_ROWS_SETTING,
            "integer",
            (int) LookupLimits.DEFAULT.maxRowsPerTable(),
            integer(1, 1_000_000_000),
            "Most rows one table looked up by rules (lookups: in a rule file) may hold in memory. A table that would "
                    + "hold more is refused with an error naming it and this setting, and rules that look it up deny until "
                    + "it is loaded again.");

    public static final Setting<Long> LOOKUPS_MAX_BYTES = Setting.of(
            LookupLimits.MAX_BYTES_SETTING,
            "size",
            LookupLimits.DEFAULT.maxBytes(),
            bytes(1024, 1024L * 1024 * 1024 * 1024),
            "Most memory, estimated, that all tables looked up by rules may take together (each row once, plus an "
                    + "index entry per key that rules look it up by; see rules-engine/README.md, Lookups). Exceeding it is "
                    + "refused like rules.lookups.max-rows-per-table.");

    /** Every setting above, in documentation order. */
    public static final List<Setting<?>> ALL = List.of(DIR, HOT_RELOAD, LOOKUPS_MAX_ROWS, LOOKUPS_MAX_BYTES);
}
