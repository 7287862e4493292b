package dev.batchscope.trainer.kafka;

import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The trainer group's partition assignor ({@code partition.assignment.strategy}): a trainer busy with a run keeps
 * only that run's partition, the idle trainers share all the others ({@link IdleFirstAssignment}), so a run waiting
 * on a partition is fetched by an idle trainer instead of queueing behind a busy one.
 *
 * <p>Each member tells the group leader, in its subscription's user data, which partitions' runs are training in its
 * process ({@link #TRAINING}, kept by {@link TrainerLoad}); the leader intersects that with what the member owns.
 * Cooperative only: partitions move in two rounds and a busy trainer's run partition never moves, so a rebalance
 * never interrupts a run (the hand-off of {@link RunHandoffListener} remains for trainers that leave).
 */
public class IdleFirstAssignor implements ConsumerPartitionAssignor {
    /** The name members agree on (the group's protocol name). */
    public static final String NAME = "batchscope-idle-first";
    private static final short FORMAT = 1;

    /**
     * The partitions whose runs this process is training now, shared by every trainer consumer of the process, with
     * how many runs of each (two for a moment when a partition passes between two consumers of one process).
     */
    static final Map<TopicPartition, Integer> TRAINING = new ConcurrentHashMap<>();

    /**
     * Per member id: the partitions in training that the member's last completed rebalance knew of. A rebalance the
     * member joined before it became busy may still take the run's partition away (the leader saw it idle); one
     * joined after cannot. {@link TrainerLoad#stillOwned} waits for that one before a run trains.
     */
    private static final Map<String, Set<TopicPartition>> CONFIRMED = new ConcurrentHashMap<>();

    /** What this member (one consumer) said in its latest join. */
    private volatile Set<TopicPartition> claimedInJoin = Set.of();

    @Override
    public ByteBuffer subscriptionUserData(Set<String> topics) {
        Set<TopicPartition> claims = Set.copyOf(TRAINING.keySet());
        claimedInJoin = claims;
        return encode(claims);
    }

    @Override
    public void onAssignment(Assignment assignment, ConsumerGroupMetadata metadata) {
        CONFIRMED.put(metadata.memberId(), claimedInJoin);
    }

    /** Whether the rebalance the member last completed knew that {@code partition}'s run trains here. */
    static boolean confirmed(String memberId, TopicPartition partition) {
        return CONFIRMED.getOrDefault(memberId, Set.of()).contains(partition);
    }

    @Override
    public GroupAssignment assign(Cluster metadata, GroupSubscription groupSubscription) {
        Map<String, Subscription> subscriptions = groupSubscription.groupSubscription();
        Set<String> topics = new TreeSet<>();
        subscriptions.values().forEach(s -> topics.addAll(s.topics()));
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : topics) {
            List<PartitionInfo> infos = metadata.partitionsForTopic(topic);
            infos.forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
        }
        Map<String, IdleFirstAssignment.Member> members = new HashMap<>();
        subscriptions.forEach((id, s) -> members.put(id, new IdleFirstAssignment.Member(s.ownedPartitions(), decode(s.userData()))));
        Map<String, Assignment> assignments = new HashMap<>();
        IdleFirstAssignment.assign(partitions, members).forEach((id, assigned) -> assignments.put(id, new Assignment(assigned)));
        return new GroupAssignment(assignments);
    }

    @Override
    public List<RebalanceProtocol> supportedProtocols() {
        return List.of(RebalanceProtocol.COOPERATIVE);
    }

    @Override
    public String name() {
        return NAME;
    }

    static ByteBuffer encode(Collection<TopicPartition> training) {
        List<byte[]> topics = training.stream().map(p -> p.topic().getBytes(StandardCharsets.UTF_8)).toList();
        int size = Short.BYTES + Integer.BYTES + topics.stream().mapToInt(t -> Short.BYTES + t.length + Integer.BYTES).sum();
        ByteBuffer buffer = ByteBuffer.allocate(size);
        buffer.putShort(FORMAT).putInt(training.size());
        int i = 0;
        for (TopicPartition p : training) {
            byte[] topic = topics.get(i++);
            buffer.putShort((short) topic.length).put(topic).putInt(p.partition());
        }
        return buffer.flip();
    }

    /** The partitions in training that a member advertised; none from a member that sent nothing or another format. */
    static List<TopicPartition> decode(ByteBuffer userData) {
        if (userData == null || userData.remaining() < Short.BYTES + Integer.BYTES) {
            return List.of();
        }
        ByteBuffer buffer = userData.duplicate();
        if (buffer.getShort() != FORMAT) {
            return List.of();
        }
        int count = buffer.getInt();
        List<TopicPartition> training = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            byte[] topic = new byte[buffer.getShort()];
            buffer.get(topic);
            training.add(new TopicPartition(new String(topic, StandardCharsets.UTF_8), buffer.getInt()));
        }
        return training;
    }
}
