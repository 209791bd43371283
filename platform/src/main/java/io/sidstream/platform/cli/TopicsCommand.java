package io.sidstream.platform.cli;

import io.sidstream.core.cli.ConfigOptions;
import io.sidstream.core.config.SidstreamConfig;
import io.sidstream.core.topic.TopicAdmin;
import io.sidstream.core.topic.TopicSchemas;
import io.sidstream.core.topic.TopicStatus;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Creates or verifies every catalog topic on the configured cluster; safe to run any number of times. */
@Command(
        name = "topics",
        mixinStandardHelpOptions = true,
        description = "Create the catalog's topics where missing and verify the rest (idempotent). "
                + "Exits 2 when an existing topic differs from the catalog.")
public final class TopicsCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions configOptions;

    @Spec
    CommandSpec spec;

    @Option(
            names = "--register-schemas",
            description =
                    "Also register every contract's schema under its topic's subject (the release step when auto-register is off).")
    boolean registerSchemas;

    @Override
    public Integer call() throws Exception {
        SidstreamConfig config = configOptions.loadForCluster("topics");
        List<TopicStatus> report;
        try (Admin admin = Admin.create(config.kafka().admin())) {
            report = new TopicAdmin(admin).ensure(TopicAdmin.desired(config.topics()));
        }
        PrintWriter out = spec.commandLine().getOut();
        report.forEach(out::println);
        if (registerSchemas) {
            TopicSchemas.registerAll(config.registry())
                    .forEach((subject, id) -> out.printf("%-32s schema id %d%n", subject, id));
        }
        out.flush();
        return report.stream().anyMatch(s -> s.state() == TopicStatus.State.MISMATCH) ? 2 : 0;
    }
}
