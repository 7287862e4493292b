package dev.batchscope.metrics.streams;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.batchscope.events.Event;
import dev.batchscope.events.json.EventJson;
import dev.batchscope.events.validation.ValidationException;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** A recorded topic: one record per line, {"key", "event"} or {"key", "raw"} for bytes that are not an event. */
public final class RecordedStream {
    private final List<Record> records;

    private RecordedStream(List<Record> records) {
        this.records = records;
    }

    public static RecordedStream load(String resource) {
        try (InputStream in = RecordedStream.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no resource " + resource);
            }
            List<Record> records = new ArrayList<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode node = EventJson.mapper().readTree(line);
                String key = node.path("key").asText(null);
                byte[] value = node.has("raw") ? node.get("raw").asText().getBytes(StandardCharsets.UTF_8)
                        : node.get("event").toString().getBytes(StandardCharsets.UTF_8);
                records.add(new Record(key, value));
            }
            return new RecordedStream(records);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A stream built in memory (a generated one) rather than recorded in a resource. */
    public static RecordedStream of(List<Record> records) {
        return new RecordedStream(List.copyOf(records));
    }

    public static RecordedStream textbookMetrics() {
        return load("/streams/textbook.metrics.jsonl");
    }

    public static RecordedStream textbookStatus() {
        return load("/streams/textbook.status.jsonl");
    }

    public List<Record> records() {
        return records;
    }

    /** The latest emittedAt of the readable records. */
    public Instant latestEmittedAt() {
        Instant latest = Instant.EPOCH;
        for (Record r : records) {
            Event e = r.event();
            if (e != null && e.emittedAt().isAfter(latest)) {
                latest = e.emittedAt();
            }
        }
        return latest;
    }

    /** Only the records whose key passes {@code keep}. */
    public RecordedStream only(java.util.function.Predicate<String> keep) {
        return new RecordedStream(records.stream().filter(r -> keep.test(r.key())).toList());
    }

    /** The records with keys and values passed through {@code rename} (as text). */
    public RecordedStream renamed(java.util.function.UnaryOperator<String> rename) {
        return new RecordedStream(records.stream().map(r -> new Record(r.key() == null ? null
                : rename.apply("\"" + r.key()).substring(1), rename.apply(r.text()).getBytes(StandardCharsets.UTF_8)))
                .toList());
    }

    /** The same records with every readable event's emittedAt moved by {@code shift}; unreadable bytes unchanged. */
    public RecordedStream shifted(Duration shift) {
        List<Record> out = new ArrayList<>(records.size());
        for (Record r : records) {
            if (r.event() == null) {
                out.add(r);
                continue;
            }
            try {
                ObjectNode node = (ObjectNode) EventJson.mapper().readTree(r.value());
                Instant at = Instant.parse(node.get("emittedAt").asText()).plus(shift);
                node.put("emittedAt", at.toString());
                out.add(new Record(r.key(), node.toString().getBytes(StandardCharsets.UTF_8)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return new RecordedStream(out);
    }

    /** One record: its key and value bytes. */
    public record Record(String key, byte[] value) {
        /** The event, or null when the bytes are not a valid event (the service must reject them). */
        public Event event() {
            try {
                return EventJson.readEvent(value);
            } catch (ValidationException e) {
                return null;
            }
        }

        public String text() {
            return new String(value, StandardCharsets.UTF_8);
        }
    }
}
