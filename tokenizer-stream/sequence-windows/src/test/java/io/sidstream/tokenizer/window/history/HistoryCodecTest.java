package io.sidstream.tokenizer.window.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sidstream.schemas.Device;
import io.sidstream.schemas.EventType;
import io.sidstream.schemas.Surface;
import java.util.List;
import org.junit.jupiter.api.Test;

class HistoryCodecTest {

    @Test
    void aHistoryRoundTripsFieldByField() {
        HistoryEntry entry = new HistoryEntry();
        entry.eventId = "e-1";
        entry.videoId = "vidé-ü";
        entry.sid = new int[] {255, 0, 65_536, 3};
        entry.codebookVersion = "cb-2";
        entry.eventType = EventType.SHARE;
        entry.watchBucket = 10;
        entry.surface = Surface.WATCH_NEXT;
        entry.device = Device.TV;
        entry.eventTime = 1_795_000_000_123L;

        List<HistoryEntry> decoded = HistoryCodec.decode(HistoryCodec.encode(List.of(entry, entry)));

        assertThat(decoded).hasSize(2);
        assertThat(decoded.get(1)).usingRecursiveComparison().isEqualTo(entry);
        assertThat(HistoryCodec.decode(null)).isEmpty();
        assertThat(HistoryCodec.decode(HistoryCodec.encode(List.of()))).isEmpty();
    }

    @Test
    void anUnknownFormatIsAnErrorNotGarbage() {
        assertThatThrownBy(() -> HistoryCodec.decode(new byte[] {9, 0, 0}))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("format 9");
    }
}
