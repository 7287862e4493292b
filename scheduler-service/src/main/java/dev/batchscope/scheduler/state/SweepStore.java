package dev.batchscope.scheduler.state;

import dev.batchscope.events.RunStatusChanged;
import dev.batchscope.events.SweepRef;
import dev.batchscope.events.spec.Protocol;
import dev.batchscope.events.spec.PruningSpec;
import dev.batchscope.events.spec.RunSpec;
import dev.batchscope.events.spec.RunState;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every sweep and run, built only from {@code RunStatusChanged} events: those read from the status topic and
 * those this scheduler has just published itself ({@link #applyLocal}). There is no other store; at startup
 * it is rebuilt by reading the status topic from the beginning.
 *
 * <p>Rules, so that replaying the topic in any amount and reading it live give the same answer:
 * <ul>
 *   <li>an event read from the topic at or before the run's last read position is a replay and changes nothing;</li>
 *   <li>a terminal state (SUCCEEDED, FAILED, CANCELLED) never changes again;</li>
 *   <li>QUEUED never replaces a state the run has moved on to.</li>
 * </ul>
 * A local change is kept apart ({@link ScheduledRun#pending()}) until the topic confirms or overtakes it, so
 * what this instance reports converges on what a freshly started one would rebuild.
 */
@ApplicationScoped
public class SweepStore {
    private static final Pattern RUN_INDEX = Pattern.compile("-r(\\d{1,4})$");

    /** What happened to one event. */
    public enum Outcome { ACCEPTED, REPLAYED, AFTER_TERMINAL, QUEUED_AFTER_START }

    private final Map<String, Sweep> sweeps = new HashMap<>();
    private final Map<String, String> sweepByIdempotencyKey = new HashMap<>();

    /** Applies an event read from the status topic at {@code position}. */
    public synchronized Outcome applyRead(RunStatusChanged event, StatusPosition position) {
        Sweep sweep = sweepFor(event);
        ScheduledRun before = sweep.runs.get(event.runId());
        if (before != null && position.notAfter(before.position())) {
            return Outcome.REPLAYED;
        }
        Outcome outcome = judge(before == null ? null : before.read(), event);
        RunStatusChanged read = outcome == Outcome.ACCEPTED ? event : before.read();
        RunStatusChanged pending = before == null ? null : before.pending();
        // the topic has confirmed the local change, or moved past it so that it could no longer apply
        if (pending != null && (sameChange(read, pending) || judge(read, pending) != Outcome.ACCEPTED)) {
            pending = null;
        }
        sweep.runs.put(event.runId(), new ScheduledRun(event.runId(), indexOf(event, before), specOf(event, before), read,
                position, pending));
        return outcome;
    }

    /** Applies events this scheduler has published and been acknowledged for, before they are read back. */
    public synchronized void applyLocal(List<RunStatusChanged> events) {
        for (RunStatusChanged event : events) {
            Sweep sweep = sweepFor(event);
            ScheduledRun before = sweep.runs.get(event.runId());
            RunStatusChanged current = before == null ? null : before.current();
            if (judge(current, event) != Outcome.ACCEPTED) {
                continue;
            }
            sweep.runs.put(event.runId(), new ScheduledRun(event.runId(), indexOf(event, before), specOf(event, before),
                    before == null ? null : before.read(), before == null ? null : before.position(), event));
        }
    }

    public synchronized Optional<SweepState> sweep(String sweepId) {
        Sweep sweep = sweeps.get(sweepId);
        return sweep == null ? Optional.empty() : Optional.of(sweep.snapshot());
    }

    public synchronized Optional<String> sweepIdForIdempotencyKey(String key) {
        return Optional.ofNullable(sweepByIdempotencyKey.get(key));
    }

    /** Every sweep, newest first (ids sort by time too, so they break ties). */
    public synchronized List<SweepState> newestFirst() {
        return sweeps.values().stream().map(Sweep::snapshot)
                .sorted(Comparator.comparing(SweepState::createdAt).thenComparing(SweepState::sweepId).reversed())
                .toList();
    }

    public synchronized int sweepCount() {
        return sweeps.size();
    }

    /** How many runs are in each state right now, over all sweeps. */
    public synchronized Map<RunState, Integer> runsByState() {
        Map<RunState, Integer> counts = new EnumMap<>(RunState.class);
        for (RunState state : RunState.values()) {
            counts.put(state, 0);
        }
        sweeps.values().forEach(sweep -> sweep.runs.values()
                .forEach(run -> counts.merge(run.current().state(), 1, Integer::sum)));
        return counts;
    }

    private static Outcome judge(RunStatusChanged current, RunStatusChanged next) {
        if (current == null) {
            return Outcome.ACCEPTED;
        }
        if (current.state().terminal()) {
            return Outcome.AFTER_TERMINAL;
        }
        if (next.state() == RunState.QUEUED && current.state() != RunState.QUEUED) {
            return Outcome.QUEUED_AFTER_START;
        }
        return Outcome.ACCEPTED;
    }

    /** The read event is the one the scheduler published: same state, same moment. */
    private static boolean sameChange(RunStatusChanged read, RunStatusChanged pending) {
        return read.state() == pending.state() && read.emittedAt().equals(pending.emittedAt());
    }

    private Sweep sweepFor(RunStatusChanged event) {
        Sweep sweep = sweeps.computeIfAbsent(event.sweepId(), id -> new Sweep(id, event));
        SweepRef ref = event.sweep();
        if (ref != null && sweep.ref == null) {
            sweep.ref = ref;
        }
        if (ref != null && ref.idempotencyKey() != null) {
            // a key names its newest sweep: one submitted again after a failed submission replaces the abandoned one
            sweepByIdempotencyKey.merge(ref.idempotencyKey(), event.sweepId(),
                    (known, candidate) -> createdAt(candidate).isAfter(createdAt(known)) ? candidate : known);
        }
        return sweep;
    }

    private Instant createdAt(String sweepId) {
        Sweep sweep = sweeps.get(sweepId);
        return sweep.ref != null && sweep.ref.createdAt() != null ? sweep.ref.createdAt() : sweep.firstSeen;
    }

    private static int indexOf(RunStatusChanged event, ScheduledRun before) {
        if (event.sweep() != null && event.sweep().runIndex() != null) {
            return event.sweep().runIndex();
        }
        if (before != null) {
            return before.index();
        }
        Matcher m = RUN_INDEX.matcher(event.runId());
        return m.find() ? Integer.parseInt(m.group(1)) : Integer.MAX_VALUE;
    }

    private static RunSpec specOf(RunStatusChanged event, ScheduledRun before) {
        return event.run() != null ? event.run() : before == null ? null : before.spec();
    }

    /** One sweep's runs by runId; sweep-wide facts come from the first SweepRef seen. */
    private static final class Sweep {
        final String sweepId;
        final Instant firstSeen;
        final Map<String, ScheduledRun> runs = new LinkedHashMap<>();
        SweepRef ref;

        Sweep(String sweepId, RunStatusChanged first) {
            this.sweepId = sweepId;
            this.firstSeen = first.emittedAt();
        }

        SweepState snapshot() {
            List<ScheduledRun> ordered = new ArrayList<>(runs.values());
            ordered.sort(Comparator.comparingInt(ScheduledRun::index).thenComparing(ScheduledRun::runId));
            String name = ref != null ? ref.name() : sweepId;
            Instant createdAt = ref != null && ref.createdAt() != null ? ref.createdAt() : firstSeen;
            int runCount = ref != null && ref.runCount() != null ? Math.max(ref.runCount(), runs.size()) : runs.size();
            return new SweepState(sweepId, name, createdAt, runCount, ref == null ? null : ref.idempotencyKey(),
                    List.copyOf(ordered), ref == null || ref.protocol() == null ? Protocol.FIXED : ref.protocol(),
                    ref == null || ref.pruning() == null ? PruningSpec.NONE : ref.pruning());
        }
    }
}
