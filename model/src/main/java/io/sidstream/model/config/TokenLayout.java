package io.sidstream.model.config;

import io.sidstream.schemas.Device;
import io.sidstream.schemas.EventType;
import io.sidstream.schemas.Surface;

/**
 * The one token vocabulary of the model: specials, the code tokens of every SID level, the collision tokens, the
 * context tokens (surface, device, country bucket, hour, event type, watch bucket, time gap) and, when configured, the
 * hashed item-id buckets. A position of the transformer is the sum of the embeddings of its {@link #slots()} tokens,
 * so an item costs one position however many codes its SID has.
 */
public final class TokenLayout {

    /** Tokens summed into one position: SID codes (levels + collision), event type, watch, surface, device, gap. */
    public static final int FEATURE_SLOTS = 5;

    public static final int PAD = 0;
    /** Marks the context position, which carries the request's surface, device, country and hour. */
    public static final int CONTEXT = 1;

    private static final int SPECIALS = 2;

    private final ModelConfig config;
    private final int codeBase;
    private final int collisionBase;
    private final int eventBase;
    private final int watchBase;
    private final int surfaceBase;
    private final int deviceBase;
    private final int countryBase;
    private final int hourBase;
    private final int gapBase;
    private final int itemBase;
    private final int size;

    public TokenLayout(ModelConfig config) {
        this.config = config;
        codeBase = SPECIALS;
        collisionBase = codeBase + config.levels() * config.codesPerLevel();
        eventBase = collisionBase + config.collisions();
        watchBase = eventBase + EventType.values().length;
        surfaceBase = watchBase + config.watchBuckets();
        deviceBase = surfaceBase + Surface.values().length;
        countryBase = deviceBase + Device.values().length;
        hourBase = countryBase + config.countryBuckets();
        gapBase = hourBase + 24;
        itemBase = gapBase + config.timeGapBuckets();
        size = itemBase + config.itemBuckets();
    }

    public int size() {
        return size;
    }

    /** Tokens per position: the SID's codes, the event features and, with item buckets, the hashed item id. */
    public int slots() {
        return config.sidLength() + FEATURE_SLOTS + (hasItemTokens() ? 1 : 0);
    }

    /** Whether a history item also carries its hashed id ({@code item-buckets > 0}). */
    public boolean hasItemTokens() {
        return config.itemBuckets() > 0;
    }

    /**
     * The hashed-id token of a video. The hash is fixed here (64-bit FNV-1a over the id's UTF-16 units, then a
     * murmur finaliser), not {@code String.hashCode}'s spread, so trainer and serving always agree on the bucket.
     */
    public int itemToken(String videoId) {
        if (!hasItemTokens()) {
            throw new IllegalStateException("the model has no item buckets");
        }
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < videoId.length(); i++) {
            h = (h ^ videoId.charAt(i)) * 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        return itemBase + (int) Math.floorMod(h, (long) config.itemBuckets());
    }

    /** The token of code {@code code} at SID step {@code step} (the last step is the collision token). */
    public int sidToken(int step, int code) {
        int limit = config.stepVocabulary(step);
        if (code < 0 || code >= limit) {
            throw new IllegalArgumentException(
                    "SID code " + code + " at step " + step + " is outside [0, " + limit + ")");
        }
        return step < config.levels() ? codeBase + step * config.codesPerLevel() + code : collisionBase + code;
    }

    public int eventToken(EventType type) {
        return eventBase + type.ordinal();
    }

    public int watchToken(int bucket) {
        return watchBase + clamp(bucket, config.watchBuckets());
    }

    public int surfaceToken(Surface surface) {
        return surfaceBase + surface.ordinal();
    }

    public int deviceToken(Device device) {
        return deviceBase + device.ordinal();
    }

    public int countryToken(String country) {
        return countryBase + Math.floorMod(country == null ? 0 : country.hashCode(), config.countryBuckets());
    }

    public int hourToken(int hour) {
        return hourBase + clamp(hour, 24);
    }

    public int gapToken(int bucket) {
        return gapBase + clamp(bucket, config.timeGapBuckets());
    }

    private static int clamp(int value, int buckets) {
        return Math.max(0, Math.min(buckets - 1, value));
    }
}
