package dev.batchscope.cli.reliability;

import dev.batchscope.cli.stack.LocalStack;
import dev.batchscope.cli.stack.StackState;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/** What the fault drills' local stacks share: quick failover, and a stop that leaves no process behind. */
final class DrillStack {
    /**
     * The trainers' and metrics-services' consumers use a session timeout of 6 s (the broker's minimum) instead of
     * 45 s, so that the partitions of a killed process move within seconds.
     */
    static final List<String> FAST_FAILOVER_RUNS = List.of(
            "-Dmp.messaging.incoming.runs-requested.session.timeout.ms=6000",
            "-Dmp.messaging.incoming.runs-requested.heartbeat.interval.ms=1000");
    static final List<String> FAST_FAILOVER_METRICS = List.of(
            "-Dmp.messaging.incoming.metrics.session.timeout.ms=6000",
            "-Dmp.messaging.incoming.metrics.heartbeat.interval.ms=1000");

    private DrillStack() {
    }

    /** Stops the stack; a failed test must not leave a process behind, so every one it had is killed by pid too. */
    static void stop(LocalStack stack) throws IOException {
        if (stack == null) {
            return;
        }
        Optional<StackState> last = stack.state();
        stack.down();
        last.ifPresent(state -> {
            ProcessHandle.of(state.kafka().pid()).ifPresent(ProcessHandle::destroyForcibly);
            state.services().forEach(s -> ProcessHandle.of(s.pid()).ifPresent(ProcessHandle::destroyForcibly));
        });
    }
}
