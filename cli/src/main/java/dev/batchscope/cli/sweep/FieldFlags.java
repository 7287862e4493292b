package dev.batchscope.cli.sweep;

import java.util.Map;

/**
 * Which command-line flag set which spec field, so that a violation of a spec assembled from flags names the flag the
 * user typed as well as the field the scheduler checks ("--lr-grid for learningRate.grid[1]: ...").
 */
public final class FieldFlags {
    /** For a spec that no flag assembled: violations name the field alone. */
    public static final FieldFlags NONE = new FieldFlags(Map.of());

    private final Map<String, String> flagOfField;

    /** @param flagOfField a field path (e.g. "learningRate.grid") and the flag that sets it and everything below it */
    public FieldFlags(Map<String, String> flagOfField) {
        this.flagOfField = Map.copyOf(flagOfField);
    }

    /** "--epochs for " before a field that a flag sets, or below it; nothing for the others. */
    public String prefix(String field) {
        String best = null;
        for (String prefix : flagOfField.keySet()) {
            boolean covers = field.equals(prefix) || field.startsWith(prefix + ".") || field.startsWith(prefix + "[");
            // "budget.samples" belongs to --budget-samples even though "budget" is a field of its own
            if (covers && (best == null || prefix.length() > best.length())) {
                best = prefix;
            }
        }
        return best == null ? "" : flagOfField.get(best) + " for ";
    }
}
