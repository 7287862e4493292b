package dev.batchscope.metrics;

import dev.batchscope.metrics.engine.EngineSettings;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

import java.time.Duration;
import java.util.Optional;

/** {@code batchscope.metrics.*}: smoothing, bounds and the target of the sweep analysis. */
@ConfigMapping(prefix = "batchscope.metrics")
public interface MetricsConfig {

    Ema ema();

    Target target();

    /** Iterations over which the loss volatility (spread around the EMA) is measured. */
    @WithDefault("100")
    int volatilityWindow();

    /** Iterations of smoothing state kept per running run, so a resumed attempt continues exactly. */
    @WithDefault("2048")
    int resumeWindow();

    /** Points per series at full resolution; beyond, the series is downsampled keeping min/max (multiple of 4). */
    @WithDefault("2048")
    int seriesPoints();

    /** Ceiling on the runs held; beyond it the oldest finished runs go first. */
    @WithDefault("1000")
    int maxTrackedRuns();

    /** How long a finished run stays in Prometheus; it stays in the REST API until the ceiling pushes it out. */
    @WithDefault("15M")
    Duration finishedRunTtl();

    /** How often the sweep aggregates exported to Prometheus are recomputed. */
    @WithDefault("2S")
    Duration analysisInterval();

    /**
     * How often the export owner commits how far it has examined its partitions for bad records (below that, a
     * replay or the next owner does not dead-letter them again).
     */
    @WithDefault("5S")
    Duration commitInterval();

    Export export();

    interface Export {
        /**
         * The group the replicas share on batchscope.metrics to split the export: each partition's runs are exported,
         * and its bad records dead-lettered, by the one replica the group gives the partition to.
         */
        @WithName("group.id")
        @WithDefault("batchscope-metrics")
        String groupId();
    }

    interface Ema {
        /** Weight of the newest iteration in the training-loss EMA. */
        @WithDefault("0.1")
        double lossAlpha();

        /** Weight of the newest measurement in the EMAs of traceSigma and gradNormSqUnbiased. */
        @WithDefault("0.2")
        double noiseAlpha();
    }

    interface Target {
        /** train-loss-ema or val-loss. */
        @WithDefault("train-loss-ema")
        String source();

        /** The target loss for runs whose spec sets none. */
        Optional<Double> defaultLoss();
    }

    default EngineSettings engineSettings() {
        return new EngineSettings(ema().lossAlpha(), ema().noiseAlpha(),
                EngineSettings.TargetSource.parse(target().source()), target().defaultLoss(), volatilityWindow(),
                resumeWindow(), seriesPoints(), maxTrackedRuns(), finishedRunTtl());
    }
}
