/**
 * The library's own blocking HTTP/1.1 client: connections, kept-alive pool, proxy tunnel, strict
 * answer parsing, deadlines. Knows nothing of Twilio or its SDK. Not API.
 */
package org.twiliochannels.core.internal.http;
