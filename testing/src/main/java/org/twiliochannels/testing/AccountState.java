package org.twiliochannels.testing;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.twiliochannels.core.AccountSid;
import org.twiliochannels.core.ApiKeySecret;
import org.twiliochannels.core.ApiKeySid;
import org.twiliochannels.core.AuthToken;

/**
 * The fake account: its random credentials and what a test set up (type, status, owned and verified
 * numbers, sandbox members, closed WhatsApp windows, when each
 * WhatsApp number last wrote). Thread-safe.
 */
final class AccountState {
    private final SecureRandom random = new SecureRandom();
    final AccountSid accountSid = AccountSid.of("AC" + hex(16));
    final AuthToken authToken = AuthToken.of(hex(16));
    final ApiKeySid apiKey = ApiKeySid.of("SK" + hex(16));
    final ApiKeySecret apiKeySecret = ApiKeySecret.of(hex(16));
    final Set<String> ownedSmsNumbers = ConcurrentHashMap.newKeySet();
    final Set<String> verifiedNumbers = ConcurrentHashMap.newKeySet();
    final Set<String> sandboxMembers = ConcurrentHashMap.newKeySet();
    final Set<String> closedWindows = ConcurrentHashMap.newKeySet();
    /** When each WhatsApp number last wrote (through {@code sendInbound}), for {@code enforceSessionWindows()}. */
    final Map<String, Instant> lastInbound = new ConcurrentHashMap<>();
    volatile boolean windowsEnforced;
    volatile boolean trial;
    volatile FakeTwilio.AccountStatus status = FakeTwilio.AccountStatus.ACTIVE;

    /** {@code bytes} random bytes in lower-case hex, for SIDs and tokens. */
    String hex(int bytes) {
        byte[] b = new byte[bytes];
        random.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
