package dev.batchscope.scheduler.kafka;

/** Kafka did not acknowledge an event in time; the API answers 503. */
public class PublishFailedException extends RuntimeException {
    public PublishFailedException(Throwable cause) {
        super("Kafka did not acknowledge the events: " + rootMessage(cause), cause);
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }
}
