package org.nas4j.space;

import java.util.List;

/** An architecture file that does not fit its search space; every problem is listed, for users. */
public final class ArchitectureException extends InputException {
    private static final long serialVersionUID = 1L;
    private final transient List<String> problems;

    /** An exception listing problems, each naming its key and the allowed values. */
    public ArchitectureException(List<String> problems) {
        super(String.join("\n", problems));
        this.problems = List.copyOf(problems);
    }

    /** The problems, one per line of the message. */
    public List<String> problems() {
        return problems;
    }
}
