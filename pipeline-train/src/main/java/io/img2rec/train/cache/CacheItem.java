package io.img2rec.train.cache;

/**
 * One row of the cache: an image (by its index in the caller's image list) as it is ({@code copy = -1}) or its
 * {@code copy}-th augmented version.
 */
public record CacheItem(int image, int copy) implements java.io.Serializable {
    public static final int ORIGINAL = -1;

    public CacheItem {
        if (image < 0 || copy < ORIGINAL) {
            throw new IllegalArgumentException("bad cache item image=" + image + " copy=" + copy);
        }
    }

    public boolean augmented() {
        return copy != ORIGINAL;
    }
}
