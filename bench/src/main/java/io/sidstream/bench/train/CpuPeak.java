package io.sidstream.bench.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The FP32 peak assumed for model FLOP utilisation on a CPU: cores x clock x FLOPs per cycle, where a core with two
 * FMA units does 2 x 8 x 2 = 32 FP32 FLOPs per cycle with AVX2 and 64 with AVX-512. Read from /proc/cpuinfo.
 */
record CpuPeak(int cores, double ghz, int flopsPerCycle, String source) {

    double gflops() {
        return cores * ghz * flopsPerCycle;
    }

    String describe() {
        return String.format(
                Locale.ROOT,
                "%d cores x %.2f GHz x %d FP32 FLOP/cycle (%s) = %.1f GFLOP/s",
                cores,
                ghz,
                flopsPerCycle,
                source,
                gflops());
    }

    static CpuPeak detect() {
        int cores = Runtime.getRuntime().availableProcessors();
        double ghz = 2.5;
        int flops = 32;
        String source = "assumed 2.5 GHz AVX2 FMA";
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/cpuinfo"));
            String flags = lines.stream()
                    .filter(l -> l.startsWith("flags"))
                    .findFirst()
                    .orElse("");
            double mhz = lines.stream()
                    .filter(l -> l.startsWith("cpu MHz"))
                    .mapToDouble(l -> Double.parseDouble(l.split(":")[1].trim()))
                    .max()
                    .orElse(0);
            if (mhz > 0) {
                ghz = mhz / 1000.0;
            }
            boolean avx512 = flags.contains(" avx512f");
            boolean fma = flags.contains(" fma") && flags.contains(" avx2");
            flops = avx512 ? 64 : fma ? 32 : 16;
            source = (avx512 ? "AVX-512" : fma ? "AVX2+FMA" : "SSE") + ", clock from /proc/cpuinfo";
        } catch (IOException | RuntimeException e) {
            // not Linux or unreadable: keep the stated assumption
        }
        return new CpuPeak(cores, ghz, flops, source);
    }
}
