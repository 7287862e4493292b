package dev.batchscope.metrics.kafka;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExportOwnershipTest {

    @Test
    void aPartitionNotOwnedDeadLettersNothing() {
        ExportOwnership ownership = new ExportOwnership();
        ExportOwnership.Claim claim = ownership.claim(3, 0);
        assertFalse(claim.deadLetters(0));
        assertEquals(-1, claim.rewindTo());
        assertTrue(ownership.committable().isEmpty());
    }

    @Test
    void theOwnerDeadLettersFromTheCommittedOffsetOnAndCommitsWhatItExamined() {
        ExportOwnership ownership = new ExportOwnership();
        ownership.gained(3, 10);
        ExportOwnership.Claim replay = ownership.claim(3, 0);
        assertFalse(replay.deadLetters(9), "below the committed offset an earlier owner dead-lettered it");
        assertTrue(replay.deadLetters(10));
        assertTrue(ownership.committable().isEmpty(), "nothing examined yet");
        replay.examined(20);
        assertEquals(Map.of(3, 20L), ownership.committable());
        ownership.committed(3, 20);
        assertTrue(ownership.committable().isEmpty());
        assertTrue(ownership.claim(3, 20).deadLetters(20), "the next batch goes on where the last one ended");
    }

    @Test
    void aReaderAlreadyPastTheBoundaryIsSentBackOnceAndItsBatchesDeadLetterNothingUntilThen() {
        ExportOwnership ownership = new ExportOwnership();
        ownership.gained(5, 100);
        ExportOwnership.Claim gap = ownership.claim(5, 250);
        assertEquals(100, gap.rewindTo(), "records 100..249 were read while another replica owned them");
        assertFalse(gap.deadLetters(250));
        gap.examined(300);
        assertTrue(ownership.committable().isEmpty(), "the commit does not pass records nobody examined");
        assertEquals(-1, ownership.claim(5, 301).rewindTo(), "asked once, not per batch");
        ExportOwnership.Claim reread = ownership.claim(5, 100);
        assertTrue(reread.deadLetters(100));
        reread.examined(302);
        assertEquals(Map.of(5, 302L), ownership.committable());
    }

    @Test
    void aPartitionGainedBehindWhatWasReadIsReReadAtOnce() {
        ExportOwnership ownership = new ExportOwnership();
        assertEquals(-1, ownership.gained(2, 50, 50), "read up to the boundary: nothing to re-read");
        assertEquals(50, ownership.gained(4, 50, 80), "read past it while another replica owned it");
        assertEquals(-1, ownership.claim(4, 80).rewindTo(), "already asked for");
        assertTrue(ownership.claim(4, 50).deadLetters(50));
    }

    @Test
    void aClaimOfAnEarlierOwnershipChangesNothing() {
        ExportOwnership ownership = new ExportOwnership();
        ownership.gained(1, 0);
        ExportOwnership.Claim before = ownership.claim(1, 0);
        ownership.lost(1);
        assertFalse(ownership.owns(1));
        ownership.gained(1, 40);
        before.examined(90);
        assertTrue(ownership.committable().isEmpty());
    }
}
