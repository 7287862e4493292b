package dev.batchscope.trainer.engine.data;

import dev.batchscope.events.spec.DatasetSpec;
import dev.batchscope.trainer.engine.DataException;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A user's CSV file: one example per line, comma-separated numbers, the class label (an integer from 0)
 * in {@code dataset.labelColumn}, every other column a feature. A first line that is not numeric is a header.
 * A fixed share ({@code dataset.validationFraction}) is held out for validation; {@code dataset.samples}
 * then keeps the first N training rows.
 */
final class CsvData {
    static final int MAX_CLASSES = 1000;

    private CsvData() {
    }

    static Dataset load(DataLocations locations, DatasetSpec spec) {
        Path file = locations.resolveUserPath("dataset.path", spec.path());
        if (!Files.isRegularFile(file)) {
            throw new DataException("dataset.path: " + spec.path() + " is not a file");
        }
        int labelColumn = spec.labelColumn();
        List<float[]> features = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        int columns = -1;
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int lineNumber = 0;
            while ((line = reader.readLine()) != null) {
                lineNumber++;
                if (line.isBlank()) {
                    continue;
                }
                String[] cells = line.split(",", -1);
                if (columns < 0) {
                    columns = cells.length;
                    if (labelColumn >= columns) {
                        throw new DataException("dataset.labelColumn: " + labelColumn + " is past the last column of "
                                + file.getFileName() + " (it has " + columns + " columns, numbered from 0)");
                    }
                    if (columns < 2) {
                        throw new DataException("dataset.path: " + file.getFileName() + " needs a label column and at least one feature column");
                    }
                    if (!isNumeric(cells)) {
                        continue; // header
                    }
                }
                if (cells.length != columns) {
                    throw new DataException("dataset.path: line " + lineNumber + " of " + file.getFileName() + " has "
                            + cells.length + " columns; the first line has " + columns);
                }
                float[] row = new float[columns - 1];
                int label = -1;
                for (int c = 0, f = 0; c < columns; c++) {
                    double value = parse(cells[c], file, lineNumber, c);
                    if (c == labelColumn) {
                        if (value != Math.rint(value) || value < 0 || value >= MAX_CLASSES) {
                            throw new DataException("dataset.path: line " + lineNumber + " of " + file.getFileName()
                                    + " has label " + cells[c].trim() + "; labels are class numbers 0.." + (MAX_CLASSES - 1));
                        }
                        label = (int) value;
                    } else {
                        row[f++] = (float) value;
                    }
                }
                features.add(row);
                labels.add(label);
                if ((long) features.size() * (columns - 1) > ArrayBuilders.MAX_ELEMENTS) {
                    throw new DataException("dataset.path: " + file.getFileName() + " is larger than a trainer holds ("
                            + ArrayBuilders.MAX_ELEMENTS + " values)");
                }
            }
        } catch (IOException e) {
            throw new DataException("dataset.path: cannot read " + file + ": " + e.getMessage(), e);
        }
        if (features.size() < 2) {
            throw new DataException("dataset.path: " + file.getFileName() + " has " + features.size() + " data rows; at least 2 are needed");
        }
        int classes = labels.stream().mapToInt(Integer::intValue).max().orElse(0) + 1;
        if (classes < 2) {
            throw new DataException("dataset.path: every row of " + file.getFileName() + " has label 0; classification needs at least 2 classes");
        }
        int[] order = Holdout.order(features.size());
        int held = Holdout.validationRows(features.size(), spec.validationFraction());
        int trainRows = features.size() - held;
        if (spec.samples() != null) {
            trainRows = Math.min(trainRows, spec.samples());
        }
        int width = columns - 1;
        return new Dataset("csv " + file.getFileName(), rows(features, order, held, held + trainRows, width),
                labels(labels, order, held, held + trainRows, classes), rows(features, order, 0, held, width),
                labels(labels, order, 0, held, classes), classes, true, null);
    }

    private static boolean isNumeric(String[] cells) {
        for (String cell : cells) {
            try {
                Double.parseDouble(cell.trim());
            } catch (NumberFormatException e) {
                return false;
            }
        }
        return true;
    }

    private static double parse(String cell, Path file, int line, int column) {
        try {
            double value = Double.parseDouble(cell.trim());
            if (!Double.isFinite(value)) {
                throw new NumberFormatException();
            }
            return value;
        } catch (NumberFormatException e) {
            throw new DataException("dataset.path: line " + line + ", column " + column + " of " + file.getFileName()
                    + " is not a finite number");
        }
    }

    private static INDArray rows(List<float[]> all, int[] order, int from, int to, int width) {
        float[] values = new float[(to - from) * width];
        for (int i = from; i < to; i++) {
            System.arraycopy(all.get(order[i]), 0, values, (i - from) * width, width);
        }
        return ArrayBuilders.matrix(values, to - from, width);
    }

    private static INDArray labels(List<Integer> all, int[] order, int from, int to, int classes) {
        int[] selected = new int[to - from];
        for (int i = from; i < to; i++) {
            selected[i - from] = all.get(order[i]);
        }
        return ArrayBuilders.oneHot(selected, classes);
    }
}
