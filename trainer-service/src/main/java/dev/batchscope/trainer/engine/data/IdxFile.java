package dev.batchscope.trainer.engine.data;

import dev.batchscope.trainer.engine.TrainingException;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * One IDX file (the MNIST family's format): a magic number that gives the element type and rank,
 * the dimensions as big-endian ints, then the unsigned bytes.
 *
 * @param dims   the dimensions, first the number of items
 * @param data   the unsigned bytes, item after item
 * @param offset where the items start in {@code data}
 */
record IdxFile(int[] dims, byte[] data, int offset) {
    private static final int UNSIGNED_BYTE = 0x08;

    static IdxFile read(Path file) {
        byte[] bytes;
        try (InputStream in = open(file)) {
            bytes = in.readAllBytes();
        } catch (IOException e) {
            throw new TrainingException("cannot read " + file + ": " + e.getMessage(), e);
        }
        ByteBuffer header = ByteBuffer.wrap(bytes);
        if (bytes.length < 4 || header.get(0) != 0 || header.get(1) != 0 || header.get(2) != UNSIGNED_BYTE) {
            throw new TrainingException(file + " is not an IDX file of unsigned bytes");
        }
        int rank = header.get(3);
        int offset = 4 + 4 * rank;
        if (rank < 1 || bytes.length < offset) {
            throw new TrainingException(file + " has a broken IDX header");
        }
        int[] dims = new int[rank];
        long items = 1;
        for (int i = 0; i < rank; i++) {
            dims[i] = header.getInt(4 + 4 * i);
            items *= dims[i];
        }
        if (bytes.length - offset != items) {
            throw new TrainingException(file + " holds " + (bytes.length - offset) + " bytes of data; its header promises " + items);
        }
        return new IdxFile(dims, bytes, offset);
    }

    int items() {
        return dims[0];
    }

    /** Bytes per item: 1 for labels, rows x columns for images. */
    int itemSize() {
        int size = 1;
        for (int i = 1; i < dims.length; i++) {
            size *= dims[i];
        }
        return size;
    }

    int unsigned(int index) {
        return data[offset + index] & 0xff;
    }

    private static InputStream open(Path file) throws IOException {
        InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        return file.getFileName().toString().endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw;
    }
}
