package dev.compactor.llm;

import java.util.Set;

/** A candidate line of the extractive summary, in the section it is shown under. Lower priority is kept first. */
final class ExtractiveNote {
    /** Lines of this priority or better are chosen before any identifier is listed. */
    static final int ESSENTIAL = 2;

    enum Section {
        EARLIER("Earlier context"),
        REQUESTS("User requests"),
        FINDINGS("Errors and causes"),
        DECISIONS("Decisions (latest state)"),
        QUESTIONS("Open questions"),
        ACTIONS("Assistant notes and actions"),
        OUTCOMES("Tool outcomes"),
        SUPERSEDED("Superseded (no longer current)");

        final String title;

        Section(String title) {
            this.title = title;
        }
    }

    final Section section;
    int priority;
    int order;
    final String text;
    final Set<String> topic;
    /** The span message it came from. */
    final int message;
    int count = 1;
    ExtractiveNote supersededBy;

    ExtractiveNote(Section section, int priority, int order, String text, Set<String> topic, int message) {
        this.message = message;
        this.section = section;
        this.priority = priority;
        this.order = order;
        this.text = text;
        this.topic = topic;
    }

    /** A superseded line ranks last among the essential ones: the summary must say what no longer holds. */
    int rank() {
        return supersededBy != null ? ESSENTIAL : priority;
    }

    Section shownIn() {
        return supersededBy != null ? Section.SUPERSEDED : section;
    }

    String line() {
        String body = count > 1 ? text + " (×" + count + ")" : text;
        return supersededBy != null ? body + " [superseded by a later message]" : body;
    }
}
