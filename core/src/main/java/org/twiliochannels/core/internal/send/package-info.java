/**
 * The send engine: {@link org.twiliochannels.core.internal.send.AccountEngine} (one per account),
 * the retry runner and the log settler. Speaks only the library's types and calls Twilio through
 * {@code internal.twilio}. Not API.
 */
package org.twiliochannels.core.internal.send;
