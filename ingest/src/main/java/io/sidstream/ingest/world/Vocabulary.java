package io.sidstream.ingest.world;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Pronounceable made-up words: each topic gets its own vocabulary and each subtopic a share of it plus words of its
 * own, so titles of one subtopic read alike, titles of one topic overlap, and topics do not share words.
 */
final class Vocabulary {

    private static final String[] ONSETS = {
        "b", "br", "c", "ch", "d", "dr", "f", "g", "gr", "h", "j", "k", "l", "m", "n", "p", "pl", "qu", "r", "s", "sh",
        "st", "t", "tr", "v", "w", "z"
    };
    private static final String[] VOWELS = {"a", "e", "i", "o", "u", "ai", "ea", "io", "ou", "y"};
    private static final String[] CODAS = {"", "", "n", "r", "s", "t", "l", "x", "nd", "ck", "m"};
    static final String[] COMMON = {
        "best",
        "new",
        "how",
        "to",
        "the",
        "review",
        "guide",
        "top",
        "vs",
        "live",
        "full",
        "episode",
        "part",
        "first",
        "look",
        "my",
        "day",
        "tips",
        "explained",
        "ultimate",
        "why",
        "in",
        "with"
    };

    private final Set<String> used = new HashSet<>();
    private final Random random;

    Vocabulary(Random random) {
        this.random = random;
    }

    List<String> words(int count) {
        List<String> out = new ArrayList<>(count);
        while (out.size() < count) {
            StringBuilder w = new StringBuilder();
            int syllables = 2 + random.nextInt(2);
            for (int s = 0; s < syllables; s++) {
                w.append(ONSETS[random.nextInt(ONSETS.length)]).append(VOWELS[random.nextInt(VOWELS.length)]);
            }
            w.append(CODAS[random.nextInt(CODAS.length)]);
            String word = w.toString();
            if (used.add(word)) {
                out.add(word);
            }
        }
        return out;
    }
}
