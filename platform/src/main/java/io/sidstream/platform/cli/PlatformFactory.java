package io.sidstream.platform.cli;

import io.sidstream.core.config.SidstreamConfig;
import io.sidstream.ingest.world.WorldCatalog;
import io.sidstream.ingest.world.WorldConfig;
import io.sidstream.tokenizer.cli.CodebookTrainCommand;
import io.sidstream.tokenizer.cli.WorldCatalogSource;
import picocli.CommandLine;

/**
 * Creates the launcher's commands, handing stage commands what only the launcher links: {@code codebook train --world}
 * gets the synthetic world of {@code ingest}, which the codebook-training module may not depend on.
 */
final class PlatformFactory implements CommandLine.IFactory {

    private static final WorldCatalogSource WORLD = new WorldCatalogSource() {
        @Override
        public String embeddingModel(SidstreamConfig config) {
            return WorldCatalog.embeddingModel(WorldConfig.from(config.section("ingest")));
        }

        @Override
        public float[][] embeddings(SidstreamConfig config, int n) {
            return WorldCatalog.embeddings(WorldConfig.from(config.section("ingest")), n);
        }
    };

    private final CommandLine.IFactory fallback = CommandLine.defaultFactory();

    @Override
    public <K> K create(Class<K> type) throws Exception {
        if (type == CodebookTrainCommand.class) {
            return type.cast(new CodebookTrainCommand(WORLD));
        }
        return fallback.create(type);
    }
}
