package io.sidstream.model.block;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeviceSelectorTest {

    @Test
    void saysWhatIsMissingWhenThereIsNoGpu(@TempDir Path dir) throws Exception {
        Path version = dir.resolve("version");
        assertThat(DeviceSelector.whyNoGpu(version, null))
                .contains("no NVIDIA driver")
                .contains(version.toString());

        Files.writeString(version, "NVRM version: 570.86");
        assertThat(DeviceSelector.whyNoGpu(version, null)).contains("CPU build").contains("PYTORCH_FLAVOR=unset");
        assertThat(DeviceSelector.whyNoGpu(version, "cpu")).contains("PYTORCH_FLAVOR=cpu");
        assertThat(DeviceSelector.whyNoGpu(version, "cu128")).contains("cu128").contains("did not initialise");
    }

    @Test
    void cpuIsAlwaysThereAndAnUnknownPreferenceIsRefused() {
        assertThat(DeviceSelector.select("CPU")).isEqualTo(Device.cpu());
        assertThatThrownBy(() -> DeviceSelector.select("tpu")).hasMessageContaining("auto, cpu or gpu");
    }
}
