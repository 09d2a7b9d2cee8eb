package org.twiliochannels.spring.boot;

import jakarta.servlet.http.HttpServletRequest;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.util.ClassUtils;
import org.springframework.web.bind.annotation.RestController;
import org.twiliochannels.dashboard.Dashboard;
import org.twiliochannels.outbox.WorkerSettings;

/**
 * The outbox's dashboard page at {@code twilio.dashboard.path} (default {@code /twilio/dashboard}),
 * when {@code twilio.dashboard.enabled=true}, {@code twilio-channels-dashboard} and a
 * {@link DataSource} are present, in a Servlet web application with Spring MVC. With Spring
 * Security in the application the page is behind its login and is shown only to a signed-in user;
 * without it the application does not start unless {@code twilio.dashboard.allow-without-security=true},
 * and then warns at start that anyone who reaches the application sees the page. The
 * application's own {@link Dashboard} bean wins.
 */
@AutoConfiguration(after = TwilioOutboxAutoConfiguration.class, afterName = {
        "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration"})
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({Dashboard.class, HttpServletRequest.class, RestController.class})
@ConditionalOnBean(DataSource.class)
@ConditionalOnProperty(prefix = "twilio.dashboard", name = "enabled", havingValue = "true")
public class TwilioDashboardAutoConfiguration {
    private static final Logger LOG = LoggerFactory.getLogger("org.twiliochannels");
    /** The class whose presence means the application has Spring Security's web filters. */
    static final String SPRING_SECURITY = "org.springframework.security.web.SecurityFilterChain";

    /** Creates the auto-configuration (by Spring). */
    public TwilioDashboardAutoConfiguration() {}

    /** The page of the outbox on the application's database, with the cap the worker paces to unless set. */
    @Bean
    @ConditionalOnMissingBean
    Dashboard twilioDashboard(DataSource dataSource, TwilioProperties properties,
                              ObjectProvider<WorkerSettings> settings) {
        TwilioProperties.Dashboard p = properties.getDashboard();
        Dashboard.Builder b = Dashboard.builder(dataSource).tablePrefix(properties.getOutbox().getTablePrefix());
        try {
            b.refresh(p.getRefresh()).title(p.getTitle());
            Double cap = p.getAccountCap();
            WorkerSettings worker = settings.getIfAvailable();
            if (cap != null) {
                b.accountCap(cap);
            } else if (worker != null) {
                b.accountCap(worker.pacing().accountCap());
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("twilio.dashboard: " + e.getMessage(), e);
        }
        return b.build();
    }

    @Bean
    TwilioDashboardController twilioDashboardController(Dashboard dashboard, TwilioProperties properties,
                                                        ApplicationContext context) {
        TwilioProperties.Dashboard p = properties.getDashboard();
        if (p.getPath() == null || !p.getPath().startsWith("/")) {
            throw new IllegalStateException("twilio.dashboard.path \"" + p.getPath() + "\" must start with '/', e.g."
                    + " /twilio/dashboard");
        }
        boolean security = ClassUtils.isPresent(SPRING_SECURITY, context.getClassLoader());
        if (!security && !p.isAllowWithoutSecurity()) {
            throw new IllegalStateException("twilio.dashboard.enabled=true, and Spring Security is not in this"
                    + " application: the dashboard shows the outbox's campaigns, error codes and masked numbers, so it"
                    + " is not served to anyone who can reach the application. Add"
                    + " org.springframework.boot:spring-boot-starter-security (the page is then behind the"
                    + " application's login), or set twilio.dashboard.allow-without-security=true to serve it"
                    + " without (on a private network only).");
        }
        if (!security) {
            LOG.warn("twilio.dashboard: {} is served without Spring Security (twilio.dashboard.allow-without-security="
                    + "true): anyone who can reach this application sees the outbox's page; add"
                    + " spring-boot-starter-security to put it behind a login", p.getPath());
        }
        return new TwilioDashboardController(dashboard, security && !p.isAllowWithoutSecurity());
    }
}
