package org.twiliochannels.testing;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5: a fresh {@link FakeTwilio} for each test method that declares a parameter of that type,
 * stopped after the test.
 *
 * <pre>{@code
 * @ExtendWith(FakeTwilioExtension.class)
 * class ReminderTest {
 *     @Test
 *     void remindsByText(FakeTwilio twilio) {
 *         try (Channel sms = SmsChannel.open(twilio.config().build())) { … }
 *         twilio.assertSent(Match.to("+14155551234").bodyContaining("tomorrow"));
 *         twilio.assertNothingElseSent();
 *     }
 * }
 * }</pre>
 */
public final class FakeTwilioExtension implements ParameterResolver, AfterEachCallback {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(FakeTwilioExtension.class);

    /** Used by JUnit. */
    public FakeTwilioExtension() {}

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == FakeTwilio.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        ExtensionContext.Store store = context.getStore(NAMESPACE);
        FakeTwilio existing = store.get(FakeTwilio.class, FakeTwilio.class);
        if (existing != null) {
            return existing;
        }
        FakeTwilio fake = FakeTwilio.start();
        store.put(FakeTwilio.class, fake);
        return fake;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        FakeTwilio fake = context.getStore(NAMESPACE).remove(FakeTwilio.class, FakeTwilio.class);
        if (fake != null) {
            fake.close();
        }
    }
}
