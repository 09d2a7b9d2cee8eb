/**
 * The public API of twilio-channels: credential and address value types, {@link
 * org.twiliochannels.core.TwilioConfig}, the {@link org.twiliochannels.core.Channel} interface,
 * messages, receipts and exceptions. Entry point: {@link org.twiliochannels.core.Channels}.
 */
package org.twiliochannels.core;
