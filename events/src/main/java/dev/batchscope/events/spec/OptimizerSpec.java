package dev.batchscope.events.spec;

/**
 * @param type     the update rule
 * @param momentum Nesterov momentum coefficient (momentum only)
 */
public record OptimizerSpec(OptimizerType type, Double momentum) {
    public OptimizerSpec {
        type = type == null ? OptimizerType.SGD : type;
        momentum = momentum == null && type == OptimizerType.MOMENTUM ? Double.valueOf(0.9) : momentum;
    }

    public static OptimizerSpec sgd() {
        return new OptimizerSpec(OptimizerType.SGD, null);
    }
}
