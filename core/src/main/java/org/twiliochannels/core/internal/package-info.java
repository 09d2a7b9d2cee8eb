/**
 * Implementation details shared by the channel modules. Not API: anything here may change in any
 * release.
 */
package org.twiliochannels.core.internal;
