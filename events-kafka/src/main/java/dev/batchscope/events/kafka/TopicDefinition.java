package dev.batchscope.events.kafka;

import java.util.Map;

/** A topic as batchscope needs it: name, partitions and topic-level configs. */
public record TopicDefinition(String name, int partitions, Map<String, String> configs) {
    public TopicDefinition {
        configs = Map.copyOf(configs);
    }
}
