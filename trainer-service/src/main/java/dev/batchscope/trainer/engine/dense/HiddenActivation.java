package dev.batchscope.trainer.engine.dense;

/**
 * The hidden-layer activations of the dense path, each with its derivative written in terms of the activation's
 * output, so that the backward pass needs no copy of the pre-activations. Values as DL4J defines them: relu'(0) = 0,
 * tanh' = 1 - tanh^2, sigmoid' = s (1 - s). Computed in double and rounded once to float.
 */
enum HiddenActivation {
    RELU {
        @Override
        float apply(float z) {
            return z > 0 ? z : 0f;
        }

        @Override
        float derivative(float a) {
            return a > 0 ? 1f : 0f;
        }
    },
    TANH {
        @Override
        float apply(float z) {
            // tanh z = (1 - e^-2|z|) / (1 + e^-2|z|) with the sign of z: one exp, accurate far beyond float
            double t = Math.exp(-2.0 * Math.abs(z));
            double magnitude = (1 - t) / (1 + t);
            return (float) (z < 0 ? -magnitude : magnitude);
        }

        @Override
        float derivative(float a) {
            return 1f - a * a;
        }
    },
    SIGMOID {
        @Override
        float apply(float z) {
            return (float) (1.0 / (1.0 + Math.exp(-z)));
        }

        @Override
        float derivative(float a) {
            return a * (1f - a);
        }
    };

    abstract float apply(float z);

    /** d activation / dz, from the activation's output {@code a}. */
    abstract float derivative(float a);

    static HiddenActivation of(dev.batchscope.events.spec.Activation activation) {
        return switch (activation) {
            case RELU -> RELU;
            case TANH -> TANH;
            case SIGMOID -> SIGMOID;
        };
    }
}
