package dev.batchscope.metrics.analysis;

import java.util.List;

/** The one line a person reads first: what the sweep says about batch size so far. */
final class Recommendation {
    private Recommendation() {
    }

    static String text(Double target, List<SweepSummary.BatchSizeRow> sizes, int reachedSizes, SweepSummary.Fit fit,
                       Double noiseScale) {
        String noise = noiseScale == null ? ""
                : " The measured gradient noise scale is about " + SweepAnalysis.format(noiseScale) + ".";
        if (target == null) {
            return "No target loss is set, so steps-to-target and the critical batch size are unknown: give the sweep"
                    + " a targetLoss (or set batchscope.metrics.target.default-loss)." + noise;
        }
        if (sizes.isEmpty()) {
            return "No batch size has reported metrics yet.";
        }
        if (fit == null) {
            if (reachedSizes < 2) {
                return reachedSizes + " of " + sizes.size() + " batch sizes reached the target loss "
                        + SweepAnalysis.format(target) + " so far; the steps/samples fit needs two." + noise;
            }
            return "Steps to the target loss " + SweepAnalysis.format(target) + " do not fall with batch size as"
                    + " S = S_min(1 + B_crit/B) predicts, so no critical batch size can be fitted." + noise;
        }
        SweepSummary.BatchSizeRow best = bestTradeOff(sizes, fit);
        StringBuilder sb = new StringBuilder();
        sb.append("Critical batch size ≈ ").append(SweepAnalysis.format(fit.bCrit()))
                .append(": below it a larger batch cuts the steps almost in proportion, above it extra examples buy"
                        + " few steps.");
        if (best != null) {
            sb.append(" Of the sizes tried, ").append(best.batchSize()).append(" is the best trade-off (")
                    .append(SweepAnalysis.format(best.stepsToTarget())).append(" steps, ")
                    .append(SweepAnalysis.format(best.samplesToTarget())).append(" samples to loss ")
                    .append(SweepAnalysis.format(target)).append(").");
        }
        return sb.append(noise).toString();
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
