package org.twiliochannels.spring.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.util.ClassUtils;
import org.twiliochannels.testing.FakeTwilio;

/**
 * The dashboard behind Spring Security's defaults (Boot's auto-configured login, one user from
 * {@code spring.security.user.*}). Run by its own Surefire execution, the only one with
 * spring-boot-starter-security on the class path (it would put every other test's endpoint behind
 * a login).
 */
@Timeout(60)
@ExtendWith(OutputCaptureExtension.class)
class DashboardWithSpringSecurityTest {
    static final FakeTwilio TWILIO = FakeTwilio.start();

    @BeforeAll
    static void springSecurityIsThere() {
        boolean present = ClassUtils.isPresent(TwilioDashboardAutoConfiguration.SPRING_SECURITY, null);
        if (!present && "required".equals(System.getProperty("dashboard.spring-security"))) {
            throw new AssertionError("the with-spring-security execution lost spring-boot-starter-security");
        }
        Assumptions.assumeTrue(present, "run by the with-spring-security execution (mvn test), not alone");
    }

    @AfterAll
    static void stopFake() {
        TWILIO.close();
    }

    @Test
    void thePageNeedsASignedInUserAndNoOptIn(CapturedOutput output) {
        try (ConfigurableApplicationContext c = DashboardBootApp.start(TWILIO, "spring.security.user.name=ops",
                "spring.security.user.password=correct-horse")) {
            assertFalse(output.getOut().contains("served without Spring Security"), output.getOut());
            HttpResponse<String> anonymous = TwilioDashboardAutoConfigurationTest.get(c, "/twilio/dashboard");
            assertEquals(401, anonymous.statusCode());
            assertFalse(anonymous.body().contains("Outbox"), "nothing of the page");

            HttpResponse<String> wrong = TwilioDashboardAutoConfigurationTest.get(c, "/twilio/dashboard", basic("ops:nope"));
            assertEquals(401, wrong.statusCode());

            HttpResponse<String> signedIn = TwilioDashboardAutoConfigurationTest.get(c, "/twilio/dashboard",
                    basic("ops:correct-horse"));
            assertEquals(200, signedIn.statusCode(), signedIn.body());
            assertTrue(signedIn.body().contains("id=\"count-total\" data-value=\"0\""), signedIn.body());
        }
    }

    private static String basic(String userAndPassword) {
        return "Basic " + Base64.getEncoder().encodeToString(userAndPassword.getBytes(StandardCharsets.UTF_8));
    }
}
