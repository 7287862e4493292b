package dev.batchscope.cli.sweep;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code --lr-search MIN:MAX:COUNT}: the three numbers of {@code learningRate.search}. Only the shape is checked
 * here; the ranges are the validator's, so the CLI and the scheduler say the same about them.
 */
record SearchFlag(double min, double max, int count) {
    static final String SHAPE = "MIN:MAX:COUNT, e.g. 0.01:1:5 (5 rates log-spaced from 0.01 to 1)";

    static final class Converter implements ITypeConverter<SearchFlag> {
        @Override
        public SearchFlag convert(String value) {
            String[] parts = value.split(":", -1);
            if (parts.length != 3) {
                throw new TypeConversionException("expected " + SHAPE + ", got '" + value + "'");
            }
            try {
                return new SearchFlag(Double.parseDouble(parts[0].trim()), Double.parseDouble(parts[1].trim()),
                        Integer.parseInt(parts[2].trim()));
            } catch (NumberFormatException e) {
                throw new TypeConversionException("expected " + SHAPE + " (two numbers and a whole number), got '"
                        + value + "'");
            }
        }
    }
}
