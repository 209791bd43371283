package io.sidstream.model.block;

import ai.djl.Device;
import ai.djl.engine.Engine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Picks the device the model runs on: {@code auto} takes the first GPU when the engine sees one, else the CPU. */
public final class DeviceSelector {

    private static final Logger LOG = LoggerFactory.getLogger(DeviceSelector.class);

    private DeviceSelector() {}

    /** {@code auto}, {@code cpu} or {@code gpu}. */
    public static Device select(String preference) {
        String wanted = preference.toLowerCase(Locale.ROOT);
        int gpus = Engine.getInstance().getGpuCount();
        Device device = switch (wanted) {
            case "cpu" -> Device.cpu();
            case "gpu" -> {
                if (gpus == 0) {
                    throw new IllegalArgumentException(
                            "trainer.device = gpu but the PyTorch engine sees no GPU; see the "
                                    + "trainer README for pointing DJL at a CUDA libtorch (PYTORCH_LIBRARY_PATH)");
                }
                yield Device.gpu();
            }
            case "auto" -> gpus > 0 ? Device.gpu() : Device.cpu();
            default -> throw new IllegalArgumentException("trainer.device must be auto, cpu or gpu, got " + preference);
        };
        LOG.info(
                "model device {} (asked {}, engine {} {} sees {} GPU(s){})",
                device,
                wanted,
                Engine.getInstance().getEngineName(),
                Engine.getInstance().getVersion(),
                gpus,
                gpus == 0
                        ? ": " + whyNoGpu(Path.of("/proc/driver/nvidia/version"), System.getenv("PYTORCH_FLAVOR"))
                        : "");
        return device;
    }

    /**
     * One line in place of the engine's repeated CUDA probe warnings (silenced in logback.xml), so that a machine that
     * was meant to train on a GPU says what is missing.
     */
    static String whyNoGpu(Path nvidiaDriverVersion, String pytorchFlavor) {
        if (!Files.exists(nvidiaDriverVersion)) {
            return "no NVIDIA driver on this machine (" + nvidiaDriverVersion + " is absent)";
        }
        if (pytorchFlavor == null || !pytorchFlavor.startsWith("cu")) {
            return "an NVIDIA driver is present but libtorch is a CPU build (PYTORCH_FLAVOR="
                    + (pytorchFlavor == null ? "unset" : pytorchFlavor) + "; the trainer README says how to use cu128)";
        }
        return "an NVIDIA driver and a " + pytorchFlavor + " libtorch are present but CUDA did not initialise "
                + "(driver too old for " + pytorchFlavor + "?)";
    }
}
