package dev.batchscope.trainer.engine.data;

import dev.batchscope.trainer.engine.DataException;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * One IDX file (the MNIST family's format), read as a stream: a magic number that gives the element type and rank,
 * the dimensions as big-endian ints, then the unsigned bytes, item after item. The items are decoded chunk by chunk
 * straight into their destination, so 60,000 images never exist as a byte array and a float array on the heap
 * before they reach native memory.
 */
final class IdxFile implements AutoCloseable {
    private static final int UNSIGNED_BYTE = 0x08;
    private static final int CHUNK = 1 << 16;

    private final Path file;
    private final DataInputStream in;
    private final int[] dims;

    private IdxFile(Path file, DataInputStream in, int[] dims) {
        this.file = file;
        this.in = in;
        this.dims = dims;
    }

    /** Opens the file (gzip when it ends in .gz) and reads its header. */
    static IdxFile open(Path file) {
        DataInputStream in = null;
        try {
            in = new DataInputStream(stream(file));
            int magic = in.readInt();
            int rank = magic & 0xff;
            if ((magic >>> 8) != UNSIGNED_BYTE || rank < 1 || rank > 4) {
                throw new DataException(file + " is not an IDX file of unsigned bytes");
            }
            int[] dims = new int[rank];
            for (int i = 0; i < rank; i++) {
                dims[i] = in.readInt();
                if (dims[i] < 0) {
                    throw new DataException(file + " has a broken IDX header: dimension " + i + " is " + dims[i]);
                }
            }
            return new IdxFile(file, in, dims);
        } catch (EOFException e) {
            closeQuietly(in);
            throw new DataException(file + " has a broken IDX header", e);
        } catch (IOException e) {
            closeQuietly(in);
            throw new DataException("cannot read " + file + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(in);
            throw e;
        }
    }

    int[] dims() {
        return dims.clone();
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

    /** Reads the next {@code count} bytes into {@code destination} as {@code value / divisor}. */
    void readScaled(FloatBuffer destination, long count, float divisor) {
        // a table of the 256 quotients: the same floats as dividing each byte, without a division per pixel
        float[] quotient = new float[256];
        for (int b = 0; b < 256; b++) {
            quotient[b] = b / divisor;
        }
        byte[] bytes = new byte[CHUNK];
        float[] values = new float[CHUNK];
        long done = 0;
        while (done < count) {
            int length = (int) Math.min(CHUNK, count - done);
            readFully(bytes, length);
            for (int i = 0; i < length; i++) {
                values[i] = quotient[bytes[i] & 0xff];
            }
            destination.put(values, 0, length);
            done += length;
        }
    }

    /** Reads the next {@code count} bytes as unsigned values. */
    int[] readUnsigned(int count) {
        byte[] bytes = new byte[count];
        readFully(bytes, count);
        int[] values = new int[count];
        for (int i = 0; i < count; i++) {
            values[i] = bytes[i] & 0xff;
        }
        return values;
    }

    @Override
    public void close() {
        closeQuietly(in);
    }

    private void readFully(byte[] bytes, int length) {
        try {
            in.readFully(bytes, 0, length);
        } catch (EOFException e) {
            throw new DataException(file + " ends before the " + items() + " items its header promises", e);
        } catch (IOException e) {
            throw new DataException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static InputStream stream(Path file) throws IOException {
        InputStream raw = new BufferedInputStream(Files.newInputStream(file), CHUNK);
        return file.getFileName().toString().endsWith(".gz") ? new GZIPInputStream(raw, CHUNK) : raw;
    }

    private static void closeQuietly(InputStream in) {
        if (in != null) {
            try {
                in.close();
            } catch (IOException ignored) {
                // nothing was written; a failed close of a read-only stream loses nothing
            }
        }
    }
}
