/** The benchmark harness (see BENCHMARKS.md): a Twilio-like loopback server and the measurements. Not API. */
package org.twiliochannels.examples.bench;
