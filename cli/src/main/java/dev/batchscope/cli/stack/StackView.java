package dev.batchscope.cli.stack;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.batchscope.cli.render.Table;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** How a stack reads for people (the URLs, a table of processes) and for scripts (JSON). */
public final class StackView {
    private StackView() {
    }

    /** The addresses a user opens: the live page, the scheduler's API and every Prometheus endpoint. */
    public static List<String> urls(StackState state) {
        List<String> lines = new ArrayList<>();
        state.service("metrics").ifPresent(m -> lines.add("live page    " + m.url() + "/"));
        state.service("scheduler").ifPresent(s -> lines.add("scheduler    " + s.url() + "/api/v1/sweeps"));
        String label = "Prometheus   ";
        for (StackState.ServiceInfo service : state.services()) {
            lines.add(label + service.prometheusUrl() + "  (" + service.name() + ")");
            label = " ".repeat(label.length());
        }
        lines.add("kafka        " + state.kafka().bootstrapServers());
        return lines;
    }

    /** A row per process: name, pid, address, state (ready, starting or exited) and uptime. */
    public static Table table(StackState state) {
        Table table = new Table("NAME", "PID", "ADDRESS", "STATE", "UP");
        String kafkaUp = uptime(state.kafka().startMillis());
        table.row("kafka", state.kafka().pid(), state.kafka().bootstrapServers(),
                state.kafka().alive() ? "running" : "exited", state.kafka().alive() ? kafkaUp : "-");
        for (StackState.ServiceInfo service : state.services()) {
            boolean alive = service.alive();
            table.row(service.name(), service.pid(), service.url(), stateOf(service, alive),
                    alive ? uptime(service.startMillis()) : "-");
        }
        return table;
    }

    public static ObjectNode json(StackLayout layout, StackState state) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode node = f.objectNode();
        node.put("running", state.allAlive());
        node.put("stateDir", layout.stateDir().toString());
        node.put("startedAt", state.startedAt() == null ? null : state.startedAt().toString());
        state.service("metrics").ifPresent(m -> node.put("livePage", m.url() + "/"));
        state.service("scheduler").ifPresent(s -> node.put("schedulerUrl", s.url()));
        state.service("metrics").ifPresent(m -> node.put("metricsUrl", m.url()));
        ObjectNode kafka = node.putObject("kafka");
        kafka.put("pid", state.kafka().pid());
        kafka.put("bootstrapServers", state.kafka().bootstrapServers());
        kafka.put("state", state.kafka().alive() ? "running" : "exited");
        kafka.put("log", state.kafka().log());
        ArrayNode services = node.putArray("services");
        for (StackState.ServiceInfo service : state.services()) {
            boolean alive = service.alive();
            ObjectNode s = services.addObject();
            s.put("name", service.name());
            s.put("module", service.module());
            s.put("pid", service.pid());
            s.put("url", service.url());
            s.put("prometheus", service.prometheusUrl());
            s.put("state", stateOf(service, alive));
            s.put("log", service.log());
        }
        return node;
    }

    public static ObjectNode notRunningJson(StackLayout layout) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("running", false);
        node.put("stateDir", layout.stateDir().toString());
        node.putArray("services");
        return node;
    }

    private static String stateOf(StackState.ServiceInfo service, boolean alive) {
        if (!alive) {
            return "exited";
        }
        return ServiceLauncher.isReady(service) ? "ready" : "not ready";
    }

    private static String uptime(Long startMillis) {
        if (startMillis == null) {
            return "-";
        }
        Duration up = Duration.between(Instant.ofEpochMilli(startMillis), Instant.now());
        if (up.toHours() > 0) {
            return up.toHours() + "h" + up.toMinutesPart() + "m";
        }
        return up.toMinutes() > 0 ? up.toMinutes() + "m" + up.toSecondsPart() + "s" : up.toSeconds() + "s";
    }

    /** The state directory as the user should read it. */
    public static String where(StackLayout layout) {
        return StackLayout.display(layout.stateDir()) + "/";
    }
}
