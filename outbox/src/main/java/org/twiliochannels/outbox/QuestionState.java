package org.twiliochannels.outbox;

/** Where a question asked with {@link Conversations#ask} stands. */
public enum QuestionState {
    /** Waiting for an answer until its time-out. */
    OPEN("open"),
    /** Answered before its time-out. */
    ANSWERED("answered"),
    /** Its time-out fired (once). */
    TIMED_OUT("timed_out"),
    /** Closed by {@link QuestionEvent#cancelOpenQuestions()}: neither answered nor timed out. */
    CANCELLED("cancelled"),
    /** Its time-out action failed every try, or its question is no longer configured; see the log. */
    FAILED("failed");

    private final String dbName;

    QuestionState(String dbName) {
        this.dbName = dbName;
    }

    /** The name stored in the database. */
    String dbName() {
        return dbName;
    }

    static QuestionState fromDb(String name) {
        for (QuestionState s : values()) {
            if (s.dbName.equals(name)) {
                return s;
            }
        }
        throw new IllegalStateException("unknown question state in the database: " + name);
    }
}
