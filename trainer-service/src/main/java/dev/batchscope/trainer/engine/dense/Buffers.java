package dev.batchscope.trainer.engine.dense;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.FloatBuffer;

/** Direct float buffers over nd4j arrays, so that plain loops and BLAS read and write the arrays' own memory. */
final class Buffers {
    private Buffers() {
    }

    /** The floats of a dense row-major (or vector) array with no offset, in order; refuses anything else. */
    static FloatBuffer floats(INDArray array) {
        if (array.dataType() != DataType.FLOAT) {
            throw new IllegalArgumentException("expected a float array, got " + array.dataType());
        }
        boolean vector = array.rank() == 1 || array.rows() == 1 || array.columns() == 1;
        if (array.isView() || array.offset() != 0 || (!vector && array.ordering() != 'c') || array.elementWiseStride() != 1) {
            throw new IllegalArgumentException("expected a dense 'c' array without offset, got " + array.shapeInfoToString());
        }
        FloatBuffer all = array.data().asNioFloat();
        return all.slice(0, (int) array.length());
    }
}
