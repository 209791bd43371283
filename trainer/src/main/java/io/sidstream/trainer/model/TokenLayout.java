package io.sidstream.trainer.model;

import io.sidstream.schemas.Device;
import io.sidstream.schemas.EventType;
import io.sidstream.schemas.Surface;

/**
 * The one token vocabulary of the model: specials, the code tokens of every SID level, the collision tokens and the
 * context tokens (surface, device, country bucket, hour, event type, watch bucket, time gap). A position of the
 * transformer is the sum of the embeddings of its {@link #SLOTS} tokens, so an item costs one position however many
 * codes its SID has.
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
        size = gapBase + config.timeGapBuckets();
    }

    public int size() {
        return size;
    }

    /** Tokens per position. */
    public int slots() {
        return config.sidLength() + FEATURE_SLOTS;
    }

    /** The token of code {@code code} at SID step {@code step} (the last step is the collision token). */
    public int sidToken(int step, int code) {
        int limit = config.stepVocabulary(step);
        if (code < 0 || code >= limit) {
            throw new IllegalArgumentException("SID code " + code + " at step " + step + " is outside [0, " + limit + ")");
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
