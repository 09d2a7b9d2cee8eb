package org.twiliochannels.spring.boot;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.twiliochannels.dashboard.Dashboard;

/**
 * {@code GET {twilio.dashboard.path}}: the outbox's page. With Spring Security it is shown to a
 * signed-in user only (a rule that lets anonymous requests through gets 403 here); the answer is
 * never cached and its Content-Security-Policy allows no script and nothing from another host.
 */
@RestController
class TwilioDashboardController {
    /** The page needs its inline style only: no script, no request anywhere. */
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:;"
            + " frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
    private static final MediaType HTML = new MediaType("text", "html", java.nio.charset.StandardCharsets.UTF_8);

    private final Dashboard dashboard;
    private final boolean signedInOnly;

    TwilioDashboardController(Dashboard dashboard, boolean signedInOnly) {
        this.dashboard = dashboard;
        this.signedInOnly = signedInOnly;
    }

    @GetMapping("${twilio.dashboard.path:/twilio/dashboard}")
    ResponseEntity<String> page(HttpServletRequest request) {
        if (signedInOnly && request.getUserPrincipal() == null) {
            return ResponseEntity.status(HttpStatus.FORBIDDEN).contentType(MediaType.TEXT_PLAIN)
                    .cacheControl(CacheControl.noStore())
                    .body("The outbox's dashboard is shown to a signed-in user only: this request passed Spring"
                            + " Security without one. Require authentication for this path.\n");
        }
        return ResponseEntity.ok().contentType(HTML).cacheControl(CacheControl.noStore())
                .header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                .header("X-Content-Type-Options", "nosniff")
                .header("Referrer-Policy", "no-referrer")
                .body(dashboard.page());
    }
}
