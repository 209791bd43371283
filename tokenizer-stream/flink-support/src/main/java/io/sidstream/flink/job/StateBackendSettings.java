package io.sidstream.flink.job;

import java.util.List;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.state.rocksdb.RocksDBConfigurableOptions;
import org.rocksdb.CompactionStyle;
import org.rocksdb.CompressionType;

/**
 * A job's state backend ({@code heap}/{@code hashmap} or {@code rocksdb}), tuned for what both jobs do: point lookups
 * by key, many of which find nothing (a new event id in sequence-windows' dedup map, a new user, a fresh upload's video
 * id in sid-assign), with a checkpoint, and so a memtable flush, every second. The job sets these itself, so they
 * override a cluster's RocksDB defaults.
 */
public final class StateBackendSettings {

    /**
     * Upper levels uncompressed, lower ones LZ4. With 1 s checkpoints most reads hit young files in level 0 and 1;
     * Snappy decompression of their blocks was an eighth of sequence-windows' histories thread, and compacting them the bulk of
     * RocksDB's background threads. The bulk of a large state sinks to the compressed levels.
     */
    static final List<CompressionType> COMPRESSION_PER_LEVEL =
            List.of(CompressionType.NO_COMPRESSION, CompressionType.NO_COMPRESSION, CompressionType.LZ4_COMPRESSION);

    private StateBackendSettings() {
    }

    /** Settings for keys that are read and rewritten (histories, dedup maps). */
    public static void apply(Configuration settings, String stateBackend) {
        settings.set(StateBackendOptions.STATE_BACKEND, stateBackend);
        boolean rocksdb = stateBackend.equals("rocksdb");
        // RocksDB checkpoints upload only the files written since the last one; the heap backend writes all state
        settings.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, rocksdb);
        if (rocksdb) {
            // Point lookups are what these jobs do. Without bloom filters a lookup reads a block of every level-0 file
            // (one per checkpoint until compaction catches up), and a lookup that finds nothing (a new event id in the
            // dedup map, a new user) reads them all: two thirds of sequence-windows' keyed operators' time in profiles.
            settings.set(RocksDBConfigurableOptions.USE_BLOOM_FILTER, true);
            settings.set(RocksDBConfigurableOptions.COMPRESSION_PER_LEVEL, COMPRESSION_PER_LEVEL);
        }
    }

    /**
     * As {@link #apply}, for state that is mostly written once per key in random key order and does not compress:
     * sid-assign's per-video embeddings (384 floats under a fresh video id each). Leveled compaction rewrote every
     * level-1 file on each level-0 compaction (random keys overlap all of them), and LZ4 found nothing to save in
     * float data: universal compaction without compression took the job's CPU per upload from 271 to 199 µs in the
     * backlog drain of {@code bench sid-assign} (sid-assign README).
     */
    public static void applyWriteOnce(Configuration settings, String stateBackend) {
        apply(settings, stateBackend);
        if (stateBackend.equals("rocksdb")) {
            settings.set(RocksDBConfigurableOptions.COMPACTION_STYLE, CompactionStyle.UNIVERSAL);
            settings.set(RocksDBConfigurableOptions.COMPRESSION_PER_LEVEL, List.of(CompressionType.NO_COMPRESSION));
        }
    }
}
