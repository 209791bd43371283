package io.sidstream.platform.logging;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import io.sidstream.core.config.SidstreamConfig;
import java.net.URL;
import org.slf4j.LoggerFactory;

/**
 * Applies {@code logging.format} to the process's Logback configuration. Logback starts before any sidstream
 * configuration is read, so the format named in a file or by {@code --set} is applied by reloading {@code logback.xml}
 * with the format as a system property; the file stays the one place where both formats are defined.
 */
public final class LogFormat {

    static final String PROPERTY = "sidstream.logging.format";

    private LogFormat() {}

    public static void apply(SidstreamConfig config) {
        String format = config.loggingFormat();
        if (format.equals(current())) {
            return;
        }
        System.setProperty(PROPERTY, format);
        URL file = LogFormat.class.getClassLoader().getResource("logback.xml");
        if (file != null && LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            JoranConfigurator configurator = new JoranConfigurator();
            configurator.setContext(context);
            context.reset();
            try {
                configurator.doConfigure(file);
            } catch (JoranException e) {
                throw new IllegalStateException("cannot apply logging.format = " + format + ": " + e.getMessage(), e);
            }
        }
    }

    /** The format logback.xml resolved: the property, else the environment variable, else text. */
    static String current() {
        String fromEnvironment = System.getenv("SIDSTREAM_LOGGING_FORMAT");
        return System.getProperty(PROPERTY, fromEnvironment != null ? fromEnvironment : "text");
    }
}
