package org.twiliochannels.spring.boot;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.twiliochannels.testing.FakeTwilio;

/** A web application with the starter, an H2 database of its own and the dashboard on: started per test. */
@SpringBootConfiguration
@EnableAutoConfiguration
class DashboardBootApp {
    private static final AtomicInteger DATABASES = new AtomicInteger();

    @Bean
    DataSource dataSource() {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:dashboard-" + DATABASES.incrementAndGet() + ";DB_CLOSE_DELAY=-1");
        return ds;
    }

    /** Starts the application on a free loopback port, the account on {@code twilio}, with {@code properties} added. */
    static ConfigurableApplicationContext start(FakeTwilio twilio, String... properties) {
        List<String> all = new ArrayList<>(List.of("server.port=0", "server.address=127.0.0.1",
                "twilio.account-sid=" + twilio.accountSid().value(),
                "twilio.auth-token=" + twilio.authToken().revealSecret(), "twilio.api-base-url=" + twilio.baseUrl(),
                "twilio.phone-number=" + FakeTwilio.DEFAULT_SMS_NUMBER.value(), "twilio.outbox.worker=false",
                "twilio.dashboard.enabled=true"));
        all.addAll(List.of(properties));
        return new SpringApplicationBuilder(DashboardBootApp.class).properties(all.toArray(String[]::new)).run();
    }

    static int port(ConfigurableApplicationContext context) {
        return Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
    }
}
