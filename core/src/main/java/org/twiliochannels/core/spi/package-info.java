/**
 * The service-provider interface implemented by channel modules: a {@link
 * org.twiliochannels.core.spi.ChannelProvider} registered in {@code META-INF/services}.
 */
package org.twiliochannels.core.spi;
