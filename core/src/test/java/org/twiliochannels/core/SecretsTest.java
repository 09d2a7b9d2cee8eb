package org.twiliochannels.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class SecretsTest {
    private static final String TOKEN = "feedfacefeedfacefeedfacefeedface";
    private static final String TOKEN_FIX = " Copy the Auth Token from Twilio Console > Account Info (click 'Show'), or use an API key.";

    private static String tokenMessage(String raw) {
        String m = assertThrows(IllegalArgumentException.class, () -> AuthToken.of(raw)).getMessage();
        assertFalse(m.contains(raw.strip().replace("\"", "")) && raw.strip().length() > 4, "message leaks the value: " + m);
        return m;
    }

    @Test
    void authTokenNeverShowsItselfInToString() {
        AuthToken token = AuthToken.of(TOKEN);
        assertEquals("AuthToken[redacted]", token.toString());
        assertEquals("…face", token.maskedTail());
        assertEquals(TOKEN, token.revealSecret());
    }

    @Test
    void authTokenEqualityComparesValues() {
        assertEquals(AuthToken.of(TOKEN), AuthToken.of(TOKEN));
        assertNotEquals(AuthToken.of(TOKEN), AuthToken.of("feedfacefeedfacefeedfacefeedfac0"));
        assertEquals(AuthToken.of(TOKEN).hashCode(), AuthToken.of("feedfacefeedfacefeedfacefeedfac0").hashCode());
    }

    @Test
    void authTokenErrorsGiveLengthOrPositionButNeverTheValue() {
        assertEquals("Auth token has 31 characters; expected 32 lower-case hex characters." + TOKEN_FIX,
                tokenMessage(TOKEN.substring(1)));
        assertEquals("Auth token has a character at position 5 that is not a lower-case hex digit; expected 32"
                + " lower-case hex characters." + TOKEN_FIX, tokenMessage("feedXacefeedfacefeedfacefeedface"));
        assertEquals("Auth token is wrapped in quotes; remove the quotes." + TOKEN_FIX, tokenMessage("'" + TOKEN + "'"));
        assertEquals("Auth token has leading or trailing whitespace; remove it." + TOKEN_FIX, tokenMessage(TOKEN + " "));
        assertEquals("Auth token ends with a line break; remove it." + TOKEN_FIX, tokenMessage(TOKEN + "\r\n"));
        assertEquals("Auth token is empty." + TOKEN_FIX, tokenMessage(""));
    }

    @Test
    void apiKeySecretAcceptsLettersAndDigitsAndIsRedacted() {
        ApiKeySecret s = ApiKeySecret.of("AbCdEfGh0123456789AbCdEfGh012345");
        assertEquals("ApiKeySecret[redacted]", s.toString());
        String m = assertThrows(IllegalArgumentException.class,
                () -> ApiKeySecret.of("AbCdEfGh0123456789AbCdEfGh01234-")).getMessage();
        assertEquals("API key secret has a character at position 32 that is not a letter or digit; expected 32 letters"
                + " or digits. Use the secret shown once when the API key was created (Twilio Console > Account >"
                + " API keys & tokens); if it is lost, create a new key.", m);
    }

    @Test
    void credentialsToStringShowsSidsButNoSecret() {
        TwilioCredentials c = TwilioCredentials.of(AccountSid.of("AC00000000000000000000000000000001"), AuthToken.of(TOKEN));
        assertEquals("TwilioCredentials[accountSid=AC00000000000000000000000000000001, authToken=redacted]", c.toString());
        assertEquals("AC00000000000000000000000000000001", c.username());
        TwilioCredentials k = TwilioCredentials.ofApiKey(AccountSid.of("AC00000000000000000000000000000001"),
                ApiKeySid.of("SK00000000000000000000000000000002"), ApiKeySecret.of("AbCdEfGh0123456789AbCdEfGh012345"));
        assertEquals("SK00000000000000000000000000000002", k.username());
        assertEquals("AbCdEfGh0123456789AbCdEfGh012345", k.revealPassword());
        assertFalse(k.toString().contains("AbCdEfGh"));
    }
}
