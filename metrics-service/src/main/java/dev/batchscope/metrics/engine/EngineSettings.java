package dev.batchscope.metrics.engine;

import java.time.Duration;
import java.util.Optional;

/**
 * How the aggregation smooths, bounds and judges. Plain values so the engine runs without Quarkus.
 *
 * @param lossEmaAlpha       weight of the newest iteration in the loss EMA
 * @param noiseEmaAlpha      weight of the newest measurement in the EMAs of traceSigma and gradNormSqUnbiased
 * @param targetSource       which loss must reach the target for steps/samples-to-target
 * @param defaultTargetLoss  the target when a run's spec sets none
 * @param volatilityWindow   iterations over which the loss volatility is measured
 * @param resumeWindow       iterations of smoothing state kept for an exact resume
 * @param seriesPoints       points per series kept at full resolution before downsampling (multiple of 4)
 * @param maxTrackedRuns     ceiling on runs held; the oldest finished go first
 * @param finishedRunTtl     how long a finished run stays in Prometheus (it stays in REST)
 */
public record EngineSettings(double lossEmaAlpha, double noiseEmaAlpha, TargetSource targetSource,
                             Optional<Double> defaultTargetLoss, int volatilityWindow, int resumeWindow,
                             int seriesPoints, int maxTrackedRuns, Duration finishedRunTtl) {

    public EngineSettings {
        require(lossEmaAlpha > 0 && lossEmaAlpha <= 1, "lossEmaAlpha must be in (0, 1]");
        require(noiseEmaAlpha > 0 && noiseEmaAlpha <= 1, "noiseEmaAlpha must be in (0, 1]");
        require(volatilityWindow >= 2, "volatilityWindow must be at least 2");
        require(resumeWindow >= volatilityWindow, "resumeWindow must be at least volatilityWindow");
        require(seriesPoints >= 8 && seriesPoints % 4 == 0, "seriesPoints must be a multiple of 4, at least 8");
        require(maxTrackedRuns >= 1, "maxTrackedRuns must be at least 1");
        defaultTargetLoss = defaultTargetLoss == null ? Optional.empty() : defaultTargetLoss;
    }

    public static EngineSettings defaults() {
        return new EngineSettings(0.1, 0.2, TargetSource.TRAIN_LOSS_EMA, Optional.empty(), 100, 2048, 2048, 1000,
                Duration.ofMinutes(15));
    }

    public EngineSettings withSeriesPoints(int points) {
        return new EngineSettings(lossEmaAlpha, noiseEmaAlpha, targetSource, defaultTargetLoss, volatilityWindow,
                resumeWindow, points, maxTrackedRuns, finishedRunTtl);
    }

    public EngineSettings withMaxTrackedRuns(int max) {
        return new EngineSettings(lossEmaAlpha, noiseEmaAlpha, targetSource, defaultTargetLoss, volatilityWindow,
                resumeWindow, seriesPoints, max, finishedRunTtl);
    }

    public EngineSettings withTarget(TargetSource source, Double defaultLoss) {
        return new EngineSettings(lossEmaAlpha, noiseEmaAlpha, source, Optional.ofNullable(defaultLoss),
                volatilityWindow, resumeWindow, seriesPoints, maxTrackedRuns, finishedRunTtl);
    }

    public EngineSettings withResumeWindow(int window) {
        return new EngineSettings(lossEmaAlpha, noiseEmaAlpha, targetSource, defaultTargetLoss, volatilityWindow,
                window, seriesPoints, maxTrackedRuns, finishedRunTtl);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    /** The loss that steps-to-target is measured on. */
    public enum TargetSource {
        /** the EMA of the training loss, every iteration */
        TRAIN_LOSS_EMA("train-loss-ema"),
        /** the validation loss, at each validation */
        VAL_LOSS("val-loss");

        private final String wire;

        TargetSource(String wire) {
            this.wire = wire;
        }

        public String wire() {
            return wire;
        }

        public static TargetSource parse(String value) {
            for (TargetSource s : values()) {
                if (s.wire.equalsIgnoreCase(value) || s.name().equalsIgnoreCase(value)) {
                    return s;
                }
            }
            throw new IllegalArgumentException("target source must be train-loss-ema or val-loss, got " + value);
        }
    }
}
