/** Runnable examples and the twilio-channels command line ({@link org.twiliochannels.examples.Cli}). Not published. */
package org.twiliochannels.examples;
