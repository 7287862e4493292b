package dev.batchscope.trainer.kafka;

import org.apache.kafka.common.TopicPartition;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Which trainer owns which partition of the requested-runs topic: a busy trainer keeps only the partition its run came
 * from, every other partition goes to the idle trainers, spread evenly and leaving each where it is where possible.
 * A pure function of the members' subscriptions, so it is tested without a broker.
 *
 * <p>Under Kafka's cooperative protocol a partition cannot pass from one member to another within one rebalance: the
 * owner must first give it up. A partition that moves is therefore left unassigned in this round; its owner revokes
 * it and rejoins (the consumer does so by itself after a revocation), and the next round, in which nobody owns it,
 * gives it to its new owner. Kafka's ConsumerCoordinator rejects an assignment that breaks this rule.
 */
public final class IdleFirstAssignment {
    private IdleFirstAssignment() {
    }

    /**
     * What one member said when it joined.
     *
     * @param owned    the partitions it owns now
     * @param training the partitions whose runs are training in the member's process (several members may share a
     *                 process, one per channel copy); those it owns are the ones it is busy with
     */
    public record Member(Collection<TopicPartition> owned, Collection<TopicPartition> training) {
        Set<TopicPartition> busyWith() {
            Set<TopicPartition> busy = new LinkedHashSet<>(owned);
            busy.retainAll(new HashSet<>(training));
            return busy;
        }
    }

    /**
     * The partitions each member gets in this round; every member of {@code members} has an entry (maybe empty).
     *
     * @param partitions every partition of the subscribed topics
     */
    public static Map<String, List<TopicPartition>> assign(Collection<TopicPartition> partitions, Map<String, Member> members) {
        Map<String, List<TopicPartition>> assignment = new TreeMap<>();
        members.keySet().stream().sorted().forEach(id -> assignment.put(id, new ArrayList<>()));
        Set<TopicPartition> all = new LinkedHashSet<>(partitions);
        Set<TopicPartition> placed = new HashSet<>();

        // a busy member keeps the partition of its run, and nothing else
        List<String> idle = new ArrayList<>();
        for (String id : assignment.keySet()) {
            Set<TopicPartition> busyWith = members.get(id).busyWith();
            busyWith.retainAll(all);
            busyWith.removeAll(placed);
            if (busyWith.isEmpty()) {
                idle.add(id);
            } else {
                assignment.get(id).addAll(busyWith);
                placed.addAll(busyWith);
            }
        }
        if (idle.isEmpty()) {
            // everybody trains: the other partitions wait unowned until a trainer is idle again
            return sorted(assignment);
        }

        // the rest go to the idle members: floor(n/k) each, n mod k of them one more
        List<TopicPartition> rest = all.stream().filter(p -> !placed.contains(p)).toList();
        int floor = rest.size() / idle.size();
        int extra = rest.size() % idle.size();
        Map<String, List<TopicPartition>> keepable = new HashMap<>();
        for (String id : idle) {
            Set<TopicPartition> owned = new HashSet<>(members.get(id).owned());
            keepable.put(id, rest.stream().filter(owned::contains).toList());
        }
        // members that own the most keep the extra ones, so that fewer partitions move
        List<String> byOwned = idle.stream()
                .sorted(Comparator.comparingInt((String id) -> keepable.get(id).size()).reversed().thenComparing(id -> id))
                .toList();
        Map<String, Integer> quota = new HashMap<>();
        for (String id : byOwned) {
            int q = floor;
            if (extra > 0 && keepable.get(id).size() > floor) {
                q++;
                extra--;
            }
            quota.put(id, q);
        }
        for (String id : byOwned) {
            if (extra == 0) {
                break;
            }
            if (quota.get(id) == floor) {
                quota.put(id, floor + 1);
                extra--;
            }
        }
        for (String id : byOwned) {
            for (TopicPartition p : keepable.get(id)) {
                if (assignment.get(id).size() < quota.get(id) && placed.add(p)) {
                    assignment.get(id).add(p);
                }
            }
        }

        // a partition owned by a member that gives it up is left out of this round (cooperative protocol)
        Set<TopicPartition> stillOwned = new HashSet<>();
        members.values().forEach(m -> stillOwned.addAll(m.owned()));
        List<TopicPartition> free = rest.stream().filter(p -> !placed.contains(p) && !stillOwned.contains(p)).toList();
        for (TopicPartition p : free) {
            idle.stream()
                    .filter(id -> assignment.get(id).size() < quota.get(id))
                    .min(Comparator.comparingInt((String id) -> assignment.get(id).size()).thenComparing(id -> id))
                    .ifPresent(id -> {
                        assignment.get(id).add(p);
                        placed.add(p);
                    });
        }
        return sorted(assignment);
    }

    private static Map<String, List<TopicPartition>> sorted(Map<String, List<TopicPartition>> assignment) {
        Comparator<TopicPartition> order = Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition);
        assignment.values().forEach(list -> list.sort(order));
        return assignment;
    }
}
