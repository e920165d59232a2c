package org.nas4j.api;

import java.util.Map;

/** One trial of a search: its number, architecture, status (ok or failed), score and recorded metrics. */
public record Trial(int id, Map<String, Object> architecture, String status, double score, Map<String, Object> metrics) {
    /** Whether the trial gave a score. */
    public boolean ok() {
        return "ok".equals(status);
    }
}
