package io.img2rec.train.cache;

import java.io.IOException;

/**
 * A cache shard (or a folder of them) that cannot be used: unreadable, corrupt, truncated, of another format
 * version, filled for another config, or missing items. The message names the file or folder and what to do.
 */
public class CacheShardException extends IOException {
    public CacheShardException(String message) {
        super(message);
    }

    public CacheShardException(String message, Throwable cause) {
        super(message, cause);
    }
}
