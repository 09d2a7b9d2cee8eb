package org.twiliochannels.outbox;

/**
 * The outbox's database cannot be reached now (refused or broken connections, a pool out of
 * connections, the server shutting down or starting): nothing was written by the failed call, or
 * its commit's fate is unknown, and trying again once the database is back is safe. A worker waits
 * and reconnects by itself ({@link OutboxWorker#health()} says so meanwhile).
 */
public class OutboxUnavailableException extends OutboxException {
    private static final long serialVersionUID = 1L;

    /** An exception with a message for the user and its cause. */
    public OutboxUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
