package dev.batchscope.cli.sweep;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code --pruning none|margin[:M]}: {@code pruning.rule} and, after a colon, {@code pruning.margin}. The rule's
 * name goes into the spec as typed, so that the validator names the allowed rules; only a margin that is not a
 * number is refused here.
 *
 * @param margin null when none was given (the spec's default applies)
 */
record PruningFlag(String rule, Double margin) {
    static final String SHAPE = "none, margin or margin:M (e.g. margin:1.5)";

    static final class Converter implements ITypeConverter<PruningFlag> {
        @Override
        public PruningFlag convert(String value) {
            int colon = value.indexOf(':');
            if (colon < 0) {
                return new PruningFlag(value.trim(), null);
            }
            String margin = value.substring(colon + 1).trim();
            try {
                return new PruningFlag(value.substring(0, colon).trim(), Double.parseDouble(margin));
            } catch (NumberFormatException e) {
                throw new TypeConversionException("expected " + SHAPE + "; the margin '" + margin + "' is not a number");
            }
        }
    }
}
