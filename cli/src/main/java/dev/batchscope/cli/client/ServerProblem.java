package dev.batchscope.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.batchscope.events.json.EventJson;

import java.util.ArrayList;
import java.util.List;

/** An application/problem+json answer: its title and the named fields, printed one per line. */
record ServerProblem(String title, String detail, List<String> violations) {

    static ServerProblem parse(String body) {
        try {
            JsonNode node = EventJson.mapper().readTree(body == null || body.isBlank() ? "{}" : body);
            List<String> violations = new ArrayList<>();
            for (JsonNode v : node.path("violations")) {
                violations.add(v.path("field").asText("(request)") + ": " + v.path("message").asText(""));
            }
            return new ServerProblem(node.path("title").asText(null), node.path("detail").asText(null), violations);
        } catch (Exception notJson) {
            return new ServerProblem(null, null, List.of());
        }
    }

    boolean isEmpty() {
        return violations.isEmpty() && detail == null;
    }

    String describe(String headline) {
        StringBuilder sb = new StringBuilder(headline);
        if (!violations.isEmpty()) {
            sb.append(':');
            violations.forEach(v -> sb.append(System.lineSeparator()).append("  ").append(v));
        } else if (detail != null) {
            sb.append(": ").append(detail);
        } else if (title != null) {
            sb.append(": ").append(title);
        }
        return sb.toString();
    }
}
