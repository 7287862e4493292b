package dev.batchscope.trainer.kafka;

import dev.batchscope.trainer.kafka.IdleFirstAssignment.Member;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IdleFirstAssignmentTest {
    private static final String TOPIC = "batchscope.runs.requested";
    private static final List<TopicPartition> TWELVE = IntStream.range(0, 12).mapToObj(IdleFirstAssignmentTest::p).toList();

    @Test
    void idleMembersShareEveryPartitionEvenly() {
        Map<String, List<TopicPartition>> assignment = IdleFirstAssignment.assign(TWELVE, Map.of(
                "a", idle(), "b", idle(), "c", idle(), "d", idle(), "e", idle()));

        assertEveryPartitionOnce(assignment);
        assertEquals(List.of(3, 3, 2, 2, 2), assignment.values().stream().map(List::size).toList());
    }

    @Test
    void idleMembersKeepWhatTheyOwnWhenBalanced() {
        Map<String, Member> members = Map.of(
                "a", idle(0, 1, 2, 3), "b", idle(4, 5, 6, 7), "c", idle(8, 9, 10, 11));

        assertEquals(Map.of("a", ps(0, 1, 2, 3), "b", ps(4, 5, 6, 7), "c", ps(8, 9, 10, 11)),
                IdleFirstAssignment.assign(TWELVE, members));
    }

    @Test
    void aBusyMemberKeepsOnlyItsRunsPartitionAndTheOthersMoveInTwoRounds() {
        // a trains the run of partition 0 and still owns 1..3; b and c are idle
        Map<String, Member> round1 = Map.of(
                "a", busy(List.of(0), 0, 1, 2, 3), "b", idle(4, 5, 6, 7), "c", idle(8, 9, 10, 11));

        Map<String, List<TopicPartition>> first = IdleFirstAssignment.assign(TWELVE, round1);
        assertEquals(ps(0), first.get("a"), "a keeps its run's partition and gives up the others");
        assertTrue(first.get("b").containsAll(ps(4, 5, 6, 7)) && first.get("c").containsAll(ps(8, 9, 10, 11)),
                "the idle members keep theirs: " + first);
        assertNoPartitionChangesOwnerInOneRound(round1, first);
        assertTrue(ps(1, 2, 3).stream().noneMatch(p -> assigned(first).contains(p)), "1..3 wait for a to revoke them: " + first);

        // a revoked 1..3 and rejoined: now nobody owns them, and the idle members take them
        Map<String, Member> round2 = Map.of(
                "a", busy(List.of(0), first.get("a")), "b", idle(first.get("b")), "c", idle(first.get("c")));
        Map<String, List<TopicPartition>> second = IdleFirstAssignment.assign(TWELVE, round2);
        assertEveryPartitionOnce(second);
        assertEquals(ps(0), second.get("a"));
        assertEquals(Set.of(5, 6), Set.of(second.get("b").size(), second.get("c").size()), "11 partitions over 2 idle members");
        assertNoPartitionChangesOwnerInOneRound(round2, second);
    }

    @Test
    void aMemberThatBecomesIdleGetsPartitionsFromTheOthers() {
        Map<String, Member> round1 = Map.of(
                "a", idle(0), "b", idle(1, 2, 3, 4, 5, 6), "c", idle(7, 8, 9, 10, 11));

        Map<String, List<TopicPartition>> first = IdleFirstAssignment.assign(TWELVE, round1);
        assertNoPartitionChangesOwnerInOneRound(round1, first);
        assertTrue(first.get("a").contains(p(0)), "a keeps its run's partition (its record may not be committed yet)");

        Map<String, Member> round2 = Map.of("a", idle(first.get("a")), "b", idle(first.get("b")), "c", idle(first.get("c")));
        Map<String, List<TopicPartition>> second = IdleFirstAssignment.assign(TWELVE, round2);
        assertEveryPartitionOnce(second);
        assertEquals(List.of(4, 4, 4), second.values().stream().map(List::size).toList());
        assertNoPartitionChangesOwnerInOneRound(round2, second);
    }

    @Test
    void whenEveryMemberIsBusyTheOtherPartitionsWaitUnowned() {
        Map<String, Member> members = Map.of("a", busy(List.of(0, 7), 0, 1, 2), "b", busy(List.of(0, 7), 7, 8));

        assertEquals(Map.of("a", ps(0), "b", ps(7)), IdleFirstAssignment.assign(TWELVE, members));
    }

    @Test
    void membersOfOneProcessShareTheirTrainingPartitionsAndEachIsBusyOnlyWithWhatItOwns() {
        // two channel copies in one process advertise the same set: b trains 3, a trains nothing of its own
        List<Integer> training = List.of(3);
        Map<String, Member> members = Map.of("a", busy(training, 0, 1), "b", busy(training, 3, 4), "c", idle(5));

        Map<String, List<TopicPartition>> assignment = IdleFirstAssignment.assign(TWELVE, members);
        assertEquals(ps(3), assignment.get("b"));
        assertTrue(assignment.get("a").containsAll(ps(0, 1)), "a is idle and keeps its own: " + assignment);
        assertNoPartitionChangesOwnerInOneRound(members, assignment);
    }

    @Test
    void aPartitionClaimedByTwoMembersGoesToOneOfThemOnly() {
        Map<String, Member> members = Map.of("a", idle(0, 1), "b", idle(1, 2));

        Map<String, List<TopicPartition>> assignment = IdleFirstAssignment.assign(ps(0, 1, 2, 3), members);
        assertEveryPartitionOnce(assignment, ps(0, 1, 2, 3));
        assertNoPartitionChangesOwnerInOneRound(members, assignment);
    }

    @Test
    void aNewMemberWithNothingGetsItsShareAfterTheOthersGiveItUp() {
        Map<String, Member> round1 = Map.of("a", idle(0, 1, 2, 3, 4, 5), "b", idle(6, 7, 8, 9, 10, 11), "new", idle());

        Map<String, List<TopicPartition>> first = IdleFirstAssignment.assign(TWELVE, round1);
        assertNoPartitionChangesOwnerInOneRound(round1, first);
        assertEquals(List.of(), first.get("new"), "what it gets is still owned by a or b in this round");
        Map<String, Member> round2 = Map.of("a", idle(first.get("a")), "b", idle(first.get("b")), "new", idle(first.get("new")));
        Map<String, List<TopicPartition>> second = IdleFirstAssignment.assign(TWELVE, round2);
        assertEveryPartitionOnce(second);
        assertEquals(List.of(4, 4, 4), second.values().stream().map(List::size).toList());
    }

    @Test
    void userDataRoundTrips() {
        List<TopicPartition> training = List.of(p(3), new TopicPartition("other", 11));
        assertEquals(training, IdleFirstAssignor.decode(IdleFirstAssignor.encode(training)));
        assertEquals(List.of(), IdleFirstAssignor.decode(null), "a member of another version is idle");
    }

    /** ConsumerCoordinator's rule for cooperative assignors: nothing is added to one member while another revokes it. */
    private static void assertNoPartitionChangesOwnerInOneRound(Map<String, Member> members, Map<String, List<TopicPartition>> assignment) {
        Set<TopicPartition> added = new HashSet<>();
        Set<TopicPartition> revoked = new HashSet<>();
        members.forEach((id, member) -> {
            Set<TopicPartition> gained = new HashSet<>(assignment.get(id));
            member.owned().forEach(gained::remove);
            added.addAll(gained);
            Set<TopicPartition> lost = new HashSet<>(member.owned());
            assignment.get(id).forEach(lost::remove);
            revoked.addAll(lost);
        });
        added.retainAll(revoked);
        assertEquals(Set.of(), added, "partitions moved within one round: " + assignment);
    }

    private static void assertEveryPartitionOnce(Map<String, List<TopicPartition>> assignment) {
        assertEveryPartitionOnce(assignment, TWELVE);
    }

    private static void assertEveryPartitionOnce(Map<String, List<TopicPartition>> assignment, List<TopicPartition> partitions) {
        List<TopicPartition> all = assigned(assignment);
        assertEquals(partitions.size(), all.size(), "each partition once: " + assignment);
        assertEquals(new HashSet<>(partitions), new HashSet<>(all));
    }

    private static List<TopicPartition> assigned(Map<String, List<TopicPartition>> assignment) {
        List<TopicPartition> all = new ArrayList<>();
        assignment.values().forEach(all::addAll);
        return all;
    }

    private static Member idle(int... owned) {
        return new Member(ps(owned), List.of());
    }

    private static Member idle(List<TopicPartition> owned) {
        return new Member(owned, List.of());
    }

    private static Member busy(List<Integer> training, int... owned) {
        return new Member(ps(owned), training.stream().map(IdleFirstAssignmentTest::p).toList());
    }

    private static Member busy(List<Integer> training, List<TopicPartition> owned) {
        return new Member(owned, training.stream().map(IdleFirstAssignmentTest::p).toList());
    }

    private static TopicPartition p(int partition) {
        return new TopicPartition(TOPIC, partition);
    }

    private static List<TopicPartition> ps(int... partitions) {
        return IntStream.of(partitions).mapToObj(IdleFirstAssignmentTest::p).toList();
    }
}
