package io.img2rec.core.sample;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * How many portraits get each combination of labels, as fixed quotas so that every dataset size
 * has the intended mix: about 10% with no label, 21% with two, 4% with all three and the rest with
 * one; eyewear is the most common label, then hat, then beard.
 */
final class LabelMix {

    static final double NO_LABEL_SHARE = 0.10;
    static final double TWO_LABEL_SHARE = 0.21;
    static final double THREE_LABEL_SHARE = 0.04;

    private LabelMix() {
    }

    /** The label sets of {@code count} portraits in a seeded random order. */
    static List<Set<Accessory>> shuffled(int count, SplittableRandom random) {
        if (count < 1) {
            throw new IllegalArgumentException("count must be at least 1, was " + count);
        }
        int none = (int) Math.round(count * NO_LABEL_SHARE);
        int three = (int) Math.round(count * THREE_LABEL_SHARE);
        int two = Math.min((int) Math.round(count * TWO_LABEL_SHARE), count - none - three);
        int eyewearHat = (int) Math.round(two * 0.40);
        int eyewearBeard = (int) Math.round(two * 0.32);
        int hatBeard = two - eyewearHat - eyewearBeard;
        int one = count - none - three - two;
        int eyewear = (int) Math.round(one * 0.42);
        int hat = (int) Math.round(one * 0.33);
        int beard = one - eyewear - hat;

        List<Set<Accessory>> labelSets = new ArrayList<>(count);
        add(labelSets, none, EnumSet.noneOf(Accessory.class));
        add(labelSets, eyewear, EnumSet.of(Accessory.EYEWEAR));
        add(labelSets, hat, EnumSet.of(Accessory.HAT));
        add(labelSets, beard, EnumSet.of(Accessory.BEARD));
        add(labelSets, eyewearHat, EnumSet.of(Accessory.EYEWEAR, Accessory.HAT));
        add(labelSets, eyewearBeard, EnumSet.of(Accessory.EYEWEAR, Accessory.BEARD));
        add(labelSets, hatBeard, EnumSet.of(Accessory.HAT, Accessory.BEARD));
        add(labelSets, three, EnumSet.allOf(Accessory.class));
        shuffle(labelSets, random);
        return labelSets;
    }

    private static void add(List<Set<Accessory>> labelSets, int times, EnumSet<Accessory> labels) {
        Set<Accessory> shared = Collections.unmodifiableSet(labels);
        for (int i = 0; i < times; i++) {
            labelSets.add(shared);
        }
    }

    /** Fisher–Yates with the given generator (Collections.shuffle wants a java.util.Random). */
    private static <T> void shuffle(List<T> items, SplittableRandom random) {
        for (int i = items.size() - 1; i > 0; i--) {
            Collections.swap(items, i, random.nextInt(i + 1));
        }
    }
}
