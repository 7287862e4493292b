package dev.batchscope.metrics.analysis;

import dev.batchscope.events.spec.Protocol;

import java.util.List;

/** The one line a person reads first: what the sweep says about batch size so far. */
final class Recommendation {
    /** Why a fixed sweep's B_crit is only indicative; docs/design.md section 7, "Protocols". */
    static final String FIXED_CAVEAT = " Caveat: at one fixed learning rate the law is misspecified (it describes each batch"
            + " size at its best learning rate), so take this B_crit as indicative; the tuned protocol measures it.";

    private Recommendation() {
    }

    /**
     * @param reachedSizes       batch sizes with a best learning rate (some run reached the target)
     * @param noiseScaleAtTarget B_simple at the target, null when unknown
     * @param noiseScale         B_simple at the end of training, said only when there is none at the target
     */
    record Facts(Protocol protocol, Double target, List<SweepSummary.BatchSizeRow> sizes, int reachedSizes,
                 SweepSummary.Fit fit, SweepSummary.CriticalBatchSize bCrit, Double noiseScaleAtTarget,
                 Double noiseScale) {
    }

    static String text(Facts f) {
        String noise = noiseSentence(f);
        if (f.target() == null) {
            return "No target loss is set, so steps-to-target and the critical batch size are unknown: give the sweep"
                    + " a targetLoss (or set batchscope.metrics.target.default-loss)." + noise;
        }
        if (f.sizes().isEmpty()) {
            return "No batch size has reported metrics yet.";
        }
        if (f.fit() == null) {
            if (f.reachedSizes() < 2) {
                return f.reachedSizes() + " of " + f.sizes().size() + " batch sizes reached the target loss "
                        + SweepAnalysis.format(f.target()) + " so far; the steps fit needs two." + noise;
            }
            return "Steps to the target loss " + SweepAnalysis.format(f.target()) + " do not fall with batch size as"
                    + " S = S_min(1 + B_crit/B) predicts, so no critical batch size can be fitted." + noise;
        }
        SweepSummary.BatchSizeRow best = bestTradeOff(f.sizes(), f.fit());
        StringBuilder sb = new StringBuilder();
        sb.append("Critical batch size ≈ ").append(SweepAnalysis.format(f.fit().bCrit()));
        if (f.bCrit() != null && f.bCrit().low() != null) {
            sb.append(" (95 % interval ").append(SweepAnalysis.format(f.bCrit().low())).append("–")
                    .append(SweepAnalysis.format(f.bCrit().high())).append(')');
        }
        sb.append(": below it a larger batch cuts the steps almost in proportion, above it extra examples buy"
                + " few steps.");
        if (best != null) {
            sb.append(" Of the sizes tried, ").append(best.batchSize()).append(" is the best trade-off (")
                    .append(SweepAnalysis.format(best.stepsToTarget())).append(" steps, ")
                    .append(SweepAnalysis.format(best.samplesToTarget())).append(" samples to loss ")
                    .append(SweepAnalysis.format(f.target())).append(").");
        }
        sb.append(noise);
        if (f.protocol() != Protocol.TUNED) {
            sb.append(FIXED_CAVEAT);
        }
        return sb.toString();
    }

    /** B_simple at the target (McCandlish et al.'s predictor of B_crit), with the ratio once both are known. */
    private static String noiseSentence(Facts f) {
        if (f.noiseScaleAtTarget() != null) {
            String s = " B_simple at the target is about " + SweepAnalysis.format(f.noiseScaleAtTarget());
            if (f.fit() != null && f.noiseScaleAtTarget() > 0) {
                s += " (B_crit/B_simple ≈ " + SweepAnalysis.format(f.fit().bCrit() / f.noiseScaleAtTarget()) + ")";
            }
            return s + ".";
        }
        return f.noiseScale() == null ? ""
                : " B_simple at the end of training is about " + SweepAnalysis.format(f.noiseScale()) + ".";
    }

    /**
     * The tried batch size closest to the knee of the trade-off: the smallest S/S_min + E/E_min, which is 4 exactly at
     * B = B_crit (twice the minimal steps and twice the minimal samples).
     */
    private static SweepSummary.BatchSizeRow bestTradeOff(List<SweepSummary.BatchSizeRow> sizes, SweepSummary.Fit fit) {
        SweepSummary.BatchSizeRow best = null;
        double bestCost = Double.POSITIVE_INFINITY;
        for (SweepSummary.BatchSizeRow size : sizes) {
            if (size.stepsToTarget() == null || size.samplesToTarget() == null) {
                continue;
            }
            double cost = size.stepsToTarget() / fit.sMin() + size.samplesToTarget() / fit.eMin();
            if (cost < bestCost) {
                bestCost = cost;
                best = size;
            }
        }
        return best;
    }
}
